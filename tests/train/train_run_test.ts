import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { selectBackend } from "../../backend/select_backend.ts";
import { loadRun } from "../../models/model_io.ts";
import type { Example } from "../../pipeline/types.ts";
import type { TrainState } from "../../train/checkpoint.ts";
import type { TrainConfig } from "../../train/config.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { trainRun } from "../../train/train_run.ts";
import { mnistSlice } from "./_mnist_slice.ts";

await selectBackend("wasm");
const data = await mnistSlice(3000, 1000);
const train2000 = data.train.slice(0, 2000);

function config(out: string, values: Record<string, unknown>): TrainConfig {
  return resolveConfig({
    preset: "quick",
    flags: { out, backend: "wasm", seed: 1, validSplit: 0, ...values },
  });
}

async function predictions(dir: string, examples: Example[]): Promise<number[]> {
  const run = await loadRun(dir);
  const model = run.models[0]!;
  const x = tf.tensor4d(
    Float32Array.from(examples.flatMap((e) => Array.from(e.pixels, (p) => p / 255))),
    [examples.length, 28, 28, 1],
  );
  const out = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
  x.dispose();
  model.dispose();
  return out;
}

Deno.test("trainRun: 2,000 images, 1 epoch reach ≥90% on 1,000 held-out images; the folder describes itself", async () => {
  const out = await Deno.makeTempDir();
  const { runDir, manifest, history } = await trainRun(
    config(out, { model: "compact-cnn", epochs: 1, batchSize: 8, lr: 1e-3 }),
    { examples: { train: train2000, test: data.test }, progress: "silent" },
  );
  assert.equal(runDir, out);
  assert.equal(history.length, 1);
  const testAcc = manifest.metrics.final.test_acc!;
  assert.ok(testAcc >= 0.9, `test accuracy ${testAcc}`);
  assert.equal(manifest.architecture, "compact-cnn");
  assert.deepEqual(manifest.inputShape, [28, 28, 1]);
  assert.equal(manifest.classes.length, 10);
  assert.equal(manifest.data.rows, 2000);
  assert.match(manifest.data.sha256, /^[0-9a-f]{64}$/);
  assert.equal(manifest.epochsCompleted, 1);
  assert.equal(manifest.config.batchSize, 8);
  assert.equal(manifest.backend.name, "wasm");
  for (
    const f of [
      "model.json",
      "weights.bin",
      "manifest.json",
      "history.json",
      "train_state.json",
      "optimizer.bin",
      "best/model.json",
    ]
  ) {
    await Deno.stat(join(out, f));
  }
  const saved = JSON.parse(await Deno.readTextFile(join(out, "history.json")));
  assert.deepEqual(Object.keys(saved[0]).sort(), [
    "acc",
    "epoch",
    "imagesPerSecond",
    "loss",
    "lr",
    "optimizer",
    "seconds",
  ]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun keeps tf.memory().numTensors the same at every epoch end and frees all at the end", async () => {
  const out = await Deno.makeTempDir();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  await trainRun(
    config(out, {
      model: "compact-cnn",
      epochs: 3,
      validSplit: 0.2,
      plateauPatience: 1,
      schedule: "epoch",
      augment: "light",
    }),
    {
      examples: { train: data.train.slice(0, 400) },
      progress: "silent",
      onEpoch: () => void counts.push(tf.memory().numTensors),
    },
  );
  assert.equal(counts.length, 3);
  assert.equal(new Set(counts).size, 1, `tensor counts per epoch: ${counts.join(", ")}`);
  assert.equal(tf.memory().numTensors, before);
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun: the same seed reproduces a compact-cnn run exactly (splits, shuffles, init)", async () => {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const out = await Deno.makeTempDir();
    runs.push(
      await trainRun(
        config(out, {
          model: "compact-cnn",
          epochs: 1,
          batchSize: 32,
          validSplit: 0.25,
          augment: "light",
        }),
        { examples: { train: data.train.slice(0, 256) }, progress: "silent" },
      ),
    );
    await Deno.remove(out, { recursive: true });
  }
  const [a, b] = runs.map((r) => r.history.map((h) => [h.loss, h.acc, h.val_loss, h.val_acc]));
  assert.deepEqual(a, b);
  assert.equal(runs[0]!.manifest.data.sha256, runs[1]!.manifest.data.sha256);
});

