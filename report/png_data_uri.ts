/**
 * A PNG as a `data:` URI, for images inlined in the HTML report and in SVGs rasterized by resvg.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { pngDataUri } from "./png_data_uri.ts";
 * assert.ok(pngDataUri(new Uint8Array([1, 2, 3])) === "data:image/png;base64,AQID");
 * ```
 */
export function pngDataUri(png: Uint8Array): string {
  let binary = "";
  // Chunks keep the spread argument list under the engine's limit.
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}
