import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { dropoutMask, dropoutState, fillDropoutMask } from "../../backend/dropout_mask.ts";
import { registerNativeBackend } from "../../backend/native/register_native_backend.ts";

const native = await registerNativeBackend();

Deno.test("fillDropoutMask keeps about 1 − rate of the units, each scaled by 1/(1 − rate)", () => {
  for (const rate of [0.2, 0.4, 0.5]) {
    const out = new Float32Array(100_003);
    fillDropoutMask(out, rate, dropoutState(11));
    const scale = Math.fround(1 / (1 - rate));
    let kept = 0;
    for (const v of out) {
      if (v === 0) continue;
      assert.equal(v, scale);
      kept++;
    }
    // 100k Bernoulli draws: the standard deviation of the kept fraction is below 0.0016.
    assert.ok(Math.abs(kept / out.length - (1 - rate)) < 0.01, `rate ${rate}: kept ${kept}`);
  }
});

Deno.test("fillDropoutMask advances its state: the next mask differs, the same seed repeats", () => {
  const state = dropoutState(5);
  const [a, b, c] = [new Float32Array(512), new Float32Array(512), new Float32Array(512)];
  fillDropoutMask(a, 0.5, state);
  fillDropoutMask(b, 0.5, state);
  fillDropoutMask(c, 0.5, dropoutState(5));
  assert.deepEqual(c, a);
  assert.notDeepEqual(b, a);
  const other = new Float32Array(512);
  fillDropoutMask(other, 0.5, dropoutState(6));
  assert.notDeepEqual(other, a);
});

Deno.test("fillDropoutMask keeps everything at rate 0 and refuses rates outside [0, 1)", () => {
  const out = new Float32Array(100);
  fillDropoutMask(out, 0, dropoutState(1));
  assert.ok(out.every((v) => v === 1));
  for (const rate of [1, -0.1, NaN]) {
    assert.throws(() => fillDropoutMask(out, rate, dropoutState(1)), RangeError);
  }
});

Deno.test({
  name:
    "dropoutMask gives the same mask from native's kernel as from a fresh array (cpu), no leaks",
  ignore: !native.ok,
  async fn() {
    const masks: Float32Array[] = [];
    for (const backend of ["cpu", "native"]) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const state = dropoutState(3);
      const m1 = dropoutMask([3, 7, 5, 11], 0.3, state);
      const m2 = dropoutMask([3, 7, 5, 11], 0.3, state);
      assert.deepEqual(m1.shape, [3, 7, 5, 11]);
      masks.push(Float32Array.from(m1.dataSync()), Float32Array.from(m2.dataSync()));
      tf.dispose([m1, m2]);
      assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
    }
    assert.deepEqual(masks[2], masks[0]);
    assert.deepEqual(masks[3], masks[1]);
    assert.notDeepEqual(masks[1], masks[0]);
  },
});
