/**
 * `deno task train --folds K` and `--ensemble N`, on top of `trainRun`: the data is read once, split
 * K ways (k-fold, every row validated once) or N ways (Deotte's bagging: N seeded random
 * splits, each holding out `--valid-split` of the rows, or 20% when it is 0), one model is
 * trained per split into a member folder, and the members are saved as ONE ensemble folder (`ensemble.json`) that predict, evaluate and serve accept. Prints each member's
 * validation loss and accuracy and their mean ± standard deviation, and, when a test set is
 * known (the embedded MNIST), the test accuracy of each member and of the averaged ensemble.
 *
 * With `member` (`--member I`) one process trains one member into the shared folder; a later
 * `resume` (`--resume DIR`) merges the members (train/ensemble_members.ts checks them).
 *
 * @module
 */
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { pathExists } from "../io/path_exists.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { EnsembleManifest } from "../models/manifest.ts";
import { resolveModelName } from "../models/create_model.ts";
import { saveEnsemble } from "../models/model_io.ts";
import type { Example } from "../pipeline/types.ts";
import { baggingSplits } from "./bagging_splits.ts";
import type { TrainConfig } from "./config.ts";
import { type FoldSplit, foldSplits } from "./fold_splits.ts";
import { loadTrainingData, type TrainingData } from "./load_training_data.ts";
import { formatSeconds, type ProgressMode } from "./progress_reporter.ts";
import { runDirName } from "./run_dir_name.ts";
import { trainRun } from "./train_run.ts";
import {
  checkMembersForMerge,
  configDifference,
  memberConfig,
  type MemberResult,
  readMemberResult,
  writeMemberResult,
} from "./ensemble_members.ts";

export type { MemberResult } from "./ensemble_members.ts";

/** Options of `crossValidate`. */
export interface CrossValidateOptions {
  /** Use these rows instead of reading `config.data` (tests); `test` rows score the ensemble. */
  examples?: { train: Example[]; test?: Example[] };
  /** Progress display of each member's training. */
  progress?: ProgressMode;
  /** Where the summary goes (default console.log). */
  log?: (text: string) => void;
  /**
   * Aborting stops the member in training after its current batch, saves its checkpoint and the
   * ensemble's progress, and returns with `interrupted` set (what SIGINT does).
   */
  signal?: AbortSignal;
  /**
   * Continue the k-fold or ensemble run saved in this folder: members listed in its
   * `progress.json` are kept as they are, a member stopped mid-way resumes from its checkpoint,
   * and the rest are trained. The splits are the same because they depend only on the row count
   * and the seed. `config.out` is ignored.
   */
  resume?: string;
  /**
   * Scores the saved ensemble folder on the test rows (the CLI passes predict/'s
   * `scoreEnsemble`; train/ does not import predict/). Without it no ensemble test figure.
   */
  scoreEnsemble?: (dir: string, examples: Example[]) => Promise<{ accuracy: number; loss: number }>;
  /**
   * Train only this member (0-based, as a Kubernetes Indexed Job's completion index) into its
   * sub-folder of `config.out`, writing no shared file but `train_config.json` (the first member
   * writes it; the others check theirs is the same). A rerun on an unfinished member resumes it;
   * on a finished one it does nothing. Complete the folder afterwards with `resume` (the merge).
   */
  member?: number;
}

/** Written into the ensemble folder: the resolved config (read back by `--resume`). */
export const TRAIN_CONFIG_JSON = "train_config.json";
/** Written into the ensemble folder after each member: the members done so far. */
export const PROGRESS_JSON = "progress.json";

