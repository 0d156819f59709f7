import assert from "node:assert/strict";
import { toBatches } from "../../pipeline/to_batches.ts";
import { ShuffleStream } from "../../pipeline/shuffle_stream.ts";
import { AugmentStream } from "../../pipeline/augment_stream.ts";
import { BatchStream } from "../../pipeline/batch_stream.ts";
import { Random } from "../../pipeline/random.ts";
import { collectExamples } from "../../pipeline/collect_examples.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Batch } from "../../pipeline/types.ts";
import { collect, fixture } from "./_fixture.ts";

const bytes = (batches: Batch[]) =>
  batches.map((b) => [...new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength), ...b.y]);
const augment = {
  rotation: 10,
  zoom: 0.1,
  widthShift: 0.1,
  heightShift: 0.1,
  shear: 5,
  contrast: 0.1,
};
const options = { batchSize: 5, shuffleBuffer: 6, seed: 9, augment };

Deno.test("toBatches gives the same batches byte for byte for the same seed", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const a = await collect(toBatches(examples, options));
  const b = await collect(toBatches(examples, options));
  assert.deepEqual(bytes(a), bytes(b));
  assert.deepEqual(a.map((x) => x.size), [5, 5, 2]);
  const other = await collect(toBatches(examples, { ...options, seed: 10 }));
  assert.notDeepEqual(bytes(a), bytes(other));
  const nextEpoch = await collect(toBatches(examples, { ...options, epoch: 1 }));
  assert.notDeepEqual(bytes(a), bytes(nextEpoch));
});

Deno.test("toBatches from a stream equals toBatches from an array and the composed stages", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const fromArray = await collect(toBatches(examples, options));
  const fromStream = await collect(
    toBatches(readExamples({ files: fixture("kaggle_train.csv") }), options),
  );
  assert.deepEqual(bytes(fromStream), bytes(fromArray));
  const composed = await collect(
    ReadableStream.from(examples)
      .pipeThrough(new ShuffleStream({ bufferSize: 6, seed: Random.derive(9, 0, 1) }))
      .pipeThrough(
        new AugmentStream({ height: 4, width: 4, seed: Random.derive(9, 0, 2), ...augment }),
      )
      .pipeThrough(new BatchStream({ batchSize: 5, height: 4, width: 4 })),
  );
  assert.deepEqual(bytes(composed), bytes(fromArray));
});

Deno.test("toBatches keeps every example once when shuffling, and drops the remainder on request", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const batches = await collect(
    toBatches(examples, { batchSize: 5, shuffleBuffer: 100, seed: 1, keepIds: true }),
  );
  const rows = batches.flatMap((b) => [...b.rows!]).sort((x, y) => x - y);
  assert.deepEqual(rows, examples.map((e) => e.source.row));
  const dropped = await collect(toBatches(examples, { batchSize: 5, dropRemainder: true }));
  assert.deepEqual(dropped.map((b) => b.size), [5, 5]);
  assert.deepEqual([...dropped[0]!.y], [0, 1, 2, 3, 4]);
});
