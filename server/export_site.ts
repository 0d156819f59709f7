/**
 * `deno task export`: the draw-a-digit page, tfjs and a run's model as a static folder that any
 * static host or CDN can serve; each visitor's browser runs the model.
 *
 * @module
 */
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { browserModelFiles, type BrowserModelIndex } from "./browser_model_files.ts";
import { PAGE_PATHS, readPageAsset } from "./read_page_asset.ts";

/** What to export, and where. */
export interface ExportSiteOptions {
  /** Run folder or ensemble folder. */
  modelDir: string;
  /** The site folder to write; it must be absent or empty unless `force`. */
  out: string;
  /** Replace a non-empty `out`. */
  force?: boolean;
}

/** What was written. */
export interface ExportedSite {
  /** The site folder (absolute). */
  dir: string;
  /** Every file written, relative to `dir` (forward slashes), sorted. */
  files: string[];
  /** Total bytes written. */
  bytes: number;
  index: BrowserModelIndex;
}

/**
 * Writes the static site for `modelDir` into `out`: `index.html`, `assets/` (the page's scripts and
 * styles, and tfjs's ES module build from node_modules) and `model/` (`index.json` plus each
 * member's `model.json` and weights). Every URL in it is relative, so it works from any path of
 * any host. The folder appears whole or not at all: it is written into a temporary sibling folder
 * that is then renamed into place. A non-empty `out` is refused unless `force`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exportSite } from "./export_site.ts";
 * const out = (await Deno.makeTempDir()) + "/site";
 * const site = await exportSite({ modelDir: "tests/fixtures/models/mnist-mlp", out });
 * assert.ok(site.files.includes("index.html") && site.files.includes("model/weights.bin"));
 * await assert.rejects(exportSite({ modelDir: "tests/fixtures/models/mnist-mlp", out }), /not empty/);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function exportSite(options: ExportSiteOptions): Promise<ExportedSite> {
  const out = resolve(options.out);
  const existing = await _checkOut(out, options.force ?? false);
  const model = await browserModelFiles(options.modelDir, false);
  await mkdir(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${crypto.randomUUID().slice(0, 8)}`);
  try {
    const written = await _writeSite(tmp, model);
    await _moveIntoPlace(tmp, out, existing);
    return { dir: out, ...written, index: model.index };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Whether `out` exists; refuses a file, or a non-empty folder without `force`. */
async function _checkOut(out: string, force: boolean): Promise<boolean> {
  let info;
  try {
    info = await stat(out);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return false;
    throw err;
  }
  if (!info.isDirectory()) {
    throw new TypeError(`--out ${out} is a file, not a folder: choose a folder for the site`);
  }
  const entries = await readdir(out);
  if (entries.length > 0 && !force) {
    throw new RangeError(
      `--out ${out} is not empty (${entries.length} entries, e.g. ${entries[0]}): choose an ` +
        `empty or new folder, or pass --force to replace its contents`,
    );
  }
  return true;
}

/** Writes the page, tfjs and the model into `dir`. */
async function _writeSite(
  dir: string,
  model: Awaited<ReturnType<typeof browserModelFiles>>,
): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = [];
  let bytes = 0;
  const put = async (rel: string, body: Uint8Array | string) => {
    const path = join(dir, ...rel.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    files.push(rel);
    bytes += typeof body === "string" ? new TextEncoder().encode(body).length : body.length;
  };
  for (const urlPath of PAGE_PATHS) {
    const asset = await readPageAsset(urlPath);
    if (asset === undefined) throw new Error(`page asset ${urlPath} is missing`);
    await put(urlPath === "/" ? "index.html" : urlPath.slice(1), asset.body);
  }
  await put("model/index.json", JSON.stringify(model.index, null, 2) + "\n");
  for (const [rel, file] of model.files) {
    const path = join(dir, "model", ...rel.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await copyFile(file, path);
    files.push(`model/${rel}`);
    bytes += (await stat(path)).size;
  }
  return { files: files.sort(), bytes };
}

/** Renames `tmp` to `out`; an existing `out` (forced) is moved aside first, then removed. */
async function _moveIntoPlace(tmp: string, out: string, existing: boolean): Promise<void> {
  if (!existing) {
    await rename(tmp, out);
    return;
  }
  const old = `${tmp}.old`;
  await rename(out, old);
  try {
    await rename(tmp, out);
  } catch (err) {
    await rename(old, out); // put the previous site back
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}
