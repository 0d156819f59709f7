/**
 * Loads a run folder, warms the model up and serves the app with `Deno.serve`.
 *
 * @module
 */
import { selectBackend } from "../backend/select_backend.ts";
import type { Manifest } from "../models/manifest.ts";
import { loadRun } from "../models/model_io.ts";
import { batchBuckets } from "./batch_buckets.ts";
import { browserModelFiles } from "./browser_model_files.ts";
import { createApp, type ServerOptions } from "./create_app.ts";
import { createModelPredictor } from "./create_model_predictor.ts";
import { ServerMetrics } from "./server_metrics.ts";

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
  const run = await loadRun(options.modelDir);
  const browserModel = await browserModelFiles(options.modelDir, true);
  const sizes = batchBuckets(options.maxBatch);
  const predictor = createModelPredictor(run, sizes);
  const [h, w, c] = run.manifest.inputShape;
  const started = performance.now();
  // Every size a model call runs at: the first call of each pays for kernel set-up (native:
  // oneDNN builds its primitives per shape), which would otherwise stall the requests of the
  // first batch of that size.
  for (const n of sizes) await predictor(new Float32Array(n * h * w * c), n);
  const warmupMs = performance.now() - started;
  const metrics = new ServerMetrics();
  const app = createApp({
    predictor,
    manifest: run.manifest,
    options,
    backend,
    modelDir: options.modelDir,
    metrics,
    browserModel,
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
    manifest: run.manifest,
    backend,
    warmupMs,
    metrics,
    shutdown: async () => {
      await server.shutdown();
    },
  };
}
