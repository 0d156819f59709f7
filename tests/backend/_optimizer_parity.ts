/**
 * Shared checks for the fused optimizers: train the same small problem with a fused optimizer
 * and with tfjs's own on one backend, and compare weights and optimizer state.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";
import { selectBackend } from "../../backend/select_backend.ts";
import { hasOptimizerUpdate } from "../../backend/optimizer_update_kernels.ts";

const status = await registerNativeBackend();
if (!status.ok) console.log(`skipping the native fused optimizer tests: ${status.reason}`);
await selectBackend("wasm"); // initialises wasm and registers its training kernels

/** The backends with the fused kernels; native is ignored where it cannot load. */
export const _BACKENDS = [{ name: "wasm", ignore: false }, { name: "native", ignore: !status.ok }];

/** Odd shapes, a bias, and one above the native pool's 16,384-float threshold. */
const SHAPES = [[3, 3, 2, 5], [7], [17, 9], [130, 131]];

function _seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5;
  }
  return out;
}

/** Variables and a loss whose gradient changes from step to step (cubic terms). */
export function _problem(
  tag: string,
): { vars: tf.Variable[]; loss: () => tf.Scalar; dispose: () => void } {
  const vars = SHAPES.map((shape, k) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(_seeded(tf.util.sizeFromShape(shape), k + 1), shape),
        true,
        `${tag}/w${k}`,
      )
    )
  );
  const targets = SHAPES.map((shape, k) =>
    tf.tensor(_seeded(tf.util.sizeFromShape(shape), k + 11), shape)
  );
  const loss = () =>
    tf.addN(vars.map((v, k) => tf.sum(tf.add(tf.square(tf.sub(v, targets[k]!)), tf.pow(v, 4)))))
      .div(100) as tf.Scalar;
  return { vars, loss, dispose: () => tf.dispose([...vars, ...targets]) };
}

/** Snapshot of the weights and the optimizer's saved state (names with values). */
export async function _snapshot(
  vars: tf.Variable[],
  opt: tf.Optimizer,
): Promise<{ weights: Float32Array[]; state: [string, Float32Array | Int32Array][] }> {
  const weights = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  const named = await opt.getWeights();
  const state: [string, Float32Array | Int32Array][] = [];
  for (const { name, tensor } of named) {
    state.push([name.replace(/^[^/]*\//, ""), (await tensor.data()) as Float32Array]);
  }
  tf.dispose(named[0]!.tensor); // "iter" is a fresh scalar
  return { weights, state };
}

/** Asserts two snapshots agree within a relative tolerance. */
export function _assertClose(
  actual: Awaited<ReturnType<typeof _snapshot>>,
  expected: Awaited<ReturnType<typeof _snapshot>>,
  label: string,
  tol = 2e-5,
): void {
  const close = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
    assert.equal(a.length, e.length, `${label}: ${what} length`);
    for (let i = 0; i < a.length; i++) {
      const diff = Math.abs(a[i]! - e[i]!);
      if (diff > tol * (1 + Math.abs(e[i]!))) {
        assert.fail(`${label}: ${what}[${i}] = ${a[i]} but tfjs gives ${e[i]}`);
      }
    }
  };
  actual.weights.forEach((w, k) => close(w, expected.weights[k]!, `weight ${k}`));
  assert.deepEqual(actual.state.map((s) => s[0]), expected.state.map((s) => s[0]));
  actual.state.forEach(([name, v], k) => close(v, expected.state[k]![1], name));
}

/** Runs `steps` minimize steps; checks the fused kernel runs when `kernel` is given. */
export async function _train(
  opt: tf.Optimizer,
  problem: ReturnType<typeof _problem>,
  steps: number,
  kernel?: string,
): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (kernel !== undefined && i === 0) {
      assert.ok(hasOptimizerUpdate(kernel), `${tf.getBackend()} registers ${kernel}`);
      const profile = await tf.profile(() => opt.minimize(problem.loss, true)?.dispose());
      const names = profile.kernels.map((k) => k.name);
      assert.equal(names.filter((n) => n === kernel).length, SHAPES.length, names.join(","));
      continue;
    }
    opt.minimize(problem.loss, true)?.dispose();
  }
}

