import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ServerMetrics } from "../server_metrics.ts";

/**
 * Middleware that records every request's route pattern, method, status and latency in `metrics`.
 * Paths that match no route are recorded as `unmatched`, so clients cannot grow the label set.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { Hono } from "hono";
 * import { ServerMetrics } from "../server_metrics.ts";
 * import { recordMetrics } from "./record_metrics.ts";
 * const metrics = new ServerMetrics();
 * const app = new Hono().use(recordMetrics(metrics, performance.now.bind(performance)));
 * app.get("/ping", (c) => c.text("pong"));
 * await app.request("/ping");
 * assert.ok(metrics.render().includes('route="/ping"'));
 * ```
 */
export function recordMetrics(metrics: ServerMetrics, clock: () => number): MiddlewareHandler {
  return async function recordMetricsMiddleware(c, next) {
    const start = clock();
    try {
      await next();
    } finally {
      const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
      const route = handler?.path ?? "unmatched";
      metrics.recordRequest(route, c.req.method, c.res.status, (clock() - start) / 1000);
    }
  };
}
