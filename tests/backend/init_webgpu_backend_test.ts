import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initWebGpuBackend } from "../../backend/init_webgpu_backend.ts";
import { probeWebGpu } from "../../backend/probe_webgpu.ts";

Deno.test({
  name: "initWebGpuBackend falls back to its own factory when tfjs's webgpu factory fails",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const probe = await probeWebGpu();
    if (!probe.available) {
      console.log(`skipped: no WebGPU adapter (${probe.description})`);
      return;
    }
    // Registered before the webgpu package is imported, so the package's own factory is refused
    // and this failing one stands in for a Deno version that trips tfjs's device setup.
    tf.registerBackend("webgpu", () => {
      throw new Error("simulated: adapter info read after requestDevice");
    });
    await initWebGpuBackend();
    assert.equal(tf.getBackend(), "webgpu");
    const x = tf.tensor2d([[1, -2], [3, 4]]);
    const y = tf.matMul(x, x).relu();
    assert.deepEqual(Array.from(await y.data()), [0, 0, 15, 10]);
    tf.dispose([x, y]);
  },
});
