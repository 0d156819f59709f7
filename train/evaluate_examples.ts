import * as tf from "@tensorflow/tfjs";
import type { Example } from "../pipeline/types.ts";
import { toBatches } from "../pipeline/to_batches.ts";

/**
 * Mean cross-entropy loss and accuracy of `model` on labelled examples, in inference mode
 * (no dropout, BatchNorm moving statistics), batch by batch inside `tf.tidy`: no tensors leak.
 *
 * @example
 * ```ts ignore
 * import { evaluateExamples } from "./evaluate_examples.ts";
 * const { loss, acc } = await evaluateExamples(model, examples, { numClasses: 10 });
 * ```
 */
export async function evaluateExamples(
  model: tf.LayersModel,
  examples: Example[],
  options: { numClasses: number; batchSize?: number },
): Promise<{ loss: number; acc: number }> {
  let lossSum = 0, correct = 0, count = 0;
  const batches = toBatches(examples, {
    batchSize: options.batchSize ?? 500,
    dropRemainder: false,
    shuffleBuffer: 0,
    seed: 0,
    epoch: 0,
  });
  for await (const batch of batches) {
    const [loss, right] = tf.tidy(() => {
      const x = tf.tensor4d(batch.x, [batch.size, batch.height, batch.width, 1]);
      const labels = tf.tensor1d(batch.y, "int32");
      const probs = model.predict(x) as tf.Tensor2D;
      const y = tf.oneHot(labels, options.numClasses);
      const loss = tf.metrics.categoricalCrossentropy(y, probs).sum();
      const right = probs.argMax(-1).equal(labels).sum();
      return [loss, right];
    });
    // Read asynchronously: webgpu's dataSync needs a 2D canvas, which Deno does not have.
    const [lossValue, rightValue] = await Promise.all([loss.data(), right.data()]);
    tf.dispose([loss, right]);
    lossSum += lossValue[0]!;
    correct += rightValue[0]!;
    count += batch.size;
  }
  if (count === 0) throw new RangeError("cannot evaluate on zero examples");
  return { loss: lossSum / count, acc: correct / count };
}
