import { AtomicFileWriter } from "../io/atomic_write.ts";
import type { Batch } from "../pipeline/types.ts";

/** Options of `SubmissionWriter.create`. */
export interface SubmissionWriterOptions {
  /** Class labels in output order. */
  classes: string[];
  /**
   * `true`: the input had an `id` column (Kannada-MNIST): write `id,label` with those ids.
   * `false`: write Digit Recognizer's `ImageId,Label` with 1-based row numbers.
   */
  ids: boolean;
  /** Add one `prob_<class>` column per class (default false). */
  probabilities?: boolean;
  /** Digits after the decimal point of probabilities (default 6). */
  precision?: number;
}

/**
 * Writes a Kaggle submission batch by batch through an `AtomicFileWriter`: the file appears at
 * `path` only on `commit()`, and `abort()` leaves nothing behind. Counts rows and predicted classes
 * for the summary line.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { SubmissionWriter } from "./submission_writer.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const out = await SubmissionWriter.create(path, { classes: ["0", "1"], ids: false });
 * await out.write({ x: new Float32Array(2), y: new Int32Array([-1, -1]), size: 2, height: 1, width: 1 },
 *   new Float32Array([0.9, 0.1, 0.2, 0.8]));
 * await out.commit();
 * assert.ok(await Deno.readTextFile(path) === "ImageId,Label\n1,0\n2,1\n");
 * ```
 */
export class SubmissionWriter {
  readonly classes: string[];
  /** Rows written so far. */
  rows = 0;
  /** How many rows were predicted as each class. */
  readonly classCounts: number[];
  #file: AtomicFileWriter;
  #ids: boolean;
  #probabilities: boolean;
  #precision: number;

  private constructor(file: AtomicFileWriter, options: SubmissionWriterOptions) {
    this.#file = file;
    this.classes = options.classes;
    this.classCounts = new Array<number>(options.classes.length).fill(0);
    this.#ids = options.ids;
    this.#probabilities = options.probabilities ?? false;
    this.#precision = options.precision ?? 6;
  }

  /** Opens `path` (atomically) and writes the header. */
  static async create(path: string, options: SubmissionWriterOptions): Promise<SubmissionWriter> {
    const writer = new SubmissionWriter(await AtomicFileWriter.create(path), options);
    const columns = options.ids ? ["id", "label"] : ["ImageId", "Label"];
    if (options.probabilities) columns.push(...options.classes.map((c) => `prob_${c}`));
    await writer.#file.write(columns.join(",") + "\n");
    return writer;
  }

  /** Appends one batch of predictions (`batch.size * classes.length` softmax values). */
  async write(batch: Batch, probs: Float32Array): Promise<void> {
    const k = this.classes.length;
    if (probs.length !== batch.size * k) {
      throw new RangeError(`expected ${batch.size * k} probabilities, got ${probs.length}`);
    }
    if (this.#ids && batch.ids === undefined) {
      throw new TypeError("the input has no id column to copy into the submission");
    }
    let text = "";
    for (let i = 0; i < batch.size; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
      this.classCounts[best]!++;
      this.rows++;
      text += `${this.#ids ? batch.ids![i] : this.rows},${this.classes[best]}`;
      if (this.#probabilities) {
        for (let c = 0; c < k; c++) text += "," + probs[i * k + c]!.toFixed(this.#precision);
      }
      text += "\n";
    }
    await this.#file.write(text);
  }

  /** Makes the file appear at its path. */
  commit(): Promise<void> {
    return this.#file.commit();
  }

  /** Removes the temporary file; nothing appears at the path. */
  abort(): Promise<void> {
    return this.#file.abort();
  }
}
