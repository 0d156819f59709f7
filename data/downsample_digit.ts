/**
 * `downsampleDigit(pixels)`: one 28×28 MNIST image (0..255) as an 8×8 image with values 0..16,
 * the layout of UCI optdigits. UCI counts the ink pixels of a 32×32 bitmap in 4×4 blocks; MNIST
 * has gray levels and a 20×20 digit centred in 28×28, so this crops the central 24×24 (2 pixels
 * from each border, where MNIST has almost no ink) and maps the mean of each 3×3 block to
 * 0..16, rounded. The digit then fills about as much of the 8×8 grid as in optdigits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { downsampleDigit } from "./downsample_digit.ts";
 * const image = new Uint8Array(28 * 28);
 * for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) image[y * 28 + x] = 255;
 * const small = downsampleDigit(image);
 * assert.equal(small.length, 64);
 * assert.equal(small[0], 16);
 * assert.equal(small.reduce((a, b) => a + b, 0), 16);
 * ```
 */
export function downsampleDigit(pixels: Uint8Array): Uint8Array {
  if (pixels.length !== SOURCE * SOURCE) {
    throw new RangeError(
      `downsampleDigit takes a 28×28 image (784 pixels), got ${pixels.length} pixels`,
    );
  }
  const out = new Uint8Array(TARGET * TARGET);
  for (let by = 0; by < TARGET; by++) {
    for (let bx = 0; bx < TARGET; bx++) {
      let sum = 0;
      for (let dy = 0; dy < BLOCK; dy++) {
        const row = (CROP + by * BLOCK + dy) * SOURCE + CROP + bx * BLOCK;
        for (let dx = 0; dx < BLOCK; dx++) sum += pixels[row + dx]!;
      }
      out[by * TARGET + bx] = Math.round((sum / (BLOCK * BLOCK * 255)) * MAX_VALUE);
    }
  }
  return out;
}

/** Side of an MNIST image. */
const SOURCE = 28;
/** Side of the result (UCI optdigits). */
const TARGET = 8;
/** Pixels of a 3×3 block per result pixel: 8 × 3 = 24, the central crop. */
const BLOCK = 3;
/** Pixels cropped from each border: (28 − 24) / 2. */
const CROP = 2;
/** The largest value, as in optdigits (16 ink pixels of a 4×4 block). */
const MAX_VALUE = 16;
