import * as tf from "@tensorflow/tfjs";

/**
 * Hands out one initialiser seed per layer from a run seed (internal to `models/`). Every layer
 * needs its own seed: two layers of the same shape with the same seed would start identical.
 *
 * Dropout layers never get tfjs's own `seed` (tfjs reuses it on every call, so a seeded Dropout
 * would drop the same units at every step). They get a mask seed for models/dropout.ts instead,
 * from a counter of its own, so adding one leaves every initialiser seed as it was.
 */
export class _LayerSeeds {
  #next: number | undefined;
  #nextMask: number | undefined;

  constructor(seed: number | undefined) {
    this.#next = seed === undefined ? undefined : (seed >>> 0) * 1000 + 1;
    this.#nextMask = seed === undefined ? undefined : (seed >>> 0) * 1000 + 501;
  }

  /** The next Dropout layer's mask seed, or `undefined` when the run is unseeded. */
  dropoutMask(): number | undefined {
    if (this.#nextMask === undefined) return undefined;
    return this.#nextMask++;
  }

  /** The next layer's seed, or `undefined` when the run is unseeded. */
  next(): number | undefined {
    if (this.#next === undefined) return undefined;
    return this.#next++;
  }

  /** He-normal initialiser (for ReLU/ELU layers), seeded. */
  heNormal(): ReturnType<typeof tf.initializers.heNormal> {
    const seed = this.next();
    return tf.initializers.heNormal(seed === undefined ? {} : { seed });
  }

  /** Glorot-uniform initialiser (the Keras default), seeded. */
  glorotUniform(): ReturnType<typeof tf.initializers.heNormal> {
    const seed = this.next();
    return tf.initializers.glorotUniform(seed === undefined ? {} : { seed });
  }
}

/**
 * Throws a `RangeError` naming models that fit when an input is too small for a model's pooling
 * and strides.
 */
export function _requireInputSize(
  model: string,
  inputShape: readonly number[],
  minSize: number,
): void {
  const [h = 0, w = 0] = inputShape;
  if (h < minSize || w < minSize) {
    throw new RangeError(
      `model '${model}' needs images of at least ${minSize}×${minSize} pixels, but the data has ` +
        `${h}×${w}; use --model tiny-cnn, simple-cnn, small-cnn, mlp or logreg for small images`,
    );
  }
}
