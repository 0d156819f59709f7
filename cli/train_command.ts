/**
 * `deno task train`: resolves the config (defaults ← preset ← --config file ← flags), prints it,
 * and runs `trainRun`; Ctrl-C stops after the current batch and saves a checkpoint.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { pathExists } from "../io/path_exists.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import { kebabCase as kebab } from "../common/kebab_case.ts";
import { UsageError } from "../common/usage_error.ts";
import { type FlagSpec, parseFlags, stringFlag } from "./parse_flags.ts";
import { CONFIG_FIELDS, type TrainConfig } from "../train/config.ts";
import { PRESETS } from "../train/presets.ts";
import { resolveConfig } from "../train/resolve_config.ts";
import type { DeriveRequest } from "../train/load_training_data.ts";
import { TRAINING_DEFAULTS_HELP } from "../train/training_defaults_help.ts";

/** One line for the command list. */
export const summary = "train a model (default: the embedded MNIST, no arguments needed)";

function configHelp(): string {
  // Brackets show what a bare `deno task train` uses: the defaults with the default preset (and its
  // augmentation preset) laid over them, not the bare defaults, which no run uses as they are.
  const effective = resolveConfig() as unknown as Record<string, unknown>;
  const lines: string[] = [];
  for (const [key, field] of Object.entries(CONFIG_FIELDS)) {
    const isBool = field.type === "boolean" || field.type === "optional-boolean";
    const value = isBool ? "" : field.type === "strings" ? " FILE" : " X";
    const choices = "choices" in field && field.choices && !field.help.includes(field.choices[1]!)
      ? ` (${field.choices.join(", ")})`
      : "";
    const shown = effective[key];
    const shownDefault =
      Array.isArray(shown) || shown === null || shown === "" || shown === undefined
        ? ""
        : ` [${shown}]`;
    lines.push(
      wrap(`  --${(kebab(key) + value).padEnd(22)} ${field.help}${choices}${shownDefault}`, 27),
    );
  }
  return lines.join("\n");
}

/** Breaks a help line at spaces before column 100, indenting the continuation lines. */
function wrap(line: string, indent: number): string {
  const out: string[] = [];
  let rest = line;
  while (rest.length > 100) {
    const cut = rest.lastIndexOf(" ", 100);
    if (cut <= indent) break;
    out.push(rest.slice(0, cut));
    rest = " ".repeat(indent) + rest.slice(cut + 1);
  }
  out.push(rest);
  return out.join("\n");
}

/** One line per preset: its name and the keys it sets. */
function presetHelp(): string {
  return Object.entries(PRESETS).map(([name, values]) =>
    wrap(
      `  ${name.padEnd(9)}${Object.entries(values).map(([k, v]) => `${kebab(k)} ${v}`).join(", ")}`,
      11,
    )
  ).join("\n");
}

/** The full `--help` text. */
export const help = `deno task train [options]

Trains a model and saves it to a run folder (model.json + weights.bin + manifest.json, history.json,
best/ with the best epoch). With no --data it trains on the embedded MNIST and scores the
10,000-image MNIST test set at the end. Ctrl-C (or SIGTERM) stops after the current batch and
saves a checkpoint; continue with --resume RUN_DIR.

  --preset NAME            ${Object.keys(PRESETS).join(", ")} [default]
  --config FILE.json       config keys (camelCase) laid over the preset; flags override it
  --resume RUN_DIR         continue a stopped run (its config; flags such as --epochs override);
                           on an ensemble folder whose members were trained with --member, merge
                           them (refused until every member has finished with the same config)
  --member I               with --ensemble N or --folds K and --out DIR: train member I alone
                           (0 to N-1, a Kubernetes job completion index) into DIR/member_<I+1>
                           (fold_<I+1>); N processes may share DIR; a rerun resumes it
  --jobs P                 with --ensemble N or --folds K and --out DIR: train P members at once,
                           each in its own process with its share of the cores, then merge them;
                           on 2 cores --jobs 2 trains about 1.4× the images a second. Rerun
                           the same command after a stop: finished members are kept, others resume
  --list-models            print the model zoo with parameter counts and exit
                           (with --model NAME: that model's layers, like Keras' summary())

Presets (laid over the defaults; a bare 'deno task train' uses 'default'):
${presetHelp()}

Config keys (every key is a flag; --no-X turns a boolean off; [value] is what a bare run uses):
${configHelp()}

${TRAINING_DEFAULTS_HELP}

Examples:
  deno task train
  deno task train --model deotte --preset best
  deno task train --data optdigits.tra --no-header --label-column last --pixel-max 16
  deno task train --augment standard --rotation 12 --epochs 20 --lr 1e-3 --json
  deno task train --preset best --ensemble 5 --jobs 2 --out runs/best-ens5
  deno task train --ensemble 5 --member 0 --out runs/ens5   # ... --member 4, at once
  deno task train --resume runs/ens5                         # then merge them`;

