/** How {@link readJsonFile} explains a missing file or bad JSON (defaults: the path and why). */
export interface ReadJsonExplain {
  /** The error for a file that does not exist (default `Deno.errors.NotFound` naming the path). */
  missing?: () => Error;
  /** The error for text that is not JSON, given the parser's reason (default `SyntaxError`). */
  invalid?: (reason: string) => Error;
}

/**
 * Reads and parses a JSON file, turning "no such file" and "not JSON" into errors that say which
 * file and what to fix (the caller words them for its context: a flag, a run folder, a manifest).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { readJsonFile } from "./read_json_file.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, '{"epochs": 3}');
 * assert.deepEqual(await readJsonFile(path), { epochs: 3 });
 * await Deno.writeTextFile(path, "{oops");
 * await assert.rejects(readJsonFile(path), SyntaxError);
 * await assert.rejects(
 *   readJsonFile(path + ".gone", { missing: () => new TypeError("no config") }),
 *   /no config/,
 * );
 * ```
 */
export async function readJsonFile<T = unknown>(
  path: string,
  explain: ReadJsonExplain = {},
): Promise<T> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw explain.missing?.() ?? new Deno.errors.NotFound(`${path} does not exist`);
    }
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const reason = (err as Error).message;
    throw explain.invalid?.(reason) ?? new SyntaxError(`${path} is not valid JSON (${reason})`);
  }
}
