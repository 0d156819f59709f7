import assert from "node:assert/strict";
import { mnistInput, toGray } from "../../../server/page/mnist_input.js";

Deno.test("toGray composites transparent pixels behind dark ink as white", () => {
  // Two RGBA pixels: opaque black ink, fully transparent (its colour must not matter).
  const gray = toGray(new Uint8ClampedArray([0, 0, 0, 255, 0, 0, 0, 0]), 2, 1, 4, 255);
  assert.deepEqual(Array.from(gray.data), [0, 255]);
  const rgb = toGray([255, 0, 0], 1, 1, 3, 255);
  assert.ok(Math.abs(rgb.data[0]! - 0.299 * 255) < 1e-3, "Rec. 601 luminance");
});

Deno.test("mnistInput returns null for a blank canvas and a centred 28×28 image otherwise", () => {
  const w = 280, h = 280;
  const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
  assert.equal(mnistInput(toGray(rgba, w, h, 4, 255), 28, 28), null);
  // A dark square in the top-left corner: cropped, scaled into the 20×20 box, moved to the centre.
  for (let y = 10; y < 60; y++) {
    for (let x = 10; x < 60; x++) rgba.set([0, 0, 0, 255], (y * w + x) * 4);
  }
  const x = mnistInput(toGray(rgba, w, h, 4, 255), 28, 28)!;
  assert.equal(x.length, 784);
  assert.equal(Math.max(...x), 1);
  const lit = [...x.keys()].filter((i) => x[i]! > 0);
  const cols = lit.map((i) => i % 28), rows = lit.map((i) => Math.floor(i / 28));
  assert.deepEqual([Math.min(...cols), Math.max(...cols)], [4, 23], "20 columns, centred");
  assert.deepEqual([Math.min(...rows), Math.max(...rows)], [4, 23], "20 rows, centred");
});
