/**
 * `deno task train --folds K` and `--ensemble N`, on top of `trainRun`: the data is read once, split
 * K ways (k-fold, every row validated once) or N ways (Deotte's bagging: N seeded random 80/20
 * splits), one model is trained per split into a member folder, and the members are saved as ONE
 * ensemble folder (`ensemble.json`) that predict, evaluate and serve accept. Prints each member's
 * validation loss and accuracy and their mean ± standard deviation, and, when a test set is
 * known (the embedded MNIST), the test accuracy of each member and of the averaged ensemble.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import type { EnsembleManifest } from "../models/manifest.ts";
import { saveEnsemble } from "../models/model_io.ts";
import type { Example } from "../pipeline/types.ts";
import { baggingSplits } from "./bagging_splits.ts";
import type { TrainConfig } from "./config.ts";
import { foldSplits } from "./fold_splits.ts";
import { loadTrainingData } from "./load_training_data.ts";
import type { ProgressMode } from "./progress_reporter.ts";
import { trainRun } from "./train_run.ts";

/** Options of `crossValidate`. */
export interface CrossValidateOptions {
  /** Use these rows instead of reading `config.data` (tests); `test` rows score the ensemble. */
  examples?: { train: Example[]; test?: Example[] };
  /** Progress display of each member's training. */
  progress?: ProgressMode;
  /** Where the summary goes (default console.log). */
  log?: (text: string) => void;
}

/** One trained member and its figures. */
export interface MemberResult {
  /** Sub-folder of the ensemble folder, e.g. `fold_1` or `member_3`. */
  name: string;
  trainRows: number;
  validRows: number;
  val_loss: number;
  val_acc: number;
  test_acc?: number;
}

/** What `crossValidate` returns (also written as `cross_validation.json`). */
export interface CrossValidationResult {
  /** The ensemble folder. */
  dir: string;
  method: string;
  members: MemberResult[];
  mean: { val_loss: number; val_acc: number; test_acc?: number };
  std: { val_loss: number; val_acc: number; test_acc?: number };
  /** Test accuracy of the averaged ensemble, when a test set is known. */
  ensemble_test_acc?: number;
  ensemble_test_loss?: number;
  seconds: number;
}

/**
 * Runs k-fold cross-validation (`config.folds` ≥ 2) or trains a bagged ensemble
 * (`config.ensemble` ≥ 1) and saves the members as one ensemble folder.
 *
 * @example
 * ```ts ignore
 * const result = await crossValidate(resolveConfig({ preset: "quick", flags: { folds: 5 } }));
 * console.log(result.mean.val_acc, result.std.val_acc, result.dir);
 * ```
 */
