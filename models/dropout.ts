/**
 * `dropout(args, maskSeed)`: tfjs's Dropout layer, whose training-time mask comes from a seeded
 * generator in one pass (backend/dropout_mask.ts) and is applied with one Multiply, on every
 * backend. It saves as a plain "Dropout" with the same config (rate, noiseShape, seed), so a saved
 * model loads in stock tfjs (a browser) as before; inference is unchanged (no dropout).
 *
 * With a `maskSeed` the masks are reproducible: a run with the same `--seed` drops the same units
 * at the same steps. The seed is not part of the saved config; a layer loaded from disk
 * (`--resume`) gets a fresh random stream. A layer configured with tfjs's own `seed` (which
 * repeats one mask at every step) keeps tfjs's path, as do `noiseShape` layers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dropoutMask, type DropoutState, dropoutState } from "../backend/dropout_mask.ts";
import { registerAsStock, stockClass } from "./stock_class.ts";

type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];

/** The fields of tfjs's Dropout that the fast path reads (not in its typings). */
interface DropoutFields {
  rate: number;
  noiseShape: unknown;
  seed: unknown;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
}

type LayerClass = new (args: DropoutArgs, maskSeed?: number) => tf.layers.Layer;

let fastClass: LayerClass | undefined;

/** A 32-bit seed for an unseeded layer (no seed was promised, so no need for a seeded one). */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * The subclass, made once and registered under tfjs's class name, so models loaded from disk in
 * this process (`--resume`) train through it too. Its static `className` is inherited, so
 * `getClassName()` and the saved JSON still say "Dropout".
 */
function fastDropout(): LayerClass {
  if (fastClass !== undefined) return fastClass;
  const Base = stockClass<new (args: DropoutArgs) => tf.layers.Layer>("Dropout");

  class FastDropout extends Base {
    readonly #state: DropoutState;

    constructor(args: DropoutArgs, maskSeed?: number) {
      super(args);
      this.#state = dropoutState(maskSeed ?? randomSeed());
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const f = this as unknown as DropoutFields;
      const fast = kwargs["training"] === true && f.rate > 0 && f.rate < 1 &&
        f.noiseShape == null && f.seed == null && x.dtype === "float32";
      if (!fast) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        f.invokeCallHook(inputs, kwargs);
        return tf.mul(x, dropoutMask([...x.shape], f.rate, this.#state));
      });
    }
  }
  fastClass = registerAsStock(FastDropout);
  return fastClass;
}

/**
 * A Dropout layer (same arguments as `tf.layers.dropout`) with a cheap, seeded training mask.
 * `maskSeed` (e.g. from the model's `_LayerSeeds`) makes the masks reproducible; without it the
 * stream starts from a random seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { dropout } from "./dropout.ts";
 * const layer = dropout({ rate: 0.4 }, 7);
 * assert.strictEqual(layer.getClassName(), "Dropout");
 * assert.strictEqual(layer.getConfig().seed, undefined);
 * ```
 */
export function dropout(args: DropoutArgs, maskSeed?: number): tf.layers.Layer {
  return new (fastDropout())(args, maskSeed);
}

/** Makes models loaded from disk from now on use the fast mask too (for `--resume`). */
export function useFastDropout(): void {
  fastDropout();
}
