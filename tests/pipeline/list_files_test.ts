import assert from "node:assert/strict";
import { basename } from "node:path";
import { listFiles } from "../../pipeline/list_files.ts";
import { errorOf, fixture } from "./_fixture.ts";

Deno.test("listFiles expands a directory, a glob and a list, sorted, shuffled with a seed", async () => {
  const names = (files: string[]) => files.map((f) => basename(f));
  assert.deepEqual(names(await listFiles(fixture("shards"))), [
    "part_a.csv",
    "part_b.csv",
    "part_c.csv",
  ]);
  assert.deepEqual(names(await listFiles(fixture("shards/part_[bc].csv"))), [
    "part_b.csv",
    "part_c.csv",
  ]);
  assert.deepEqual(names(await listFiles([fixture("empty.csv"), fixture("shards/*_a.csv")])), [
    "empty.csv",
    "part_a.csv",
  ]);
  const many = Array.from({ length: 8 }, (_, i) => fixture(`shards/part_${"abc"[i % 3]}.csv`));
  assert.equal((await listFiles(many)).length, 3);
  const shuffled = await listFiles(fixture("shards"), { shuffle: true, seed: 5 });
  assert.deepEqual(shuffled, await listFiles(fixture("shards"), { shuffle: true, seed: 5 }));
  assert.deepEqual([...shuffled].sort(), await listFiles(fixture("shards")));
});

Deno.test("listFiles says when nothing matches", async () => {
  const err = await errorOf(listFiles(fixture("shards/*.tsv")));
  assert.ok(err instanceof Deno.errors.NotFound);
  assert.match(err.message, /No files match '.*shards\/\*\.tsv'/);
});