/** Sets a backend (native or wasm). */
export async function _use(name: string): Promise<void> {
  assert.ok(await tf.setBackend(name), `backend ${name} is available`);
}

/**
 * Registers, per backend, the parity test (20 steps against the tfjs optimizer: weights, state,
 * in-place updates, no leaks) and the resume test (10 steps on one, setWeights into the other,
 * 10 more: equal to 20 straight steps of the tfjs optimizer, both ways).
 */
export function _parityTests(
  className: string,
  label: string,
  kernel: string,
  fused: () => tf.Optimizer,
  stock: () => tf.Optimizer,
): void {
  for (const backend of _BACKENDS) {
    Deno.test({
      name: `${className} on ${backend.name} follows its tfjs optimizer over 20 steps, ` +
        `weights and state, without leaking tensors`,
      ignore: backend.ignore,
      async fn() {
        await _use(backend.name);
        const results = [];
        for (const [make, k] of [[fused, kernel], [stock, undefined]] as const) {
          const before = tf.memory().numTensors;
          const p = _problem(`${label}-${backend.name}-${k ?? "stock"}`);
          const opt = make();
          await _train(opt, p, 1, k);
          const afterFirst = tf.memory().numTensors;
          await _train(opt, p, 1);
          const big = p.vars.at(-1)!;
          const id = big.dataId;
          const state = await opt.getWeights();
          const stateId = state.at(-1)!.tensor.dataId;
          tf.dispose(state[0]!.tensor);
          await _train(opt, p, 18);
          if (k !== undefined) {
            const last = await opt.getWeights();
            assert.equal(last.at(-1)!.tensor.dataId, stateId, "the state is updated in place");
            tf.dispose(last[0]!.tensor);
            // wasm gives weights a new tensor per step (XNNPACK caches packed weights by id).
            if (backend.name === "native") {
              assert.equal(big.dataId, id, "native updates the weights in place");
            }
          }
          assert.equal(tf.memory().numTensors, afterFirst, "a step leaves no tensors behind");
          results.push(await _snapshot(p.vars, opt));
          opt.dispose();
          p.dispose();
          // tfjs's MomentumOptimizer.dispose leaks its learning-rate scalar; the fused one does not.
          if (k !== undefined) assert.equal(tf.memory().numTensors, before, "dispose frees all");
        }
        _assertClose(results[0]!, results[1]!, `${label} on ${backend.name}`);
      },
    });

    Deno.test({
      name: `${className} on ${backend.name} resumes its tfjs optimizer's saved state and back`,
      ignore: backend.ignore,
      async fn() {
        await _use(backend.name);
        const straight = _problem(`${label}-rt-${backend.name}-a`);
        const reference = stock();
        await _train(reference, straight, 20);
        const expected = await _snapshot(straight.vars, reference);
        reference.dispose();
        straight.dispose();
        for (const [first, second] of [[stock, fused], [fused, stock]] as const) {
          const p = _problem(`${label}-rt-${backend.name}-${first === stock ? "sf" : "fs"}`);
          const a = first();
          await _train(a, p, 10);
          const saved = await a.getWeights();
          const copies = saved.map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
          tf.dispose(saved[0]!.tensor);
          a.dispose();
          const b = second();
          await b.setWeights(copies);
          tf.dispose(copies.map((c) => c.tensor)); // the optimizer holds its own references
          await _train(b, p, 10);
          _assertClose(
            await _snapshot(p.vars, b),
            expected,
            `${label} ${first === stock ? "stock→fused" : "fused→stock"}`,
          );
          b.dispose();
          p.dispose();
        }
      },
    });
  }
}
