import { parseFlags, stringListFlag } from "./parse_flags.ts";
import { UsageError } from "./errors.ts";

/** `deno task bench [pipeline|train|serve]`: benchmarks that print figures, never pass/fail. */
export const summary = "benchmarks: pipeline (default), train, serve";

export const help = `Usage: deno task bench [pipeline|train|serve|all] [options]

Benchmarks print figures; they never pass or fail on time. Each compares with its peer in the
same run when the peer is installed (pandas for pipeline, PyTorch for train).

  pipeline   rows/s and MB/s for read→parse→batch on the MNIST train.csv (60,000 rows), with
             augmentation, peak RSS, and pandas.read_csv on the same file (default)
  train      training and inference images/s per backend for small-cnn-ref and kaggle-cnn,
             GFLOP/s, and the same step in PyTorch (2 threads)
  serve      requests/s, p50/p99 latency, errors and RSS at 1, 16 and 64 clients, batching on
             and off, for the fixture MLP, a fixture CNN trained in seconds and each --model
             run folder; load from wrk when installed (DIGITS_BENCH_SECONDS per cell, 5)
  all        all of the above

Options:
  --json             one JSON object per measurement
  --backend NAME     (train) limit to this backend; repeatable
  --model NAME       (train) limit to this model; (serve) also serve this run folder;
                     repeatable
  -h, --help         show this help`;

/** Runs the chosen benchmark suite. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: "boolean" },
      backend: { type: "string", multiple: true },
      model: { type: "string", multiple: true },
    },
    "bench",
    { positionals: true },
  );
  const json = values.json === true;
  const suites = positionals.length === 0 ? ["pipeline"] : positionals;
  for (const suite of suites.flatMap((s) => s === "all" ? ["pipeline", "train", "serve"] : [s])) {
    switch (suite) {
      case "pipeline": {
        const { runPipelineBench } = await import("../bench/pipeline_bench.ts");
        await runPipelineBench({ json });
        break;
      }
      case "train": {
        const { runTrainBench } = await import("../bench/train_bench.ts");
        const backends = stringListFlag(values, "backend");
        const models = stringListFlag(values, "model");
        await runTrainBench({
          json,
          ...(backends.length ? { backends } : {}),
          ...(models.length ? { models } : {}),
        });
        break;
      }
      case "serve": {
        const { runServeBench } = await import("../bench/serve_bench.ts");
        await runServeBench({ json, models: stringListFlag(values, "model") });
        break;
      }
      default:
        throw new UsageError(
          `unknown benchmark '${suite}': expected pipeline, train, serve or all`,
          "bench",
        );
    }
  }
  return 0;
}
