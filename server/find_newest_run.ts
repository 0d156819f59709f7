import { join } from "node:path";

/**
 * Finds the newest run folder under `root` (default `runs/`): a sub-folder with a `manifest.json`
 * or an `ensemble.json`, newest by the manifest's `createdAt`, else by the file's modification
 * time. Resolves to `undefined` when there is none (or `root` does not exist).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { findNewestRun } from "./find_newest_run.ts";
 * const dir = await Deno.makeTempDir();
 * assert.ok(await findNewestRun(dir) === undefined);
 * ```
 */
export async function findNewestRun(root = "runs"): Promise<string | undefined> {
  let best: { dir: string; time: number } | undefined;
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  for (const entry of entries) {
    if (!entry.isDirectory && !entry.isSymlink) continue;
    const dir = join(root, entry.name);
    const time = await runTime(dir);
    if (time !== undefined && (best === undefined || time > best.time)) best = { dir, time };
  }
  return best?.dir;
}

async function runTime(dir: string): Promise<number | undefined> {
  for (const file of ["manifest.json", "ensemble.json"]) {
    const path = join(dir, file);
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(path);
    } catch {
      continue;
    }
    try {
      const created = Date.parse(JSON.parse(await Deno.readTextFile(path)).createdAt);
      if (Number.isFinite(created)) return created;
    } catch {
      // An unreadable manifest still counts by its modification time; loading reports the problem.
    }
    return stat.mtime?.getTime() ?? 0;
  }
  return undefined;
}
