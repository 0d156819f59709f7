import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { WeightAverage, WeightAverageState } from "./weight_average.ts";

const EMA_BIN = "ema.bin";
const EMA_JSON = "ema.json";

/** `ema.json`: the update count and the length of each averaged weight in `ema.bin`. */
interface _EmaIndex {
  formatVersion: 1;
  updates: number;
  lengths: number[];
}

/**
 * Saves a run's weight average (`--ema`) beside its checkpoint: `ema.bin` (the averages as
 * float32, one after another) and `ema.json` (the update count and lengths), both atomically,
 * the index last so a reader never sees an index without its values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { WeightAverage } from "./weight_average.ts";
 * import { readEmaState, saveEmaState } from "./ema_checkpoint.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1] })] });
 * const ema = new WeightAverage(model, { decay: 0.9 });
 * ema.update();
 * const dir = await Deno.makeTempDir();
 * await saveEmaState(dir, ema);
 * const state = await readEmaState(dir);
 * assert.equal(state?.updates, 1);
 * assert.deepEqual(state?.values, ema.state().values);
 * ema.dispose();
 * model.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveEmaState(dir: string, ema: WeightAverage): Promise<void> {
  const { updates, values } = ema.state();
  const lengths = values.map((v) => v.length);
  const all = new Float32Array(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const v of values) {
    all.set(v, at);
    at += v.length;
  }
  await writeFileAtomic(join(dir, EMA_BIN), new Uint8Array(all.buffer));
  const index: _EmaIndex = { formatVersion: 1, updates, lengths };
  await writeFileAtomic(join(dir, EMA_JSON), JSON.stringify(index) + "\n");
}

/**
 * The weight average saved by {@link saveEmaState} in `dir`, or null when the run has none (it was
 * trained without `--ema`). A truncated `ema.bin` is an error that names the file.
 */
export async function readEmaState(dir: string): Promise<WeightAverageState | null> {
  let index: _EmaIndex;
  try {
    index = await readJsonFile<_EmaIndex>(join(dir, EMA_JSON));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  const bytes = await Deno.readFile(join(dir, EMA_BIN));
  const total = index.lengths.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * 4) {
    throw new RangeError(
      `${join(dir, EMA_BIN)} has ${bytes.byteLength} bytes, ${EMA_JSON} says ${total * 4}: ` +
        `the checkpoint is damaged; resume without --ema or train again`,
    );
  }
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, total);
  const values: Float32Array[] = [];
  let at = 0;
  for (const length of index.lengths) {
    values.push(all.slice(at, at + length));
    at += length;
  }
  return { updates: index.updates, values };
}
