/**
 * The server's Prometheus metrics, kept by `prom-client` (through `@hono/prometheus` for the HTTP
 * figures): requests by route, method and status, errors, a latency histogram, a histogram of
 * model-call batch sizes, the images predicted, the inference backend, and prom-client's default
 * process metrics (RSS, CPU, heap, event-loop lag, ...).
 *
 * @module
 */
import { prometheus } from "@hono/prometheus";
import type { Context, MiddlewareHandler } from "hono";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { routeLabel } from "./middleware/route_label.ts";

/** Latency buckets in seconds (0.25 ms to 5 s). */
const LATENCY_BUCKETS = [
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
];
/** Batch-size buckets (images per model call). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * The route label, as a `@hono/prometheus` custom label: it overrides the middleware's own
 * `route` (Hono's `routePath`, which is the last middleware's pattern, `/*`, for a 404 or 405).
 */
const ROUTE_LABEL = { route: (c: Context) => routeLabel(c) };

/**
 * The latency histogram's options. `@hono/prometheus` 1.0.3 passes `buckets` on to prom-client for
 * histograms, though its option type does not list it (hence a constant, not a literal).
 */
const DURATION_OPTIONS = {
  name: "digits_http_request_duration_seconds",
  help: "Request latency by route.",
  buckets: LATENCY_BUCKETS,
  customLabels: ROUTE_LABEL,
};

/**
 * Counters and histograms for one server, in a registry of its own (several apps in one process,
 * as in the tests, never share figures).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerMetrics } from "./server_metrics.ts";
 * const m = new ServerMetrics();
 * m.recordBatch(3);
 * assert.deepEqual(m.batchStats(), { calls: 1, images: 3, largest: 3 });
 * assert.match(await m.render(), /^digits_batch_size_bucket\{le="4"\} 1$/m);
 * ```
 */
export class ServerMetrics {
  /** The prom-client registry every metric of this server is in. */
  readonly registry: Registry = new Registry();
  /** Records every request's route, method, status and latency (the `@hono/prometheus` part). */
  readonly requestMiddleware: MiddlewareHandler;
  #errors: Counter<"route" | "status">;
  #batchSize: Histogram;
  #images: Counter;
  #backend: Gauge<"backend" | "reason">;
  #calls = 0;
  #imageCount = 0;
  #largest = 0;

  constructor() {
    const registers = [this.registry];
    const { registerMetrics } = prometheus({
      registry: this.registry,
      collectDefaultMetrics: true,
      metricOptions: {
        requestsTotal: {
          name: "digits_http_requests_total",
          help: "HTTP requests by route, method and status.",
          customLabels: ROUTE_LABEL,
        },
        requestDuration: DURATION_OPTIONS,
      },
    });
    this.requestMiddleware = registerMetrics;
    this.#errors = new Counter({
      name: "digits_http_errors_total",
      help: "HTTP responses with status 400 or more.",
      labelNames: ["route", "status"],
      registers,
    });
    this.#batchSize = new Histogram({
      name: "digits_batch_size",
      help: "Images per model call (continuous batching).",
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.#images = new Counter({
      name: "digits_images_predicted_total",
      help: "Images run through the model.",
      registers,
    });
    this.#backend = new Gauge({
      name: "digits_backend_info",
      help: "The tfjs backend that runs inference (1) and why it was chosen.",
      labelNames: ["backend", "reason"],
      registers,
    });
  }

  /** Records an error response (status 400 or more) on `route`. */
  recordError(route: string, status: number): void {
    this.#errors.inc({ route, status: String(status) });
  }

  /** Records one model call of `size` images. */
  recordBatch(size: number): void {
    this.#batchSize.observe(size);
    this.#images.inc(size);
    this.#calls++;
    this.#imageCount += size;
    this.#largest = Math.max(this.#largest, size);
  }

  /** Records the inference backend and the reason it was chosen. */
  setBackend(name: string, reason: string): void {
    this.#backend.set({ backend: name, reason }, 1);
  }

  /** Batch sizes seen so far: model calls, images, and the largest call (tests, benchmark). */
  batchStats(): { calls: number; images: number; largest: number } {
    return { calls: this.#calls, images: this.#imageCount, largest: this.#largest };
  }

  /** The media type of {@linkcode ServerMetrics.render}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
