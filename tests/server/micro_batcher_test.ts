import assert from "node:assert/strict";
import { MicroBatcher } from "../../server/micro_batcher.ts";

/** A fake model: the probability row of image i is [first pixel, call number]. */
function fakeModel(delayMs = 0) {
  const calls: number[] = [];
  const predict = async (x: Float32Array, n: number) => {
    calls.push(n);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) out.set([x[i * 3]!, calls.length], i * 2);
    return out;
  };
  return { calls, predict };
}

const image = (v: number) => new Float32Array([v, 0, 0]);

Deno.test("MicroBatcher groups concurrent requests and returns each its own rows", async () => {
  const model = fakeModel();
  const b = new MicroBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 8,
    timeoutMs: 10,
  });
  const answers = await Promise.all([1, 2, 3, 4, 5].map((v) => b.predict(image(v), 1)));
  assert.deepEqual(model.calls, [5]);
  assert.deepEqual(answers.map((a) => a[0]), [1, 2, 3, 4, 5]);
});

Deno.test("MicroBatcher never exceeds maxBatch and splits large requests", async () => {
  const model = fakeModel();
  const b = new MicroBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 4,
    timeoutMs: 5,
  });
  const big = new Float32Array(10 * 3).map((_, i) => (i % 3 === 0 ? i / 3 : 0));
  const [bigOut, small] = await Promise.all([b.predict(big, 10), b.predict(image(99), 1)]);
  assert.ok(model.calls.every((n) => n <= 4), `calls ${model.calls}`);
  assert.equal(model.calls.reduce((a, n) => a + n, 0), 11);
  assert.deepEqual(Array.from({ length: 10 }, (_, i) => bigOut![i * 2]), [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
  ]);
  assert.equal(small![0], 99);
});

Deno.test("MicroBatcher runs a full batch at once without waiting for the timeout", async () => {
  const model = fakeModel();
  const b = new MicroBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 3,
    timeoutMs: 10_000,
  });
  const started = performance.now();
  await Promise.all([1, 2, 3].map((v) => b.predict(image(v), 1)));
  assert.ok(performance.now() - started < 1000);
  assert.deepEqual(model.calls, [3]);
});

Deno.test("MicroBatcher with maxBatch 1 calls the model once per request", async () => {
  const model = fakeModel();
  const b = new MicroBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 1,
    timeoutMs: 2,
  });
  await Promise.all([1, 2, 3].map((v) => b.predict(image(v), 1)));
  assert.deepEqual(model.calls, [1, 1, 1]);
});

Deno.test("MicroBatcher queues requests that arrive during a model call into the next batch", async () => {
  const model = fakeModel(30);
  const b = new MicroBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 64,
    timeoutMs: 1,
  });
  const first = b.predict(image(1), 1);
  await new Promise((r) => setTimeout(r, 10)); // the first call is running now
  const rest = [2, 3, 4, 5].map((v) => b.predict(image(v), 1));
  await Promise.all([first, ...rest]);
  assert.deepEqual(model.calls, [1, 4]);
});

Deno.test("MicroBatcher rejects every request of a failed call, then keeps working", async () => {
  let fail = true;
  const b = new MicroBatcher({
    predict: (_x, n) =>
      fail ? Promise.reject(new Error("boom")) : Promise.resolve(new Float32Array(n * 2)),
    imageSize: 3,
    classes: 2,
    maxBatch: 8,
    timeoutMs: 1,
  });
  const results = await Promise.allSettled([b.predict(image(1), 1), b.predict(image(2), 1)]);
  assert.ok(results.every((r) => r.status === "rejected"));
  fail = false;
  assert.equal((await b.predict(image(3), 1)).length, 2);
});

Deno.test("MicroBatcher checks its options and inputs", async () => {
  const predict = () => Promise.resolve(new Float32Array());
  assert.throws(
    () => new MicroBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 0, timeoutMs: 1 }),
    /maxBatch/,
  );
  assert.throws(
    () => new MicroBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 1, timeoutMs: -1 }),
    /timeoutMs/,
  );
  const b = new MicroBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 1, timeoutMs: 1 });
  await assert.rejects(b.predict(new Float32Array(4), 1), /expected 3 floats/);
});
