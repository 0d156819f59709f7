import { basename, dirname, join } from "node:path";
import { Random } from "./random.ts";

/** Options of {@link listFiles}. */
export interface ListFilesOptions {
  /** Shuffle the file order (seeded), like `tf.data.Dataset.list_files(shuffle=True)`. */
  shuffle?: boolean;
  /** Seed of the shuffle. */
  seed?: number;
}

/**
 * Stage 1: turns a file, a directory (its `*.csv` files), a glob in the last path part
 * (`data/train_*.csv`) or a list of these into a list of files, sorted within each entry and
 * optionally shuffled with a seed. Nothing matching is a `Deno.errors.NotFound` naming the entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { listFiles } from "./list_files.ts";
 * const dir = await Deno.makeTempDir();
 * for (const name of ["b.csv", "a.csv", "notes.txt"]) await Deno.writeTextFile(`${dir}/${name}`, "");
 * const files = await listFiles(dir);
 * assert.ok(files.length === 2 && files[0]!.endsWith("a.csv"));
 * ```
 */
export async function listFiles(
  spec: string | string[],
  options: ListFilesOptions = {},
): Promise<string[]> {
  const entries = typeof spec === "string" ? [spec] : spec;
  if (entries.length === 0) throw new TypeError("no input files were given");
  const files: string[] = [];
  for (const entry of entries) {
    for (const file of await expand(entry)) if (!files.includes(file)) files.push(file);
  }
  if (options.shuffle) new Random(options.seed ?? 0).shuffle(files);
  return files;
}

async function expand(entry: string): Promise<string[]> {
  if (/[*?[]/.test(basename(entry))) {
    const dir = dirname(entry);
    const pattern = globToRegExp(basename(entry));
    const found = (await readDirNames(dir, entry)).filter((name) => pattern.test(name));
    if (found.length === 0) throw new Deno.errors.NotFound(`No files match '${entry}'`);
    return found.sort().map((name) => join(dir, name));
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(entry);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot open ${entry}: no such file or directory`);
    }
    throw err;
  }
  if (!info.isDirectory) return [entry];
  const found = (await readDirNames(entry, entry)).filter((name) =>
    name.toLowerCase().endsWith(".csv")
  );
  if (found.length === 0) throw new Deno.errors.NotFound(`No .csv files in directory ${entry}`);
  return found.sort().map((name) => join(entry, name));
}

async function readDirNames(dir: string, entry: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const item of Deno.readDir(dir)) if (item.isFile) names.push(item.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot list '${entry}': no such directory ${dir}`);
    }
    throw err;
  }
  return names;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const ch of glob) {
    if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "[" || ch === "]") source += ch;
    else source += ch.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
