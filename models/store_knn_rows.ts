import * as tf from "@tensorflow/tfjs";
import { KNN_LAYERS } from "./knn.ts";

/** Rows to store in a `knn` model. */
export interface KnnRows {
  /** `count × pixels` floats, row-major, on the scale the model will see (the pipeline's [0, 1]). */
  x: Float32Array;
  /** `count` class indices. */
  labels: Int32Array;
  /** τ of the soft vote, in squared-distance units (see models/knn.ts). */
  temperature: number;
}

/**
 * "Fits" a `knn` model (models/knn.ts): writes the rows, their squared norms and their one-hot
 * labels into its two Dense layers. The model must have been built for exactly
 * `labels.length` rows. No tensors are left behind but the model's own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createKnn } from "./knn.ts";
 * import { storeKnnRows } from "./store_knn_rows.ts";
 * const model = createKnn({ inputShape: [1, 2, 1], numClasses: 2, rows: 2 });
 * storeKnnRows(model, { x: new Float32Array([0, 0, 1, 1]), labels: new Int32Array([0, 1]), temperature: 0.1 });
 * const p = tf.tidy(() => (model.predict(tf.tensor4d([0.9, 0.8], [1, 1, 2, 1])) as tf.Tensor).dataSync());
 * assert.ok(p[1]! > 0.99);
 * model.dispose();
 * ```
 */
export function storeKnnRows(model: tf.LayersModel, rows: KnnRows): void {
  const similarity = model.getLayer(KNN_LAYERS.similarity);
  const vote = model.getLayer(KNN_LAYERS.vote);
  const [kernelShape] = similarity.getWeights().map((w) => w.shape);
  const [voteShape] = vote.getWeights().map((w) => w.shape);
  const [pixels = 0, count = 0] = kernelShape ?? [];
  const classes = voteShape?.[1] ?? 0;
  _checkRows(rows, pixels, count);
  const tau = rows.temperature;
  const kernel = new Float32Array(pixels * count);
  const bias = new Float32Array(count);
  const onehot = new Float32Array(count * classes);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let p = 0; p < pixels; p++) {
      const v = rows.x[r * pixels + p]!;
      kernel[p * count + r] = (2 * v) / tau;
      norm += v * v;
    }
    bias[r] = -norm / tau;
    const label = rows.labels[r]!;
    if (!(label >= 0 && label < classes)) {
      throw new RangeError(`row ${r} has label ${label}, outside the model's 0..${classes - 1}`);
    }
    onehot[r * classes + label] = 1;
  }
  const values = [
    tf.tensor2d(kernel, [pixels, count]),
    tf.tensor1d(bias),
    tf.tensor2d(onehot, [count, classes]),
  ];
  similarity.setWeights(values.slice(0, 2));
  vote.setWeights(values.slice(2));
  tf.dispose(values);
}

function _checkRows(rows: KnnRows, pixels: number, count: number): void {
  if (rows.labels.length !== count || rows.x.length !== count * pixels) {
    throw new RangeError(
      `this knn model stores ${count} rows of ${pixels} pixels, got ${rows.labels.length} labels ` +
        `and ${rows.x.length} pixel values`,
    );
  }
  if (!(rows.temperature > 0 && Number.isFinite(rows.temperature))) {
    throw new RangeError(`the knn temperature must be a positive number, got ${rows.temperature}`);
  }
}
