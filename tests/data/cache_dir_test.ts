import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveCacheDir, SOURCE_CACHE_DIR } from "../../data/cache_dir.ts";

const root = await Deno.makeTempDir({ prefix: "digits-cache-" });
// A folder below a plain file can never be created, even by root (chmod would not stop root).
const blocker = join(root, "not-a-folder");
await Deno.writeTextFile(blocker, "");
const unwritable = join(blocker, "cache");

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

Deno.test("resolveCacheDir uses DIGITS_CACHE_DIR first and creates it", async () => {
  const dir = join(root, "explicit", "nested");
  assert.equal(await resolveCacheDir({ env: envOf({ DIGITS_CACHE_DIR: dir }) }), dir);
  assert.ok((await Deno.stat(dir)).isDirectory);
});

Deno.test("resolveCacheDir names DIGITS_CACHE_DIR when it cannot be created", async () => {
  await assert.rejects(
    () => resolveCacheDir({ env: envOf({ DIGITS_CACHE_DIR: unwritable }) }),
    /DIGITS_CACHE_DIR=.*not-a-folder.*point it at a writable folder/,
  );
});

Deno.test("resolveCacheDir keeps a writable preferred folder and leaves no probe file", async () => {
  const preferred = join(root, "source-cache");
  const env = envOf({ HOME: join(root, "home") });
  assert.equal(await resolveCacheDir({ env, preferred }), preferred);
  assert.deepEqual([...Deno.readDirSync(preferred)], []);
});

Deno.test("resolveCacheDir falls back to the user's cache folder when the source is read-only", async () => {
  // The compiled-binary case: data/cache/ lies inside the executable's read-only file system.
  const xdg = join(root, "xdg");
  assert.equal(
    await resolveCacheDir({ env: envOf({ XDG_CACHE_HOME: xdg }), preferred: unwritable }),
    join(xdg, "digits"),
  );
  assert.equal(
    await resolveCacheDir({ env: envOf({ HOME: join(root, "home") }), preferred: unwritable }),
    join(root, "home", ".cache", "digits"),
  );
  await assert.rejects(
    () => resolveCacheDir({ env: envOf({}), preferred: unwritable }),
    /set DIGITS_CACHE_DIR/,
  );
});

Deno.test("the default preferred folder is data/cache beside the source", () => {
  assert.match(SOURCE_CACHE_DIR, /data[\\/]cache[\\/]?$/);
});