function flagSpec(): Record<string, FlagSpec> {
  const spec: Record<string, FlagSpec> = {
    preset: { type: "string" },
    config: { type: "string" },
    resume: { type: "string" },
    member: { type: "string" },
    jobs: { type: "string" },
    "list-models": { type: "boolean" },
  };
  for (const [key, field] of Object.entries(CONFIG_FIELDS)) {
    spec[kebab(key)] = field.type === "boolean" || field.type === "optional-boolean"
      ? { type: "boolean" }
      : field.type === "strings"
      ? { type: "string", multiple: true }
      : { type: "string" };
  }
  return spec;
}

/**
 * Parses the arguments into a resolved config (and the run folder to resume, if any). Exported
 * for tests and for commands built on training (k-fold, ensembles).
 */
export async function configFromArgs(
  args: string[],
): Promise<
  {
    config: TrainConfig;
    resume?: string;
    member?: number;
    /** `--jobs P`: members trained P at a time in child processes. */
    jobs?: number;
    listModels: boolean;
    derive?: DeriveRequest;
  }
> {
  const { values } = parseFlags(args, flagSpec(), "train");
  const flags: Record<string, unknown> = {};
  for (const key of Object.keys(CONFIG_FIELDS)) {
    const v = values[kebab(key)];
    if (v !== undefined) flags[key] = v;
  }
  const resume = stringFlag(values, "resume");
  const configPath = stringFlag(values, "config");
  let file: { path: string; values: unknown } | undefined;
  if (configPath !== undefined) {
    file = { path: configPath, values: await readConfigFile(configPath) };
  }
  if (resume !== undefined) {
    if (configPath !== undefined) {
      throw new UsageError("--resume takes the run's saved config; drop --config", "train");
    }
    file = await savedConfig(resume);
  }
  const preset = stringFlag(values, "preset");
  let config = resolveConfig({ ...(preset ? { preset } : {}), ...(file ? { file } : {}), flags });
  const explicit = explicitKeys(file, flags);
  // Loaded here, not at the top: the zoo loads tfjs, which `train --help` must not.
  const { modelTrainingDefaults } = await import("../train/model_training_defaults.ts");
  config = { ...config, ...modelTrainingDefaults(config, explicit) };
  // Issue 12: the defaults that fit the data, with the default preset only (a named preset's
  // keys count as chosen) and never on --resume (the saved config is the run's).
  const derive = resume === undefined && (preset === undefined || preset === "default")
    ? { explicit: [...explicit], presetEpochs: resolveConfig().epochs }
    : undefined;
  const member = memberFlag(stringFlag(values, "member"), config, resume);
  const jobs = jobsFlag(stringFlag(values, "jobs"), config, resume, member);
  return {
    config,
    ...(derive ? { derive } : {}),
    ...(resume !== undefined ? { resume } : {}),
    ...(member !== undefined ? { member } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
    listModels: values["list-models"] === true,
  };
}

/** `--jobs P`, checked: a whole number ≥ 1 with --ensemble/--folds and --out, without --member. */
function jobsFlag(
  text: string | undefined,
  config: TrainConfig,
  resume: string | undefined,
  member: number | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  const jobs = Number(text);
  if (!/^\d+$/.test(text) || jobs < 1) {
    throw new UsageError(
      `--jobs must be a whole number ≥ 1 (members at once), not '${text}'`,
      "train",
    );
  }
  if (config.folds === 0 && config.ensemble === 0) {
    throw new UsageError(
      "--jobs P needs --ensemble N or --folds K (the members to train)",
      "train",
    );
  }
  if (member !== undefined) {
    throw new UsageError(
      "choose --jobs P (members in parallel) or --member I (one member)",
      "train",
    );
  }
  if (resume !== undefined) {
    throw new UsageError(
      "--jobs resumes by itself: rerun the same command (finished members are kept)",
      "train",
    );
  }
  if (!config.out) {
    throw new UsageError(
      "--jobs needs --out DIR, the folder the members share (rerunning the command resumes it)",
      "train",
    );
  }
  if (config.json) {
    throw new UsageError("--jobs prints each member's progress as text; drop --json", "train");
  }
  return jobs;
}

/** `--member I`, checked against the config: a 0-based index with --ensemble/--folds and --out. */
function memberFlag(
  text: string | undefined,
  config: TrainConfig,
  resume: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  const total = config.folds > 0 ? config.folds : config.ensemble;
  const what = config.folds > 0 ? `--folds ${total}` : `--ensemble ${total}`;
  if (total === 0) {
    throw new UsageError(
      "--member I needs --ensemble N or --folds K (the run it belongs to)",
      "train",
    );
  }
  if (resume !== undefined) {
    throw new UsageError(
      "--member trains into --out DIR (a rerun resumes it); --resume DIR merges the members",
      "train",
    );
  }
  if (!config.out) {
    throw new UsageError("--member needs --out DIR, the folder all members share", "train");
  }
  const index = Number(text);
  if (!/^\d+$/.test(text) || index >= total) {
    throw new UsageError(
      `--member ${text} is out of range: ${what} has members 0 to ${total - 1} ` +
        `(0-based, like a Kubernetes job completion index)`,
      "train",
    );
  }
  return index;
}

/** The config keys the user set: flags and a `--config` file's keys (camelCase). */
function explicitKeys(
  file: { values: unknown } | undefined,
  flags: Record<string, unknown>,
): Set<string> {
  const keys = new Set(Object.keys(flags));
  if (typeof file?.values === "object" && file.values !== null) {
    for (const key of Object.keys(file.values)) {
      keys.add(key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    }
  }
  return keys;
}

function readConfigFile(path: string): Promise<unknown> {
  return readJsonFile(path, {
    missing: () => new UsageError(`--config ${path}: file not found`, "train"),
    invalid: (reason) => new UsageError(`--config ${path}: not valid JSON (${reason})`, "train"),
  });
}

/**
 * The config a run folder was trained with: an ensemble or k-fold folder's `train_config.json`,
 * or a run's `manifest.json`.
 */
async function savedConfig(dir: string): Promise<{ path: string; values: unknown }> {
  const { TRAIN_CONFIG_JSON } = await import("../train/cross_validate.ts");
  // A member alone would resume on the whole data set, not on its split: resume the ensemble.
  const parent = dirname(resolve(dir));
  if (
    /^(member|fold)_\d+$/.test(basename(resolve(dir))) &&
    await pathExists(join(parent, TRAIN_CONFIG_JSON))
  ) {
    throw new UsageError(
      `${dir} is one member of the run in ${parent}; resume that instead: ` +
        `deno task train --resume ${parent}`,
      "train",
    );
  }
  const ensembleConfig = join(dir, TRAIN_CONFIG_JSON);
  if (await pathExists(ensembleConfig)) {
    return { path: ensembleConfig, values: await readJsonFile(ensembleConfig) };
  }
  const { readManifest } = await import("../models/model_io.ts");
  return { path: join(dir, "manifest.json"), values: (await readManifest(dir)).config };
}

/** Prints the resolved config, one `key = value` per line. */
export function formatConfig(config: TrainConfig): string {
  const width = Math.max(...Object.keys(config).map((k) => k.length));
  return Object.entries(config)
    .map(([k, v]) => `  ${k.padEnd(width)} = ${JSON.stringify(v)}`)
    .join("\n");
}

/** Runs `deno task train`. */
export async function run(args: string[]): Promise<number> {
  const { config, resume, member, jobs, listModels, derive } = await configFromArgs(args);
  if (listModels) {
    const { listModels, summarizeModel } = await import("../models/list_models.ts");
    // With --model NAME: that model's layers, like Keras' summary(); otherwise the whole zoo.
    const named = args.some((a) => a === "--model" || a.startsWith("--model="));
    console.log(named ? await summarizeModel(config.model) : await listModels());
    return 0;
  }
  const log = config.json
    ? (text: string) => console.error(text)
    : (text: string) => console.log(text);
  log(`resolved config:\n${formatConfig(config)}`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) Deno.exit(130);
    console.error("\nstopping after this batch and saving a checkpoint (Ctrl-C again to quit now)");
    controller.abort();
  };
  // SIGTERM (kill, a job scheduler) stops the same way; a shell's background job ignores SIGINT.
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, onSigint);
  try {
    if (jobs !== undefined) return await _trainInParallel(args, config, jobs, controller.signal);
    if (config.folds > 0 || config.ensemble > 0) {
      // k-fold cross-validation or a bagged ensemble: train/cross_validate.ts (on trainRun).
      const { crossValidate } = await import("../train/cross_validate.ts");
      const { scoreEnsemble } = await import("../predict/score_ensemble.ts");
      const result = await crossValidate(config, {
        log,
        signal: controller.signal,
        scoreEnsemble,
        ...(resume !== undefined ? { resume } : {}),
        ...(member !== undefined ? { member } : {}),
        ...(config.json ? { progress: "json" as const } : {}),
      });
      if (result.interrupted) return 130;
      if (member !== undefined) {
        log(
          `member ${member} of ${result.dir} done; once every member is: ` +
            `deno task train --resume ${result.dir}`,
        );
        return 0;
      }
      await writeReport(result.dir, result.testFile, config, log);
      return 0;
    }
    const { trainRun } = await import("../train/train_run.ts");
    const result = await trainRun(config, {
      signal: controller.signal,
      ...(derive ? { derive } : {}),
      ...(resume !== undefined ? { resume } : {}),
      ...(config.json
        ? { write: (t: string) => Deno.stdout.writeSync(new TextEncoder().encode(t)) }
        : {}),
    });
    if (result.interrupted) {
      console.error(`stopped; continue with: deno task train --resume ${result.runDir}`);
      return 130;
    }
    await writeReport(result.runDir, result.testFile, config, log);
    return 0;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSigint);
  }
}

