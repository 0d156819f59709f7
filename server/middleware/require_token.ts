import type { MiddlewareHandler } from "hono";

/** Compares two strings in time that does not depend on where they differ. */
function sameToken(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Middleware that requires `Authorization: Bearer <token>` and answers 401 with a JSON error
 * otherwise. The comparison takes the same time wherever the tokens differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { Hono } from "hono";
 * import { requireToken } from "./require_token.ts";
 * const app = new Hono().use(requireToken("s3cret"));
 * app.get("/x", (c) => c.text("ok"));
 * assert.ok((await app.request("/x")).status === 401);
 * const ok = await app.request("/x", { headers: { authorization: "Bearer s3cret" } });
 * assert.ok(ok.status === 200);
 * ```
 */
export function requireToken(token: string): MiddlewareHandler {
  return async function requireTokenMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match === null || !sameToken(match[1]!, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="digits"');
      return c.json(
        { error: "missing or wrong bearer token: send 'Authorization: Bearer <token>'" },
        401,
      );
    }
    await next();
  };
}
