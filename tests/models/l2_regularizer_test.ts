import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { l2 } from "../../models/l2_regularizer.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";

const native = await registerNativeBackend();

type Reg = ReturnType<typeof tf.regularizers.l2>;

/** The penalty and its gradient for `reg` on a fixed 37×23 weight matrix. */
function penaltyAndGradient(reg: Reg): { value: number; grad: Float32Array } {
  return tf.tidy(() => {
    const w = tf.randomUniform([37, 23], -2, 2, "float32", 8);
    const value = reg.apply(w).dataSync()[0]!;
    const grad = tf.grad((x: tf.Tensor) => reg.apply(x))(w);
    return { value, grad: Float32Array.from(grad.dataSync()) };
  });
}

function assertClose(a: Float32Array, e: Float32Array, label: string): void {
  assert.equal(a.length, e.length);
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= 1e-6 * Math.max(1, Math.abs(e[i]!)))) {
      assert.fail(`${label}[${i}]: ${a[i]} vs tfjs ${e[i]}`);
    }
  }
}

for (const backend of [{ name: "cpu", ignore: false }, { name: "native", ignore: !native.ok }]) {
  Deno.test({
    name: `l2 gives tf.regularizers.l2's penalty and gradient on ${backend.name}, no leaks`,
    ignore: backend.ignore,
    async fn() {
      await tf.setBackend(backend.name);
      const before = tf.memory().numTensors;
      for (const strength of [1e-4, 0.01, 0.5]) {
        const ours = penaltyAndGradient(l2({ l2: strength }));
        const stock = penaltyAndGradient(tf.regularizers.l2({ l2: strength }));
        assert.ok(Math.abs(ours.value - stock.value) <= 1e-6 * stock.value, `${ours.value}`);
        assertClose(ours.grad, stock.grad, `l2 ${strength} gradient`);
      }
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
    },
  });
}

Deno.test("l2 saves as tfjs's L1L2 with the same config; L1 terms keep tfjs's own path", async () => {
  await tf.setBackend("cpu");
  const ours = l2({ l2: 1e-4 });
  const stock = tf.regularizers.l2({ l2: 1e-4 });
  assert.equal(ours.getClassName(), stock.getClassName());
  assert.deepEqual(ours.getConfig(), stock.getConfig());
  assert.deepEqual(l2().getConfig(), tf.regularizers.l2().getConfig());
  // A regularizer named in a layer config resolves to the registered class; with an L1 term it
  // takes tfjs's own path.
  const layer = tf.layers.dense({ units: 3, kernelRegularizer: "l1l2" });
  const reg = (layer as unknown as { kernelRegularizer: Reg }).kernelRegularizer;
  assert.equal(Object.getPrototypeOf(reg).constructor, Object.getPrototypeOf(ours).constructor);
  const got = penaltyAndGradient(reg);
  const want = penaltyAndGradient(tf.regularizers.l1l2());
  assert.ok(Math.abs(got.value - want.value) <= 1e-6 * want.value);
  assertClose(got.grad, want.grad, "l1l2 gradient");
});