/** `--jobs P`: the members in P child processes, then the merge (cli/train_members_in_parallel.ts). */
async function _trainInParallel(
  args: string[],
  config: TrainConfig,
  jobs: number,
  signal: AbortSignal,
): Promise<number> {
  const { mergeMembers, threadsPerJob, trainMembersInParallel } = await import(
    "./train_members_in_parallel.ts"
  );
  const kfold = config.folds > 0;
  const total = kfold ? config.folds : config.ensemble;
  const threads = threadsPerJob(navigator.hardwareConcurrency, jobs);
  if (await pathExists(join(config.out, "ensemble.json"))) {
    console.log(
      `${config.out} is already a finished ensemble; nothing to do ` +
        `(choose another --out to train a new one)`,
    );
    return 0;
  }
  const userThreads = Deno.env.get("OMP_NUM_THREADS");
  const each = userThreads !== undefined
    ? `OMP_NUM_THREADS=${userThreads} each, as you set it`
    : `${threads} thread${threads === 1 ? "" : "s"} each`;
  console.log(
    `training ${total} ${kfold ? "folds" : "members"} into ${config.out}, ${jobs} at a time ` +
      `(${each}, on ${navigator.hardwareConcurrency} cores)`,
  );
  const result = await trainMembersInParallel({
    args: _withoutFlag(args, "jobs"),
    total,
    prefix: kfold ? "fold" : "member",
    jobs,
    threads,
    dir: config.out,
    log: (line) => console.log(line),
    signal,
  });
  if (result.interrupted) {
    console.error(`stopped; rerun the same command to resume (finished members are kept)`);
    return 130;
  }
  if (result.failed.length > 0) {
    for (const f of result.failed) {
      console.error(`member ${f.index} failed (exit ${f.code}); its last lines:\n${f.tail}`);
    }
    console.error(
      `${result.failed.length} of ${total} members failed; fix the cause and rerun the same ` +
        `command (finished members are kept)`,
    );
    return 1;
  }
  console.log(`all ${total} members trained; merging ${config.out}`);
  return await mergeMembers(config.out, (line) => console.log(line));
}

/** `args` without `--NAME VALUE` / `--NAME=VALUE`. */
function _withoutFlag(args: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) i++;
    else if (!args[i]!.startsWith(`--${name}=`)) out.push(args[i]!);
  }
  return out;
}

/**
 * After training: report.html + plots/ for the run or ensemble folder (report/write_run_report.ts),
 * evaluated on the run's test file. A report that cannot be written is a note, not a failure.
 */
async function writeReport(
  dir: string,
  testFile: string | null,
  config: TrainConfig,
  log: (text: string) => void,
): Promise<void> {
  try {
    const { writeRunReport } = await import("../report/write_run_report.ts");
    const format = {
      ...(config.header !== null ? { header: config.header } : {}),
      ...(config.labelColumn !== "" ? { labelColumn: config.labelColumn } : {}),
      ...(config.pixelMax > 0 ? { pixelMax: config.pixelMax } : {}),
    };
    const data = testFile !== null && testFile !== "<memory>" ? { data: testFile, format } : {};
    const report = await writeRunReport(dir, data);
    log(`report ${report.html} (${report.plots.length} PNG plots)`);
  } catch (err) {
    log(`report not written: ${(err as Error).message}`);
  }
}
