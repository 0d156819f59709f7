import assert from "node:assert/strict";
import { selectBackend } from "../../backend/select_backend.ts";
import { loadRun } from "../../models/model_io.ts";
import { batchBuckets } from "../../server/batch_buckets.ts";
import { createModelPredictor } from "../../server/create_model_predictor.ts";
import { startServer } from "../../server/start_server.ts";
import { startWorkerModelPredictor } from "../../server/worker_model_predictor.ts";
import { FIXTURE_MODEL, mnistTest } from "./_fixture.ts";

const sizes = batchBuckets(8);

function images(n: number): Float32Array {
  const { pixels } = mnistTest(n);
  const x = new Float32Array(n * 784);
  pixels.forEach((p, i) => x.set(Array.from(p, (v) => v / 255), i * 784));
  return x;
}

Deno.test("startWorkerModelPredictor answers the in-thread predictor's probabilities", async () => {
  const m = await startWorkerModelPredictor({ modelDir: FIXTURE_MODEL, backend: "wasm", sizes });
  try {
    assert.equal(m.backend.name, "wasm");
    assert.deepEqual(m.manifest.inputShape, [28, 28, 1]);
    await selectBackend("wasm");
    const local = createModelPredictor(await loadRun(FIXTURE_MODEL), sizes);
    const x = images(5);
    for (const n of [1, 3, 5]) {
      const expected = Float32Array.from(await local(x.subarray(0, n * 784), n));
      const probs = await m.predict(x.subarray(0, n * 784), n);
      assert.equal(probs.length, n * 10);
      assert.deepEqual(probs, expected, `batch of ${n}: the same values bit for bit`);
    }
    // The caller's buffer is copied, not taken: it stays usable after the call.
    assert.equal(x.length, 5 * 784);
  } finally {
    m.close();
  }
});

Deno.test("startWorkerModelPredictor rejects exactly the call that fails", async () => {
  const m = await startWorkerModelPredictor({ modelDir: FIXTURE_MODEL, backend: "wasm", sizes });
  try {
    const x = images(2);
    const [good, bad, after] = await Promise.allSettled([
      m.predict(x.subarray(0, 784), 1),
      m.predict(new Float32Array(5), 1), // 5 floats for a 784-float image
      m.predict(x, 2),
    ]);
    assert.equal(good.status, "fulfilled");
    assert.equal(after.status, "fulfilled");
    assert.equal(bad.status, "rejected");
    assert.match(String((bad as PromiseRejectedResult).reason), /model call failed: .*784/);
    assert.equal(m.restarts(), 0);
  } finally {
    m.close();
  }
});

Deno.test("startWorkerModelPredictor rejects with the reason when the Worker cannot start", async () => {
  await assert.rejects(
    startWorkerModelPredictor({ modelDir: "tests/no-such-run", backend: "wasm", sizes }),
    /the model worker could not start: .*no-such-run/,
  );
});

Deno.test("startWorkerModelPredictor turns a dying Worker into rejected calls and restarts it", async () => {
  const m = await startWorkerModelPredictor({
    modelDir: FIXTURE_MODEL,
    backend: "wasm",
    sizes,
    workerUrl: new URL("./_dying_model_worker.ts", import.meta.url),
  });
  try {
    await assert.rejects(m.predict(new Float32Array(2 * 784), 2), /the model worker died: .*crash/);
    assert.equal(m.restarts(), 1);
    const probs = await m.predict(new Float32Array(784), 1); // the restarted Worker answers
    assert.equal(probs.length, 10);
  } finally {
    m.close();
  }
  await assert.rejects(m.predict(new Float32Array(784), 1), /closed/);
});

Deno.test("startWorkerModelPredictor stops restarting a Worker that keeps dying", async () => {
  const m = await startWorkerModelPredictor({
    modelDir: FIXTURE_MODEL,
    backend: "wasm",
    sizes,
    workerUrl: new URL("./_dying_model_worker.ts", import.meta.url),
    restartLimit: { max: 2, windowMs: 60_000 },
  });
  try {
    assert.deepEqual(m.status(), { state: "up", restarts: 0 });
    for (let death = 1; death <= 3; death++) {
      await assert.rejects(m.predict(new Float32Array(2 * 784), 2), /the model worker died/);
    }
    // Two restarts were allowed; the third death within the minute ends them.
    assert.equal(m.restarts(), 2);
    const status = m.status();
    assert.equal(status.state, "failed");
    assert.match(status.reason ?? "", /died 3 times within 60 s and is not restarted .*crash/);
    await assert.rejects(m.predict(new Float32Array(784), 1), /died 3 times within 60 s/);
  } finally {
    m.close();
  }
});

Deno.test("startServer with modelWorker serves predictions and its shutdown ends the Worker", async () => {
  const s = await startServer({
    modelDir: FIXTURE_MODEL,
    host: "127.0.0.1",
    port: 0,
    backend: "wasm",
    maxBatch: 8,
    batchTimeoutMs: 0,
    maxBodyBytes: 1 << 20,
    modelWorker: true,
  });
  const x = images(3);
  const body = JSON.stringify({
    instances: [0, 1, 2].map((i) => Array.from(x.subarray(i * 784, (i + 1) * 784), (v) => v * 255)),
  });
  const res = await fetch(`${s.url}v1/models/digits:predict`, { method: "POST", body });
  assert.equal(res.status, 200);
  const { predictions } = await res.json() as { predictions: number[][] };
  assert.equal(predictions.length, 3);
  for (const row of predictions) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
  // The sanitizers fail this test if the Worker (or its port) outlives shutdown.
  await s.shutdown();
});
