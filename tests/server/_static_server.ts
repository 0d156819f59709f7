/**
 * A plain static file server for tests (not the digits server): GET a file under `root`, `/` and
 * folders give their index.html, anything else 404. Like any static host, it knows nothing of
 * digits.
 */
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/** Serves `root` on a free loopback port; returns its URL and a shutdown function. */
export function serveStatic(
  root: string,
): { url: string; requests: string[]; close(): Promise<void> } {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    requests.push(path);
    const rel = normalize(path.endsWith("/") ? path + "index.html" : path);
    if (rel.includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(join(root, rel));
      const type = TYPES[extname(rel)] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    requests,
    close: () => server.shutdown(),
  };
}
