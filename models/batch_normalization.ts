/**
 * `batchNormalization(args)`: tfjs's BatchNormalization layer, trained through the fused op of
 * backend/batch_norm_training.ts where the backend has it (native), and unchanged everywhere
 * else. It saves as a plain "BatchNormalization" with the same config and weights, so a saved
 * model loads in stock tfjs (a browser) as before.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTraining, hasBatchNormTraining } from "../backend/batch_norm_training.ts";
import { registerAsStock, stockClass } from "./stock_class.ts";

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** The fields of tfjs's BatchNormalization that the training path reads (not in its typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type LayerClass = new (args: BatchNormArgs) => tf.layers.Layer;

let fastClass: LayerClass | undefined;

/**
 * The subclass, made once and registered under tfjs's class name, so models loaded from disk in
 * this process (`--resume`) train through it too. Its static `className` is inherited, so
 * `getClassName()` and the saved JSON still say "BatchNormalization".
 */
function fastBatchNormalization(): LayerClass {
  if (fastClass !== undefined) return fastClass;
  const Base = stockClass<LayerClass>("BatchNormalization");

  class FastBatchNormalization extends Base {
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const f = this as unknown as BatchNormFields;
      const axis = f.axis < 0 ? f.axis + x.rank : f.axis;
      const fused = kwargs["training"] === true && axis === x.rank - 1 && f.center && f.scale &&
        x.dtype === "float32" && hasBatchNormTraining();
      if (!fused) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const [y, mean, variance] = batchNormTraining(
          x,
          f.gamma.read() as tf.Tensor1D,
          f.beta.read() as tf.Tensor1D,
          f.epsilon,
        );
        // The moving averages, exactly as tfjs updates them: v ← v − (v − batch)·(1 − momentum).
        for (const [v, batch] of [[f.movingMean, mean], [f.movingVariance, variance]] as const) {
          tf.tidy(() => {
            const old = v.read();
            v.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - f.momentum)));
          });
        }
        return y;
      });
    }
  }
  fastClass = registerAsStock(FastBatchNormalization);
  return fastClass;
}

/**
 * A BatchNormalization layer (same arguments as `tf.layers.batchNormalization`) whose training
 * step is fused on backends that support it.
 *
 * @example
 * ```ts ignore
 * model.add(batchNormalization({ momentum: 0.9 }));
 * ```
 */
export function batchNormalization(args: BatchNormArgs = {}): tf.layers.Layer {
  return new (fastBatchNormalization())(args);
}

/** Makes models loaded from disk from now on use the fused training path too (for `--resume`). */
export function useFastBatchNormalization(): void {
  fastBatchNormalization();
}
