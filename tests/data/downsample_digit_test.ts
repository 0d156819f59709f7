import assert from "node:assert/strict";
import { downsampleDigit } from "../../data/downsample_digit.ts";
import { mnistSlice } from "../predict/_tiny_run.ts";

Deno.test("downsampleDigit maps the mean of each 3×3 block of the central 24×24 to 0..16", () => {
  const image = new Uint8Array(28 * 28);
  // Block (row 1, col 2) covers rows 5..7, columns 8..10: fill it with 128 → 128/255·16 ≈ 8.03.
  for (let y = 5; y < 8; y++) for (let x = 8; x < 11; x++) image[y * 28 + x] = 128;
  // Ink in the 2-pixel border is cropped away.
  image[0] = 255;
  image[27 * 28 + 27] = 255;
  const small = downsampleDigit(image);
  const expected = new Uint8Array(64);
  expected[1 * 8 + 2] = 8;
  assert.deepEqual(small, expected);
});

Deno.test("downsampleDigit keeps real MNIST digits' ink, within rounding, in 0..16", async () => {
  const { pixels } = await mnistSlice(0, 50);
  for (let i = 0; i < 50; i++) {
    const image = pixels.subarray(i * 784, (i + 1) * 784);
    const small = downsampleDigit(image);
    assert.ok(small.every((v) => v <= 16));
    let crop = 0;
    for (let y = 2; y < 26; y++) for (let x = 2; x < 26; x++) crop += image[y * 28 + x]!;
    const ink = small.reduce((a, b) => a + b, 0);
    // Each of the 64 values is rounded by at most 0.5.
    assert.ok(Math.abs(ink - (crop * 16) / (9 * 255)) <= 32, `image ${i}: ${ink} vs ${crop}`);
    assert.ok(ink > 10, `image ${i} lost its ink`);
  }
  assert.throws(() => downsampleDigit(new Uint8Array(64)), /takes a 28×28 image \(784 pixels\)/);
});
