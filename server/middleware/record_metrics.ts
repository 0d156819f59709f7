import type { MiddlewareHandler } from "hono";
import type { ServerMetrics } from "../server_metrics.ts";
import { routeLabel } from "./route_label.ts";

/**
 * Middleware that records every request's route pattern, method, status and latency in `metrics`
 * (through `@hono/prometheus`), and counts responses with status 400 or more as errors. Paths
 * that match no route are recorded as `unmatched`, so clients cannot grow the label set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { ServerMetrics } from "../server_metrics.ts";
 * import { recordMetrics } from "./record_metrics.ts";
 * const metrics = new ServerMetrics();
 * const app = new Hono().use(recordMetrics(metrics));
 * app.get("/ping", (c) => c.text("pong"));
 * await app.request("/ping");
 * await app.request("/nope");
 * const text = await metrics.render();
 * assert.match(text, /digits_http_requests_total\{[^}]*route="\/ping"[^}]*\} 1/);
 * assert.match(text, /digits_http_errors_total\{route="unmatched",status="404"\} 1/);
 * ```
 */
export function recordMetrics(metrics: ServerMetrics): MiddlewareHandler {
  const requests = metrics.requestMiddleware;
  return async function recordMetricsMiddleware(c, next) {
    await requests(c, next);
    if (c.res.status >= 400) metrics.recordError(routeLabel(c), c.res.status);
  };
}
