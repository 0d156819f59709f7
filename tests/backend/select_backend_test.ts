import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../backend/select_backend.ts";
import { probeWebGpu } from "../../backend/probe_webgpu.ts";

Deno.test("selectBackend rejects an unknown name with the list of valid ones", async () => {
  await assert.rejects(() => selectBackend("tpu"), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /unknown backend 'tpu'.*auto, webgpu, wasm, cpu, native/);
    return true;
  });
});

Deno.test("selectBackend('wasm') registers the training kernels", async () => {
  const choice = await selectBackend("wasm");
  assert.equal(choice.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.ok(tf.getKernel(tf.Conv2DBackpropFilter, "wasm") !== undefined);
});

Deno.test({
  name: "selectBackend('auto') never picks a fallback WebGPU adapter and says why",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const probe = await probeWebGpu();
    const choice = await selectBackend("auto");
    assert.equal(tf.getBackend(), choice.name);
    assert.match(choice.reason, /^auto: /);
    if (!probe.available) {
      console.log(
        `no WebGPU adapter (${probe.description}): checked only that auto chose a CPU path`,
      );
      assert.notEqual(choice.name, "webgpu");
    } else if (probe.fallback) {
      assert.notEqual(choice.name, "webgpu", choice.reason);
      assert.match(choice.reason, /software fallback, skipped/);
    } else {
      console.log(`real GPU adapter ${probe.description}: auto may pick webgpu`);
    }
    assert.ok(["webgpu", "native", "wasm", "cpu"].includes(choice.name));
  },
});

Deno.test({
  name: "probeWebGpu flags Mesa llvmpipe as a fallback adapter",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const probe = await probeWebGpu();
    if (!probe.available) {
      console.log(`skipped: no WebGPU adapter (${probe.description})`);
      return;
    }
    if (/llvmpipe|lavapipe/i.test(probe.description)) assert.equal(probe.fallback, true);
    else console.log(`adapter is ${probe.description}; fallback=${probe.fallback}`);
  },
});
