/**
 * Subprocess of the pipeline benchmark: reads one CSV through the pipeline (parse only, or parse
 * and batch) in a fresh process and prints `{rows, seconds, peakRssMb}` as JSON, so peak memory of
 * different file sizes is compared from the same starting point.
 *
 * Usage: deno run -A bench/_pipeline_read_probe.ts FILE [parse|batch]
 *
 * @module
 */
import { readExamples } from "../pipeline/read_examples.ts";
import { digitBatches } from "../pipeline/digit_batches.ts";

const [file, mode = "parse"] = Deno.args;
if (file === undefined) throw new TypeError("usage: _pipeline_read_probe.ts FILE [parse|batch]");
let peak = Deno.memoryUsage().rss;
const sample = () => {
  const rss = Deno.memoryUsage().rss;
  if (rss > peak) peak = rss;
};
const timer = setInterval(sample, 5);
const started = performance.now();
let rows = 0;
if (mode === "batch") {
  for await (
    const batch of digitBatches({ examples: readExamples({ files: file }), batchSize: 128 })
  ) {
    rows += batch.size;
    if ((rows & 1023) < 128) sample();
  }
} else {
  for await (const _ of readExamples({ files: file })) {
    if ((++rows & 1023) === 0) sample();
  }
}
const seconds = (performance.now() - started) / 1000;
sample();
clearInterval(timer);
console.log(JSON.stringify({ rows, seconds, peakRssMb: peak / 2 ** 20 }));
