/** Run folders made from the fixture model for the page tests: an ensemble, a calibrated copy. */
import { copyFile, cp } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadRun, saveEnsemble, saveRun } from "../../models/model_io.ts";
import { FIXTURE_MODEL } from "./_fixture.ts";

/**
 * A two-member ensemble folder: member `a` is the fixture, member `b` the fixture with its output
 * layer's kernel halved (softer, different probabilities), so the mean differs from either.
 */
export async function makeEnsembleFolder(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "digits-ensemble-" });
  await cp(FIXTURE_MODEL, join(dir, "a"), { recursive: true });
  await tf.ready(); // whichever backend this test process registered first
  const run = await loadRun(FIXTURE_MODEL);
  const model = run.models[0]!;
  const weights = model.getWeights();
  const kernel = weights.length - 2; // the last Dense layer's kernel (then its bias)
  model.setWeights(weights.map((w, i) => (i === kernel ? tf.mul(w, 0.5) : w)));
  await saveRun(join(dir, "b"), model, run.manifest);
  await saveEnsemble(dir, {
    formatVersion: 1,
    kind: "ensemble",
    members: ["a", "b"],
    method: "page test: the fixture and a softened copy",
  });
  return dir;
}

/** A copy of the fixture whose manifest records temperature `t` (calib's manifest field). */
export async function makeCalibratedFolder(t: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "digits-calibrated-" });
  for (const f of ["model.json", "weights.bin"]) {
    await copyFile(join(FIXTURE_MODEL, f), join(dir, f));
  }
  const manifest = JSON.parse(await Deno.readTextFile(join(FIXTURE_MODEL, "manifest.json")));
  manifest.calibration = { method: "temperature", temperature: t };
  await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}
