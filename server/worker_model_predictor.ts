/**
 * The model call in a Worker: the server thread keeps HTTP, parsing and the batcher, and each
 * batch goes to a module Worker that holds the model, so HTTP work and model work overlap on two
 * cores and tfjs's garbage is collected in the Worker's heap, not the HTTP thread's.
 *
 * @module
 */
import type { Manifest } from "../models/manifest.ts";
import type { ModelWorkerReply, ModelWorkerRequest } from "./_model_worker.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";

/** What {@linkcode startWorkerModelPredictor} needs. */
export interface WorkerModelPredictorOptions {
  /** Run folder (or ensemble folder) to load in the Worker. */
  modelDir: string;
  /** Backend the server chose (`selectBackend`'s name); the Worker selects exactly that one. */
  backend: string;
  /** Batch sizes to pad to and warm up (see `batchBuckets`). */
  sizes: number[];
  /** Run each model as a native inference plan on native (default true; see `createModelPredictor`). */
  nativePlan?: boolean;
  /** The Worker module (tests pass one that fails); default `_model_worker.ts`. */
  workerUrl?: URL;
  /**
   * Crash-loop limit: after more than `max` deaths within `windowMs`, the Worker is not started
   * again and every later call rejects with the last death's reason (default 5 in 60 s).
   */
  restartLimit?: { max: number; windowMs: number };
}

/** Where the model Worker stands, for `/healthz`. */
export interface ModelWorkerStatus {
  /** `up`: answering; `restarting`: a new Worker is loading; `failed`: it will not come back. */
  state: "up" | "restarting" | "failed";
  /** How many times the Worker died and was started again. */
  restarts: number;
  /** Why it failed (only when `failed`). */
  reason?: string;
}

/** The default crash-loop limit: more than 5 deaths in a minute stops the restarts. */
export const DEFAULT_RESTART_LIMIT = { max: 5, windowMs: 60_000 };

/** A started model Worker. */
export interface WorkerModelPredictor {
  /** The batched model call; rejects with the Worker's message when that call fails. */
  predict: BatchPredictFn;
  /** Milliseconds the Worker's warm-up (one call per batch size) took. */
  warmupMs: number;
  /** How the Worker runs the model (`createModelPredictor`'s `path`). */
  path: string;
  /** The backend the Worker runs on, as `selectBackend` reported it there. */
  backend: { name: string; reason: string };
  /** The run's manifest, as the Worker loaded it. */
  manifest: Manifest;
  /** How many times the Worker died and was started again. */
  restarts(): number;
  /** Up, restarting or failed (the crash-loop limit was reached, or a restart could not start). */
  status(): ModelWorkerStatus;
  /** Terminates the Worker; calls still waiting reject. */
  close(): void;
}

interface Call {
  resolve: (probs: Float32Array) => void;
  reject: (err: Error) => void;
}

/** One live Worker and the calls it owes answers to. */
interface Live {
  worker: Worker;
  calls: Map<number, Call>;
}

/**
 * Starts a model Worker and resolves once it has loaded the run and warmed up every batch size;
 * rejects with the Worker's message when it cannot (a bad run folder, an unavailable backend).
 *
 * An error in one call rejects exactly that call. A Worker that dies rejects the calls it owed
 * with "the model worker died: …" (the server answers them 500) and is started again; calls made
 * while it restarts wait for it, and if the restart fails they reject with its reason (no further
 * restarts, never a hang). A Worker that keeps dying (more than `restartLimit.max` times within
 * `restartLimit.windowMs`) is not started again: later calls reject with that reason, and
 * `status()` says `failed`, which `/healthz` reports as 503. `close` terminates it.
 *
 * @example
 * ```ts ignore
 * import { startWorkerModelPredictor } from "./worker_model_predictor.ts";
 * const m = await startWorkerModelPredictor({
 *   modelDir: "tests/fixtures/models/mnist-mlp", backend: "cpu", sizes: [1, 2, 4],
 * });
 * const probs = await m.predict(new Float32Array(784), 1); // 10 probabilities
 * m.close();
 * ```
 */
