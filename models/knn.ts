import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./model_config.ts";

/**
 * The most training rows a `knn` model stores (its kernel is rows × pixels floats: 10,000 MNIST
 * rows make a 31 MB model). Larger sets are subsampled when fitted (train/fit_knn.ts).
 */
export const KNN_MAX_ROWS = 10_000;

/** Layer names of the `knn` model (models/store_knn_rows.ts writes their weights). */
export const KNN_LAYERS = {
  /** Dense rows: 2x·t/τ − ‖t‖²/τ per stored row t. */
  similarity: "knn_similarity",
  /** Dense classes: the stored rows' one-hot labels. */
  vote: "knn_vote",
} as const;

/** {@link createKnn}'s config: the zoo's plus how many rows it stores. */
export interface KnnConfig extends ModelConfig {
  /** Stored training rows (default {@link KNN_MAX_ROWS}). */
  rows?: number;
}

/**
 * `knn`: nearest neighbours as a standard layers model, a kernel-weighted (soft) vote. For stored
 * rows t_i with labels y_i and an input x, the squared distance is ‖x‖² − 2x·t_i + ‖t_i‖². One
 * Dense layer with the stored rows as its kernel (times 2/τ) and −‖t_i‖²/τ as its bias gives
 * −(d_i² − ‖x‖²)/τ; a softmax over the rows turns that into weights exp(−d_i²/τ) / Σ_j exp(−d_j²/τ)
 * (the ‖x‖² term is the same for every row and cancels); a second Dense layer with the one-hot
 * labels as its kernel sums the weights per class. The output is a distribution over classes;
 * as τ → 0 it is the 1-nearest-neighbour vote, larger τ lets more neighbours count.
 * It is not trained by gradient steps: fit it by storing rows (`storeKnnRows`, or
 * train/fit_knn.ts, which also caps the rows at {@link KNN_MAX_ROWS} and picks τ). A fresh model
 * predicts the uniform distribution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createKnn } from "./knn.ts";
 * const model = createKnn({ inputShape: [8, 8, 1], numClasses: 10, rows: 100 });
 * assert.equal(model.countParams(), 64 * 100 + 100 + 100 * 10);
 * model.dispose();
 * ```
 */
export function createKnn(config: KnnConfig): tf.Sequential {
  const rows = config.rows ?? KNN_MAX_ROWS;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`a knn model stores at least 1 row, got ${rows}`);
  }
  const model = tf.sequential({ name: "knn" });
  model.add(tf.layers.flatten({ inputShape: config.inputShape }));
  model.add(tf.layers.dense({
    name: KNN_LAYERS.similarity,
    units: rows,
    kernelInitializer: "zeros",
    trainable: false,
  }));
  model.add(tf.layers.softmax());
  model.add(tf.layers.dense({
    name: KNN_LAYERS.vote,
    units: config.numClasses,
    useBias: false,
    kernelInitializer: tf.initializers.constant({ value: 1 / config.numClasses }),
    trainable: false,
  }));
  return model;
}
