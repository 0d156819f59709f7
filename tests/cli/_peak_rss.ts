/**
 * Runs one CLI command in this process and prints its peak resident memory as JSON on the last
 * line (`peakRss`, bytes). Used by the flat-memory test of `predict`.
 *
 * Run it with `--v8-flags=--expose-gc`: before each batch is predicted, garbage is collected and
 * RSS sampled, so the figure is the live memory at batch boundaries. Without forced collection V8
 * lets dead ArrayBuffers (file chunks, batches) pile up to its external-memory soft limit (tens of
 * MB) before collecting; that pile is bounded but depends on timing and machine load, which made
 * a timer-sampled peak too noisy to compare two runs within a few MB.
 */
import { runCli } from "../../cli/run_cli.ts";
import { Predictor } from "../../predict/predictor.ts";

const gc = (globalThis as { gc?: () => void }).gc;
let peak = 0;
const sample = () => {
  gc?.();
  peak = Math.max(peak, Deno.memoryUsage().rss);
};
const predict = Predictor.prototype.predict;
let batches = 0;
Predictor.prototype.predict = function (batch) {
  // Skip the warm-up batches (wasm heap growth, first-use compilation).
  if (++batches > 2) sample();
  return predict.call(this, batch);
};
const code = await runCli(Deno.args);
sample();
console.log(JSON.stringify({ code, peakRss: peak, batches }));
Deno.exit(code);
