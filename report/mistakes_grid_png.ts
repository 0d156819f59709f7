import { digitGridPng } from "./digit_grid_png.ts";
import { escapeHtml } from "./escape_html.ts";
import type { Mistake } from "./evaluation_accumulator.ts";
import { pngDataUri } from "./png_data_uri.ts";
import { svgToPng } from "./svg_to_png.ts";

/** Layout of `mistakesGridPng`. */
export interface MistakesGridOptions {
  /** Tiles per row (default 10). */
  columns?: number;
  /** Each source pixel becomes `scale`×`scale` pixels of the tile (default 3). */
  scale?: number;
}

/**
 * The worst mistakes as one PNG with a caption under each digit ("4 → 9", "p=0.998",
 * "row 1234"), the way the notebooks title their misclassified grids. The tiles are
 * `digitGridPng` images embedded in an SVG that resvg rasterizes (the same path as the charts), so
 * the captions get real font rendering instead of hand-drawn glyphs.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { mistakesGridPng } from "./mistakes_grid_png.ts";
 * const png = await mistakesGridPng(
 *   [new Float32Array(4)],
 *   [{ row: 7, true: "4", predicted: "9", probability: 0.9, trueProbability: 0.1 }],
 *   2, 2,
 * );
 * assert.ok(png[1] === 0x50); // "P" of the PNG signature
 * ```
 */
export async function mistakesGridPng(
  images: ArrayLike<number>[],
  mistakes: Mistake[],
  height: number,
  width: number,
  options: MistakesGridOptions = {},
): Promise<Uint8Array> {
  if (images.length !== mistakes.length) {
    throw new RangeError(
      `mistakesGridPng: ${images.length} images but ${mistakes.length} mistakes; pass one image per mistake`,
    );
  }
  const count = Math.max(1, mistakes.length);
  const columns = Math.max(1, Math.min(options.columns ?? 10, count));
  const scale = options.scale ?? 3;
  const tileW = Math.max(width * scale, 84);
  const tileH = height * scale;
  const captionH = 46;
  const pad = 8;
  const cellW = tileW + pad;
  const cellH = tileH + captionH + pad;
  const rows = Math.ceil(count / columns);
  const svgW = columns * cellW + pad;
  const svgH = rows * cellH + pad;
  const cells = mistakes.map((m, i) => {
    const x = pad + (i % columns) * cellW;
    const y = pad + Math.floor(i / columns) * cellH;
    const png = digitGridPng([images[i]!], height, width, { scale, gap: 0 });
    const imgX = x + (tileW - width * scale) / 2;
    const mid = x + tileW / 2;
    const where = m.id === undefined ? `row ${m.row}` : `id ${m.id}`;
    return `<image x="${imgX}" y="${y}" width="${width * scale}" height="${tileH}" ` +
      `href="${pngDataUri(png)}"/>` +
      `<text x="${mid}" y="${y + tileH + 14}" font-size="13" text-anchor="middle">` +
      `<tspan>${escapeHtml(m.true)}</tspan><tspan fill="#888"> → </tspan>` +
      `<tspan fill="#c62828" font-weight="bold">${escapeHtml(m.predicted)}</tspan></text>` +
      `<text x="${mid}" y="${y + tileH + 28}" font-size="11" text-anchor="middle">` +
      `p=${m.probability.toFixed(3)}</text>` +
      `<text x="${mid}" y="${y + tileH + 41}" font-size="10" fill="#666" text-anchor="middle">` +
      `${escapeHtml(where)}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${svgW}" height="${svgH}" ` +
    `font-family="DejaVu Sans, sans-serif">${cells.join("")}</svg>`;
  return await svgToPng(svg, 1);
}
