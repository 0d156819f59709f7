import * as tf from "@tensorflow/tfjs";

/**
 * Fastest of 4 timed runs (after a warm-up), in milliseconds, of one small conv training step
 * (conv 3×3 32→64 on 32×13×13, forward and both gradients; what dominates a CNN's training) on
 * the active backend. Used by `auto` to choose between CPU backends; ~50 ms per backend. The
 * minimum, not the median: on a busy machine other processes only ever add time, and a
 * multi-threaded backend (oneDNN on native) is hit hardest when a thread loses its core.
 */
export async function _timeConvStep(): Promise<number> {
  const x = tf.randomNormal([32, 13, 13, 32]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 64]) as tf.Tensor4D;
  const grad = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "valid").relu().sum()
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const gs = grad([x, w]);
      await Promise.all(gs.map((g) => g.data()));
      tf.dispose(gs);
      if (i > 0) times.push(performance.now() - t0);
    }
  } finally {
    tf.dispose([x, w]);
  }
  return Math.min(...times);
}
