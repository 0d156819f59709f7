/**
 * Makes an arbitrary photo or drawing of a digit look like an MNIST image.
 *
 * @module
 */
import { BadInputError } from "./bad_input_error.ts";
import type { GrayImage } from "./decode_image.ts";
import { mnistInput } from "./page/mnist_input.js";

/**
 * Converts a grayscale image of one digit into the model's input, the way MNIST was made: ink is
 * made bright on a dark background (inverted when the background is light), cropped to the ink,
 * scaled to fit a 20×20 box (keeping its aspect ratio; area-averaged, so any size works), and
 * placed in a 28×28 image with its centre of mass at the centre. For another input size (an 8×8
 * model) the box scales with it (20/28 of the side). Returns floats in [0, 1], row-major.
 *
 * The steps live in `page/mnist_input.js`, which the page's in-browser mode runs too, so a drawing
 * reaches the model as the same pixels whether the server or the browser predicts.
 *
 * Throws a {@linkcode BadInputError} for a blank image (no ink to read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { preprocessImage } from "./preprocess_image.ts";
 * const img = { width: 4, height: 4, data: new Float32Array(16).fill(255) };
 * img.data[5] = 0; // one dark dot on white paper
 * const x = preprocessImage(img, 28, 28);
 * assert.ok(x.length === 784 && Math.max(...x) === 1);
 * ```
 */
export function preprocessImage(image: GrayImage, height: number, width: number): Float32Array {
  const x = mnistInput(image, height, width);
  if (x === null) {
    throw new BadInputError("the image is blank: no ink stands out from the background");
  }
  return x;
}
