/**
 * The files of the draw-a-digit page, by URL path: the file (relative to this module) and its type.
 * tfjs is the package's own ES module build from node_modules (the one deno.json pins), so the page
 * runs the model in the browser with the same tfjs version and without a CDN.
 */
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "./page/index.html", type: "text/html; charset=utf-8" },
  "/assets/app.js": { file: "./page/app.js", type: "text/javascript; charset=utf-8" },
  "/assets/browser_model.js": {
    file: "./page/browser_model.js",
    type: "text/javascript; charset=utf-8",
  },
  "/assets/mnist_input.js": {
    file: "./page/mnist_input.js",
    type: "text/javascript; charset=utf-8",
  },
  "/assets/style.css": { file: "./page/style.css", type: "text/css; charset=utf-8" },
  "/assets/tf.fesm.min.js": {
    file: "../node_modules/@tensorflow/tfjs/dist/tf.fesm.min.js",
    type: "text/javascript; charset=utf-8",
  },
};

const cache = new Map<string, Uint8Array>();

/**
 * Reads one file of the draw-a-digit page (served by the server itself: no CDN, works offline),
 * or `undefined` for a path that is not a page asset. Files are read once and kept in memory.
 * The page sits beside this module, so `deno compile --include server/page` embeds it; tfjs comes
 * from node_modules (scripts/compile.ts includes that file too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPageAsset } from "./read_page_asset.ts";
 * const page = await readPageAsset("/");
 * assert.ok(page?.type.startsWith("text/html"));
 * ```
 */
export async function readPageAsset(
  path: string,
): Promise<{ body: Uint8Array; type: string } | undefined> {
  const asset = ASSETS[path];
  if (asset === undefined) return undefined;
  let body = cache.get(asset.file);
  if (body === undefined) {
    const url = new URL(asset.file, import.meta.url);
    try {
      body = await Deno.readFile(url);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        throw new Deno.errors.NotFound(
          `page file ${url.pathname} is missing (run 'deno install' to fetch tfjs)`,
        );
      }
      throw err;
    }
    cache.set(asset.file, body);
  }
  return { body, type: asset.type };
}

/** URL paths of every page asset. */
export const PAGE_PATHS: readonly string[] = Object.keys(ASSETS);
