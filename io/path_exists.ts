/**
 * Whether `path` exists. Errors other than "not found" (permissions, I/O) are thrown, not taken
 * for a missing file.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { pathExists } from "./path_exists.ts";
 * assert.ok(!(await pathExists("/no/such/file")));
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