/** The members trained so far, as saved in `progress.json`. */
export interface EnsembleProgress {
  formatVersion: 1;
  /** Members completed, in order. */
  members: MemberResult[];
  /** How many members the run trains. */
  total: number;
  /** Wall seconds spent so far, over every sitting. */
  seconds: number;
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
  /** The labelled file the ensemble was scored on (`<memory>` for rows given in memory), or null. */
  testFile: string | null;
  seconds: number;
  /** True when the signal stopped the run before its last member finished (see `resume`). */
  interrupted?: boolean;
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
  if (config.folds > 0 && config.ensemble > 0) {
    throw new RangeError("choose --folds K or --ensemble N, not both");
  }
  const started = performance.now();
  const data = await readAllRows(config, options);
  const plan = planSplits(config, data);
  if (options.member !== undefined) {
    return await trainSeparateMember(config, options, plan, data, started);
  }
  const folder = await prepareFolder(config, options, plan);
  plan.log(`${plan.method}: ${data.all.size} rows → ${folder.dir}`);
  const seconds = () => folder.priorSeconds + (performance.now() - started) / 1000;
  const { members, interrupted } = await trainMembers(config, options, plan, data, folder, seconds);
  const testFile = data.test?.file ?? null;
  if (interrupted) {
    const stats = summaryStats(members);
    return {
      dir: folder.dir,
      method: plan.method,
      members,
      ...stats,
      testFile,
      seconds: seconds(),
      interrupted,
    };
  }
  // A merge (or a resume with every member done) trains nothing here, so nothing else has
  // started the backend that scores the ensemble.
  if (folder.kept.length === plan.splits.length) await selectBackend(config.backend);
  const result = await saveEnsembleFolder(folder.dir, plan.method, members, data, options);
  result.seconds = seconds();
  await writeFileAtomic(
    join(folder.dir, "cross_validation.json"),
    JSON.stringify(result, null, 2) + "\n",
  );
  plan.log("\n" + formatSummary(result));
  return result;
}

/** Every row, read once (no validation split here: the member splits make it). */
function readAllRows(config: TrainConfig, options: CrossValidateOptions): Promise<TrainingData> {
  const { examples } = options;
  return loadTrainingData(
    { ...config, validSplit: 0, valid: "", folds: 0, ensemble: 0 },
    examples
      ? { train: examples.train, ...(examples.test ? { test: examples.test } : {}) }
      : undefined,
  );
}

/** The member splits and how the run is described. */
interface _Plan {
  kfold: boolean;
  modelName: string;
  splits: FoldSplit[];
  method: string;
  prefix: string;
  log: (text: string) => void;
}

function planSplits(config: TrainConfig, data: TrainingData): _Plan {
  const n = data.all.size;
  const kfold = config.folds > 0;
  // "auto" names the model the data picks (compact-cnn for 28×28), as each member will.
  const modelName = resolveModelName(config.model, [data.height, data.width, 1]);
  const fraction = config.validSplit > 0 ? config.validSplit : 0.2;
  const labels = config.stratify
    ? Array.from({ length: n }, (_, i) => data.all.at(i).label)
    : undefined;
  const splits = kfold
    ? foldSplits(n, config.folds, config.seed, labels)
    : baggingSplits(n, config.ensemble, config.seed, fraction);
  const method = kfold
    ? `${config.folds}-fold cross-validation of ${modelName} (seed ${config.seed}${
      config.stratify ? ", stratified" : ""
    })`
    : `bagged ensemble of ${config.ensemble} ${modelName} models, each on its own random ${
      Math.round((1 - fraction) * 100)
    }/${Math.round(fraction * 100)} split (seed ${config.seed})`;
  return {
    kfold,
    modelName,
    splits,
    method,
    prefix: kfold ? "fold" : "member",
    log: (text) => console.log(text),
  };
}

/** The ensemble folder, its saved config, and what earlier sittings of a resumed run did. */
async function prepareFolder(
  config: TrainConfig,
  options: CrossValidateOptions,
  plan: _Plan,
): Promise<{ dir: string; kept: MemberResult[]; priorSeconds: number }> {
  if (options.log) plan.log = options.log;
  const suffix = plan.kfold ? `kfold${config.folds}` : `ensemble${config.ensemble}`;
  const dir = options.resume ?? (config.out || runDirName(plan.modelName, suffix));
  const saved = await readProgress(dir);
  if (options.resume === undefined && saved && saved.members.length < saved.total) {
    throw new Error(
      `${dir} holds an unfinished run (${saved.members.length} of ${saved.total} members ` +
        `trained); continue it with 'deno task train --resume ${dir}', or choose another --out`,
    );
  }
  if (options.resume !== undefined && saved === undefined) {
    // No progress.json: the members were trained in separate processes (--member); merge them.
    const names = plan.splits.map((_, i) => memberName(plan, i));
    const command = (i: number) => memberCommand(config, i, dir);
    const kept = await checkMembersForMerge(dir, config, names, command);
    plan.log(`merging ${kept.length} members trained in separate processes`);
    return { dir, kept, priorSeconds: 0 };
  }
  const earlier = options.resume !== undefined ? saved : undefined;
  await Deno.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, TRAIN_CONFIG_JSON), JSON.stringify(config, null, 2) + "\n");
  return { dir, kept: earlier?.members ?? [], priorSeconds: earlier?.seconds ?? 0 };
}

