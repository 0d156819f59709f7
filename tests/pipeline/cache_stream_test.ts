import assert from "node:assert/strict";
import { CacheStream } from "../../pipeline/cache_stream.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import { toBatches } from "../../pipeline/to_batches.ts";
import type { Example } from "../../pipeline/types.ts";
import { collect, fixture } from "./_fixture.ts";

Deno.test("CacheStream keeps the parsed uint8 records for later epochs", async () => {
  const cache = new CacheStream<Example>();
  const first = await collect(
    toBatches(readExamples({ files: fixture("kaggle_train.csv") }).pipeThrough(cache), {
      batchSize: 4,
    }),
  );
  assert.ok(cache.complete);
  assert.equal(cache.records.length, 12);
  assert.ok(cache.records[0]!.pixels instanceof Uint8Array);
  const second = await collect(toBatches(cache.records, { batchSize: 4 }));
  assert.deepEqual(second.map((b) => [...b.x]), first.map((b) => [...b.x]));
});
