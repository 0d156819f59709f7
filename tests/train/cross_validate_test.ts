import assert from "node:assert/strict";
import { baggingSplits } from "../../train/bagging_splits.ts";
import { crossValidate } from "../../train/cross_validate.ts";
import { foldSplits } from "../../train/fold_splits.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { loadRun } from "../../models/model_io.ts";
import type { Example } from "../../pipeline/types.ts";
import { join, mnistSlice, tempDir } from "../predict/_tiny_run.ts";
import { scoreEnsemble } from "../../predict/score_ensemble.ts";

Deno.test("foldSplits validates every row exactly once, in folds within one row of each other", () => {
  for (const [n, k] of [[10, 5], [103, 5], [7, 7], [50, 3]] as const) {
    const splits = foldSplits(n, k, 42);
    const seen = new Array<number>(n).fill(0);
    for (const s of splits) {
      for (const i of s.valid) seen[i]!++;
      assert.equal(s.train.length + s.valid.length, n);
      assert.deepEqual(new Set([...s.train, ...s.valid]).size, n);
    }
    assert.deepEqual(seen, new Array(n).fill(1));
    const sizes = splits.map((s) => s.valid.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  }
  assert.deepEqual(foldSplits(20, 4, 1), foldSplits(20, 4, 1));
  assert.notDeepEqual(foldSplits(20, 4, 1), foldSplits(20, 4, 2));
  assert.throws(() => foldSplits(3, 5, 1), /at least 5 rows/);
  assert.throws(() => foldSplits(10, 1, 1), RangeError);
});

Deno.test("foldSplits with labels keeps each class balanced across folds", () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
  for (const s of foldSplits(100, 4, 3, labels)) {
    assert.equal(s.valid.filter((i) => labels[i] === 1).length, 5);
  }
});

