import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { digitBatches } from "../../pipeline/digit_batches.ts";
import { ShuffleStream } from "../../pipeline/shuffle_stream.ts";
import { AugmentStream } from "../../pipeline/augment_stream.ts";
import { BatchStream } from "../../pipeline/batch_stream.ts";
import { Random } from "../../pipeline/random.ts";
import { collectExamples } from "../../pipeline/collect_examples.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Batch, Example } from "../../pipeline/types.ts";
import { mnistSlice } from "../train/_mnist_slice.ts";
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
const from = (rows: Example[]) => ReadableStream.from(rows);

Deno.test("digitBatches gives the same batches byte for byte for the same seed", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const a = await collect(digitBatches({ examples: from(examples), ...options }));
  const b = await collect(digitBatches({ examples: from(examples), ...options }));
  assert.deepEqual(bytes(a), bytes(b));
  assert.deepEqual(a.map((x) => x.size), [5, 5, 2]);
  const other = await collect(digitBatches({ examples: from(examples), ...options, seed: 10 }));
  assert.notDeepEqual(bytes(a), bytes(other));
  const nextEpoch = await collect(digitBatches({ examples: from(examples), ...options, epoch: 1 }));
  assert.notDeepEqual(bytes(a), bytes(nextEpoch));
});

Deno.test("digitBatches equals the stages composed by hand, from a file or from memory", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const fromMemory = await collect(digitBatches({ examples: from(examples), ...options }));
  const fromFile = await collect(
    digitBatches({ examples: readExamples({ files: fixture("kaggle_train.csv") }), ...options }),
  );
  assert.deepEqual(bytes(fromFile), bytes(fromMemory));
  const composed = await collect(
    ReadableStream.from(examples)
      .pipeThrough(new ShuffleStream({ bufferSize: 6, seed: Random.derive(9, 0, 1) }))
      .pipeThrough(
        new AugmentStream({ height: 4, width: 4, seed: Random.derive(9, 0, 2), ...augment }),
      )
      .pipeThrough(new BatchStream({ batchSize: 5, height: 4, width: 4 })),
  );
  assert.deepEqual(bytes(composed), bytes(fromMemory));
});

Deno.test("digitBatches gives the batches of the fused toBatches it replaced (recorded digests)", async () => {
  // SHA-256 of x and y bytes of every batch that the former fused pipeline/to_batches.ts gave
  // (commit 1ddb2a4) for the first 2000 embedded MNIST training rows, seed 42, a full shuffle
  // buffer and every augmentation on: the composed stages must reproduce them byte for byte.
  const { train } = await mnistSlice(2000, 0);
  const digest = async (epoch: number) => {
    const hash = createHash("sha256");
    const batches = digitBatches({
      examples: from(train),
      batchSize: 64,
      shuffleBuffer: train.length,
      seed: 42,
      epoch,
      augment,
    });
    for await (const b of batches) {
      hash.update(new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength));
      hash.update(new Uint8Array(b.y.buffer, b.y.byteOffset, b.y.byteLength));
    }
    return hash.digest("hex");
  };
  assert.equal(await digest(0), "e8e9037f1b6f555a59c84a0b98c11053dcf05fb83ae62648986f43a8b4cb6076");
  assert.equal(await digest(3), "51d3fbbf915bad3fd0ad8443dd917d0d04d3da530bcaf7df3b56f93818f745c7");
});

Deno.test("digitBatches keeps every selected example once when shuffling, and drops the remainder on request", async () => {
  const { examples } = await collectExamples({ files: fixture("kaggle_train.csv") });
  const batches = await collect(
    digitBatches({
      examples: from(examples),
      batchSize: 5,
      shuffleBuffer: 100,
      seed: 1,
      keepIds: true,
    }),
  );
  const rows = batches.flatMap((b) => [...b.rows!]).sort((x, y) => x - y);
  assert.deepEqual(rows, examples.map((e) => e.source.row));
  const dropped = await collect(
    digitBatches({ examples: from(examples), batchSize: 5, dropRemainder: true }),
  );
  assert.deepEqual(dropped.map((b) => b.size), [5, 5]);
  assert.deepEqual([...dropped[0]!.y], [0, 1, 2, 3, 4]);
  const select = new Uint8Array(examples.length);
  select[1] = 1;
  select[3] = 2;
  const picked = await collect(digitBatches({ examples: from(examples), select, batchSize: 5 }));
  assert.deepEqual([...picked[0]!.y], [examples[1]!.label, examples[3]!.label, examples[3]!.label]);
});
