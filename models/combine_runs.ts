/**
 * `deno task ensemble`: makes one ensemble folder out of run folders trained separately (other
 * seeds, other sittings, other machines), the way Kaggle users blend runs. The folder is the same
 * kind `--ensemble N` writes, so predict, evaluate, serve and export take it as they are.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { copyFile } from "node:fs/promises";
import { pathExists } from "../io/path_exists.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { EnsembleManifest, Manifest } from "./manifest.ts";
import { readManifest, saveEnsemble } from "./model_io.ts";

/** One member of a combined ensemble: where it came from and its validation figures. */
export interface CombinedMember {
  /** Sub-folder in the ensemble folder, `member_1`, `member_2`, … */
  name: string;
  /** The run folder it was copied from. */
  source: string;
  architecture: string;
  /** Validation figures of the saved weights (NaN when the run had no validation split). */
  val_acc: number;
  val_loss: number;
  /** Its own test accuracy, when its run scored one. */
  test_acc?: number;
}

/** Options of {@linkcode combineRuns}. */
export interface CombineRunsOptions {
  /** Replace `out` when it exists (default: refuse). */
  force?: boolean;
}

/** What {@linkcode combineRuns} wrote. */
export interface CombinedEnsemble {
  dir: string;
  members: CombinedMember[];
  manifest: EnsembleManifest;
}

/** The files a member needs to predict: the rest of a run folder (checkpoints, plots) stays. */
const MEMBER_FILES = ["model.json", "manifest.json"];
const OPTIONAL_FILES = ["history.json"];

/**
 * Copies each run folder's model into `out/member_<i>` and writes `out/ensemble.json`. A source
 * that is itself an ensemble folder contributes each of its members. Members must take the same
 * images (input shape, pixel scale) and predict the same classes, in the same order. The folder
 * is built beside `out` and renamed into place, so a failure leaves no half-made ensemble.
 *
 * @example
 * ```ts ignore
 * import { combineRuns } from "./combine_runs.ts";
 * await combineRuns(["runs/best", "runs/best-seed43"], "runs/best-x2");
 * ```
 */
export async function combineRuns(
  sources: string[],
  out: string,
  options: CombineRunsOptions = {},
): Promise<CombinedEnsemble> {
  // 1. The member folders, flattened and checked.
  const runs = await _memberFolders(sources);
  if (runs.length < 2) {
    throw new RangeError(
      `an ensemble needs at least 2 models, got ${runs.length}: list two or more run folders`,
    );
  }
  if (runs.some((r) => resolve(r.dir) === resolve(out))) {
    throw new RangeError(`--out ${out} is one of the runs to combine; choose a new folder`);
  }
  _checkCompatible(runs);
  if (await pathExists(out) && options.force !== true) {
    throw new Deno.errors.AlreadyExists(
      `${out} already exists; choose another --out, or pass --force to replace it`,
    );
  }

  // 2. Copy into a temporary sibling folder.
  const tmp = join(dirname(resolve(out)), `.${basename(out)}.${Deno.pid}.tmp`);
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  try {
    const members: CombinedMember[] = [];
    for (const [i, run] of runs.entries()) {
      const name = `member_${i + 1}`;
      await _copyModel(run.dir, join(tmp, name));
      members.push(_describe(name, run));
    }
    const manifest = _ensembleManifest(members);
    await saveEnsemble(tmp, manifest);

    // 3. Rename into place (replacing an old folder only after the new one is complete).
    await _moveIntoPlace(tmp, out);
    return { dir: out, members, manifest };
  } catch (err) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw err;
  }
}

interface MemberRun {
  dir: string;
  manifest: Manifest;
}

async function _memberFolders(sources: string[]): Promise<MemberRun[]> {
  const runs: MemberRun[] = [];
  const seen = new Map<string, string>();
  for (const source of sources) {
    const ensemblePath = join(source, "ensemble.json");
    const dirs = await pathExists(ensemblePath)
      ? (await readJsonFile<EnsembleManifest>(ensemblePath, {
        invalid: () => new SyntaxError(`${ensemblePath} is not valid JSON`),
      })).members.map((m) => join(source, m))
      : [source];
    for (const dir of dirs) {
      const key = resolve(dir);
      if (seen.has(key)) {
        throw new RangeError(`${dir} is listed twice (also as ${seen.get(key)}); list it once`);
      }
      seen.set(key, dir);
      runs.push({ dir, manifest: await readManifest(dir) });
    }
  }
  return runs;
}

