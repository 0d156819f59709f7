/**
 * Loads a run folder, warms the model up and serves the app with `Deno.serve`.
 *
 * @module
 */
import { selectBackend } from "../backend/select_backend.ts";
import type { Manifest } from "../models/manifest.ts";
import { loadRun } from "../models/model_io.ts";
import { batchBuckets } from "./batch_buckets.ts";
import type { BatchPredictFn } from "./continuous_batcher.ts";
import { browserModelFiles } from "./browser_model_files.ts";
import { createApp, type ModelHealth, type ServerOptions } from "./create_app.ts";
import { createModelPredictor, warmUpModelPredictor } from "./create_model_predictor.ts";
import { ServerMetrics } from "./server_metrics.ts";
import { startWorkerModelPredictor } from "./worker_model_predictor.ts";

/** What `startServer` needs: the model folder, the address and the server settings. */
export interface StartServerOptions extends ServerOptions {
  /** Run folder (or ensemble folder) to serve. */
  modelDir: string;
  /** Address to bind; anything but loopback requires `token`. */
  host: string;
  /** Port (0 picks a free one). */
  port: number;
  /** tfjs backend name for inference (see `selectBackend`; `auto` picks the fastest). */
  backend: string;
  /**
   * Run the model calls in a Worker (`startWorkerModelPredictor`) instead of on the HTTP thread
   * (default false here; `deno task serve` turns it on unless given `--no-model-worker`).
   */
  modelWorker?: boolean;
  /** Run each model as a native inference plan on the native backend (default true). */
  nativePlan?: boolean;
}

/** A running server. */
export interface RunningServer {
  server: Deno.HttpServer<Deno.NetAddr>;
  /** `http://host:port/`. */
  url: string;
  manifest: Manifest;
  backend: { name: string; reason: string };
  /** Milliseconds the warm-up predictions (one call at each batch size it runs) took. */
  warmupMs: number;
  /** How the model runs: `"native plan"` or `"tfjs (why)"` (`createModelPredictor`'s `path`). */
  modelPath: string;
  metrics: ServerMetrics;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  shutdown(): Promise<void>;
}

/** True for addresses only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Starts serving `modelDir`. Refuses a non-loopback `host` without a `token`.
 *
 * @example
 * ```ts ignore
 * const s = await startServer({ modelDir: "runs/x", host: "127.0.0.1", port: 0, backend: "auto",
 *   maxBatch: 64, batchTimeoutMs: 0, maxBodyBytes: 1 << 20 });
 * console.log(s.url);
 * await s.shutdown();
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  if (!isLoopback(options.host) && !options.token) {
    throw new RangeError(
      `binding to ${options.host} exposes the server beyond this machine: pass --token <secret> ` +
        `(clients then send 'Authorization: Bearer <secret>'), or bind 127.0.0.1`,
    );
  }
  const backend = await selectBackend(options.backend);
  const browserModel = await browserModelFiles(options.modelDir, true);
  const model = await _modelCall(options, backend.name);
  const metrics = new ServerMetrics();
  const app = createApp({
    predictor: model.predictor,
    manifest: model.manifest,
    options,
    backend,
    modelDir: options.modelDir,
    metrics,
    browserModel,
    health: model.health,
  });
  const server = Deno.serve({
    hostname: options.host,
    port: options.port,
    onListen: () => {},
  }, app.fetch);
  const { hostname, port } = server.addr;
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    server,
    url: `http://${shown}:${port}/`,
    manifest: model.manifest,
    backend,
    warmupMs: model.warmupMs,
    modelPath: model.path,
    metrics,
    shutdown: async () => {
      await server.shutdown();
      model.close();
    },
  };
}

/** The model call, in this thread or in a Worker, warmed up at every batch size it runs at. */
async function _modelCall(options: StartServerOptions, backendName: string): Promise<{
  predictor: BatchPredictFn;
  manifest: Manifest;
  warmupMs: number;
  path: string;
  /** The model Worker's status; undefined on the HTTP thread (`createApp` then reports up). */
  health?: () => ModelHealth;
  close(): void;
}> {
  const sizes = batchBuckets(options.maxBatch);
  if (options.modelWorker) {
    const worker = await startWorkerModelPredictor({
      modelDir: options.modelDir,
      backend: backendName,
      sizes,
      nativePlan: options.nativePlan,
    });
    return {
      predictor: worker.predict,
      manifest: worker.manifest,
      warmupMs: worker.warmupMs,
      path: worker.path,
      health: () => ({ modelCalls: "worker", ...worker.status() }),
      close: worker.close,
    };
  }
  const run = await loadRun(options.modelDir);
  const predictor = createModelPredictor(run, sizes, { nativePlan: options.nativePlan });
  const warmupMs = await warmUpModelPredictor(predictor, run.manifest.inputShape, sizes);
  return {
    predictor,
    manifest: run.manifest,
    warmupMs,
    path: predictor.path,
    close() {},
  };
}
