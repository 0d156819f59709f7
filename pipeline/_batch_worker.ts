/// <reference lib="deno.worker" />
/**
 * The Worker side of `workerBatches`: runs `digitBatches({ examples: readExamples(read), ...batches })` and posts each
 * batch with its buffers transferred, as long as the consumer has granted credit.
 *
 * @module
 */
import type { Batch } from "./types.ts";
import type { WorkerMessage, WorkerRequest } from "./worker_batches.ts";
import { readExamples } from "./read_examples.ts";
import { digitBatches } from "./digit_batches.ts";

let credit = 0;
let wake: (() => void) | null = null;

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function run(request: Extract<WorkerRequest, { type: "start" }>): Promise<void> {
  credit += request.credit;
  try {
    const examples = readExamples({
      ...request.read,
      onFormat: (format) => post({ type: "format", format }),
      onSkipped: (report) => post({ type: "skipped", report }),
    });
    for await (const batch of digitBatches({ examples, ...request.batches })) {
      while (credit <= 0) await new Promise<void>((resolve) => wake = resolve);
      credit--;
      post({ type: "batch", batch }, transferables(batch));
    }
    post({ type: "done" });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    post({ type: "error", name: error.name, message: error.message });
  }
}

function transferables(batch: Batch): Transferable[] {
  const list: Transferable[] = [batch.x.buffer as ArrayBuffer, batch.y.buffer as ArrayBuffer];
  if (batch.rows !== undefined) list.push(batch.rows.buffer as ArrayBuffer);
  return list;
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === "start") {
    run(request);
  } else {
    credit += request.credit;
    wake?.();
    wake = null;
  }
};
