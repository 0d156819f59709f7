import type { TrainConfig } from "./config.ts";

/** The augmentation keys {@link deriveAugmentation} adapts. */
export type AugmentValues = Pick<
  TrainConfig,
  "rotation" | "zoom" | "widthShift" | "heightShift" | "shear" | "contrast"
>;

/** The smallest shift worth making, in pixels: below one the image barely moves. */
export const MIN_SHIFT_PIXELS = 1;

/**
 * Fits an augmentation setting (e.g. the default preset's "light": shifts 0.08, rotation 8°,
 * zoom 0.08) to the image size: a shift is a fraction of the side, so 0.08 moves a 28×28 digit
 * 2.2 pixels but an 8×8 one 0.64 pixel, which the resampling mostly blurs away. Each non-zero
 * shift is raised to at least {@link MIN_SHIFT_PIXELS} pixel (1/8 = 0.125 on 8×8); rotation, zoom,
 * shear and contrast are relative and stay. On 28×28 nothing changes. Returns the values and
 * what changed (empty when nothing did).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveAugmentation } from "./derive_augmentation.ts";
 * const light = { rotation: 8, zoom: 0.08, widthShift: 0.08, heightShift: 0.08, shear: 0, contrast: 0 };
 * assert.equal(deriveAugmentation(light, { height: 8, width: 8 }).values.widthShift, 0.125);
 * assert.deepEqual(deriveAugmentation(light, { height: 28, width: 28 }).values, light);
 * ```
 */
export function deriveAugmentation(
  base: Readonly<AugmentValues>,
  size: { height: number; width: number },
): { values: AugmentValues; changed: string[] } {
  const values = { ...base };
  const changed: string[] = [];
  const raise = (key: "widthShift" | "heightShift", side: number) => {
    const floor = MIN_SHIFT_PIXELS / side;
    if (values[key] > 0 && values[key] < floor) {
      values[key] = Math.round(floor * 1000) / 1000;
      changed.push(`${key} ${base[key]} → ${values[key]} (1 pixel of ${side})`);
    }
  };
  raise("widthShift", size.width);
  raise("heightShift", size.height);
  return { values, changed };
}
