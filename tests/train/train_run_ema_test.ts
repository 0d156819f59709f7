import assert from "node:assert/strict";
import { selectBackend } from "../../backend/select_backend.ts";
import { createModel } from "../../models/create_model.ts";
import { loadRun } from "../../models/model_io.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Example } from "../../pipeline/types.ts";
import type { TrainConfig } from "../../train/config.ts";
import { readEmaState } from "../../train/ema_checkpoint.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { trainRun } from "../../train/train_run.ts";

await selectBackend("wasm");
const FIXTURE = new URL("../fixtures/csv/mnist8/train.csv", import.meta.url).pathname;
const rows: Example[] = (await Array.fromAsync(
  readExamples({ files: FIXTURE, format: { header: false, labelColumn: "last", pixelMax: 16 } }),
)).slice(0, 256);

function config(out: string, values: Record<string, unknown>): TrainConfig {
  return resolveConfig({
    preset: "quick",
    flags: { out, backend: "wasm", seed: 3, validSplit: 0, model: "logreg", lr: 0.05, ...values },
  });
}

async function savedWeights(dir: string): Promise<Float32Array[]> {
  const run = await loadRun(dir);
  const model = run.models[0]!;
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array).map((d) => d.slice());
  model.dispose();
  return weights;
}

function assertClose(a: Float32Array[], b: Float32Array[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((w, i) =>
    w.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) < 1e-5, `${what}: weight ${i}[${j}]`))
  );
}

Deno.test("trainRun --ema saves the average of the live weights, as computed by hand over the steps", async () => {
  const out = await Deno.makeTempDir();
  // One step per epoch (batch = all 256 rows), so each epoch's checkpoint holds the live weights
  // after one more step.
  const live: Float32Array[][] = [];
  const decay = 0.9;
  const { manifest } = await trainRun(
    config(out, { epochs: 4, batchSize: 256, ema: decay, restoreBest: false }),
    {
      examples: { train: rows },
      progress: "silent",
      onEpoch: async () => void live.push(await savedWeights(out)),
    },
  );
  assert.equal(manifest.epochsCompleted, 4);
  const init = createModel("logreg", { inputShape: [8, 8, 1], numClasses: 10, seed: 3 });
  let average = init.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
  init.dispose();
  live.forEach((weights, n) => {
    const d = Math.min(decay, (1 + n) / (10 + n)); // the warm-up of WeightAverage
    average = average.map((a, i) => a.map((v, j) => v - (1 - d) * (v - weights[i]![j]!)));
  });
  const saved = await savedWeights(out);
  assertClose(saved, average, "saved vs hand-computed average");
  const last = live.at(-1)!;
  assert.ok(saved[0]!.some((v, j) => Math.abs(v - last[0]![j]!) > 1e-4), "saved = live weights");
  assert.equal((await readEmaState(out))!.updates, 4);
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun --ema: an interrupted run's --resume continues the average, and the end saves it", async () => {
  const out = await Deno.makeTempDir();
  const controller = new AbortController();
  const cfg = config(out, { epochs: 3, batchSize: 64, ema: 0.99, restoreBest: false });
  const first = await trainRun(cfg, {
    examples: { train: rows },
    progress: "silent",
    signal: controller.signal,
    onEpoch: () => controller.abort(), // stops after the first step of epoch 2
  });
  assert.equal(first.interrupted, true);
  assert.equal((await readEmaState(out))!.updates, 5);
  const lines: string[] = [];
  const second = await trainRun(cfg, {
    examples: { train: rows },
    resume: out,
    progress: "line",
    write: (t) => lines.push(t),
  });
  assert.equal(second.interrupted, false);
  assert.equal(second.manifest.epochsCompleted, 3);
  assert.match(lines.join(""), /continuing the average \(5 updates\)/);
  // Epochs 2 and 3 again: 8 more steps, and the saved model is the average.
  const ema = (await readEmaState(out))!;
  assert.equal(ema.updates, 13);
  assertClose(await savedWeights(out), ema.values, "saved vs ema.bin");
  await Deno.remove(out, { recursive: true });
});
