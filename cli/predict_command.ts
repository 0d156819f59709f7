/**
 * `deno task predict`: streams a CSV through one model, several (averaged) or an ensemble folder
 * and writes a Kaggle submission atomically: `ImageId,Label` (1-based) for Digit Recognizer, or
 * `id,label` with the input's ids when it has an `id` column (Kannada-MNIST).
 *
 * @module
 */
import { FORMAT_FLAGS, FORMAT_FLAGS_HELP, readFormatFlags } from "./format_flags.ts";
import { numberFlag, parseFlags, stringFlag, stringListFlag } from "./parse_flags.ts";
import { UsageError } from "./errors.ts";
import type { SubmissionWriter as Writer } from "../predict/submission_writer.ts";

/** One line for the command list. */
export const summary = "write a Kaggle submission or probabilities from a saved model";

/** The full `--help` text. */
export const help = `deno task predict: predict the digits in a CSV file and write a submission

Usage: deno task predict --model RUN_DIR [--model RUN_DIR2 ...] --input test.csv [options]

  --model DIR        run folder or ensemble folder; repeat to average several models (required)
  --input FILE       CSV file(s) to predict: a file, folder or glob (required)
  --output FILE      submission to write (default submission.csv); written atomically
  --probabilities    add one prob_<class> column per class
  --tta N            test-time augmentation: average over N seeded shifts/rotations (default 1: off)
  --seed N           seed of the TTA views (default 0)
  --uncalibrated     ignore the manifests' temperatures (write the raw softmax average)
  --batch-size N     images per inference batch (default 500)
  --backend NAME     auto, webgpu, native, wasm, cpu (default auto)

${FORMAT_FLAGS_HELP}

Probabilities are calibrated: each model's softmax output is scaled by the temperature fitted on
its validation split (manifest.json "calibration"; T 1 for runs without one) before averaging.

Output: ImageId,Label (1-based, Kaggle Digit Recognizer), or id,label when the input has an id
column (Kannada-MNIST). Memory stays flat for any file size: rows are streamed in batches.

Examples:
  deno task predict --model runs/mnist --input data/cache/mnist/test.csv
  deno task predict --model runs/a --model runs/b --input test.csv --tta 4 --output sub.csv`;

const FLAGS = {
  model: { type: "string", multiple: true },
  input: { type: "string", multiple: true },
  output: { type: "string" },
  probabilities: { type: "boolean" },
  tta: { type: "string" },
  seed: { type: "string" },
  uncalibrated: { type: "boolean" },
  "batch-size": { type: "string" },
  backend: { type: "string" },
  ...FORMAT_FLAGS,
} as const;

/** Runs `deno task predict`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS, "predict");
  const models = stringListFlag(values, "model");
  const inputs = stringListFlag(values, "input");
  if (models.length === 0) throw new UsageError("--model RUN_DIR is required", "predict");
  if (inputs.length === 0) throw new UsageError("--input FILE is required", "predict");
  const output = stringFlag(values, "output") ?? "submission.csv";
  const tta = numberFlag(values, "tta", "predict", { min: 1, max: 64, integer: true }) ?? 1;
  const seed = numberFlag(values, "seed", "predict", { integer: true }) ?? 0;
  const batchSize =
    numberFlag(values, "batch-size", "predict", { min: 1, max: 65536, integer: true }) ??
      500;
  const format = readFormatFlags(values, "predict");

  const { selectBackend } = await import("../backend/select_backend.ts");
  const { Predictor } = await import("../predict/predictor.ts");
  const { SubmissionWriter } = await import("../predict/submission_writer.ts");
  const { readExamples } = await import("../pipeline/read_examples.ts");
  const { digitBatches } = await import("../pipeline/digit_batches.ts");

  const backend = await selectBackend(stringFlag(values, "backend") ?? "auto");
  const predictor = await Predictor.load(models, {
    tta,
    seed,
    uncalibrated: values.uncalibrated === true,
  });
  const shown = inputs.join(", ");
  console.error(
    `predicting ${shown} with ${predictor.models.length} model(s) from ${models.join(", ")}` +
      `${tta > 1 ? `, TTA ${tta} views` : ""} on ${backend.name}`,
  );
  let writer: Writer | undefined;
  let hasIds = false;
  const started = performance.now();
  try {
    const examples = readExamples({
      files: inputs,
      format,
      onFormat: (f) => {
        predictor.assertFits(f.height, f.width, shown);
        hasIds = f.idIndex >= 0;
      },
    });
    const batches = digitBatches({ examples, batchSize, keepIds: true });
    for await (const { batch, probs } of predictor.predictStream(batches)) {
      writer ??= await SubmissionWriter.create(output, {
        classes: predictor.classes,
        ids: hasIds,
        probabilities: values.probabilities === true,
      });
      await writer.write(batch, probs);
    }
    if (writer === undefined) throw new RangeError(`${shown} holds no data rows to predict`);
    await writer.commit();
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    predictor.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = writer.classCounts.map((n, c) => `${predictor.classes[c]}:${n}`).join(" ");
  console.log(
    `wrote ${output}: ${writer.rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)}s ` +
      `(${Math.round(writer.rows / Math.max(seconds, 1e-9)).toLocaleString("en-US")} rows/s)`,
  );
  console.log(`predicted classes  ${counts}`);
  return 0;
}
