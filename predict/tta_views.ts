import { augmentImage } from "../pipeline/augment_image.ts";
import type { AugmentOptions } from "../pipeline/augment_options.ts";
import { Random } from "../pipeline/random.ts";

/** Largest shift of a test-time view, in pixels (each axis). */
export const TTA_MAX_SHIFT_PIXELS = 2;
/** Largest rotation of a test-time view, in degrees (either way). */
export const TTA_MAX_ROTATION_DEGREES = 10;

/**
 * The `count` inputs of test-time augmentation for one batch (`x`: `size` images of `height`×`width`
 * floats in [0, 1], NHWC). View 0 is `x` itself, so `--tta 1` is plain prediction; every other view
 * gives each image a small random rotation (±10°) and shift (±2 px) with the pipeline's own
 * `augmentImage` (bilinear, zero fill). Image `i` of view `v` draws from
 * `Random.derive(seed, v, rows[i])`, so a row gets the same views whatever batch it lands in.
 *
 * Done in JavaScript rather than with `tf.image.transform`: tfjs' cpu Transform kernel (which the
 * cpu and native backends use) transforms only the first image of a batch: in tfjs 4.22 its
 * `return backend.makeTensorInfo(...)` sits inside the `for (b < batch)` loop, so the other images
 * keep the fill value. This way every backend also sees the same pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ttaViews } from "./tta_views.ts";
 * const x = new Float32Array(2 * 4 * 4).fill(0.5);
 * const views = ttaViews(x, 2, 4, 4, 3, 7);
 * assert.ok(views.length === 3 && views[0] === x && views[1]!.length === x.length);
 * ```
 */
export function ttaViews(
  x: Float32Array,
  size: number,
  height: number,
  width: number,
  count: number,
  seed: number,
  rows?: ArrayLike<number>,
): Float32Array[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`the number of TTA views must be a positive integer, got ${count}`);
  }
  const pixels = height * width;
  const options: AugmentOptions = {
    rotation: TTA_MAX_ROTATION_DEGREES,
    widthShift: TTA_MAX_SHIFT_PIXELS / width,
    heightShift: TTA_MAX_SHIFT_PIXELS / height,
  };
  const views = [x];
  for (let v = 1; v < count; v++) {
    const view = new Float32Array(size * pixels);
    for (let i = 0; i < size; i++) {
      const random = new Random(Random.derive(seed, v, rows?.[i] ?? i));
      augmentImage(
        x.subarray(i * pixels, (i + 1) * pixels),
        height,
        width,
        options,
        random,
        view.subarray(i * pixels, (i + 1) * pixels),
      );
    }
    views.push(view);
  }
  return views;
}
