import type { Batch, Example, FloatExample } from "./types.ts";

/** 0..255 → 0..1 as float32, so every path normalizes to the very same bits. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Fills one {@link Batch} at a time: `x` as NHWC floats in [0, 1] (bytes are divided by 255),
 * `y` as class indices, and ids/row numbers when asked. The engine of `BatchStream`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { BatchBuilder } from "./batch_builder.ts";
 * const builder = new BatchBuilder({ batchSize: 2, height: 1, width: 2 });
 * const src = { file: "a.csv", line: 2 };
 * builder.add({ pixels: new Uint8Array([0, 255]), label: 3, source: src });
 * const batch = builder.add({ pixels: new Uint8Array([255, 0]), label: 4, source: src })!;
 * assert.ok(batch.size === 2 && batch.x[1] === 1 && batch.y[1] === 4);
 * ```
 */
export class BatchBuilder {
  readonly batchSize: number;
  readonly height: number;
  readonly width: number;
  readonly keepIds: boolean;
  #x!: Float32Array;
  #y!: Int32Array;
  #rows!: Int32Array;
  #ids: string[] = [];
  #size = 0;

  /** A builder for batches of `batchSize` images of `height × width`. */
  constructor(options: { batchSize: number; height: number; width: number; keepIds?: boolean }) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${options.batchSize}`);
    }
    this.batchSize = options.batchSize;
    this.height = options.height;
    this.width = options.width;
    this.keepIds = options.keepIds ?? false;
    this.#reset();
  }

  /** Number of images in the batch being filled. */
  get pending(): number {
    return this.#size;
  }

  /** Adds one image; returns the batch when it is full. */
  add(example: Example | FloatExample): Batch | undefined {
    const hw = this.height * this.width;
    const { pixels } = example;
    if (pixels.length !== hw) {
      throw new TypeError(
        `Cannot batch ${example.source.file} line ${example.source.line}: expected ${hw} pixels (${this.height}×${this.width}) but got ${pixels.length}`,
      );
    }
    const offset = this.#size * hw;
    const x = this.#x;
    if (pixels instanceof Uint8Array) {
      for (let i = 0; i < hw; i++) x[offset + i] = UNIT[pixels[i]!]!;
    } else {
      x.set(pixels, offset);
    }
    this.#y[this.#size] = example.label;
    if (this.keepIds) {
      this.#rows[this.#size] = example.source.row ?? example.source.line;
      this.#ids.push(example.id ?? "");
    }
    this.#size++;
    return this.#size === this.batchSize ? this.take() : undefined;
  }

  /** Returns the batch so far (short, with exactly-sized buffers), or `undefined` when empty. */
  take(): Batch | undefined {
    const size = this.#size;
    if (size === 0) return undefined;
    const full = size === this.batchSize;
    const hw = this.height * this.width;
    const batch: Batch = {
      x: full ? this.#x : this.#x.slice(0, size * hw),
      y: full ? this.#y : this.#y.slice(0, size),
      size,
      height: this.height,
      width: this.width,
    };
    if (this.keepIds) {
      batch.rows = full ? this.#rows : this.#rows.slice(0, size);
      if (this.#ids.some((id) => id !== "")) batch.ids = this.#ids;
    }
    this.#reset();
    return batch;
  }

  #reset(): void {
    const hw = this.height * this.width;
    this.#x = new Float32Array(this.batchSize * hw);
    this.#y = new Int32Array(this.batchSize);
    this.#rows = this.keepIds ? new Int32Array(this.batchSize) : new Int32Array(0);
    this.#ids = [];
    this.#size = 0;
  }
}
