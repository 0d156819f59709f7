import assert from "node:assert/strict";
import { CachedStream } from "../../pipeline/cached_stream.ts";
import { PackedExamples } from "../../pipeline/packed_examples.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import { collect, fixture } from "./_fixture.ts";

Deno.test("CachedStream reads the source once and replays the same records from memory", async () => {
  let opened = 0;
  const cache = new CachedStream(() => {
    opened++;
    return readExamples({ files: fixture("kaggle_train.csv") });
  });
  const first = await collect(cache.stream());
  const second = await collect(cache.stream());
  assert.equal(opened, 1);
  assert.ok(cache.complete);
  assert.equal(first.length, 12);
  assert.deepEqual(second, first);
  assert.ok(second.every((e) => e.pixels instanceof Uint8Array));
});

Deno.test("CachedStream reads the source again after a pass that stopped early", async () => {
  let opened = 0;
  const cache = new CachedStream(() => (opened++, ReadableStream.from([1, 2, 3, 4])));
  for await (const n of cache.stream()) if (n === 2) break;
  assert.equal(cache.complete, false);
  assert.equal(cache.size, 0);
  assert.deepEqual(await collect(cache.stream()), [1, 2, 3, 4]);
  assert.equal(opened, 2);
  assert.deepEqual(await collect(cache.stream()), [1, 2, 3, 4]);
  assert.equal(opened, 2);
});

Deno.test("CachedStream with a PackedExamples store replays equal examples", async () => {
  const open = () => readExamples({ files: fixture("kaggle_train.csv") });
  const packed = new CachedStream(open, () => new PackedExamples());
  const first = await collect(packed.stream());
  const again = await collect(packed.stream());
  assert.equal(packed.size, 12);
  assert.deepEqual(again, first);
  assert.deepEqual(packed.toArray(), first);
});

Deno.test("CachedStream.of replays rows given in memory without a source", async () => {
  const cache = CachedStream.of(["a", "b"]);
  assert.ok(cache.complete);
  assert.deepEqual(await collect(cache.stream()), ["a", "b"]);
});
