/** The files of the draw-a-digit page, by URL path: the file under server/page/ and its type. */
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/assets/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/assets/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

const cache = new Map<string, Uint8Array>();

/**
 * Reads one file of the draw-a-digit page (served by the server itself: no CDN, works offline),
 * or `undefined` for a path that is not a page asset. Files are read once and kept in memory.
 * They sit beside this module, so `deno compile --include server/page` embeds them.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
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
    body = await Deno.readFile(new URL(`./page/${asset.file}`, import.meta.url));
    cache.set(asset.file, body);
  }
  return { body, type: asset.type };
}

/** URL paths of every page asset. */
export const PAGE_PATHS: readonly string[] = Object.keys(ASSETS);
