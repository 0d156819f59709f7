import assert from "node:assert/strict";
import { join } from "node:path";
import { browserModelFiles } from "../../server/browser_model_files.ts";
import { FIXTURE_MODEL } from "./_fixture.ts";
import { makeCalibratedFolder, makeEnsembleFolder } from "./_run_folders.ts";

Deno.test("browserModelFiles lists one run's model.json and weights, and its facts", async () => {
  const { index, files } = await browserModelFiles(FIXTURE_MODEL, false);
  assert.deepEqual(index.members, ["model.json"]);
  assert.deepEqual([...files.keys()].sort(), ["model.json", "weights.bin"]);
  assert.equal(files.get("weights.bin"), join(FIXTURE_MODEL, "weights.bin"));
  assert.equal(index.architecture, "mlp");
  assert.deepEqual(index.inputShape, [28, 28, 1]);
  assert.equal(index.classes.length, 10);
  assert.equal(index.calibration, null);
  assert.equal(index.server, false);
  assert.ok(index.valAcc !== null && index.valAcc > 0.9);
});

Deno.test("browserModelFiles lists every member of an ensemble under its folder", async () => {
  const dir = await makeEnsembleFolder();
  try {
    const { index, files } = await browserModelFiles(dir, true);
    assert.deepEqual(index.members, ["a/model.json", "b/model.json"]);
    assert.deepEqual([...files.keys()].sort(), [
      "a/model.json",
      "a/weights.bin",
      "b/model.json",
      "b/weights.bin",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("browserModelFiles reads the manifest's temperature and refuses a bad one", async () => {
  const dir = await makeCalibratedFolder(1.5);
  try {
    const { index } = await browserModelFiles(dir, true);
    assert.deepEqual(index.calibration, { method: "temperature", temperature: 1.5 });
    const path = join(dir, "manifest.json");
    const manifest = JSON.parse(await Deno.readTextFile(path));
    manifest.calibration = { method: "temperature", temperature: -1 };
    await Deno.writeTextFile(path, JSON.stringify(manifest));
    await assert.rejects(
      browserModelFiles(dir, true),
      /manifest\.json: calibration\.temperature must be a positive number, got -1/,
    );
    manifest.calibration = { method: "isotonic" };
    await Deno.writeTextFile(path, JSON.stringify(manifest));
    await assert.rejects(browserModelFiles(dir, true), /applies only "temperature"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("browserModelFiles lists each member's own temperature, 1 where none is recorded", async () => {
  const dir = await makeEnsembleFolder();
  try {
    const path = join(dir, "a", "manifest.json");
    const manifest = JSON.parse(await Deno.readTextFile(path));
    manifest.calibration = { method: "temperature", temperature: 2 };
    await Deno.writeTextFile(path, JSON.stringify(manifest));
    const { index } = await browserModelFiles(dir, true);
    assert.deepEqual(index.members, ["a/model.json", "b/model.json"]);
    assert.deepEqual(index.temperatures, [2, 1]);
    assert.equal(index.calibration?.temperature, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("browserModelFiles refuses paths outside the folder and missing files, naming them", async () => {
  const dir = await makeEnsembleFolder();
  try {
    const path = join(dir, "ensemble.json");
    const ensemble = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, JSON.stringify({ ...ensemble, members: ["a", "../elsewhere"] }));
    await assert.rejects(browserModelFiles(dir, true), /names '\.\.\/elsewhere', which is outside/);
    await Deno.writeTextFile(path, JSON.stringify(ensemble));
    await Deno.remove(join(dir, "b", "weights.bin"));
    await assert.rejects(
      browserModelFiles(dir, true),
      (err: Error) => err instanceof Deno.errors.NotFound && /b\/weights\.bin/.test(err.message),
    );
    await assert.rejects(browserModelFiles(join(dir, "nope"), true), /manifest is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
