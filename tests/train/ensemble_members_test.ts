import assert from "node:assert/strict";
import { join } from "node:path";
import { configDifference } from "../../train/ensemble_members.ts";
import { assertSameEnsemble, assertTrained, tinyTrainingSetup } from "./_train_process.ts";

const { root, flags: FLAGS, train } = await tinyTrainingSetup();

Deno.test("train --ensemble N --member I in separate processes, merged with --resume, equals one process", async () => {
  const ens = ["--ensemble", "3", "--valid-split", "0.2"];
  const one = join(root, "one"), shared = join(root, "shared");
  await assertTrained(train(...FLAGS, ...ens, "--out", one));
  const outs = await Promise.all(
    [0, 1, 2].map((i) =>
      assertTrained(train(...FLAGS, ...ens, "--member", String(i), "--out", shared))
    ),
  );
  assert.match(outs[2]!, /member 2 of .* done; once every member is: deno task train --resume/);
  await assert.rejects(
    Deno.stat(join(shared, "progress.json")),
    "members write no shared progress",
  );
  await assertTrained(train("--resume", shared));
  await assertSameEnsemble(one, shared, ["member_1", "member_2", "member_3"]);
  // Each member carries its own calibration, fitted on its own validation split.
  const m1 = JSON.parse(await Deno.readTextFile(join(shared, "member_1", "manifest.json")));
  assert.equal(m1.calibration.rows, 120);
});

Deno.test("train --folds K --member I and the merge give the same folder as one process", async () => {
  const folds = ["--folds", "2"];
  const one = join(root, "folds-one"), shared = join(root, "folds-shared");
  await assertTrained(train(...FLAGS, ...folds, "--out", one));
  for (const i of [1, 0]) {
    await assertTrained(train(...FLAGS, ...folds, "--member", String(i), "--out", shared));
  }
  await assertTrained(train("--resume", shared));
  await assertSameEnsemble(one, shared, ["fold_1", "fold_2"]);
});

Deno.test("train --member refuses an index out of range, an incomplete merge and differing configs", async () => {
  const ens = ["--ensemble", "2", "--valid-split", "0.2"];
  const dir = join(root, "bad");
  const range = await train(...FLAGS, ...ens, "--member", "2", "--out", dir);
  assert.equal(range.code, 2);
  assert.match(range.out, /--member 2 is out of range: --ensemble 2 has members 0 to 1/);
  const noOut = await train(...FLAGS, ...ens, "--member", "0");
  assert.match(noOut.out, /--member needs --out DIR/);

  await assertTrained(train(...FLAGS, ...ens, "--member", "0", "--out", dir));
  const incomplete = await train("--resume", dir);
  assert.equal(incomplete.code, 1);
  assert.match(incomplete.out, /cannot merge .*: 1 of 2 members are missing/);
  assert.match(incomplete.out, /member_2 \(not trained\): deno task train --ensemble 2 --member 1/);
  await assert.rejects(Deno.stat(join(dir, "ensemble.json")), "nothing is half-written");

  const other = await train(...FLAGS, ...ens, "--lr", "0.5", "--member", "1", "--out", dir);
  assert.equal(other.code, 1);
  assert.match(
    other.out,
    /must share one config, but lr is 0\.002 in .*train_config\.json but 0\.5/,
  );

  // A member that got past the shared-config check with other settings is caught by the merge.
  await assertTrained(train(...FLAGS, ...ens, "--member", "1", "--out", dir));
  const path = join(dir, "member_2", "manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(path));
  manifest.config.epochs = 5;
  await Deno.writeTextFile(path, JSON.stringify(manifest));
  const differ = await train("--resume", dir);
  assert.equal(differ.code, 1);
  assert.match(differ.out, /trained with different configs \(epochs is 5 in .*member_2.* but 2 in/);
});

Deno.test("train --member rerun on an unfinished member resumes it; on a finished one does nothing", async () => {
  const ens = ["--ensemble", "2", "--valid-split", "0.2"];
  const dir = join(root, "rerun");
  await assertTrained(train(...FLAGS, ...ens, "--member", "0", "--out", dir));
  const again = await assertTrained(train(...FLAGS, ...ens, "--member", "0", "--out", dir));
  assert.match(again, /member_1 of .* has already finished; nothing to do/);
  // Unfinished: the member's result file is gone, as when its job died after a checkpoint.
  await Deno.remove(join(dir, "member_1", "member_result.json"));
  const resumed = await assertTrained(train(...FLAGS, ...ens, "--member", "0", "--out", dir));
  assert.match(resumed, /resuming its checkpoint/);
});

Deno.test("configDifference ignores display keys and names the first differing key", () => {
  assert.equal(configDifference({ a: 1, out: "x" }, { a: 1, out: "y" }, "A", "B"), null);
  assert.equal(configDifference({ a: 1 }, {}, "A", "B"), "a is 1 in A but unset in B");
});