export async function crossValidate(
  config: TrainConfig,
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  const log = options.log ?? ((text: string) => console.log(text));
  if (config.folds > 0 && config.ensemble > 0) {
    throw new RangeError("choose --folds K or --ensemble N, not both");
  }
  const started = performance.now();
  const kfold = config.folds > 0;
  // Read every row once (no validation split here: the splits below make it).
  const data = await loadTrainingData(
    { ...config, validSplit: 0, valid: "", folds: 0, ensemble: 0 },
    options.examples
      ? {
        train: options.examples.train,
        ...(options.examples.test ? { test: options.examples.test } : {}),
      }
      : undefined,
  );
  const rows = data.train;
  const fraction = config.validSplit > 0 ? config.validSplit : 0.2;
  const splits = kfold
    ? foldSplits(
      rows.length,
      config.folds,
      config.seed,
      config.stratify ? rows.map((e) => e.label) : undefined,
    )
    : baggingSplits(rows.length, config.ensemble, config.seed, fraction);
  const method = kfold
    ? `${config.folds}-fold cross-validation of ${config.model} (seed ${config.seed}${
      config.stratify ? ", stratified" : ""
    })`
    : `bagged ensemble of ${config.ensemble} ${config.model} models, each on its own random ${
      Math.round((1 - fraction) * 100)
    }/${Math.round(fraction * 100)} split (seed ${config.seed})`;
  const dir = config.out ||
    defaultDir(config.model, kfold ? `kfold${config.folds}` : `ensemble${config.ensemble}`);
  log(`${method}: ${rows.length} rows → ${dir}`);

  const prefix = kfold ? "fold" : "member";
  const members: MemberResult[] = [];
  for (const [i, split] of splits.entries()) {
    const name = `${prefix}_${i + 1}`;
    log(
      `\n== ${name} of ${splits.length}: ${split.train.length} training rows, ${split.valid.length} validation rows`,
    );
    const result = await trainRun(
      { ...config, folds: 0, ensemble: 0, out: join(dir, name), seed: config.seed + i },
      {
        examples: {
          train: split.train.map((r) => rows[r]!),
          valid: split.valid.map((r) => rows[r]!),
          ...(data.test ? { test: data.test.examples } : {}),
        },
        ...(options.progress ? { progress: options.progress } : {}),
      },
    );
    if (result.interrupted) throw new Error(`${name} was interrupted; the ensemble is incomplete`);
    const final = result.manifest.metrics.final;
    const last = result.history.at(-1);
    const member: MemberResult = {
      name,
      trainRows: split.train.length,
      validRows: split.valid.length,
      val_loss: final.val_loss ?? last?.val_loss ?? NaN,
      val_acc: final.val_acc ?? last?.val_acc ?? NaN,
    };
    if (final.test_acc !== undefined) member.test_acc = final.test_acc;
    members.push(member);
  }

  const stats = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.length > 1
      ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)
      : 0;
    return { mean, std: Math.sqrt(variance) };
  };
  const loss = stats(members.map((m) => m.val_loss));
  const acc = stats(members.map((m) => m.val_acc));
  const tests = members.flatMap((m) => (m.test_acc === undefined ? [] : [m.test_acc]));
  const test = tests.length === members.length ? stats(tests) : undefined;
  const result: CrossValidationResult = {
    dir,
    method,
    members,
    mean: { val_loss: loss.mean, val_acc: acc.mean, ...(test ? { test_acc: test.mean } : {}) },
    std: { val_loss: loss.std, val_acc: acc.std, ...(test ? { test_acc: test.std } : {}) },
    seconds: 0,
  };

  const ensemble: EnsembleManifest = {
    formatVersion: 1,
    kind: "ensemble",
    members: members.map((m) => m.name),
    method,
    metrics: {
      mean_val_loss: loss.mean,
      std_val_loss: loss.std,
      mean_val_acc: acc.mean,
      std_val_acc: acc.std,
    },
  };
  await saveEnsemble(dir, ensemble);
  if (data.test) {
    const scored = await scoreEnsemble(dir, data.test.examples);
    result.ensemble_test_acc = scored.accuracy;
    result.ensemble_test_loss = scored.loss;
    ensemble.metrics!.test_acc = scored.accuracy;
    ensemble.metrics!.test_loss = scored.loss;
    await saveEnsemble(dir, ensemble);
  }
  if (options.examples === undefined) {
    // One report for the ensemble (members trained on in-memory splits write none).
    try {
      const { writeRunReport } = await import("../report/write_run_report.ts");
      const test = data.test?.file;
      const report = await writeRunReport(dir, test && test !== "<memory>" ? { data: test } : {});
      log(`report ${report.html} (${report.plots.length} PNG plots)`);
    } catch (err) {
      log(`report not written: ${(err as Error).message}`);
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  await writeFileAtomic(join(dir, "cross_validation.json"), JSON.stringify(result, null, 2) + "\n");
  log("\n" + formatSummary(result));
  return result;
}

/** Scores the saved ensemble folder on in-memory labelled rows (softmax average of members). */
async function scoreEnsemble(
  dir: string,
  examples: Example[],
): Promise<{ accuracy: number; loss: number }> {
  const { Predictor } = await import("../predict/predictor.ts");
  const { EvaluationAccumulator } = await import("../report/evaluation_accumulator.ts");
  const { toBatches } = await import("../pipeline/to_batches.ts");
  const predictor = await Predictor.load([dir]);
  try {
    const accumulator = new EvaluationAccumulator({ classes: predictor.classes, mistakes: 0 });
    for await (
      const { batch, probs } of predictor.predictStream(toBatches(examples, { batchSize: 500 }))
    ) {
      accumulator.add(batch, probs);
    }
    const ev = accumulator.finish();
    return { accuracy: ev.accuracy, loss: ev.loss };
  } finally {
    predictor.dispose();
  }
}

function formatSummary(r: CrossValidationResult): string {
  const f = (
    x: number | undefined,
  ) => (x === undefined || Number.isNaN(x) ? "     -" : x.toFixed(4));
  const lines = [`${r.method}`, "member       train  valid  val_loss  val_acc  test_acc"];
  for (const m of r.members) {
    lines.push(
      `${m.name.padEnd(10)} ${String(m.trainRows).padStart(7)} ${
        String(m.validRows).padStart(6)
      }    ${f(m.val_loss)}   ${f(m.val_acc)}    ${f(m.test_acc)}`,
    );
  }
  lines.push(
    `mean ± std                  ${f(r.mean.val_loss)} ± ${f(r.std.val_loss)}  ${
      f(r.mean.val_acc)
    } ± ${f(r.std.val_acc)}` +
      (r.mean.test_acc === undefined ? "" : `  test ${f(r.mean.test_acc)} ± ${f(r.std.test_acc)}`),
  );
  if (r.ensemble_test_acc !== undefined) {
    lines.push(
      `ensemble (softmax average of ${r.members.length}): test acc ${
        f(r.ensemble_test_acc)
      }  loss ${f(r.ensemble_test_loss)}`,
    );
  }
  lines.push(
    `saved ${r.dir} (ensemble.json + ${r.members.length} members) in ${r.seconds.toFixed(1)}s`,
  );
  return lines.join("\n");
}

function defaultDir(model: string, suffix: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return join("runs", `${stamp}-${model}-${suffix}`);
}
