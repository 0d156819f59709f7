import type { AugmentOptions } from "./augment_options.ts";
import type { Random } from "./random.ts";

const DEG = Math.PI / 180;

/**
 * Applies one random affine transform (rotation, shift, shear, zoom, as Keras
 * `ImageDataGenerator.random_transform` composes them about the image centre) and a random
 * contrast change to one image, with bilinear interpolation and constant 0 fill. Parameters are
 * drawn from `random` in a fixed order, so the same seed gives the same bytes.
 *
 * `pixels` holds 0..255 bytes or 0..1 floats; `out` receives 0..1 floats.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { augmentImage } from "./augment_image.ts";
 * import { Random } from "./random.ts";
 * const out = new Float32Array(4);
 * augmentImage(new Uint8Array([0, 255, 255, 0]), 2, 2, {}, new Random(1), out);
 * assert.ok(out[1] === 1 && out[0] === 0);
 * ```
 */
export function augmentImage(
  pixels: Uint8Array | Float32Array,
  height: number,
  width: number,
  options: AugmentOptions,
  random: Random,
  out: Float32Array,
): Float32Array {
  const scale = pixels instanceof Uint8Array ? 1 / 255 : 1;
  const { rotation = 0, zoom = 0, widthShift = 0, heightShift = 0, shear = 0, contrast = 0 } =
    options;
  // Drawn in Keras' order: theta, tx (rows), ty (columns), shear, zx, zy.
  const theta = rotation > 0 ? random.uniform(-rotation, rotation) * DEG : 0;
  const tx = heightShift > 0 ? random.uniform(-heightShift, heightShift) * height : 0;
  const ty = widthShift > 0 ? random.uniform(-widthShift, widthShift) * width : 0;
  const sh = shear > 0 ? random.uniform(-shear, shear) * DEG : 0;
  let zx = 1;
  let zy = 1;
  if (zoom > 0) {
    zx = random.uniform(1 - zoom, 1 + zoom);
    zy = random.uniform(1 - zoom, 1 + zoom);
  }
  const c = contrast > 0 ? random.uniform(1 - contrast, 1 + contrast) : 1;

  const n = height * width;
  if (theta === 0 && tx === 0 && ty === 0 && sh === 0 && zx === 1 && zy === 1) {
    for (let i = 0; i < n; i++) out[i] = pixels[i]! * scale;
  } else {
    // M = rotation · shift · shear · zoom, mapping output (row, col) to input (row, col).
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // rotation · shift
    let a00 = cos, a01 = -sin, a02 = cos * tx - sin * ty;
    let a10 = sin, a11 = cos, a12 = sin * tx + cos * ty;
    // · shear [[1, -sin(sh), 0], [0, cos(sh), 0]]
    const ss = -Math.sin(sh);
    const cs = Math.cos(sh);
    [a01, a11] = [a00 * ss + a01 * cs, a10 * ss + a11 * cs];
    // · zoom [[zx, 0, 0], [0, zy, 0]]
    a00 *= zx;
    a10 *= zx;
    a01 *= zy;
    a11 *= zy;
    // offset to the centre: M' = T(o) · M · T(-o)
    const or = height / 2 - 0.5;
    const oc = width / 2 - 0.5;
    a02 = a02 + or - a00 * or - a01 * oc;
    a12 = a12 + oc - a10 * or - a11 * oc;
    const maxR = height - 1;
    const maxC = width - 1;
    const eps = 1e-6;
    for (let r = 0; r < height; r++) {
      for (let col = 0; col < width; col++) {
        const y = a00 * r + a01 * col + a02;
        const x = a10 * r + a11 * col + a12;
        let v = 0;
        if (y > -eps && y < maxR + eps && x > -eps && x < maxC + eps) {
          const yc = Math.min(Math.max(y, 0), maxR);
          const xc = Math.min(Math.max(x, 0), maxC);
          const y0 = Math.floor(yc);
          const x0 = Math.floor(xc);
          const y1 = Math.min(y0 + 1, maxR);
          const x1 = Math.min(x0 + 1, maxC);
          const fy = yc - y0;
          const fx = xc - x0;
          const top = pixels[y0 * width + x0]! * (1 - fx) + pixels[y0 * width + x1]! * fx;
          const bottom = pixels[y1 * width + x0]! * (1 - fx) + pixels[y1 * width + x1]! * fx;
          v = (top * (1 - fy) + bottom * fy) * scale;
        }
        out[r * width + col] = v;
      }
    }
  }
  if (c !== 1) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += out[i]!;
    mean /= n;
    for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, (out[i]! - mean) * c + mean));
  }
  return out;
}
