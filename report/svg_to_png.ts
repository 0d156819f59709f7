import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { createRequire } from "node:module";

/**
 * Why resvg-wasm: Vega renders charts to SVG without a browser, and PNG files need a rasterizer.
 * `@resvg/resvg-wasm` is the WebAssembly build of resvg (a well-kept Rust SVG renderer): no native
 * addon to compile, no browser to download, same output everywhere. It loads no system fonts by
 * itself, so the first font file found below is handed to it; without one, text is left out.
 */
const FONT_CANDIDATES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  "/System/Library/Fonts/Supplemental/Arial.ttf",
  "C:\\Windows\\Fonts\\arial.ttf",
];

let ready: Promise<Uint8Array[]> | undefined;

async function init(): Promise<Uint8Array[]> {
  const require = createRequire(import.meta.url);
  await initWasm(await Deno.readFile(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  for (const path of FONT_CANDIDATES) {
    try {
      return [await Deno.readFile(path)];
    } catch { /* try the next one */ }
  }
  return [];
}

/**
 * Rasterizes an SVG string to PNG bytes at `scale` times its size (default 2, for sharp text),
 * on a white background.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { svgToPng } from "./svg_to_png.ts";
 * const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
 * assert.ok(png[1] === 0x50); // "P" of the PNG signature
 * ```
 */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  ready ??= init();
  const fonts = await ready;
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: fonts.length > 0
      ? { fontBuffers: fonts, defaultFontFamily: "DejaVu Sans", loadSystemFonts: false }
      : { loadSystemFonts: false },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