/** `fold_3` or `member_3` for index 2. */
function memberName(plan: _Plan, index: number): string {
  return `${plan.prefix}_${index + 1}`;
}

/** The command that trains member `index` alone. */
function memberCommand(config: TrainConfig, index: number, dir: string): string {
  const flag = config.folds > 0 ? `--folds ${config.folds}` : `--ensemble ${config.ensemble}`;
  return `deno task train ${flag} --member ${index} --out ${dir} (same other flags)`;
}

/**
 * `--member I`: trains member I alone into its sub-folder of `config.out` (resuming its
 * checkpoint, or keeping it when finished); the shared folder's files are the merge's job.
 */
async function trainSeparateMember(
  config: TrainConfig,
  options: CrossValidateOptions,
  plan: _Plan,
  data: TrainingData,
  started: number,
): Promise<CrossValidationResult> {
  const index = options.member!;
  const total = plan.splits.length;
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new RangeError(
      `--member ${index} is out of range: ${
        plan.kfold ? `--folds ${total}` : `--ensemble ${total}`
      } has members 0 to ${total - 1} (0-based, like a Kubernetes job completion index)`,
    );
  }
  if (!config.out) throw new RangeError("--member needs --out DIR, the folder the members share");
  if (options.log) plan.log = options.log;
  const dir = config.out;
  await claimSharedConfig(dir, config);
  const name = memberName(plan, index);
  const done = await readMemberResult(join(dir, name));
  const member = done ?? await trainMember(config, options, data, plan, index, dir, true);
  if (done) plan.log(`${name} of ${dir} has already finished; nothing to do`);
  const members = member ? [member] : [];
  return {
    dir,
    method: plan.method,
    members,
    ...summaryStats(members),
    testFile: data.test?.file ?? null,
    seconds: (performance.now() - started) / 1000,
    ...(member === null ? { interrupted: true } : {}),
  };
}

/**
 * Writes `train_config.json` into the shared folder, or, when another member wrote it first,
 * refuses a config that differs from it.
 */
async function claimSharedConfig(dir: string, config: TrainConfig): Promise<void> {
  const path = join(dir, TRAIN_CONFIG_JSON);
  await Deno.mkdir(dir, { recursive: true });
  if (await pathExists(join(dir, PROGRESS_JSON))) {
    throw new Error(
      `${dir} holds a run trained in one process (${PROGRESS_JSON}); ` +
        `continue it with 'deno task train --resume ${dir}', or choose another --out`,
    );
  }
  if (!await pathExists(path)) {
    // Members starting together may each write it; the files are equal or the merge refuses.
    await writeFileAtomic(path, JSON.stringify(config, null, 2) + "\n");
    return;
  }
  const shared = await readJsonFile<Record<string, unknown>>(path);
  const here = config as unknown as Record<string, unknown>;
  const diff = configDifference(shared, here, path, "this command");
  if (diff !== null) {
    throw new Error(
      `the members of ${dir} must share one config, but ${diff}; ` +
        `give this member the same flags as the others`,
    );
  }
}

/** Trains (or keeps, or resumes) each member in turn, saving `progress.json` after each. */
async function trainMembers(
  config: TrainConfig,
  options: CrossValidateOptions,
  plan: _Plan,
  data: TrainingData,
  folder: { dir: string; kept: MemberResult[] },
  seconds: () => number,
): Promise<{ members: MemberResult[]; interrupted: boolean }> {
  const { splits, log } = plan;
  const members: MemberResult[] = [];
  const saveProgress = () => {
    const progress: EnsembleProgress = {
      formatVersion: 1,
      members,
      total: splits.length,
      seconds: seconds(),
    };
    return writeFileAtomic(
      join(folder.dir, PROGRESS_JSON),
      JSON.stringify(progress, null, 2) + "\n",
    );
  };
  if (members.length === 0 && folder.kept.length === 0) await saveProgress();
  for (let i = 0; i < splits.length; i++) {
    const name = memberName(plan, i);
    const before = folder.kept.find((m) => m.name === name);
    if (before) {
      log(`\n== ${name} of ${splits.length}: trained in an earlier sitting, kept`);
      members.push(before);
      continue;
    }
    const memberStarted = performance.now();
    const resumable = options.resume !== undefined;
    const member = await trainMember(config, options, data, plan, i, folder.dir, resumable);
    if (member === null) {
      await saveProgress();
      log(
        `\nstopped during ${name}; ${members.length} of ${splits.length} members done. ` +
          `Continue with: deno task train --resume ${folder.dir}`,
      );
      return { members, interrupted: true };
    }
    members.push(member);
    await saveProgress();
    const memberSeconds = (performance.now() - memberStarted) / 1000;
    const left = splits.length - i - 1;
    log(
      `${name} done in ${formatSeconds(memberSeconds)}` +
        (left > 0 ? `; about ${formatSeconds(memberSeconds * left)} for the ${left} left` : ""),
    );
  }
  await saveProgress(); // also after a merge, whose members were all kept
  return { members, interrupted: false };
}

