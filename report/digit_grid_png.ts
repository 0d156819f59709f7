import { encode } from "fast-png";

/** Layout of `digitGridPng`. */
export interface DigitGridOptions {
  /** Images per row (default: all in one row). */
  columns?: number;
  /** Each source pixel becomes `scale`×`scale` output pixels (default 1). */
  scale?: number;
  /** Blank pixels between tiles, in output pixels (default 2). */
  gap?: number;
  /** Stretch each tile's own min..max to full contrast (feature maps); default false (0..1 values). */
  normalize?: boolean;
  /** Draw dark ink on white (default true); `false` is white on black. */
  invert?: boolean;
}

/**
 * Tiles grayscale images (values in [0, 1], row-major `height`×`width`) into one 8-bit PNG, using
 * fast-png for the encoding. Used for sample digits, mistakes and feature maps.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { digitGridPng } from "./digit_grid_png.ts";
 * import { decode } from "fast-png";
 * const png = digitGridPng([new Float32Array(4), new Float32Array(4).fill(1)], 2, 2, { scale: 2, gap: 0 });
 * const back = decode(png);
 * assert.ok(back.width === 8 && back.height === 4);
 * ```
 */
export function digitGridPng(
  images: ArrayLike<number>[],
  height: number,
  width: number,
  options: DigitGridOptions = {},
): Uint8Array {
  const count = Math.max(1, images.length);
  const columns = Math.max(1, Math.min(options.columns ?? count, count));
  const rows = Math.ceil(count / columns);
  const scale = options.scale ?? 1;
  const gap = options.gap ?? 2;
  const invert = options.invert ?? true;
  const tileW = width * scale;
  const tileH = height * scale;
  const outW = columns * tileW + (columns - 1) * gap;
  const outH = rows * tileH + (rows - 1) * gap;
  const background = invert ? 255 : 0;
  const data = new Uint8Array(outW * outH).fill(invert ? 235 : 40);
  images.forEach((image, n) => {
    let lo = 0;
    let hi = 1;
    if (options.normalize) {
      lo = Infinity;
      hi = -Infinity;
      for (let i = 0; i < height * width; i++) {
        [lo, hi] = [Math.min(lo, image[i]!), Math.max(hi, image[i]!)];
      }
      if (hi - lo < 1e-12) hi = lo + 1;
    }
    const ox = (n % columns) * (tileW + gap);
    const oy = Math.floor(n / columns) * (tileH + gap);
    for (let y = 0; y < tileH; y++) {
      for (let x = 0; x < tileW; x++) {
        const v = image[Math.floor(y / scale) * width + Math.floor(x / scale)]!;
        const level = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
        data[(oy + y) * outW + ox + x] = invert ? background - level : level;
      }
    }
  });
  return encode({ width: outW, height: outH, data, channels: 1, depth: 8 });
}
