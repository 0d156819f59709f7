import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/**
 * The route label of a request for metrics: the matched route pattern (not the raw path), so a
 * client cannot grow the label set without bound. A 405 names its path (only known paths get
 * one); anything else that matched no route is `unmatched`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { routeLabel } from "./route_label.ts";
 * const seen: string[] = [];
 * const app = new Hono().use(async (c, next) => {
 *   await next();
 *   seen.push(routeLabel(c));
 * });
 * app.get("/digits/:id", (c) => c.text("ok"));
 * await app.request("/digits/7");
 * await app.request("/nope");
 * assert.deepEqual(seen, ["/digits/:id", "unmatched"]);
 * ```
 */
export function routeLabel(c: Context): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
  if (handler !== undefined) return handler.path;
  return c.res.status === 405 ? c.req.path : "unmatched";
}
