import assert from "node:assert/strict";
import { encodeCsvRows } from "../../data/encode_csv_rows.ts";

Deno.test("encodeCsvRows writes every byte value and optional labels", () => {
  const pixels = Uint8Array.from({ length: 256 }, (_, i) => i);
  const text = new TextDecoder().decode(
    encodeCsvRows({ pixels, pixelCount: 128, start: 0, end: 2, labels: new Uint8Array([3, 12]) }),
  );
  const lines = text.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[0], "3," + Array.from({ length: 128 }, (_, i) => i).join(","));
  assert.equal(lines[1], "12," + Array.from({ length: 128 }, (_, i) => i + 128).join(","));
  const noLabel = new TextDecoder().decode(
    encodeCsvRows({ pixels, pixelCount: 2, start: 127, end: 128 }),
  );
  assert.equal(noLabel, "254,255\n");
});
