// The page's in-browser mode: loads tfjs (the copy served beside this file, never a CDN) on first
// use, then the run's model.json + weights (every member of an ensemble), and predicts on this
// device. The answer is the server's: the mean of the members' softmax, then the run's
// temperature, softmax(log p / T), when the manifest records one.

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
 * @param {{ members: string[], inputShape: number[], calibration: { temperature: number } | null }} index
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
  const temperature = index.calibration?.temperature ?? 1;
  /** @param {Float32Array} x one image, row-major, in [0, 1] */
  const predict = async (x) => {
    const probs = tf.tidy(() => {
      const input = tf.tensor4d(x, [1, h, w, c]);
      let sum;
      for (const model of models) {
        const out = model.predict(input);
        sum = sum === undefined ? out : tf.add(sum, out);
      }
      const mean = tf.div(sum, models.length);
      if (temperature === 1) return mean;
      return tf.softmax(tf.log(tf.clipByValue(mean, MIN_PROBABILITY, 1)).div(temperature));
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
