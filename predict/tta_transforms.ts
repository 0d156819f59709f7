import { Random } from "../pipeline/random.ts";

/** How far test-time views may move an image. */
export interface TtaOptions {
  /** Largest shift in pixels, each axis (default 2, as in the training augmentation). */
  maxShift?: number;
  /** Largest rotation in degrees, either way (default 10). */
  maxRotationDegrees?: number;
}

/**
 * `count` seeded projective transforms for test-time augmentation, in the 8-number form that
 * `tf.image.transform` takes (it maps each output pixel to the input point it samples). The first
 * view is always the identity, so `--tta 1` is plain prediction; the others are a random shift of up
 * to `maxShift` pixels combined with a rotation of up to `maxRotationDegrees` about the centre.
 *
 * The same seed gives the same views, so TTA predictions are reproducible.
 *
 * @example
 * ```ts
 * import { ttaTransforms } from "./tta_transforms.ts";
 * const views = ttaTransforms(3, 28, 28, 7);
 * console.assert(views.length === 3 && views[0]!.join() === "1,0,0,0,1,0,0,0");
 * ```
 */
export function ttaTransforms(
  count: number,
  height: number,
  width: number,
  seed: number,
  options: TtaOptions = {},
): number[][] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`the number of TTA views must be a positive integer, got ${count}`);
  }
  const maxShift = options.maxShift ?? 2;
  const maxAngle = ((options.maxRotationDegrees ?? 10) * Math.PI) / 180;
  const random = new Random(seed);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const views: number[][] = [[1, 0, 0, 0, 1, 0, 0, 0]];
  for (let v = 1; v < count; v++) {
    const angle = random.uniform(-maxAngle, maxAngle);
    const dx = random.uniform(-maxShift, maxShift);
    const dy = random.uniform(-maxShift, maxShift);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // The output point p samples the input at R⁻¹(p − c − d) + c: rotate about the centre c after
    // shifting by d.
    const ox = -cx - dx;
    const oy = -cy - dy;
    views.push([
      cos,
      sin,
      cos * ox + sin * oy + cx,
      -sin,
      cos,
      -sin * ox + cos * oy + cy,
      0,
      0,
    ]);
  }
  return views;
}
