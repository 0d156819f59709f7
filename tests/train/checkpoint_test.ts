import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fileURLToPath } from "node:url";
import { loadRun } from "../../models/model_io.ts";
import { readCheckpoint } from "../../train/checkpoint.ts";

await tf.setBackend("cpu");
const WRITER = fileURLToPath(new URL("./_checkpoint_writer.ts", import.meta.url));

/** Starts the writer and resolves once it has saved at least `n` checkpoints. */
async function startWriter(dir: string, n: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, dir],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while ((text.match(/saved/g) ?? []).length < n) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the checkpoint writer exited early: ${text}`);
    text += value;
  }
  reader.releaseLock();
  return child;
}

Deno.test("a run killed (SIGKILL) while writing checkpoints leaves a loadable, resumable folder", async () => {
  const dir = await Deno.makeTempDir();
  for (const delayMs of [0, 7, 23, 41, 60]) {
    const child = await startWriter(dir, 1);
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    const run = await loadRun(dir);
    const probs = tf.tidy(() =>
      Array.from((run.models[0]!.predict(tf.ones([1, 28, 28, 1])) as tf.Tensor).dataSync())
    );
    assert.equal(probs.length, 10);
    assert.ok(probs.every(Number.isFinite));
    run.models[0]!.dispose();
    const checkpoint = await readCheckpoint(dir);
    assert.equal(checkpoint.state.epoch, checkpoint.manifest.epochsCompleted);
    const optimizer = tf.train.adam(1e-3);
    await checkpoint.restoreOptimizer(optimizer);
    checkpoint.model.dispose();
    optimizer.dispose();
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readCheckpoint explains a folder that was not saved by training", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(() => readCheckpoint(dir), /model folder|manifest|model\.json/);
  await Deno.remove(dir, { recursive: true });
});
