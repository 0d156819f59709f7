import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { EnsembleManifest, Manifest } from "./manifest.ts";

/** A loaded run folder: one model, or several for an ensemble folder (averaged by softmax). */
export interface LoadedRun {
  dir: string;
  /** The first member's manifest for an ensemble (members share input shape and classes). */
  manifest: Manifest;
  models: tf.LayersModel[];
  /**
   * Each model's calibration temperature, same order as `models`: its manifest's
   * `calibration.temperature`, or 1 for a run saved without one.
   */
  temperatures: number[];
  ensemble?: EnsembleManifest;
}

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
const MANIFEST_JSON = "manifest.json";
const ENSEMBLE_JSON = "ensemble.json";

/**
 * Saves `model` into `dir` as `model.json` + `weights.bin` (the TensorFlow.js layers format, which
 * `tf.loadLayersModel` in a browser reads unchanged) and `manifest.json`.
 *
 * Each file is written atomically. The order (weights, then topology, then manifest) keeps the folder
 * loadable if the process dies at any moment: within one run the topology and weight specs never
 * change, so old and new files always fit together.
 */
export async function saveRun(
  dir: string,
  model: tf.LayersModel,
  manifest: Manifest,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) });
    }),
    { includeOptimizer: false },
  );
  if (artifacts === undefined || artifacts.weightData === undefined) {
    throw new Error("tfjs returned no model artifacts to save");
  }
  const weights = new Uint8Array(new tf.io.CompositeArrayBuffer(artifacts.weightData).slice());
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON["modelTopology"],
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: "digits",
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
  await writeFileAtomic(join(dir, WEIGHTS_BIN), weights);
  await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
  await writeFileAtomic(join(dir, MANIFEST_JSON), JSON.stringify(manifest, null, 2) + "\n");
}

/** Writes an ensemble folder's `ensemble.json` (the members are saved with `saveRun`). */
export async function saveEnsemble(dir: string, ensemble: EnsembleManifest): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, ENSEMBLE_JSON), JSON.stringify(ensemble, null, 2) + "\n");
}

function readJson<T>(path: string, what: string): Promise<T> {
  return readJsonFile<T>(path, {
    missing: () => new Deno.errors.NotFound(`${what} is missing: ${path} does not exist`),
    invalid: () => new SyntaxError(`${what} is not valid JSON: ${path}`),
  });
}

/** Reads only the manifest of a run folder (or of an ensemble's first member). */
export async function readManifest(dir: string): Promise<Manifest> {
  await assertFolder(dir);
  try {
    const ens = await readJson<EnsembleManifest>(join(dir, ENSEMBLE_JSON), "ensemble.json");
    const first = ens.members[0];
    if (first === undefined) throw new RangeError(`${join(dir, ENSEMBLE_JSON)} lists no members`);
    return await readManifest(join(dir, first));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound) || !String(err.message).includes(ENSEMBLE_JSON)) {
      throw err;
    }
  }
  const manifest = await readJson<Manifest>(join(dir, MANIFEST_JSON), "the model manifest");
  if (!Array.isArray(manifest.inputShape) || !Array.isArray(manifest.classes)) {
    throw new TypeError(
      `${join(dir, MANIFEST_JSON)} lacks inputShape or classes; re-save the model`,
    );
  }
  return manifest;
}

async function assertFolder(dir: string): Promise<void> {
  try {
    const stat = await Deno.stat(dir);
    if (!stat.isDirectory) throw new TypeError(`model folder ${dir} is a file, not a run folder`);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `model folder ${dir} does not exist (train one with 'deno task train --out ${dir}')`,
      );
    }
    throw err;
  }
}

/** Loads one run folder's model (model.json + weights.bin) without any HTTP or browser IO. */
async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  const modelJson = await readJson<tf.io.ModelJSON>(join(dir, MODEL_JSON), "model.json");
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      try {
        buffers.push(await Deno.readFile(join(dir, p)));
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new Deno.errors.NotFound(`weights file is missing: ${join(dir, p)}`);
        }
        throw err;
      }
    }
  }
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: specs,
      weightData: weightData.buffer,
    }));
  } catch (err) {
    throw new Error(`cannot load the model in ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Loads a run folder, or an ensemble folder (with `ensemble.json`), with clear errors for a
 * missing or incomplete folder.
 */
export async function loadRun(dir: string): Promise<LoadedRun> {
  await assertFolder(dir);
  let ensemble: EnsembleManifest | undefined;
  try {
    ensemble = await readJson<EnsembleManifest>(join(dir, ENSEMBLE_JSON), "ensemble.json");
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  if (ensemble) {
    const members = await Promise.all(ensemble.members.map((m) => loadRun(join(dir, m))));
    const first = members[0];
    if (first === undefined) throw new RangeError(`${join(dir, ENSEMBLE_JSON)} lists no members`);
    return {
      dir,
      manifest: first.manifest,
      models: members.flatMap((m) => m.models),
      temperatures: members.flatMap((m) => m.temperatures),
      ensemble,
    };
  }
  const manifest = await readManifest(dir);
  const temperatures = [manifest.calibration?.temperature ?? 1];
  return { dir, manifest, models: [await loadModelFiles(dir)], temperatures };
}
