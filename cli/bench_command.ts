import { parseFlags, stringListFlag } from "./parse_flags.ts";
import { UsageError } from "./errors.ts";

/** `deno task bench [pipeline|train|recipe|serve]`: benchmarks that print figures, never pass/fail. */
export const summary = "benchmarks: pipeline (default), train, recipe, serve";

export const help = `Usage: deno task bench [pipeline|train|recipe|serve|all] [options]

Benchmarks print figures; they never pass or fail on time. Each compares with its peer in the
same run when the peer is installed (pandas for pipeline, PyTorch for train).

  pipeline   rows/s and MB/s for read→parse→batch on the MNIST train.csv (60,000 rows), with
             augmentation, peak RSS, and pandas.read_csv on the same file (default)
  train      training and inference images/s per backend for small-cnn-ref, kaggle-cnn,
             compact-cnn and deotte, GFLOP/s against the machine's peak, and the same step in
             PyTorch (2 threads); interleaved rounds, median and min–max (about 10 minutes)
  recipe     bare \`deno task train\` end to end beside PyTorch training the same compact-cnn
             with the same recipe on the same CSV: wall time and test accuracy per side,
             interleaved rounds (about 4–5 minutes per side and round on 2 cores)
  serve      requests/s, p50/p99 latency, errors and RSS at 1, 16 and 64 clients, batching on
             and off, for the fixture MLP, a fixture CNN trained in seconds and each --model
             run folder; load from wrk when installed (DIGITS_BENCH_SECONDS per cell, 5)
  all        pipeline, train and serve (not recipe: it takes half an hour)

Options:
  --json             one JSON object per measurement
  --backend NAME     (train) limit to this backend; repeatable
  --model NAME       (train) limit to this model; (serve) also serve this run folder;
                     repeatable
  --rounds N         (train, recipe) interleaved rounds [3]
  --seconds X        (train) seconds per measurement [3]
  --quick            (train, recipe) a smoke test: 1 round; train: 0.5 s per measurement;
                     recipe: 1 epoch on 1,000 rows per side
  -h, --help         show this help

Measure with nothing else running: both print the load average first and warn above 0.3.`;

/** Runs the chosen benchmark suite. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: "boolean" },
      backend: { type: "string", multiple: true },
      model: { type: "string", multiple: true },
      rounds: { type: "string" },
      seconds: { type: "string" },
      quick: { type: "boolean" },
    },
    "bench",
    { positionals: true },
  );
  const json = values.json === true;
  const quick = values.quick === true;
  const rounds = _positive(values.rounds as string | undefined, "--rounds", true) ??
    (quick ? 1 : undefined);
  const seconds = _positive(values.seconds as string | undefined, "--seconds", false) ??
    (quick ? 0.5 : undefined);
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
          ...(rounds === undefined ? {} : { rounds }),
          ...(seconds === undefined ? {} : { seconds }),
        });
        break;
      }
      case "recipe": {
        const { runRecipeBench } = await import("../bench/recipe_bench.ts");
        await runRecipeBench({ json, quick, ...(rounds === undefined ? {} : { rounds }) });
        break;
      }
      case "serve": {
        const { runServeBench } = await import("../bench/serve_bench.ts");
        await runServeBench({ json, models: stringListFlag(values, "model") });
        break;
      }
      default:
        throw new UsageError(
          `unknown benchmark '${suite}': expected pipeline, train, recipe, serve or all`,
          "bench",
        );
    }
  }
  return 0;
}

/** A positive number flag (an integer when `integer`), or undefined when not given. */
function _positive(raw: string | undefined, flag: string, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!(v > 0) || (integer && !Number.isInteger(v))) {
    throw new UsageError(
      `${flag} must be a positive ${integer ? "integer" : "number"}, got '${raw}'`,
      "bench",
    );
  }
  return v;
}
