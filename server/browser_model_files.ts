/**
 * What a browser needs to run a saved model itself: the TensorFlow.js files of a run folder (or of
 * every member of an ensemble folder) and a small index that says how to use them.
 *
 * @module
 */
import { isAbsolute, join, normalize, sep } from "node:path";
import { readJsonFile } from "../io/read_json_file.ts";
import type { EnsembleManifest, Manifest } from "../models/manifest.ts";

/** Temperature scaling, as the manifest records it: probabilities become softmax(log p / T). */
export interface BrowserCalibration {
  method: "temperature";
  temperature: number;
}

/** `model/index.json`: everything the page reads before it loads the layers. */
export interface BrowserModelIndex {
  formatVersion: 1;
  /** The architecture (first member's for an ensemble), for the page's footer. */
  architecture: string;
  /** [height, width, channels] of one input image. */
  inputShape: [number, number, number];
  /** Class labels in output order. */
  classes: string[];
  /** URLs of each member's `model.json`, relative to `model/` (one entry for a single model). */
  members: string[];
  /** The first member's calibration, for the page's footer; `null` when it has none (T = 1). */
  calibration: BrowserCalibration | null;
  /**
   * One temperature per entry of `members` (1 where none is recorded): each member's softmax
   * becomes softmax(log p / T) before the mean, as `predict/mean_softmax.ts` does on the server.
   */
  temperatures: number[];
  /** Validation accuracy of the run (the ensemble's when recorded), when known. */
  valAcc: number | null;
  /** True when a digits server answers `/predict` beside the page; false in a static site. */
  server: boolean;
}

/** The index plus the files behind it. */
export interface BrowserModelFiles {
  index: BrowserModelIndex;
  /** URL path relative to `model/` (forward slashes) → the file on disk. */
  files: Map<string, string>;
}

/** A manifest that may carry calib's `calibration` field (absent means T = 1). */
type WithCalibration = { calibration?: unknown };

/**
 * Lists the browser-loadable files of `runDir`: each model's `model.json` and the weight files
 * its `weightsManifest` names, for a run folder or (recursively) an ensemble folder's members.
 * Refuses a member or weights path that leaves the folder, and a missing file, naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { browserModelFiles } from "./browser_model_files.ts";
 * const { index, files } = await browserModelFiles("tests/fixtures/models/mnist-mlp", true);
 * assert.deepEqual(index.members, ["model.json"]);
 * assert.ok(files.has("weights.bin"));
 * ```
 */
export async function browserModelFiles(
  runDir: string,
  server: boolean,
): Promise<BrowserModelFiles> {
  const files = new Map<string, string>();
  const members: string[] = [];
  const temperatures: number[] = [];
  const top = await _collect(runDir, "", files, members, temperatures);
  const index: BrowserModelIndex = {
    formatVersion: 1,
    architecture: top.manifest.architecture,
    inputShape: top.manifest.inputShape,
    classes: top.manifest.classes,
    members,
    calibration: top.calibration,
    temperatures,
    valAcc: _valAcc(top.manifest, top.ensemble),
    server,
  };
  return { index, files };
}

interface Collected {
  manifest: Manifest;
  ensemble?: EnsembleManifest;
  /** The first member's calibration (each member's own is in `temperatures`). */
  calibration: BrowserCalibration | null;
}

/** Adds the files of the run at `root/prefix` (and of its members) to `files` and `members`. */
async function _collect(
  root: string,
  prefix: string,
  files: Map<string, string>,
  members: string[],
  temperatures: number[],
): Promise<Collected> {
  const dir = join(root, prefix);
  const ensemblePath = join(dir, "ensemble.json");
  const ensemble = await _readOptional<EnsembleManifest>(ensemblePath);
  if (ensemble !== undefined) {
    if (!Array.isArray(ensemble.members) || ensemble.members.length === 0) {
      throw new RangeError(`${ensemblePath} lists no members`);
    }
    let first: Collected | undefined;
    for (const member of ensemble.members) {
      const at = _inside(prefix, member, ensemblePath);
      const got = await _collect(root, at, files, members, temperatures);
      first ??= got;
    }
    return { manifest: first!.manifest, ensemble, calibration: first!.calibration };
  }
  const manifestPath = join(dir, "manifest.json");
  const manifest = await _readRequired<Manifest & WithCalibration>(manifestPath, "manifest");
  const modelPath = join(dir, "model.json");
  const model = await _readRequired<{ weightsManifest?: { paths: string[] }[] }>(
    modelPath,
    "model.json",
  );
  const modelUrl = _urlPath(prefix, "model.json");
  files.set(modelUrl, modelPath);
  members.push(modelUrl);
  for (const group of model.weightsManifest ?? []) {
    for (const p of group.paths) {
      const rel = _inside(prefix, p, modelPath);
      const path = join(root, rel);
      await Deno.stat(path).catch(() => {
        throw new Deno.errors.NotFound(`weights file is missing: ${path} (named in ${modelPath})`);
      });
      files.set(_urlPath(rel), path);
    }
  }
  const calibration = _calibration(manifest, manifestPath);
  temperatures.push(calibration?.temperature ?? 1);
  return { manifest, calibration };
}

/** `prefix/child` normalised, refused when it leaves the run folder (named in `file`). */
function _inside(prefix: string, child: string, file: string): string {
  const rel = normalize(join(prefix, child));
  if (isAbsolute(child) || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new RangeError(`${file} names '${child}', which is outside the run folder`);
  }
  return rel === "." ? "" : rel;
}

/** A relative file path as a URL path with forward slashes. */
function _urlPath(...parts: string[]): string {
  return join(...parts).split(sep).join("/");
}

function _readRequired<T>(path: string, what: string): Promise<T> {
  return readJsonFile<T>(path, {
    missing: () => new Deno.errors.NotFound(`the ${what} is missing: ${path} does not exist`),
    invalid: (reason) => new SyntaxError(`${path} is not valid JSON: ${reason}`),
  });
}

async function _readOptional<T>(path: string): Promise<T | undefined> {
  try {
    return await readJsonFile<T>(path, {
      invalid: (reason) => new SyntaxError(`${path} is not valid JSON: ${reason}`),
    });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** The run's temperature, checked; `null` when none is recorded. */
function _calibration(source: WithCalibration, file: string): BrowserCalibration | null {
  const c = source.calibration;
  if (c === undefined || c === null) return null;
  const { method, temperature } = c as { method?: unknown; temperature?: unknown };
  if (method !== "temperature") {
    throw new TypeError(
      `${file}: calibration.method is ${
        JSON.stringify(method)
      }; the page applies only "temperature"`,
    );
  }
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature <= 0) {
    throw new RangeError(
      `${file}: calibration.temperature must be a positive number, got ${
        JSON.stringify(temperature)
      }`,
    );
  }
  return { method, temperature };
}

function _valAcc(manifest: Manifest, ensemble: EnsembleManifest | undefined): number | null {
  const m = ensemble?.metrics ?? manifest.metrics?.best ?? manifest.metrics?.final ?? {};
  const acc = m.val_acc ?? m.acc;
  return typeof acc === "number" ? acc : null;
}
