import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerAsStock, stockClass } from "../../models/stock_class.ts";

Deno.test("stockClass names the class it cannot find", () => {
  assert.throws(() => stockClass("NoSuchLayer"), /tfjs-layers has no NoSuchLayer class registered/);
});

Deno.test("registerAsStock makes deserialisation build the subclass under the stock name", async () => {
  type Args = Parameters<typeof tf.layers.activation>[0];
  const Base = stockClass<new (args: Args) => tf.layers.Layer>("Activation");
  let built = 0;
  class CountingActivation extends Base {
    constructor(args: Args) {
      super(args);
      built++;
    }
  }
  const original = Base as unknown as tf.serialization.SerializableConstructor<
    tf.serialization.Serializable
  >;
  registerAsStock(CountingActivation);
  try {
    const model = tf.sequential({
      layers: [tf.layers.activation({ activation: "relu", inputShape: [2] })],
    });
    const json = model.toJSON(null, false) as { config: { layers: { class_name: string }[] } };
    assert.equal(json.config.layers[0]!.class_name, "Activation", "saved as the stock class");
    const loaded = await tf.models.modelFromJSON({ modelTopology: json });
    assert.equal(built, 1, "loading built the registered subclass");
    assert.ok(loaded.layers[0] instanceof CountingActivation);
    model.dispose();
    loaded.dispose();
  } finally {
    tf.serialization.SerializationMap.register(original);
  }
});
