// The page's in-browser mode: loads tfjs (the copy served beside this file, never a CDN) on first
// use, then the run's model.json + weights (every member of an ensemble), and predicts on this
// device. The answer is the server's (predict/mean_softmax.ts): each member's softmax with its own
// temperature, softmax(log p / T) when its manifest records one, then the mean over members.

/** Probabilities are clipped to this before the log, so log p stays finite. */
const MIN_PROBABILITY = 1e-30;

/** @type {Promise<any> | undefined} */
let tfModule;

/** tfjs, imported once (about 1 MB; only in-browser mode needs it). */
function loadTf() {
  tfModule ??= import("./tf.fesm.min.js");
  return tfModule;
}

/**
 * Loads the model that `model/index.json` describes.
 *
 * @param {{ members: string[], inputShape: number[], temperatures: number[] }} index
 * @param {string} base the URL of `model/` (member paths are relative to it)
 * @param {Record<string, string>} headers sent with every model file request (a bearer token)
 * @returns {Promise<{ backend: string, predict: (x: Float32Array) => Promise<Float32Array> }>}
 */
export async function loadBrowserModel(index, base, headers) {
  const tf = await loadTf();
  await tf.ready();
  const models = await Promise.all(
    index.members.map((m) =>
      tf.loadLayersModel(new URL(m, base).href, { requestInit: { headers } })
    ),
  );
  const [h, w, c] = index.inputShape;
  const temperatures = index.members.map((_, i) => index.temperatures?.[i] ?? 1);
  /** @param {Float32Array} x one image, row-major, in [0, 1] */
  const predict = async (x) => {
    const probs = tf.tidy(() => {
      const input = tf.tensor4d(x, [1, h, w, c]);
      let sum;
      models.forEach((model, i) => {
        const p = model.predict(input);
        const t = temperatures[i];
        const out = t === 1 ? p : tf.softmax(tf.log(tf.clipByValue(p, MIN_PROBABILITY, 1)).div(t));
        sum = sum === undefined ? out : tf.add(sum, out);
      });
      return tf.div(sum, models.length);
    });
    try {
      return await probs.data();
    } finally {
      probs.dispose();
    }
  };
  await predict(new Float32Array(h * w * c)); // the first call compiles the backend's kernels
  return { backend: tf.getBackend(), predict };
}