function _checkCompatible(runs: MemberRun[]): void {
  const first = runs[0]!;
  const shape = (m: Manifest) => m.inputShape.join("×");
  for (const run of runs.slice(1)) {
    const [a, b] = [first.manifest, run.manifest];
    const differs = (what: string, x: string, y: string) =>
      new TypeError(
        `${run.dir}: ${what} ${y} differs from ${first.dir}'s ${x}; ` +
          "an ensemble's members must take the same images and predict the same classes",
      );
    if (shape(a) !== shape(b)) throw differs("input shape", shape(a), shape(b));
    if (a.pixelMax !== b.pixelMax) {
      throw differs("pixel maximum", String(a.pixelMax), String(b.pixelMax));
    }
    if (a.classes.join(",") !== b.classes.join(",")) {
      throw differs("classes", a.classes.join(","), b.classes.join(","));
    }
  }
}

/** Copies model.json, its weight files, manifest.json (and history.json) from `from` to `to`. */
async function _copyModel(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  const modelJson = await readJsonFile<{ weightsManifest?: { paths: string[] }[] }>(
    join(from, "model.json"),
    { invalid: () => new SyntaxError(`${join(from, "model.json")} is not valid JSON`) },
  );
  const weights = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths);
  for (const file of [...MEMBER_FILES, ...weights]) {
    await copyFile(join(from, file), join(to, file)).catch((err) => {
      if (err?.code === "ENOENT") {
        throw new Deno.errors.NotFound(`${join(from, file)} is missing; re-save that run`);
      }
      throw err;
    });
  }
  for (const file of OPTIONAL_FILES) {
    if (await pathExists(join(from, file))) await copyFile(join(from, file), join(to, file));
  }
}

/** The validation figures of the weights a run saved: its best epoch with restore-best. */
function _describe(name: string, run: MemberRun): CombinedMember {
  const { final, best } = run.manifest.metrics;
  const kept = run.manifest.config.restoreBest === true && best.val_acc !== undefined
    ? best
    : final;
  return {
    name,
    source: run.dir,
    architecture: run.manifest.architecture,
    val_acc: kept.val_acc ?? NaN,
    val_loss: kept.val_loss ?? NaN,
    ...(final.test_acc !== undefined ? { test_acc: final.test_acc } : {}),
  };
}

function _ensembleManifest(members: CombinedMember[]): EnsembleManifest {
  const stats = (key: "val_acc" | "val_loss") => {
    const xs = members.map((m) => m[key]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    return { mean, std };
  };
  const [acc, loss] = [stats("val_acc"), stats("val_loss")];
  const metrics: Record<string, number> = {};
  if (Number.isFinite(acc.mean)) Object.assign(metrics, { mean_val_acc: acc.mean });
  if (Number.isFinite(acc.std)) Object.assign(metrics, { std_val_acc: acc.std });
  if (Number.isFinite(loss.mean)) Object.assign(metrics, { mean_val_loss: loss.mean });
  if (Number.isFinite(loss.std)) Object.assign(metrics, { std_val_loss: loss.std });
  return {
    formatVersion: 1,
    kind: "ensemble",
    members: members.map((m) => m.name),
    method: `combined runs: ${members.map((m) => `${m.source} (${m.architecture})`).join(", ")}`,
    metrics,
  };
}

async function _moveIntoPlace(tmp: string, out: string): Promise<void> {
  if (!await pathExists(out)) {
    await Deno.rename(tmp, out);
    return;
  }
  const old = join(dirname(resolve(out)), `.${basename(out)}.${Deno.pid}.old`);
  await Deno.rename(out, old);
  await Deno.rename(tmp, out);
  await Deno.remove(old, { recursive: true });
}
