import type { Batch, Example, FloatExample } from "./types.ts";
import { BatchBuilder } from "./batch_builder.ts";
import { _imageSize } from "./_image_size.ts";

/** Options of {@link BatchStream}. */
export interface BatchStreamOptions {
  /** Images per batch. */
  batchSize: number;
  /** Image height and width (from the CSV format); a square from the first image when left out. */
  height?: number;
  width?: number;
  /** Drop a last batch shorter than `batchSize` (default false: emit it short). */
  dropRemainder?: boolean;
  /** Carry `ids` and `rows` on each batch (for submissions and error reports). */
  keepIds?: boolean;
}

/**
 * Stage 8: groups images into {@link Batch}es: `x` a `Float32Array` (B×H×W×1, bytes divided by
 * 255) and `y` an `Int32Array`. The short last batch is emitted on flush unless `dropRemainder`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { BatchStream } from "./batch_stream.ts";
 * const src = { file: "a.csv", line: 2 };
 * const examples = [1, 2, 3].map((label) => ({ pixels: new Uint8Array(4), label, source: src }));
 * const batches = await Array.fromAsync(
 *   ReadableStream.from(examples).pipeThrough(new BatchStream({ batchSize: 2, height: 2, width: 2 })),
 * );
 * assert.deepEqual(batches.map((b) => b.size), [2, 1]);
 * assert.deepEqual([...batches[1]!.y], [3]);
 * ```
 */
export class BatchStream extends TransformStream<Example | FloatExample, Batch> {
  constructor(options: BatchStreamOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${options.batchSize}`);
    }
    let builder: BatchBuilder | null = null;
    super({
      transform(example, controller) {
        builder ??= new BatchBuilder({ ...options, ..._imageSize(example.pixels.length, options) });
        const batch = builder.add(example);
        if (batch !== undefined) controller.enqueue(batch);
      },
      flush(controller) {
        const batch = builder?.take();
        if (batch !== undefined && !options.dropRemainder) controller.enqueue(batch);
      },
    });
  }
}
