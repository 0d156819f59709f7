import assert from "node:assert/strict";
import { join } from "node:path";
import { findNewestRun } from "../../server/find_newest_run.ts";

Deno.test("findNewestRun picks the run with the newest manifest createdAt", async () => {
  const root = await Deno.makeTempDir();
  try {
    for (
      const [name, createdAt] of [["a", "2024-01-02T00:00:00Z"], ["b", "2025-06-01T00:00:00Z"], [
        "c",
        "2023-01-01T00:00:00Z",
      ]]
    ) {
      await Deno.mkdir(join(root, name!));
      await Deno.writeTextFile(join(root, name!, "manifest.json"), JSON.stringify({ createdAt }));
    }
    await Deno.mkdir(join(root, "not-a-run"));
    await Deno.writeTextFile(join(root, "stray.txt"), "x");
    assert.equal(await findNewestRun(root), join(root, "b"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("findNewestRun returns undefined for a missing or empty runs folder", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.equal(await findNewestRun(root), undefined);
    assert.equal(await findNewestRun(join(root, "missing")), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
