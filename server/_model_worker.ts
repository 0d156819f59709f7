/**
 * The model Worker behind {@linkcode startWorkerModelPredictor}: selects the backend the server
 * chose, loads the run, warms up every batch size, then answers one model call per message.
 *
 * Messages in: `{ type: "init", modelDir, backend, sizes, nativePlan }` once, then
 * `{ type: "predict", id, x, count }`. Messages out: `{ type: "ready", warmupMs, backend,
 * manifest, path }` or `{ type: "failed", message }` after init; `{ type: "result", id, probs }` or
 * `{ type: "error", id, message }` per call.
 *
 * @module
 */
import { selectBackend } from "../backend/select_backend.ts";
import type { Manifest } from "../models/manifest.ts";
import { loadRun } from "../models/model_io.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";
import { createModelPredictor, warmUpModelPredictor } from "./create_model_predictor.ts";

/** What the server thread sends. */
export type ModelWorkerRequest =
  | { type: "init"; modelDir: string; backend: string; sizes: number[]; nativePlan: boolean }
  | { type: "predict"; id: number; x: Float32Array; count: number };

/** What this Worker answers. */
export type ModelWorkerReply =
  | {
    type: "ready";
    warmupMs: number;
    /** How the model runs (`createModelPredictor`'s `path`). */
    path: string;
    backend: { name: string; reason: string };
    manifest: Manifest;
  }
  | { type: "failed"; message: string }
  | { type: "result"; id: number; probs: Float32Array }
  | { type: "error"; id: number; message: string };

// deno-lint-ignore no-explicit-any
const scope = self as any as {
  onmessage: ((e: MessageEvent<ModelWorkerRequest>) => void) | null;
  postMessage(message: ModelWorkerReply, transfer?: Transferable[]): void;
};

let predictor: BatchPredictFn | undefined;

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === "init") void _init(msg.modelDir, msg.backend, msg.sizes, msg.nativePlan);
  else void _predict(msg.id, msg.x, msg.count);
};

async function _init(
  modelDir: string,
  backendName: string,
  sizes: number[],
  nativePlan: boolean,
): Promise<void> {
  try {
    const backend = await selectBackend(backendName);
    const run = await loadRun(modelDir);
    const p = createModelPredictor(run, sizes, { nativePlan });
    const warmupMs = await warmUpModelPredictor(p, run.manifest.inputShape, sizes);
    predictor = p;
    scope.postMessage({ type: "ready", warmupMs, path: p.path, backend, manifest: run.manifest });
  } catch (err) {
    scope.postMessage({ type: "failed", message: (err as Error)?.message ?? String(err) });
  }
}

async function _predict(id: number, x: Float32Array, count: number): Promise<void> {
  try {
    if (predictor === undefined) throw new Error("the model worker is not initialised");
    const values = await predictor(x, count);
    // A copy of exactly the rows, so the transfer moves no more than them.
    const probs = values.slice();
    scope.postMessage({ type: "result", id, probs }, [probs.buffer]);
  } catch (err) {
    scope.postMessage({ type: "error", id, message: (err as Error)?.message ?? String(err) });
  }
}
