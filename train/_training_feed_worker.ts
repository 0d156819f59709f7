/// <reference lib="deno.worker" />
/**
 * The Worker side of `openWorkerFeed`: loads the training data here (list files → … → cache,
 * the validation split), then serves one stream of batches at a time through the pipeline's
 * batch stages, posting each batch with its buffers transferred while the main thread has granted
 * credit. Time spent producing batches (not waiting for credit) is reported as busy time.
 *
 * @module
 */
import type { Batch } from "../pipeline/types.ts";
import { loadTrainingData } from "./load_training_data.ts";
import { inProcessFeed, type TrainingFeed } from "./training_feed.ts";
import type { _FeedReply, _FeedRequest } from "./worker_training_feed.ts";

let feed: TrainingFeed | null = null;
let busy = 0;
/** A stream being served: its credit, and how to wake it when credit arrives. */
interface _Served {
  credit: number;
  cancelled: boolean;
  wake: (() => void) | null;
}
const served = new Map<number, _Served>();

function post(reply: _FeedReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

function fail(err: unknown, id?: number): void {
  const error = err instanceof Error ? err : new Error(String(err));
  post({
    type: "error",
    name: error.name,
    message: error.message,
    ...(id === undefined ? {} : { id }),
  });
}

async function open(request: Extract<_FeedRequest, { type: "open" }>): Promise<void> {
  try {
    const started = performance.now();
    feed = inProcessFeed(await loadTrainingData(request.config, undefined, request.derive));
    busy += (performance.now() - started) / 1000;
    post({ type: "ready", summary: feed.summary, busy });
  } catch (err) {
    fail(err);
  }
}

async function serve(request: Extract<_FeedRequest, { type: "batches" }>): Promise<void> {
  const current: _Served = { credit: request.credit, cancelled: false, wake: null };
  served.set(request.id, current);
  try {
    const reader = feed!.batches(request.set, request.options).getReader();
    for (;;) {
      while (current.credit <= 0 && !current.cancelled) {
        await new Promise<void>((resolve) => current.wake = resolve);
      }
      if (current.cancelled) {
        await reader.cancel();
        return;
      }
      const started = performance.now();
      const { done, value } = await reader.read();
      busy += (performance.now() - started) / 1000;
      if (done) break;
      current.credit--;
      post({ type: "batch", id: request.id, batch: value, busy }, transferables(value));
    }
    post({ type: "end", id: request.id, busy });
  } catch (err) {
    fail(err, request.id);
  } finally {
    served.delete(request.id);
  }
}

function transferables(batch: Batch): Transferable[] {
  const list: Transferable[] = [batch.x.buffer as ArrayBuffer, batch.y.buffer as ArrayBuffer];
  if (batch.rows !== undefined) list.push(batch.rows.buffer as ArrayBuffer);
  return list;
}

self.onmessage = (event: MessageEvent<_FeedRequest>) => {
  const request = event.data;
  if (request.type === "open") open(request);
  else if (request.type === "batches") serve(request);
  else {
    const current = served.get(request.id);
    if (current === undefined) return;
    if (request.type === "credit") current.credit += request.credit;
    else current.cancelled = true;
    current.wake?.();
    current.wake = null;
  }
};
