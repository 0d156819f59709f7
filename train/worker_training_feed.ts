import type { Batch } from "../pipeline/types.ts";
import type { TrainConfig } from "./config.ts";
import type { DeriveRequest } from "./load_training_data.ts";
import type {
  FeedBatchOptions,
  RowSetName,
  TrainingFeed,
  TrainingSummary,
} from "./training_feed.ts";

/** Messages to the feed worker (`_training_feed_worker.ts`). */
export type _FeedRequest =
  | { type: "open"; config: TrainConfig; derive?: DeriveRequest }
  | { type: "batches"; id: number; set: RowSetName; options: FeedBatchOptions; credit: number }
  | { type: "credit"; id: number; credit: number }
  | { type: "cancel"; id: number };

/** Messages from the feed worker; `busy` is its busy seconds so far. */
export type _FeedReply =
  | { type: "ready"; summary: TrainingSummary; busy: number }
  | { type: "batch"; id: number; batch: Batch; busy: number }
  | { type: "end"; id: number; busy: number }
  | { type: "error"; id?: number; name: string; message: string };

const ERRORS: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError };
let live = 0;

/** How many feed Workers are running now (0 after every feed is closed). */
export function _liveFeedWorkers(): number {
  return live;
}

/**
 * Opens the training data of `config` in a Worker: the whole pipeline (read, parse, cache, split,
 * shuffle, augment, batch) runs on another core and hands each batch over as transferable buffers,
 * `prefetch` batches ahead, so the model trains while the next batches are made. Errors (a bad row
 * with its file, line, column and value) come back with their class and message. `close()` (also
 * on cancel) terminates the Worker.
 *
 * @example
 * ```ts ignore
 * const feed = await openWorkerFeed(config);
 * for await (const batch of feed.batches("train", { batchSize: 128, seed: 1, epoch: 0 })) train(batch);
 * feed.close();
 * ```
 */
export async function openWorkerFeed(
  config: TrainConfig,
  prefetch = 4,
  derive?: DeriveRequest,
): Promise<TrainingFeed> {
  const worker = new Worker(new URL("./_training_feed_worker.ts", import.meta.url), {
    type: "module",
  });
  live++;
  let closed = false;
  let busy = 0;
  const listeners = new Set<(reply: _FeedReply) => void>();
  const close = () => {
    if (closed) return;
    closed = true;
    live--;
    worker.terminate();
  };
  worker.onmessage = (event: MessageEvent<_FeedReply>) => {
    if ("busy" in event.data) busy = event.data.busy;
    for (const listener of listeners) listener(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    const reply: _FeedReply = {
      type: "error",
      name: "Error",
      message: `pipeline worker failed: ${event.message}`,
    };
    for (const listener of listeners) listener(reply);
  };
  const summary = await new Promise<TrainingSummary>((resolve, reject) => {
    const listener = (reply: _FeedReply) => {
      listeners.delete(listener);
      if (reply.type === "ready") resolve(reply.summary);
      else if (reply.type === "error") reject(errorOf(reply));
    };
    listeners.add(listener);
    worker.postMessage(
      { type: "open", config, ...(derive ? { derive } : {}) } satisfies _FeedRequest,
    );
  }).catch((err) => {
    close();
    throw err;
  });
  let nextId = 0;
  return {
    summary,
    batches: (set, options) => _remoteBatches(worker, listeners, nextId++, set, options, prefetch),
    busySeconds: () => busy,
    close,
  };
}

/** One stream of batches from the worker, with credit-based flow control. */
function _remoteBatches(
  worker: Worker,
  listeners: Set<(reply: _FeedReply) => void>,
  id: number,
  set: RowSetName,
  options: FeedBatchOptions,
  prefetch: number,
): ReadableStream<Batch> {
  const queue: _FeedReply[] = [];
  let wake: (() => void) | null = null;
  const listener = (reply: _FeedReply) => {
    if (reply.type === "ready" || (reply.id !== undefined && reply.id !== id)) return;
    queue.push(reply);
    wake?.();
  };
  return new ReadableStream<Batch>({
    start() {
      listeners.add(listener);
      worker.postMessage(
        { type: "batches", id, set, options, credit: prefetch } satisfies _FeedRequest,
      );
    },
    async pull(controller) {
      for (;;) {
        const reply = queue.shift();
        if (reply === undefined) {
          await new Promise<void>((resolve) => wake = resolve);
          wake = null;
          continue;
        }
        if (reply.type === "batch") {
          controller.enqueue(reply.batch);
          worker.postMessage({ type: "credit", id, credit: 1 } satisfies _FeedRequest);
          return;
        }
        listeners.delete(listener);
        if (reply.type === "end") return controller.close();
        if (reply.type === "error") throw errorOf(reply);
      }
    },
    cancel() {
      listeners.delete(listener);
      worker.postMessage({ type: "cancel", id } satisfies _FeedRequest);
    },
  }, { highWaterMark: 0 });
}

function errorOf(reply: Extract<_FeedReply, { type: "error" }>): Error {
  const ErrorClass = ERRORS[reply.name] ?? Error;
  return new ErrorClass(reply.message);
}
