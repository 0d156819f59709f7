import assert from "node:assert/strict";
import { escapeHtml } from "../../report/escape_html.ts";
import { mistakesGridPng } from "../../report/mistakes_grid_png.ts";

Deno.test("escapeHtml turns the five markup characters into character references", () => {
  assert.equal(escapeHtml(`a<b>"c"&'d'`), "a&#60;b&#62;&#34;c&#34;&#38;&#39;d&#39;");
  assert.equal(escapeHtml("plain 7"), "plain 7");
});

Deno.test("a class label with markup characters still gives a valid mistakes SVG", async () => {
  const png = await mistakesGridPng(
    [new Float32Array(4)],
    [{ row: 1, id: `<x&"y">`, true: "<", predicted: "&", probability: 0.5, trueProbability: 0.1 }],
    2,
    2,
  );
  assert.equal(png[1], 0x50, "a PNG came back: resvg parsed the SVG");
});
