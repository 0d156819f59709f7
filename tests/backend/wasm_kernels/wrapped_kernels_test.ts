import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _maxRelDiff, _runOn, _values } from "./_compare_with_cpu.ts";

async function same(what: string, f: () => tf.Tensor, tol = 1e-4): Promise<void> {
  const want = await _runOn("cpu", f);
  const got = await _runOn("wasm", f);
  assert.deepEqual(got.shape, want.shape, what);
  assert.ok(_maxRelDiff(got.values, want.values) < tol, what);
}

Deno.test("BatchMatMul on wasm matches cpu with every transpose flag and a batch axis", async () => {
  const av = _values(2 * 5 * 7, 11);
  const bv = _values(2 * 7 * 3, 12);
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      await same(`transposeA=${ta} transposeB=${tb}`, () =>
        tf.tidy(() => {
          const a = tf.tensor3d(av, ta ? [2, 7, 5] : [2, 5, 7]);
          const b = tf.tensor3d(bv, tb ? [2, 3, 7] : [2, 7, 3]);
          return tf.matMul(a, b, ta, tb);
        }));
    }
  }
});

Deno.test("Sum and Mean on wasm match cpu for leading, inner, mixed and full reductions", async () => {
  const xv = _values(3 * 5 * 4 * 6, 13);
  const axesList: (number | number[] | undefined)[] = [
    [0, 1, 2],
    0,
    [0, 1],
    3,
    [1, 3],
    undefined,
    -4,
  ];
  for (const axis of axesList) {
    for (const keepDims of [false, true]) {
      await same(
        `sum axis ${axis} keepDims ${keepDims}`,
        () => tf.tidy(() => tf.sum(tf.tensor4d(xv, [3, 5, 4, 6]), axis, keepDims)),
      );
      await same(
        `mean axis ${axis} keepDims ${keepDims}`,
        () => tf.tidy(() => tf.mean(tf.tensor4d(xv, [3, 5, 4, 6]), axis, keepDims)),
      );
    }
  }
  await same("int sum", () => tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), 0)));
});

Deno.test("Tile on wasm matches cpu for leading repeats and the general case", async () => {
  const cases: [number[], number[]][] = [
    [[1, 1, 1, 5], [3, 4, 2, 1]],
    [[1, 3], [7, 1]],
    [[2, 3], [2, 2]],
    [[1, 1, 4], [1, 3, 2]],
  ];
  for (const [shape, reps] of cases) {
    const xv = _values(shape.reduce((a, b) => a * b, 1), 14);
    await same(
      `tile ${shape} by ${reps}`,
      () => tf.tidy(() => tf.tile(tf.tensor(xv, shape), reps)),
    );
  }
});

Deno.test("Identity on wasm shares memory safely: the copy outlives the source", async () => {
  await _runOn("wasm", () => tf.scalar(0));
  const before = tf.memory().numTensors;
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x); // clone runs the Identity kernel
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3]);
  const z = tf.add(y, 1);
  y.dispose();
  assert.deepEqual(Array.from(await z.data()), [2, 3, 4]);
  z.dispose();
  assert.equal(tf.memory().numTensors, before);
});
