import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { combineRuns } from "../../models/combine_runs.ts";
import { loadRun } from "../../models/model_io.ts";
import { Predictor } from "../../predict/predictor.ts";
import { makeEnsembleFolder } from "../server/_run_folders.ts";
import { makeTinyRun, mnistBatch, tempDir } from "../predict/_tiny_run.ts";

const root = await tempDir();
const runA = await makeTinyRun(join(root, "a"), { seed: 1 });
const runB = await makeTinyRun(join(root, "b"), { seed: 2, epochs: 1 });

Deno.test("combineRuns copies each run's model and averages them like the runs given together", async () => {
  const out = join(root, "ab");
  const made = await combineRuns([runA, runB], out);
  assert.deepEqual(made.members.map((m) => m.name), ["member_1", "member_2"]);
  assert.deepEqual(made.members.map((m) => m.source), [runA, runB]);
  const names = [...Deno.readDirSync(join(out, "member_1"))].map((e) => e.name).sort();
  assert.deepEqual(names, ["manifest.json", "model.json", "weights.bin"]);
  const ensemble = JSON.parse(await Deno.readTextFile(join(out, "ensemble.json")));
  assert.equal(ensemble.kind, "ensemble");
  assert.deepEqual(ensemble.members, ["member_1", "member_2"]);
  assert.match(ensemble.method, /combined runs: .*a \(tiny-dense\), .*b \(tiny-dense\)/);

  const batch = await mnistBatch(0, 40);
  const combined = await Predictor.load([out]);
  const separate = await Predictor.load([runA, runB]);
  try {
    assert.equal(combined.models.length, 2);
    const [p, q] = [await combined.predict(batch), await separate.predict(batch)];
    assert.equal(p.length, 40 * 10);
    for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i]! - q[i]!) < 1e-6, `prob ${i}`);
  } finally {
    combined.dispose();
    separate.dispose();
  }
});

Deno.test("combineRuns takes each member of an ensemble folder given as a source", async () => {
  const ens = await makeEnsembleFolder();
  const out = join(root, "flat");
  const made = await combineRuns([ens, runA], out);
  assert.deepEqual(made.members.map((m) => m.source), [join(ens, "a"), join(ens, "b"), runA]);
  const run = await loadRun(out);
  assert.equal(run.models.length, 3);
  run.models.forEach((m) => m.dispose());
  await Deno.remove(ens, { recursive: true });
});

Deno.test("combineRuns refuses one model, a folder listed twice, and members that differ", async () => {
  await assert.rejects(() => combineRuns([runA], join(root, "one")), /at least 2 models, got 1/);
  await assert.rejects(
    () => combineRuns([runA, `${runA}/`], join(root, "twice")),
    /a\/? is listed twice/,
  );
  const odd = join(root, "odd");
  await makeTinyRun(odd, { seed: 3, epochs: 1 });
  const manifest = JSON.parse(await Deno.readTextFile(join(odd, "manifest.json")));
  manifest.classes = [...manifest.classes].reverse();
  await Deno.writeTextFile(join(odd, "manifest.json"), JSON.stringify(manifest));
  await assert.rejects(
    () => combineRuns([runA, odd], join(root, "mixed")),
    /odd: classes 9,8,7,6,5,4,3,2,1,0 differs from .*a's 0,1,2,3,4,5,6,7,8,9/,
  );
  for (const dir of ["one", "twice", "mixed"]) {
    assert.equal(await Deno.stat(join(root, dir)).catch(() => null), null, `${dir} not written`);
  }
});

Deno.test("combineRuns keeps an existing folder unless forced, and a failed replace leaves it whole", async () => {
  const out = join(root, "kept");
  await combineRuns([runA, runB], out);
  await assert.rejects(() => combineRuns([runB, runA], out), /kept already exists; .*--force/);

  const broken = join(root, "broken");
  await makeTinyRun(broken, { seed: 4, epochs: 1 });
  await Deno.remove(join(broken, "weights.bin"));
  await assert.rejects(
    () => combineRuns([runA, broken], out, { force: true }),
    /broken\/weights\.bin is missing/,
  );
  const still = JSON.parse(await Deno.readTextFile(join(out, "ensemble.json")));
  assert.match(still.method, /a \(tiny-dense\), .*b \(tiny-dense\)$/);
  const leftovers = [...Deno.readDirSync(root)].filter((e) => e.name.endsWith(".tmp"));
  assert.deepEqual(leftovers, []);

  const forced = await combineRuns([runB, runA], out, { force: true });
  assert.deepEqual(forced.members.map((m) => m.source), [runB, runA]);
});

globalThis.addEventListener("unload", () => {
  tf.disposeVariables();
  Deno.removeSync(root, { recursive: true });
});