Deno.test("baggingSplits makes seeded, distinct 80/20 splits that each cover every row once", () => {
  const splits = baggingSplits(50, 3, 9);
  assert.equal(splits.length, 3);
  for (const s of splits) {
    assert.equal(s.valid.length, 10);
    assert.deepEqual(
      [...s.train, ...s.valid].sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
  }
  assert.notDeepEqual(splits[0]!.valid, splits[1]!.valid);
  assert.deepEqual(baggingSplits(50, 3, 9), splits);
  assert.throws(() => baggingSplits(2, 1, 1, 0.1), /too few/);
});

async function examples(start: number, count: number): Promise<Example[]> {
  const { pixels, labels } = await mnistSlice(start, count, "train");
  return Array.from({ length: count }, (_, i) => ({
    pixels: pixels.slice(i * 784, (i + 1) * 784),
    label: labels[i]!,
    source: { file: "mnist-train", line: start + i + 2 },
  }));
}

Deno.test("crossValidate trains K fold models and saves them as one loadable ensemble folder", async () => {
  const dir = join(await tempDir(), "cv");
  const config = resolveConfig({
    preset: "quick",
    flags: {
      folds: 3,
      out: dir,
      backend: "wasm",
      model: "logreg",
      epochs: 6,
      lr: 0.01,
      batchSize: 50,
      seed: 5,
    },
  });
  const lines: string[] = [];
  const result = await crossValidate(config, {
    scoreEnsemble,
    examples: { train: await examples(0, 600), test: await examples(1000, 300) },
    progress: "silent",
    log: (t) => lines.push(t),
  });
  assert.deepEqual(result.members.map((m) => m.name), ["fold_1", "fold_2", "fold_3"]);
  assert.deepEqual(result.members.map((m) => m.validRows), [200, 200, 200]);
  for (const m of result.members) {
    assert.ok(m.val_acc > 0.5 && m.val_acc <= 1, `${m.name} ${m.val_acc}`);
  }
  assert.ok(result.std.val_acc >= 0 && Number.isFinite(result.mean.val_loss));
  assert.ok(result.ensemble_test_acc! > 0.6, `ensemble test acc ${result.ensemble_test_acc}`);
  const ensemble = JSON.parse(await Deno.readTextFile(join(dir, "ensemble.json")));
  assert.deepEqual(ensemble.members, ["fold_1", "fold_2", "fold_3"]);
  const loaded = await loadRun(dir);
  assert.equal(loaded.models.length, 3);
  loaded.models.forEach((m) => m.dispose());
  assert.match(lines.join("\n"), /mean ± std/);
  assert.ok(
    JSON.parse(await Deno.readTextFile(join(dir, "cross_validation.json"))).members.length === 3,
  );
});

Deno.test("an interrupted ensemble keeps its finished members and --resume trains only the rest", async () => {
  const dir = join(await tempDir(), "ens");
  const config = resolveConfig({
    preset: "quick",
    flags: {
      ensemble: 3,
      out: dir,
      backend: "wasm",
      model: "logreg",
      epochs: 3,
      lr: 0.01,
      batchSize: 50,
      seed: 11,
    },
  });
  const data = { train: await examples(0, 400), test: await examples(1000, 200) };
  // Stop as member_2 starts: its first batch runs, then it saves a checkpoint.
  const controller = new AbortController();
  const lines: string[] = [];
  const first = await crossValidate(config, {
    scoreEnsemble,
    examples: data,
    progress: "silent",
    signal: controller.signal,
    log: (t) => {
      lines.push(t);
      if (t.includes("== member_2")) controller.abort();
    },
  });
  assert.equal(first.interrupted, true);
  assert.deepEqual(first.members.map((m) => m.name), ["member_1"]);
  assert.match(
    lines.join("\n"),
    new RegExp(`--resume ${dir.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}`),
  );
  const progress = JSON.parse(await Deno.readTextFile(join(dir, "progress.json")));
  assert.equal(progress.members.length, 1);
  assert.equal(progress.total, 3);
  const state2 = JSON.parse(await Deno.readTextFile(join(dir, "member_2", "train_state.json")));
  assert.equal(state2.interrupted, true);
  await assert.rejects(() => Deno.stat(join(dir, "ensemble.json")), Deno.errors.NotFound);
  const member1Weights = await Deno.readFile(join(dir, "member_1", "weights.bin"));

  // The same command without --resume refuses to start over on top of it.
  await assert.rejects(
    () =>
      crossValidate(config, {
        scoreEnsemble,
        examples: data,
        progress: "silent",
        log: () => {},
      }),
    /unfinished run \(1 of 3 members trained\).*--resume/,
  );

  // The saved config round-trips, and resuming finishes the ensemble.
  const saved = JSON.parse(await Deno.readTextFile(join(dir, "train_config.json")));
  assert.equal(saved.ensemble, 3);
  const resumedLines: string[] = [];
  const second = await crossValidate(resolveConfig({ file: { path: "x", values: saved } }), {
    scoreEnsemble,
    examples: data,
    progress: "silent",
    resume: dir,
    log: (t) => resumedLines.push(t),
  });
  assert.equal(second.interrupted, undefined);
  assert.deepEqual(second.members.map((m) => m.name), ["member_1", "member_2", "member_3"]);
  const log = resumedLines.join("\n");
  assert.match(log, /member_1 of 3: trained in an earlier sitting, kept/);
  assert.match(log, /member_2 of 3: .*\(resuming its checkpoint\)/);
  assert.doesNotMatch(log, /member_3 of 3: .*resuming/);
  // member_1 was not retrained; member_2 finished every epoch.
  assert.deepEqual(await Deno.readFile(join(dir, "member_1", "weights.bin")), member1Weights);
  const done2 = JSON.parse(await Deno.readTextFile(join(dir, "member_2", "train_state.json")));
  assert.equal(done2.epoch, 3);
  assert.equal(done2.interrupted, false);
  assert.deepEqual(
    JSON.parse(await Deno.readTextFile(join(dir, "ensemble.json"))).members,
    ["member_1", "member_2", "member_3"],
  );
  assert.ok(second.ensemble_test_acc! > 0.6, `ensemble test acc ${second.ensemble_test_acc}`);
});
