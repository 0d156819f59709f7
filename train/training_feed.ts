import type { Batch } from "../pipeline/types.ts";
import { digitBatches, type DigitBatchesOptions } from "../pipeline/digit_batches.ts";
import type { TrainingData } from "./load_training_data.ts";

/** Which rows of a run: the training rows, the validation rows or the test rows. */
export type RowSetName = "train" | "valid" | "test";

/** How a run asks for batches: `digitBatches` options without the records and the selection. */
export type FeedBatchOptions = Omit<DigitBatchesOptions, "examples" | "select">;

/** What a run needs to know about its data, without holding the rows. */
export interface TrainingSummary {
  height: number;
  width: number;
  pixelMax: number;
  numClasses: number;
  fingerprint: TrainingData["fingerprint"];
  description: string;
  /** Records in each row set (0 when a run has none). */
  sizes: Record<RowSetName, number>;
  /** The labelled file of the test rows, or null. */
  testFile: string | null;
  /** The defaults derived from the rows, when the run asked for them (else null). */
  derived: TrainingData["derived"];
}

/**
 * Where a training run takes its batches from: the pipeline in this thread
 * ({@link inProcessFeed}) or in a Worker on another core (`openWorkerFeed`). Both give the same
 * batches, byte for byte, for the same options.
 */
export interface TrainingFeed {
  summary: TrainingSummary;
  /** One pass over a row set's batches (shuffled and augmented as `options` say). */
  batches(set: RowSetName, options: FeedBatchOptions): ReadableStream<Batch>;
  /** Seconds the pipeline spent producing batches on its own core so far, or null in-process. */
  busySeconds(): number | null;
  /** Stops the pipeline (terminates the Worker); safe to call twice. */
  close(): void;
}

/** The summary of loaded training data. */
export function summarize(data: TrainingData): TrainingSummary {
  return {
    height: data.height,
    width: data.width,
    pixelMax: data.pixelMax,
    numClasses: data.numClasses,
    fingerprint: data.fingerprint,
    description: data.description,
    sizes: {
      train: data.train.size,
      valid: data.valid?.size ?? 0,
      test: data.test?.rows.size ?? 0,
    },
    testFile: data.test?.file ?? null,
    derived: data.derived,
  };
}

/**
 * A feed that runs the pipeline's batch stages in this thread, over the cached rows of `data`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CachedStream } from "../pipeline/cached_stream.ts";
 * import { inProcessFeed } from "./training_feed.ts";
 * const rows = [0, 1, 2].map((label) => ({ pixels: new Uint8Array(4), label, source: { file: "m", line: label + 2 } }));
 * const source = CachedStream.of(rows);
 * const feed = inProcessFeed({
 *   all: source, train: { source, select: Uint8Array.of(1, 0, 1), size: 2 }, valid: null, test: null,
 *   height: 2, width: 2, pixelMax: 255, numClasses: 3,
 *   fingerprint: { files: [], rows: 3, sha256: "" }, description: "3 rows", derived: null,
 * });
 * const batches = await Array.fromAsync(feed.batches("train", { batchSize: 8 }));
 * assert.deepEqual([...batches[0]!.y], [0, 2]);
 * assert.equal(feed.busySeconds(), null);
 * ```
 */
export function inProcessFeed(data: TrainingData): TrainingFeed {
  const sets = { train: data.train, valid: data.valid, test: data.test?.rows ?? null };
  return {
    summary: summarize(data),
    batches(set, options) {
      const rows = sets[set];
      if (rows === null) throw new RangeError(`this run has no ${set} rows`);
      return digitBatches({ examples: rows.source.stream(), select: rows.select, ...options });
    },
    busySeconds: () => null,
    close() {},
  };
}