/**
 * One member: `trainRun` on its split (resuming its checkpoint when `resumable` and there is
 * one); writes its `member_result.json`; null when it was stopped.
 */
async function trainMember(
  config: TrainConfig,
  options: CrossValidateOptions,
  data: TrainingData,
  plan: _Plan,
  index: number,
  dir: string,
  resumable: boolean,
): Promise<MemberResult | null> {
  const split = plan.splits[index]!;
  const name = memberName(plan, index);
  const memberDir = join(dir, name);
  const partial = resumable && await pathExists(join(memberDir, "train_state.json"));
  plan.log(
    `\n== ${name} of ${plan.splits.length}: ${split.train.length} training rows, ` +
      `${split.valid.length} validation rows${partial ? " (resuming its checkpoint)" : ""}`,
  );
  const rows = data.all;
  const result = await trainRun(
    memberConfig(config, index, memberDir),
    {
      examples: {
        train: split.train.map((r) => rows.at(r)),
        valid: split.valid.map((r) => rows.at(r)),
        ...(data.test ? { test: data.test.rows.source.toArray() } : {}),
      },
      ...(options.progress ? { progress: options.progress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(partial ? { resume: memberDir } : {}),
    },
  );
  if (result.interrupted) return null;
  const final = result.manifest.metrics.final;
  const last = result.history.at(-1);
  const member: MemberResult = {
    name,
    trainRows: split.train.length,
    validRows: split.valid.length,
    val_loss: final.val_loss ?? last?.val_loss ?? NaN,
    val_acc: final.val_acc ?? last?.val_acc ?? NaN,
    ...(final.test_acc !== undefined ? { test_acc: final.test_acc } : {}),
  };
  await writeMemberResult(memberDir, member);
  return member;
}

/** Writes `ensemble.json` with the members' figures (and the ensemble's test score, if known). */
async function saveEnsembleFolder(
  dir: string,
  method: string,
  members: MemberResult[],
  data: TrainingData,
  options: CrossValidateOptions,
): Promise<CrossValidationResult> {
  const { mean, std } = summaryStats(members);
  const result: CrossValidationResult = {
    dir,
    method,
    members,
    mean,
    std,
    testFile: data.test?.file ?? null,
    seconds: 0,
  };
  const ensemble: EnsembleManifest = {
    formatVersion: 1,
    kind: "ensemble",
    members: members.map((m) => m.name),
    method,
    metrics: {
      mean_val_loss: mean.val_loss,
      std_val_loss: std.val_loss,
      mean_val_acc: mean.val_acc,
      std_val_acc: std.val_acc,
    },
  };
  await saveEnsemble(dir, ensemble);
  if (data.test && options.scoreEnsemble) {
    const scored = await options.scoreEnsemble(dir, data.test.rows.source.toArray());
    result.ensemble_test_acc = scored.accuracy;
    result.ensemble_test_loss = scored.loss;
    ensemble.metrics!.test_acc = scored.accuracy;
    ensemble.metrics!.test_loss = scored.loss;
    await saveEnsemble(dir, ensemble);
  }
  return result;
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

/** Mean and sample standard deviation of the members' figures (test only when every member has one). */
function summaryStats(
  members: MemberResult[],
): Pick<CrossValidationResult, "mean" | "std"> {
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
  const test = tests.length > 0 && tests.length === members.length ? stats(tests) : undefined;
  return {
    mean: { val_loss: loss.mean, val_acc: acc.mean, ...(test ? { test_acc: test.mean } : {}) },
    std: { val_loss: loss.std, val_acc: acc.std, ...(test ? { test_acc: test.std } : {}) },
  };
}

/** `progress.json` of `dir`, or undefined when there is none. */
async function readProgress(dir: string): Promise<EnsembleProgress | undefined> {
  const path = join(dir, PROGRESS_JSON);
  if (!await pathExists(path)) return undefined;
  return await readJsonFile<EnsembleProgress>(path, {
    invalid: () => new SyntaxError(`${path} is not valid JSON; delete it to retrain every member`),
  });
}
