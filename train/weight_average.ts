import * as tf from "@tensorflow/tfjs";

/** Options of {@link WeightAverage}. */
export interface WeightAverageOptions {
  /** Decay per update, e.g. 0.999 (`--ema 0.999`): the average spans about 1/(1 − decay) steps. */
  decay: number;
  /**
   * Warm-up as tf.train.ExponentialMovingAverage's `num_updates`: the decay used at update n
   * (0-based) is min(decay, (1 + n) / (10 + n)), so the first steps (whose weights are mostly the
   * random initialisation) fade out fast. Default true.
   */
  warmup?: boolean;
  /**
   * Average only the trainable weights and leave BatchNorm's moving mean and variance as the
   * training made them. Default false: those are averaged too, with the same decay (see below).
   */
  trainableOnly?: boolean;
}

/** What a checkpoint needs to continue an average (`--resume`). */
export interface WeightAverageState {
  /** Updates so far (the warm-up's n). */
  updates: number;
  /** The averaged values, one per averaged weight, in `model.weights` order. */
  values: Float32Array[];
}

/**
 * An exponential moving average of a model's weights (Polyak averaging, as in arXiv 2008.10400's
 * M5 training and tf.train.ExponentialMovingAverage): after each optimizer step, `update()` moves
 * every average a fraction (1 − decay) towards the live weight. `swapIn()` puts the averages into
 * the model (to validate or save it) and `swapOut()` puts the live weights back, bit for bit;
 * `withAveraged(fn)` does both around `fn`.
 *
 * BatchNorm's moving mean and variance are averaged like the other weights (unless
 * `trainableOnly`): they describe the activations of the live weights, not of their average, but a
 * layer's mean activation is linear in its weights, so the same average of the statistics matches
 * the averaged weights for a first layer exactly and for later layers closely, with no extra pass
 * over the data. Averages are kept in separate tensors; no tensor is shared with the model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { WeightAverage } from "./weight_average.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros", useBias: false })] });
 * const ema = new WeightAverage(model, { decay: 0.5, warmup: false });
 * model.layers[0]!.setWeights([tf.tensor2d([[4]])]);
 * ema.update(); // 0.5 · 0 + 0.5 · 4
 * await ema.withAveraged(() => assert.equal(model.getWeights()[0]!.dataSync()[0], 2));
 * assert.equal(model.getWeights()[0]!.dataSync()[0], 4);
 * ema.dispose();
 * model.dispose();
 * ```
 */
export class WeightAverage {
  readonly decay: number;
  readonly warmup: boolean;
  #variables: tf.LayerVariable[];
  #averages: tf.Tensor[];
  #backup: tf.Tensor[] | null = null;
  #updates = 0;

  /** Starts the averages at the model's current weights. */
  constructor(model: tf.LayersModel, options: WeightAverageOptions) {
    if (!(options.decay >= 0 && options.decay < 1)) {
      throw new RangeError(`the EMA decay must lie in [0, 1) (e.g. 0.999), got ${options.decay}`);
    }
    this.decay = options.decay;
    this.warmup = options.warmup ?? true;
    this.#variables = (options.trainableOnly ? model.trainableWeights : model.weights)
      .filter((v) => v.dtype === "float32");
    this.#averages = this.#variables.map((v) => tf.keep(_copy(v.read())));
  }

  /** Updates done so far. */
  get updates(): number {
    return this.#updates;
  }

  /** The decay the next `update()` uses (lower during the warm-up). */
  get currentDecay(): number {
    const n = this.#updates;
    return this.warmup ? Math.min(this.decay, (1 + n) / (10 + n)) : this.decay;
  }

  /** One step of the average: a ← a − (1 − d)·(a − w). Call after each optimizer step. */
  update(): void {
    this.#assertLive("update");
    const rate = 1 - this.currentDecay;
    this.#averages = this.#averages.map((average, i) => {
      const next = tf.tidy(() => {
        const live = this.#variables[i]!.read();
        return average.sub(average.sub(live).mul(rate));
      });
      average.dispose();
      return tf.keep(next);
    });
    this.#updates++;
  }

  /** Puts the averaged weights into the model (the live ones are kept aside). */
  swapIn(): void {
    this.#assertLive("swapIn");
    this.#backup = this.#variables.map((v) => tf.keep(v.read().clone()));
    this.#variables.forEach((v, i) => {
      const copy = _copy(this.#averages[i]!);
      v.write(copy); // the variable now holds a reference to the data: drop the handle
      copy.dispose();
    });
  }

  /** Puts the live weights back, exactly as they were before `swapIn()`. */
  swapOut(): void {
    if (this.#backup === null) throw new Error("WeightAverage.swapOut() without swapIn()");
    this.#variables.forEach((v, i) => v.write(this.#backup![i]!));
    tf.dispose(this.#backup);
    this.#backup = null;
  }

  /** Runs `fn` (validation, saving) with the averaged weights in the model, then swaps back. */
  async withAveraged<T>(fn: () => T | Promise<T>): Promise<T> {
    this.swapIn();
    try {
      return await fn();
    } finally {
      this.swapOut();
    }
  }

  /** The averages and the update count, for a checkpoint. */
  state(): WeightAverageState {
    return {
      updates: this.#updates,
      values: this.#averages.map((a) => a.dataSync() as Float32Array).map((d) => d.slice()),
    };
  }

  /** Continues from a checkpoint's `state()` (same model architecture). */
  restore(state: WeightAverageState): void {
    this.#assertLive("restore");
    if (state.values.length !== this.#averages.length) {
      throw new RangeError(
        `the saved EMA has ${state.values.length} weights, this model ${this.#averages.length}`,
      );
    }
    const next = state.values.map((values, i) => {
      const shape = this.#averages[i]!.shape;
      if (values.length !== tf.util.sizeFromShape(shape)) {
        throw new RangeError(`saved EMA weight ${i} has ${values.length} values, not [${shape}]`);
      }
      return tf.keep(tf.tensor(values, shape, "float32"));
    });
    tf.dispose(this.#averages);
    this.#averages = next;
    this.#updates = state.updates;
  }

  /** Frees the averages (and the kept live weights, if swapped in: call swapOut first). */
  dispose(): void {
    tf.dispose(this.#averages);
    if (this.#backup) tf.dispose(this.#backup);
    this.#averages = [];
    this.#backup = null;
  }

  #assertLive(what: string): void {
    if (this.#backup !== null) {
      throw new Error(`WeightAverage.${what}() while the averages are swapped in: swapOut() first`);
    }
  }
}

/**
 * A copy with its own storage: tfjs's clone shares the data, and an optimizer kernel that updates
 * weights in place would then change the copy too.
 */
function _copy(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(t, tf.zerosLike(t)));
}
