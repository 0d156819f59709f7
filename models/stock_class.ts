/**
 * The two steps every faster drop-in for a stock tfjs-layers class takes: look the stock class up
 * by its serialization name (to subclass it), and register the subclass under that same name, so
 * that models loaded from disk in this process (`--resume`) build the subclass too while the saved
 * JSON still names the stock class (the static `className` is inherited) and loads anywhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * The class tfjs registered as `className` ("Conv2D", "Dropout", "L1L2", …), typed as `T`;
 * throws when tfjs has none by that name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { stockClass } from "./stock_class.ts";
 * const Dense = stockClass<new (args: { units: number }) => tf.layers.Layer>("Dense");
 * assert.equal(new Dense({ units: 2 }).getClassName(), "Dense");
 * ```
 */
export function stockClass<T>(className: string): T {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const Base = registry[className]?.[0];
  if (Base === undefined) throw new Error(`tfjs-layers has no ${className} class registered`);
  return Base as unknown as T;
}

/** Registers `cls` (a subclass of a stock class) under the stock class's name, replacing it. */
export function registerAsStock<T>(cls: T): T {
  tf.serialization.SerializationMap.register(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
  return cls;
}
