import * as tf from "@tensorflow/tfjs";
import { logLoss } from "../common/log_loss.ts";
import type { Batch } from "../pipeline/types.ts";

/**
 * Mean cross-entropy loss and accuracy of `model` on labelled batches (from `digitBatches`), in
 * inference mode (no dropout, BatchNorm moving statistics). The softmax outputs are scored with
 * `common/log_loss.ts`, the same definition the report uses; no tensors leak.
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
  const k = options.numClasses;
  let lossSum = 0, correct = 0, count = 0;
  for await (const batch of batches) {
    const probs = tf.tidy(() =>
      model.predict(tf.tensor4d(batch.x, [batch.size, batch.height, batch.width, 1])) as tf.Tensor
    );
    const p = await probs.data() as Float32Array;
    probs.dispose();
    lossSum += logLoss(p, batch.y, k) * batch.size;
    for (let i = 0; i < batch.size; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
      if (best === batch.y[i]) correct++;
    }
    count += batch.size;
  }
  if (count === 0) throw new RangeError("cannot evaluate on zero examples");
  return { loss: lossSum / count, acc: correct / count };
}
