import assert from "node:assert/strict";
import { decode } from "fast-png";
import type { Mistake } from "../../report/evaluation_accumulator.ts";
import { mistakesGridPng } from "../../report/mistakes_grid_png.ts";
import { pngDataUri } from "../../report/png_data_uri.ts";

function mistake(row: number, truth: string, predicted: string): Mistake {
  return { row, true: truth, predicted, probability: 0.987, trueProbability: 0.01 };
}

/** Darkest gray level (0 = black) in a horizontal band of an RGB(A) PNG. */
function darkestIn(png: Uint8Array, y0: number, y1: number, x0: number, x1: number): number {
  const image = decode(png);
  const channels = image.channels;
  let darkest = 255;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * channels;
      darkest = Math.min(darkest, Number(image.data[i]), Number(image.data[i + 1]));
    }
  }
  return darkest;
}

Deno.test("mistakesGridPng lays out one captioned tile per mistake", async () => {
  // A solid black square digit: the tile must show it, and the caption band below it must hold text.
  const ink = new Float32Array(28 * 28).fill(1);
  const mistakes = Array.from({ length: 12 }, (_, i) => mistake(i + 1, "4", "9"));
  const png = await mistakesGridPng(mistakes.map(() => ink), mistakes, 28, 28, { columns: 5 });
  const image = decode(png);
  // 5 columns of (84 + 8) plus the left margin; 3 rows of (84 tile + 46 caption + 8).
  assert.equal(image.width, 5 * 92 + 8);
  assert.equal(image.height, 3 * 138 + 8);
  // Inside the first tile: black ink. Between tiles (the margin): white.
  assert.equal(darkestIn(png, 20, 60, 20, 60), 0);
  assert.equal(darkestIn(png, 0, 8, 0, image.width), 255);
  // The caption band under the first tile has dark glyph pixels (a font is installed here).
  assert.ok(darkestIn(png, 8 + 84, 8 + 84 + 46, 8, 92) < 128, "caption text drawn");
});

Deno.test("mistakesGridPng rejects images and mistakes of different lengths", async () => {
  await assert.rejects(
    () => mistakesGridPng([new Float32Array(4)], [], 2, 2),
    /1 images but 0 mistakes/,
  );
});

Deno.test("pngDataUri base64-encodes the bytes", () => {
  const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) % 256);
  const uri = pngDataUri(bytes);
  assert.ok(uri.startsWith("data:image/png;base64,"));
  const back = Uint8Array.from(atob(uri.slice(22)), (c) => c.charCodeAt(0));
  assert.deepEqual(back, bytes);
});
