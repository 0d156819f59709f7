import type { Example } from "../pipeline/types.ts";
import { digitBatches } from "../pipeline/digit_batches.ts";
import { EvaluationAccumulator } from "../report/evaluation_accumulator.ts";
import { Predictor } from "./predictor.ts";

/**
 * Scores a saved run or ensemble folder on labelled rows in memory: the softmax average of its
 * members (what `predict` and `serve` answer), as accuracy and mean cross-entropy. The CLI hands
 * it to `crossValidate` to score a k-fold or bagged ensemble on the test set.
 *
 * @example
 * ```ts ignore
 * import { scoreEnsemble } from "./score_ensemble.ts";
 * const { accuracy, loss } = await scoreEnsemble("runs/ensemble5", testRows);
 * ```
 */
export async function scoreEnsemble(
  dir: string,
  examples: Example[],
): Promise<{ accuracy: number; loss: number }> {
  const predictor = await Predictor.load([dir]);
  try {
    const accumulator = new EvaluationAccumulator({ classes: predictor.classes, mistakes: 0 });
    const batches = digitBatches({ examples: ReadableStream.from(examples), batchSize: 500 });
    for await (const { batch, probs } of predictor.predictStream(batches)) {
      accumulator.add(batch, probs);
    }
    const ev = accumulator.finish();
    return { accuracy: ev.accuracy, loss: ev.loss };
  } finally {
    predictor.dispose();
  }
}
