import assert from "node:assert/strict";
import { ContinuousBatcher } from "../../server/continuous_batcher.ts";

/**
 * A model call the test controls: each call records its inputs and waits until the test settles
 * it. The probability row of image i is [first pixel, call number].
 */
function controlledModel() {
  const calls: { n: number; firsts: number[]; settle: (err?: Error) => void }[] = [];
  let started: () => void = () => {};
  const predict = (x: Float32Array, n: number) =>
    new Promise<Float32Array>((resolve, reject) => {
      const firsts = Array.from({ length: n }, (_, i) => x[i * 3]!);
      const number = calls.length + 1;
      calls.push({
        n,
        firsts,
        settle: (err) => {
          if (err) return reject(err);
          const out = new Float32Array(n * 2);
          for (let i = 0; i < n; i++) out.set([firsts[i]!, number], i * 2);
          resolve(out);
        },
      });
      started();
    });
  /** Resolves once `count` calls have started. */
  const callsStarted = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => calls.length >= count ? resolve() : (started = check);
      check();
    });
  return { calls, predict, callsStarted };
}

/** A model that answers at once. */
function instantModel() {
  const calls: number[] = [];
  const predict = (x: Float32Array, n: number) => {
    calls.push(n);
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) out.set([x[i * 3]!, calls.length], i * 2);
    return Promise.resolve(out);
  };
  return { calls, predict };
}

const image = (v: number) => new Float32Array([v, 0, 0]);

Deno.test("ContinuousBatcher runs a lone request at once, with no timer", async () => {
  const model = controlledModel();
  // A huge wait would show if a lone request waited for it: the call must start without a timer.
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 64,
    waitMs: 60_000,
  });
  const answer = b.predict(image(7), 1);
  await model.callsStarted(1); // a microtask later, not a timeout later
  assert.equal(model.calls.length, 1);
  assert.equal(model.calls[0]!.n, 1);
  model.calls[0]!.settle();
  assert.deepEqual(Array.from(await answer), [7, 1]);
});

Deno.test("ContinuousBatcher puts requests that arrive during a call into the next call, capped at maxBatch", async () => {
  const model = controlledModel();
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 4,
  });
  const first = b.predict(image(0), 1);
  await model.callsStarted(1);
  // Six requests arrive while call 1 runs.
  const during = [1, 2, 3, 4, 5, 6].map((v) => b.predict(image(v), 1));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(model.calls.length, 1, "nothing else runs while the model is busy");
  model.calls[0]!.settle();
  await model.callsStarted(2);
  assert.deepEqual(model.calls[1]!.firsts, [1, 2, 3, 4], "the next call takes maxBatch of them");
  model.calls[1]!.settle();
  await model.callsStarted(3);
  assert.deepEqual(model.calls[2]!.firsts, [5, 6], "the rest form the call after");
  model.calls[2]!.settle();
  const answers = await Promise.all([first, ...during]);
  // Each request gets its own row, from the call it was part of.
  assert.deepEqual(answers.map((a) => Array.from(a)), [
    [0, 1],
    [1, 2],
    [2, 2],
    [3, 2],
    [4, 2],
    [5, 3],
    [6, 3],
  ]);
});

Deno.test("ContinuousBatcher sends an error in one model call to exactly that call's requests", async () => {
  const model = controlledModel();
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 2,
  });
  const settled = [1, 2, 3, 4, 5].map((v) => b.predict(image(v), 1)).map((p) =>
    p.then((probs) => ({ ok: probs[0] }), (err: Error) => ({ err: err.message }))
  );
  await model.callsStarted(1); // call 1: [1, 2] (same turn)
  model.calls[0]!.settle();
  await model.callsStarted(2); // call 2: [3, 4]
  model.calls[1]!.settle(new Error("boom"));
  await model.callsStarted(3); // call 3: [5]
  model.calls[2]!.settle();
  assert.deepEqual(model.calls.map((c) => c.firsts), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(await Promise.all(settled), [
    { ok: 1 },
    { ok: 2 },
    { err: "boom" },
    { err: "boom" },
    { ok: 5 },
  ]);
});

Deno.test("ContinuousBatcher with waitMs lets a queue that formed during a call fill up", async () => {
  const model = controlledModel();
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 3,
    waitMs: 60_000,
  });
  const first = b.predict(image(0), 1);
  await model.callsStarted(1);
  const second = b.predict(image(1), 1);
  model.calls[0]!.settle();
  await first;
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(model.calls.length, 1, "one queued image waits for company");
  // The queue reaching maxBatch ends the wait at once.
  const more = [2, 3].map((v) => b.predict(image(v), 1));
  await model.callsStarted(2);
  assert.deepEqual(model.calls[1]!.firsts, [1, 2, 3]);
  model.calls[1]!.settle();
  await Promise.all([second, ...more]);
});

Deno.test("ContinuousBatcher splits a request larger than maxBatch and reassembles its rows", async () => {
  const model = instantModel();
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 4,
  });
  const big = new Float32Array(10 * 3).map((_, i) => (i % 3 === 0 ? i / 3 : 0));
  const [bigOut, small] = await Promise.all([b.predict(big, 10), b.predict(image(99), 1)]);
  assert.ok(model.calls.every((n) => n <= 4), `calls ${model.calls}`);
  assert.equal(model.calls.reduce((a, n) => a + n, 0), 11);
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => bigOut![i * 2]),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(small![0], 99);
});

Deno.test("ContinuousBatcher with maxBatch 1 calls the model once per request", async () => {
  const model = instantModel();
  const b = new ContinuousBatcher({
    predict: model.predict,
    imageSize: 3,
    classes: 2,
    maxBatch: 1,
  });
  const answers = await Promise.all([1, 2, 3].map((v) => b.predict(image(v), 1)));
  assert.deepEqual(model.calls, [1, 1, 1]);
  assert.deepEqual(answers.map((a) => a[0]), [1, 2, 3]);
});

Deno.test("ContinuousBatcher reports each call's size and keeps working after a bad model answer", async () => {
  const sizes: number[] = [];
  let short = true;
  const b = new ContinuousBatcher({
    predict: (_x, n) => Promise.resolve(new Float32Array(short ? 1 : n * 2)),
    imageSize: 3,
    classes: 2,
    maxBatch: 8,
    onBatch: (n) => sizes.push(n),
  });
  const results = await Promise.allSettled([b.predict(image(1), 1), b.predict(image(2), 1)]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
  assert.match(String((results[0] as PromiseRejectedResult).reason), /returned 1 values for 2/);
  short = false;
  assert.equal((await b.predict(image(3), 1)).length, 2);
  assert.deepEqual(sizes, [2, 1]);
});

Deno.test("ContinuousBatcher checks its options and inputs", async () => {
  const predict = () => Promise.resolve(new Float32Array());
  assert.throws(
    () => new ContinuousBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 0 }),
    /maxBatch/,
  );
  assert.throws(
    () => new ContinuousBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 1, waitMs: -1 }),
    /waitMs/,
  );
  const b = new ContinuousBatcher({ predict, imageSize: 3, classes: 2, maxBatch: 1 });
  await assert.rejects(b.predict(new Float32Array(4), 1), /expected 3 floats/);
});
