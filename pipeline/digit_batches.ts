import type { Batch, Example, FloatExample } from "./types.ts";
import { type AugmentOptions, checkAugmentOptions } from "./augment_options.ts";
import { AugmentStream } from "./augment_stream.ts";
import { BatchStream } from "./batch_stream.ts";
import { PrefetchStream } from "./prefetch_stream.ts";
import { Random } from "./random.ts";
import { SelectRowsStream } from "./select_rows_stream.ts";
import { ShuffleStream } from "./shuffle_stream.ts";

/** Options of {@link digitBatches}. */
export interface DigitBatchesOptions {
  /** Parsed records: `readExamples(...)`, or one pass of a `CachedStream` of them. */
  examples: ReadableStream<Example | FloatExample>;
  /** Rows to keep by index, `counts[i]` times each (a split, a fold); all rows when absent. */
  select?: Uint8Array | null;
  /** Images per batch. */
  batchSize: number;
  /** Drop a last batch shorter than `batchSize` (default false). */
  dropRemainder?: boolean;
  /** Shuffle buffer size; 0 (default) keeps the input order. */
  shuffleBuffer?: number;
  /** Base seed of shuffling and augmentation (default 0). */
  seed?: number;
  /** Epoch number (default 0): each epoch gets its own shuffle order and augmentation draws. */
  epoch?: number;
  /** Random augmentation, or null/absent for none. */
  augment?: AugmentOptions | null;
  /** Carry ids and row numbers on each batch (predict, evaluate). */
  keepIds?: boolean;
  /** Image size; a square from the first image when left out. */
  height?: number;
  width?: number;
  /** Batches read ahead of the consumer (default 2). */
  prefetch?: number;
}

/**
 * Stages 7–11 of the pipeline, on one screen: select rows (the seeded split) → shuffle (seeded
 * buffer) → augment (seeded) → normalize and batch → prefetch. The whole data flow is
 *
 * ```text
 * readExamples: list files → open → interleave → split lines → parse
 * CachedStream: cache (Uint8Array records after the first pass)
 * digitBatches: select rows → shuffle → augment → normalize + batch → prefetch
 * ```
 *
 * Training, validation, evaluate, predict, k-fold and ensembles all read their batches here. The
 * shuffle seed of an epoch is `Random.derive(seed, epoch, 1)`, the augmentation seed
 * `Random.derive(seed, epoch, 2)`: the same seed and epoch give the same batches, byte for byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { digitBatches } from "./digit_batches.ts";
 * const rows = [0, 1, 2, 3, 4].map((label) => ({
 *   pixels: new Uint8Array(4).fill(label * 50), label, source: { file: "m.csv", line: label + 2 },
 * }));
 * const batches = await Array.fromAsync(digitBatches({
 *   examples: ReadableStream.from(rows), select: Uint8Array.of(1, 1, 0, 1, 1), batchSize: 2,
 * }));
 * assert.deepEqual(batches.map((b) => [...b.y]), [[0, 1], [3, 4]]);
 * assert.equal(batches[1]!.x[0], Math.fround(150 / 255));
 * ```
 */
export function digitBatches(options: DigitBatchesOptions): ReadableStream<Batch> {
  const seed = options.seed ?? 0;
  const epoch = options.epoch ?? 0;
  const shuffleBuffer = options.shuffleBuffer ?? 0;
  if (!Number.isInteger(shuffleBuffer) || shuffleBuffer < 0) {
    throw new RangeError(`shuffle buffer must be a non-negative integer, got ${shuffleBuffer}`);
  }
  const augment = checkAugmentOptions(options.augment) ? options.augment! : null;
  const size = {
    ...(options.height !== undefined ? { height: options.height } : {}),
    ...(options.width !== undefined ? { width: options.width } : {}),
  };
  let records = options.examples;
  if (options.select) records = records.pipeThrough(new SelectRowsStream(options.select));
  if (shuffleBuffer > 0) {
    records = records.pipeThrough(
      new ShuffleStream({ bufferSize: shuffleBuffer, seed: Random.derive(seed, epoch, 1) }),
    );
  }
  if (augment !== null) {
    records = records.pipeThrough(
      new AugmentStream({ ...augment, ...size, seed: Random.derive(seed, epoch, 2) }),
    );
  }
  return records
    .pipeThrough(
      new BatchStream({
        batchSize: options.batchSize,
        dropRemainder: options.dropRemainder ?? false,
        keepIds: options.keepIds ?? false,
        ...size,
      }),
    )
    .pipeThrough(new PrefetchStream(options.prefetch ?? 2));
}
