import type { Batch } from "./types.ts";
import type { CsvFormat } from "./csv_format.ts";
import type { SkippedRowsReport } from "./bad_row.ts";
import type { ReadExamplesOptions } from "./read_examples.ts";
import type { DigitBatchesOptions } from "./digit_batches.ts";

/** How the worker batches: `digitBatches` options, minus the records it reads itself. */
export type WorkerBatchOptions = Omit<DigitBatchesOptions, "examples">;

/** Options of {@link workerBatches}: the read and batch options, minus callbacks, plus prefetch. */
export interface WorkerBatchesOptions {
  /** What to read (as `readExamples`; callbacks go below). */
  read: Omit<ReadExamplesOptions, "onFormat" | "onSkipped">;
  /** How to batch (as `digitBatches`). */
  batches: WorkerBatchOptions;
  /** Batches the worker may run ahead of the consumer (default 4). */
  prefetch?: number;
  /** Called once with the resolved CSV format. */
  onFormat?: (format: CsvFormat) => void;
  /** Called at the end with the skipped-row report (with `skipBadRows`). */
  onSkipped?: (report: SkippedRowsReport) => void;
}

/** Messages from the worker (`_batch_worker.ts`). */
export type WorkerMessage =
  | { type: "format"; format: CsvFormat }
  | { type: "skipped"; report: SkippedRowsReport }
  | { type: "batch"; batch: Batch }
  | { type: "done" }
  | { type: "error"; name: string; message: string };

/** Messages to the worker. */
export type WorkerRequest =
  | {
    type: "start";
    read: WorkerBatchesOptions["read"];
    batches: WorkerBatchOptions;
    credit: number;
  }
  | { type: "credit"; credit: number };

const ERRORS: Record<string, ErrorConstructor> = {
  TypeError,
  RangeError,
  SyntaxError,
};

/**
 * Stage 9: runs read → parse → shuffle → augment → batch in a Worker (another core), handing each
 * batch's buffers over as transferables, with at most `prefetch` batches in flight. Same options,
 * same bytes as `digitBatches({ examples: readExamples(read), ...batches })` in this
 * thread. Errors come back with
 * their class and message; cancelling the stream terminates the worker.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { workerBatches } from "./worker_batches.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "label,p0,p1,p2,p3\n3,0,1,2,3\n4,4,5,6,7\n5,1,1,1,1\n");
 * const batches = await Array.fromAsync(workerBatches({ read: { files: path }, batches: { batchSize: 2 } }));
 * assert.ok(batches.length === 2 && batches[1]!.y[0] === 5);
 * ```
 */
export function workerBatches(options: WorkerBatchesOptions): ReadableStream<Batch> {
  const prefetch = options.prefetch ?? 4;
  if (!Number.isInteger(prefetch) || prefetch < 1) {
    throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
  }
  let worker: Worker | null = null;
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const stop = () => {
    worker?.terminate();
    worker = null;
  };

  return new ReadableStream<Batch>({
    start() {
      worker = new Worker(new URL("./_batch_worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        queue.push(event.data);
        wake?.();
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        queue.push({
          type: "error",
          name: "Error",
          message: `pipeline worker failed: ${event.message}`,
        });
        wake?.();
      };
      const start: WorkerRequest = {
        type: "start",
        read: options.read,
        batches: options.batches,
        credit: prefetch,
      };
      worker.postMessage(start);
    },
    async pull(controller) {
      for (;;) {
        const message = queue.shift();
        if (message === undefined) {
          await new Promise<void>((resolve) => wake = resolve);
          wake = null;
          continue;
        }
        switch (message.type) {
          case "format":
            options.onFormat?.(message.format);
            continue;
          case "skipped":
            options.onSkipped?.(message.report);
            continue;
          case "batch": {
            controller.enqueue(message.batch);
            const credit: WorkerRequest = { type: "credit", credit: 1 };
            worker?.postMessage(credit);
            return;
          }
          case "done":
            stop();
            controller.close();
            return;
          case "error": {
            stop();
            const ErrorClass = ERRORS[message.name] ?? Error;
            throw new ErrorClass(message.message);
          }
        }
      }
    },
    cancel() {
      stop();
    },
  }, { highWaterMark: 0 });
}
