import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the cache would live beside the source: `data/cache/` (git-ignored). */
export const SOURCE_CACHE_DIR = fileURLToPath(new URL("./cache/", import.meta.url));

/** What `resolveCacheDir` looks at; tests pass their own. */
export interface CacheDirOptions {
  /** Environment lookup (default `Deno.env.get`). */
  env?: (name: string) => string | undefined;
  /** The folder tried first when `DIGITS_CACHE_DIR` is unset (default `data/cache/`). */
  preferred?: string;
}

/**
 * The folder for data written once and reused (the embedded MNIST CSVs):
 *
 * 1. `DIGITS_CACHE_DIR`, when set;
 * 2. `data/cache/` beside the source, when it can be written (a checkout);
 * 3. otherwise the user's cache folder, `$XDG_CACHE_HOME/digits` or `~/.cache/digits`
 *    (`%LOCALAPPDATA%\digits` on Windows). This is the case inside a `deno compile` binary, whose
 *    own files are read-only.
 *
 * The folder exists when this returns.
 *
 * @example
 * ```ts ignore
 * import { resolveCacheDir } from "./cache_dir.ts";
 * console.log(await resolveCacheDir()); // .../data/cache in a checkout
 * ```
 */
export async function resolveCacheDir(options: CacheDirOptions = {}): Promise<string> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const explicit = env("DIGITS_CACHE_DIR");
  if (explicit) {
    try {
      await Deno.mkdir(explicit, { recursive: true });
    } catch (err) {
      throw new Error(
        `DIGITS_CACHE_DIR=${explicit} cannot be created (${(err as Error).message}); ` +
          `point it at a writable folder`,
      );
    }
    return explicit;
  }
  const preferred = options.preferred ?? SOURCE_CACHE_DIR;
  if (await writable(preferred)) return preferred;
  const base = env("XDG_CACHE_HOME") ?? env("LOCALAPPDATA") ??
    (env("HOME") ? join(env("HOME")!, ".cache") : undefined);
  if (base === undefined) {
    throw new Error(
      `cannot write the data cache in ${preferred} and no home folder is known; ` +
        `set DIGITS_CACHE_DIR to a writable folder`,
    );
  }
  const fallback = join(base, "digits");
  await Deno.mkdir(fallback, { recursive: true });
  return fallback;
}

/** Whether `dir` exists or can be made, and a file can be created in it. */
async function writable(dir: string): Promise<boolean> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-probe-${Deno.pid}-${crypto.randomUUID()}`);
    await Deno.writeFile(probe, new Uint8Array(0));
    await Deno.remove(probe);
    return true;
  } catch {
    return false;
  }
}