Deno.test("trainRun: EarlyStopping stops and restores the best epoch's weights", async () => {
  const out = await Deno.makeTempDir();
  // Validation rows whose labels are all wrong: the better the model fits, the worse val_loss.
  const wrong = data.train.slice(2000, 2300).map((e) => ({ ...e, label: (e.label + 1) % 10 }));
  const { history, manifest } = await trainRun(
    config(out, { model: "mlp", epochs: 6, patience: 1, monitor: "val_loss", restoreBest: true }),
    { examples: { train: train2000, valid: wrong }, progress: "silent" },
  );
  assert.equal(history.length, 2, "stopped after one epoch without improvement");
  assert.ok(history[1]!.val_loss! > history[0]!.val_loss!);
  assert.equal(manifest.metrics.best.epoch, 1);
  assert.equal(manifest.metrics.final.val_loss, history[0]!.val_loss);
  const probe = data.test.slice(0, 20);
  assert.deepEqual(await predictions(out, probe), await predictions(join(out, "best"), probe));
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun: an aborted run saves a checkpoint and --resume continues from its epoch", async () => {
  const out = await Deno.makeTempDir();
  const cfg = config(out, { model: "mlp", epochs: 3, batchSize: 100, validSplit: 0.1 });
  const examples = { train: data.train.slice(0, 1000) };
  const controller = new AbortController();
  const first = await trainRun(cfg, {
    examples,
    progress: "silent",
    signal: controller.signal,
    onEpoch: () => controller.abort(), // like Ctrl-C during epoch 2
  });
  assert.equal(first.interrupted, true);
  const stopped = JSON.parse(await Deno.readTextFile(join(out, "train_state.json"))) as TrainState;
  assert.equal(stopped.epoch, 1);
  assert.equal(stopped.interrupted, true);
  assert.equal(stopped.step, 9 + 1, "9 steps of epoch 1, then one of epoch 2");
  assert.ok(stopped.optimizerWeights !== null && stopped.optimizerWeights.length > 1);

  const resumed = await trainRun(cfg, { examples, progress: "silent", resume: out });
  assert.equal(resumed.interrupted, false);
  assert.deepEqual(resumed.history.map((h) => h.epoch), [1, 2, 3]);
  assert.deepEqual(resumed.history[0], first.history[0]);
  const state = JSON.parse(await Deno.readTextFile(join(out, "train_state.json"))) as TrainState;
  assert.equal(state.step, 10 + 2 * 9);
  assert.equal(resumed.manifest.epochsCompleted, 3);
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun: a signal raised by a timer (as SIGINT is) stops the epoch it arrives in", async () => {
  // Signal handlers run as macrotasks; a CPU training step settles through microtasks only, so
  // the loop must give the event loop a turn or the abort waits for the epoch's end.
  const out = await Deno.makeTempDir();
  const cfg = config(out, { model: "mlp", epochs: 2, batchSize: 4 }); // 500 steps per epoch
  const controller = new AbortController();
  let scheduled = false;
  const result = await trainRun(cfg, {
    examples: { train: train2000 },
    progress: "bar",
    write: (text) => {
      // The first progress bar of epoch 1: training has started; "press Ctrl-C" from a timer.
      if (!scheduled && text.includes("epoch 1/2 [")) {
        scheduled = true;
        setTimeout(() => controller.abort(), 0);
      }
    },
    signal: controller.signal,
  });
  assert.ok(scheduled, "the bar was drawn");
  assert.equal(result.interrupted, true);
  const stopped = JSON.parse(await Deno.readTextFile(join(out, "train_state.json"))) as TrainState;
  assert.equal(stopped.epoch, 0, "stopped inside epoch 1, not after it");
  assert.ok(stopped.step > 0 && stopped.step < 500, `steps ${stopped.step}`);
  await Deno.remove(out, { recursive: true });
});

Deno.test("trainRun: the optimizer switch and the schedules show in history.json", async () => {
  const out = await Deno.makeTempDir();
  const { history } = await trainRun(
    config(out, {
      model: "mlp",
      epochs: 3,
      batchSize: 100,
      lr: 1e-3,
      schedule: "epoch",
      epochDecay: 0.5,
      switchOptimizer: "sgd",
      switchAfter: 2,
      switchLr: 0.01,
    }),
    { examples: { train: data.train.slice(0, 300) }, progress: "silent" },
  );
  assert.deepEqual(history.map((h) => h.optimizer), ["adam", "adam", "sgd"]);
  assert.deepEqual(history.map((h) => h.lr), [1e-3, 5e-4, 0.01]);
  const saved = JSON.parse(await Deno.readTextFile(join(out, "history.json")));
  assert.deepEqual(saved.map((h: { lr: number }) => h.lr), [1e-3, 5e-4, 0.01]);
  await Deno.remove(out, { recursive: true });
});
