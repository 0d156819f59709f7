import assert from "node:assert/strict";
import { workerBatches } from "../../pipeline/worker_batches.ts";
import { digitBatches } from "../../pipeline/digit_batches.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { CsvFormat } from "../../pipeline/csv_format.ts";
import type { Batch } from "../../pipeline/types.ts";
import { collect, errorOf, fixture } from "./_fixture.ts";

const bytes = (batches: Batch[]) =>
  batches.map((b) => [...new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength), ...b.y]);

Deno.test("workerBatches gives the same bytes as the in-thread pipeline for the same seed", async () => {
  const read = { files: fixture("shards"), cycleLength: 2, blockLength: 2 };
  const batches = { batchSize: 4, shuffleBuffer: 5, seed: 4, augment: { rotation: 20, zoom: 0.2 } };
  let format: CsvFormat | undefined;
  const inWorker = await collect(
    workerBatches({ read, batches, prefetch: 2, onFormat: (f) => format = f }),
  );
  const inThread = await collect(digitBatches({ examples: readExamples(read), ...batches }));
  assert.equal(inWorker.length, 3);
  assert.deepEqual(bytes(inWorker), bytes(inThread));
  assert.equal(format?.kind, "kaggle-train");
});

Deno.test("workerBatches passes a bad row's error back with its class and message", async () => {
  const err = await errorOf(
    collect(
      workerBatches({ read: { files: fixture("bad_pixel_range.csv") }, batches: { batchSize: 2 } }),
    ),
  );
  assert.ok(err instanceof RangeError);
  assert.match(
    err.message,
    /bad_pixel_range\.csv line 3 column 4: expected a pixel in 0\.\.255 but got 256/,
  );
});
