import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  _createBenchModel,
  _trainFlops,
  runTrainBench,
  TRAIN_BENCH_MODELS,
} from "../../bench/train_bench.ts";
import { _python } from "../../bench/_torch_script.ts";
import { selectBackend } from "../../backend/select_backend.ts";

const torch = await _python(["versions"]);
if (typeof torch === "string") console.log(`skipping the PyTorch comparisons: ${torch}`);

Deno.test({
  name: "bench/torch_train_bench.py has the digits models' trainable-parameter counts",
  ignore: typeof torch === "string",
  async fn() {
    await selectBackend("wasm");
    for (const name of TRAIN_BENCH_MODELS) {
      const out = await _python([name, "--params-only"]);
      assert.ok(typeof out !== "string", `${name}: ${out}`);
      const model = _createBenchModel(name);
      const params = model.trainableWeights.reduce(
        (n, w) => n + tf.util.sizeFromShape(w.shape as number[]),
        0,
      );
      model.dispose();
      assert.equal(out.params, params, `${name}: PyTorch ${out.params}, digits ${params}`);
    }
  },
});

Deno.test("runTrainBench returns a median row per model × backend with GFLOP/s", async () => {
  const rows = await runTrainBench({
    json: true,
    backends: ["wasm"],
    models: ["mlp"], // no PyTorch twin: the digits side only, fast
    seconds: 0.1,
    rounds: 2,
  });
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row!.model, "mlp");
  assert.equal(row!.rounds, 2);
  assert.ok(row!.train_img_s.min <= row!.train_img_s.median);
  assert.ok(row!.train_img_s.median <= row!.train_img_s.max);
  assert.ok(row!.gflops > 0 && row!.peak_pct > 0);
  assert.equal(row!.torch_train_img_s, undefined);
});

Deno.test("_trainFlops counts 3 × the forward less the first layer's input gradient", async () => {
  await selectBackend("wasm");
  const model = _createBenchModel("small-cnn-ref");
  try {
    // conv 3×3×1×32 → 26×26, pool, conv 3×3×32×64 → 11×11, pool, dense 1600→128, dense 128→10.
    const conv1 = 2 * 288 * 26 * 26, conv2 = 2 * 18432 * 11 * 11;
    const dense = 2 * 1600 * 128 + 2 * 128 * 10;
    assert.equal(_trainFlops(model), 3 * (conv1 + conv2 + dense) - conv1);
  } finally {
    model.dispose();
  }
});
