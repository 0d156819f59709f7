/**
 * Random augmentation as the seed notebooks use it (Keras `ImageDataGenerator` and the `Random*`
 * preprocessing layers). Every value defaults to 0, which turns that transform off. No flips:
 * a flipped digit is another digit or none.
 */
export interface AugmentOptions {
  /** Rotation range in degrees: an angle is drawn from [-rotation, rotation]. */
  rotation?: number;
  /** Zoom range: x and y scales are drawn independently from [1 - zoom, 1 + zoom]. */
  zoom?: number;
  /** Horizontal shift as a fraction of the width: drawn from [-widthShift, widthShift]. */
  widthShift?: number;
  /** Vertical shift as a fraction of the height: drawn from [-heightShift, heightShift]. */
  heightShift?: number;
  /** Shear angle range in degrees (counter-clockwise), drawn from [-shear, shear]. */
  shear?: number;
  /** Contrast factor range: (x - mean) * c + mean with c in [1 - contrast, 1 + contrast], clipped. */
  contrast?: number;
}

const LIMITS: Record<keyof AugmentOptions, number> = {
  rotation: 180,
  zoom: 0.99,
  widthShift: 1,
  heightShift: 1,
  shear: 89,
  contrast: 1,
};

/** The augmentation names, in a fixed order (also keys of the training config). */
export const AUGMENT_KEYS = Object.keys(LIMITS) as readonly (keyof AugmentOptions)[];

/**
 * Checks augmentation options: each must be a number from 0 to its limit (rotation ≤ 180°,
 * zoom < 1, shifts ≤ 1, shear < 90°, contrast ≤ 1). Returns whether any transform is on.
 * A bad value is a `RangeError` naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { checkAugmentOptions } from "./augment_options.ts";
 * assert.ok(checkAugmentOptions({ rotation: 10, zoom: 0.1 }) === true);
 * assert.ok(checkAugmentOptions({}) === false);
 * ```
 */
export function checkAugmentOptions(options: AugmentOptions | null | undefined): boolean {
  if (options === null || options === undefined) return false;
  let active = false;
  for (const [name, value] of Object.entries(options)) {
    const limit = LIMITS[name as keyof AugmentOptions];
    if (limit === undefined) {
      throw new TypeError(
        `unknown augmentation '${name}' (known: ${Object.keys(LIMITS).join(", ")})`,
      );
    }
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > limit) {
      throw new RangeError(`augmentation ${name} must be a number in 0..${limit}, got ${value}`);
    }
    if (value > 0) active = true;
  }
  return active;
}
