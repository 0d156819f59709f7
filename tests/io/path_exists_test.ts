import assert from "node:assert/strict";
import { join } from "node:path";
import { pathExists } from "../../io/path_exists.ts";

Deno.test("pathExists: true for a file and a folder, false for a missing path", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "a.txt");
  await Deno.writeTextFile(file, "x");
  assert.equal(await pathExists(file), true);
  assert.equal(await pathExists(dir), true);
  assert.equal(await pathExists(join(dir, "missing")), false);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("pathExists throws errors other than not-found instead of answering false", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "a.txt");
  await Deno.writeTextFile(file, "x");
  // A path through a plain file is ENOTDIR, not ENOENT.
  await assert.rejects(() => pathExists(join(file, "below")));
  await Deno.remove(dir, { recursive: true });
});
