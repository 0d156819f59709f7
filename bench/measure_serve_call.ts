/**
 * Developer tool: the server's model call, in process, per batch size and backend: the median
 * and 99th percentile of many calls of `createModelPredictor` (what `deno task serve` runs for
 * each batch), with the process CPU time per call, gaps included, which shows threads that spin
 * between calls. Each backend runs in its own child process (tfjs moves every weight when the
 * backend changes), the backends alternate over `--rounds`, and the figures are the medians over
 * rounds. Not part of the CLI:
 *
 *   deno run -A bench/measure_serve_call.ts --model runs/<run>
 *     [--backend native,native+tfjs,wasm] [--batch 1,2,4,8,16,32,64] [--calls 300] [--rounds 3]
 *     [--gap-ms 1]
 *
 * `native` runs the server's native inference plan; `native+tfjs` the same backend through tfjs
 * (`--no-native-plan`). `--gap-ms` sleeps between calls, as a server between requests does, so
 * the backend's worker threads go idle and each call pays for waking them, as it does when
 * serving.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

/** One backend's figures for one batch size, from one child process. */
interface CallFigures {
  backend: string;
  batch: number;
  medianMs: number;
  p99Ms: number;
  cpuMsPerCall: number;
}

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    backend: { type: "string", default: "native,native+tfjs,wasm" },
    batch: { type: "string", default: "1,2,4,8,16,32,64" },
    calls: { type: "string", default: "300" },
    rounds: { type: "string", default: "3" },
    "gap-ms": { type: "string", default: "1" },
    child: { type: "boolean", default: false },
  },
});
if (values.model === undefined) {
  console.error("usage: deno run -A bench/measure_serve_call.ts --model runs/<run> [options]");
  Deno.exit(2);
}
const batches = values.batch.split(",").map(Number);
const calls = Number(values.calls);
if (values.child) {
  console.log(JSON.stringify(await _measure(values.model, values.backend, batches, calls)));
} else {
  await _compare(values.model, values.backend.split(","), Number(values.rounds));
}

/** Runs each backend in a child process per round, alternating, and prints the medians. */
async function _compare(model: string, backends: string[], rounds: number): Promise<void> {
  const all: CallFigures[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const backend of r % 2 === 0 ? backends : [...backends].reverse()) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          fileURLToPath(import.meta.url),
          "--child",
          "--model",
          model,
          "--backend",
          backend,
          "--batch",
          values.batch,
          "--calls",
          values.calls,
          "--gap-ms",
          values["gap-ms"],
        ],
        stderr: "inherit",
      }).output();
      const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
      if (!out.success) throw new Error(`the ${backend} child failed:\n${line}`);
      all.push(...JSON.parse(line) as CallFigures[]);
    }
  }
  console.log(`model call (createModelPredictor), ${model}, ${calls} calls × ${rounds} rounds:`);
  for (const batch of batches) {
    for (const backend of backends) {
      const rows = all.filter((f) => f.backend === backend && f.batch === batch);
      const med = (k: keyof CallFigures) => _median(rows.map((f) => f[k] as number));
      console.log(
        `  batch ${String(batch).padStart(2)}  ${backend.padEnd(11)}  median ` +
          `${med("medianMs").toFixed(3)} ms  p99 ${med("p99Ms").toFixed(3)} ms  ` +
          `CPU ${med("cpuMsPerCall").toFixed(3)} ms per call`,
      );
    }
  }
}

/** The child: times `calls` predictor calls at each batch size on `backend`. */
async function _measure(
  model: string,
  backend: string,
  sizes: number[],
  n: number,
): Promise<CallFigures[]> {
  const { selectBackend } = await import("../backend/select_backend.ts");
  const { loadRun } = await import("../models/model_io.ts");
  const { createModelPredictor } = await import("../server/create_model_predictor.ts");
  const { batchBuckets } = await import("../server/batch_buckets.ts");
  const nativePlan = !backend.endsWith("+tfjs");
  await selectBackend(backend.replace("+tfjs", ""));
  const run = await loadRun(model);
  const predict = createModelPredictor(run, batchBuckets(Math.max(...sizes)), { nativePlan });
  const [h, w, c] = run.manifest.inputShape;
  const gapMs = Number(values["gap-ms"]);
  const figures: CallFigures[] = [];
  for (const batch of sizes) {
    const x = Float32Array.from({ length: batch * h * w * c }, (_, i) => (i * 7919 % 256) / 255);
    for (let i = 0; i < 20; i++) await predict(x, batch);
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const t0 = performance.now();
      await predict(x, batch);
      times.push(performance.now() - t0);
    }
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    times.sort((a, b) => a - b);
    figures.push({
      backend,
      batch,
      medianMs: times[Math.floor(n / 2)]!,
      p99Ms: times[Math.min(n - 1, Math.floor(n * 0.99))]!,
      cpuMsPerCall: cpuMs / n,
    });
  }
  return figures;
}

function _median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
