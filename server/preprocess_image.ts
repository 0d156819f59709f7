/**
 * Makes an arbitrary photo or drawing of a digit look like an MNIST image.
 *
 * @module
 */
import { BadInputError } from "./bad_input_error.ts";
import type { GrayImage } from "./decode_image.ts";

/** MNIST fits each digit in a 20×20 box inside the 28×28 image. */
const MNIST_BOX = 20;
const MNIST_SIDE = 28;
/** Ink weaker than this fraction of the strongest ink is background noise (JPEG, paper grain). */
const NOISE_FLOOR = 0.15;

/**
 * Converts a grayscale image of one digit into the model's input, the way MNIST was made: ink is
 * made bright on a dark background (inverted when the background is light), cropped to the ink,
 * scaled to fit a 20×20 box (keeping its aspect ratio; area-averaged, so any size works), and
 * placed in a 28×28 image with its centre of mass at the centre. For another input size (an 8×8
 * model) the box scales with it (20/28 of the side). Returns floats in [0, 1], row-major.
 *
 * Throws a {@linkcode BadInputError} for a blank image (no ink to read).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { preprocessImage } from "./preprocess_image.ts";
 * const img = { width: 4, height: 4, data: new Float32Array(16).fill(255) };
 * img.data[5] = 0; // one dark dot on white paper
 * const x = preprocessImage(img, 28, 28);
 * assert.ok(x.length === 784 && Math.max(...x) === 1);
 * ```
 */
export function preprocessImage(image: GrayImage, height: number, width: number): Float32Array {
  const { width: w, height: h, data } = image;
  // 1. Background level from the border; ink = distance from it, so ink is bright.
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(data[x]!, data[(h - 1) * w + x]!);
  for (let y = 0; y < h; y++) border.push(data[y * w]!, data[y * w + w - 1]!);
  border.sort((a, b) => a - b);
  const background = border[Math.floor(border.length / 2)]!;
  const light = background >= 128;
  const ink = new Float32Array(w * h);
  let peak = 0;
  for (let i = 0; i < ink.length; i++) {
    const v = light ? background - data[i]! : data[i]! - background;
    ink[i] = v > 0 ? v : 0;
    if (ink[i]! > peak) peak = ink[i]!;
  }
  if (peak < 16) {
    throw new BadInputError("the image is blank: no ink stands out from the background");
  }
  // 2. Normalise contrast (strongest ink = 1) and drop faint noise.
  let minX = w, minY = h, maxX = -1, maxY = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = ink[i]! / peak;
      v = v < NOISE_FLOOR ? 0 : (v - NOISE_FLOOR) / (1 - NOISE_FLOOR);
      ink[i] = v;
      if (v > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  // 3. Crop to the ink and scale it to fit the box, keeping the aspect ratio.
  const cropW = maxX - minX + 1;
  const cropH = maxY - minY + 1;
  const box = Math.max(1, Math.round((Math.min(height, width) * MNIST_BOX) / MNIST_SIDE));
  const scale = box / Math.max(cropW, cropH);
  const outW = Math.max(1, Math.min(box, Math.round(cropW * scale)));
  const outH = Math.max(1, Math.min(box, Math.round(cropH * scale)));
  const scaled = resampleArea(ink, w, minX, minY, cropW, cropH, outW, outH);
  // Shrinking thins the strokes' peak; MNIST digits reach full intensity, so stretch back to 1.
  let top = 0;
  for (const v of scaled) if (v > top) top = v;
  for (let i = 0; i < scaled.length; i++) scaled[i] = scaled[i]! / top;
  // 4. Centre by mass in the output image.
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = scaled[y * outW + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const offX = Math.round(width / 2 - mx / mass);
  const offY = Math.round(height / 2 - my / mass);
  const out = new Float32Array(height * width);
  for (let y = 0; y < outH; y++) {
    const ty = y + offY;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < outW; x++) {
      const tx = x + offX;
      if (tx < 0 || tx >= width) continue;
      out[ty * width + tx] = scaled[y * outW + x]!;
    }
  }
  return out;
}

/**
 * Area-averaging resample of the crop (x0, y0, cw, ch) of `src` (row stride `stride`) to
 * `outW × outH`: each output pixel is the mean of the source area it covers, with fractional
 * edges. Works for shrinking (photos) and enlarging (tiny drawings) alike.
 */
function resampleArea(
  src: Float32Array,
  stride: number,
  x0: number,
  y0: number,
  cw: number,
  ch: number,
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = cw / outW;
  const sy = ch / outH;
  for (let oy = 0; oy < outH; oy++) {
    const top = oy * sy, bottom = top + sy;
    for (let ox = 0; ox < outW; ox++) {
      const left = ox * sx, right = left + sx;
      let sum = 0;
      for (let y = Math.floor(top); y < Math.min(ch, Math.ceil(bottom)); y++) {
        const wy = Math.min(bottom, y + 1) - Math.max(top, y);
        const row = (y0 + y) * stride + x0;
        for (let x = Math.floor(left); x < Math.min(cw, Math.ceil(right)); x++) {
          const wx = Math.min(right, x + 1) - Math.max(left, x);
          sum += src[row + x]! * wx * wy;
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return out;
}