export async function startWorkerModelPredictor(
  options: WorkerModelPredictorOptions,
): Promise<WorkerModelPredictor> {
  const url = options.workerUrl ?? new URL("./_model_worker.ts", import.meta.url);
  let nextId = 0;
  const limit = options.restartLimit ?? DEFAULT_RESTART_LIMIT;
  let restarts = 0;
  let closed = false;
  /** When the Worker died, newest last, within the crash-loop window. */
  const deaths: number[] = [];
  let failure: string | undefined;
  const first = await _spawn(url, options, (why) => onDeath(why));
  let live: Promise<Live> = Promise.resolve(first.live);
  /** The Worker that is up now (undefined while one restarts), so `close` can end it at once. */
  let current: Live | undefined = first.live;

  function onDeath(why: string): void {
    if (closed) return;
    current = undefined;
    const now = performance.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - limit.windowMs) deaths.shift();
    if (deaths.length > limit.max) {
      fail(
        `the model worker died ${deaths.length} times within ${limit.windowMs / 1000} s ` +
          `and is not restarted (last: ${why}); fix the cause and restart the server`,
      );
      return;
    }
    restarts++;
    live = _spawn(url, options, (w) => onDeath(w)).then((s) => {
      if (closed) _kill(s.live, "the model worker was closed");
      else current = s.live;
      return s.live;
    }, (err: Error) => {
      fail(err.message);
      throw err;
    });
    // A restart that fails leaves later calls rejecting with its message, not hanging.
    live.catch(() => {});
  }

  function fail(reason: string): void {
    failure = reason;
    live = Promise.reject(new Error(reason));
    live.catch(() => {});
  }

  const predict: BatchPredictFn = async (x, count) => {
    if (closed) throw new Error("the model worker is closed");
    const { worker, calls } = await live;
    if (closed) throw new Error("the model worker is closed");
    const id = nextId++;
    const copy = x.slice();
    return await new Promise<Float32Array>((resolve, reject) => {
      calls.set(id, { resolve, reject });
      const msg: ModelWorkerRequest = { type: "predict", id, x: copy, count };
      worker.postMessage(msg, [copy.buffer]);
    });
  };

  return {
    predict,
    warmupMs: first.warmupMs,
    path: first.path,
    backend: first.backend,
    manifest: first.manifest,
    restarts: () => restarts,
    status: () => ({
      state: failure !== undefined ? "failed" : current !== undefined ? "up" : "restarting",
      restarts,
      ...(failure !== undefined ? { reason: failure } : {}),
    }),
    close: () => {
      if (closed) return;
      closed = true;
      if (current !== undefined) _kill(current, "the model worker was closed");
    },
  };
}

interface Started {
  live: Live;
  warmupMs: number;
  path: string;
  backend: { name: string; reason: string };
  manifest: Manifest;
}

/** Starts one Worker and waits for its `ready`; `onDeath` runs (with why) if it dies after that. */
function _spawn(
  url: URL,
  options: WorkerModelPredictorOptions,
  onDeath: (why: string) => void,
): Promise<Started> {
  const worker = new Worker(url, { type: "module" });
  const live: Live = { worker, calls: new Map() };
  return new Promise((resolve, reject) => {
    let ready = false;
    const die = (why: string) => {
      _kill(live, `the model worker died: ${why}`);
      if (ready) onDeath(why);
      else reject(new Error(`the model worker could not start: ${why}`));
    };
    worker.onmessage = (e: MessageEvent<ModelWorkerReply>) => {
      const msg = e.data;
      if (msg.type === "result" || msg.type === "error") {
        const call = live.calls.get(msg.id);
        live.calls.delete(msg.id);
        if (msg.type === "result") call?.resolve(msg.probs);
        else call?.reject(new Error(`model call failed: ${msg.message}`));
      } else if (msg.type === "ready") {
        ready = true;
        resolve({
          live,
          warmupMs: msg.warmupMs,
          path: msg.path,
          backend: msg.backend,
          manifest: msg.manifest,
        });
      } else {
        _kill(live, msg.message);
        reject(new Error(`the model worker could not start: ${msg.message}`));
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // handled here: never crash the server thread
      die(e.message || "uncaught error");
    };
    worker.onmessageerror = () => die("a message could not be read");
    const init: ModelWorkerRequest = {
      type: "init",
      modelDir: options.modelDir,
      backend: options.backend,
      sizes: options.sizes,
      nativePlan: options.nativePlan !== false,
    };
    worker.postMessage(init);
  });
}

/** Terminates `live`'s Worker and rejects every call it still owed with `why`. */
function _kill(live: Live, why: string): void {
  live.worker.terminate();
  for (const call of live.calls.values()) call.reject(new Error(why));
  live.calls.clear();
}
