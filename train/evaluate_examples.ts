import * as tf from "@tensorflow/tfjs";
import type { Batch } from "../pipeline/types.ts";
import { batchTensors } from "./batch_tensors.ts";

/**
 * Mean cross-entropy loss and accuracy of `model` on labelled batches (from `digitBatches`), in
 * inference mode (no dropout, BatchNorm moving statistics), batch by batch inside `tf.tidy`: no
 * tensors leak.
 *
 * @example
 * ```ts ignore
 * import { evaluateExamples } from "./evaluate_examples.ts";
 * const { loss, acc } = await evaluateExamples(model, batches, { numClasses: 10 });
 * ```
 */
export async function evaluateExamples(
  model: tf.LayersModel,
  batches: ReadableStream<Batch>,
  options: { numClasses: number },
): Promise<{ loss: number; acc: number }> {
  let lossSum = 0, correct = 0, count = 0;
  for await (const batch of batches) {
    const [loss, right] = tf.tidy(() => {
      const { x, y } = batchTensors(batch, options.numClasses);
      const probs = model.predict(x) as tf.Tensor2D;
      const loss = tf.metrics.categoricalCrossentropy(y, probs).sum();
      const right = probs.argMax(-1).equal(tf.tensor1d(batch.y, "int32")).sum();
      return [loss.dataSync()[0]!, right.dataSync()[0]!];
    });
    lossSum += loss;
    correct += right;
    count += batch.size;
  }
  if (count === 0) throw new RangeError("cannot evaluate on zero examples");
  return { loss: lossSum / count, acc: correct / count };
}
