import assert from "node:assert/strict";
import { NormalizeStream } from "../../pipeline/normalize_stream.ts";
import { collect } from "./_fixture.ts";

Deno.test("NormalizeStream maps bytes to floats in [0, 1]", async () => {
  const [out] = await collect(
    ReadableStream.from([{
      pixels: new Uint8Array([0, 51, 255]),
      label: 2,
      source: { file: "f", line: 2 },
    }])
      .pipeThrough(new NormalizeStream()),
  );
  assert.deepEqual([...out!.pixels], [0, 0.2, 1].map(Math.fround));
  assert.equal(out!.label, 2);
});
