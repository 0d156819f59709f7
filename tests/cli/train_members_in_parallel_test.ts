import assert from "node:assert/strict";
import { join } from "node:path";
import { configFromArgs } from "../../cli/train_command.ts";
import { assertSameEnsemble, assertTrained, tinyTrainingSetup } from "../train/_train_process.ts";

const { root, flags: FLAGS, train } = await tinyTrainingSetup();

Deno.test("train --ensemble 3 --jobs 2 trains the members in parallel processes and merges them as one process would", async () => {
  const ens = ["--ensemble", "3", "--valid-split", "0.2"];
  const one = join(root, "one"), par = join(root, "par");
  await assertTrained(train(...FLAGS, ...ens, "--out", one));
  const out = await assertTrained(train(...FLAGS, ...ens, "--jobs", "2", "--out", par));
  assert.match(
    out,
    /training 3 members into .*par, 2 at a time \((\d+ threads? each|OMP_NUM_THREADS=\S+ each, as you set it), on \d+ cores\)/,
  );
  for (const m of [1, 2, 3]) assert.match(out, new RegExp(`^\\[member_${m}\\] epoch 2/2 `, "m"));
  // The members' resolved-config blocks are not repeated (the parent printed it once).
  assert.equal(out.match(/^resolved config:$/gm)?.length, 1);
  assert.match(out, /all 3 members trained; merging .*par/);
  assert.match(out, /report .*report\.html/);
  await assertSameEnsemble(one, par, ["member_1", "member_2", "member_3"]);

  // Rerun on the finished folder: nothing to do.
  const done = await assertTrained(train(...FLAGS, ...ens, "--jobs", "2", "--out", par));
  assert.match(done, /par is already a finished ensemble; nothing to do/);
  // Stopped after the members, before the merge: a rerun keeps them and merges.
  await Deno.remove(join(par, "ensemble.json"));
  await Deno.remove(join(par, "progress.json"));
  const again = await assertTrained(train(...FLAGS, ...ens, "--jobs", "2", "--out", par));
  assert.match(again, /\[member_2\] member_2 of .*par has already finished; nothing to do/);
  await assertSameEnsemble(one, par, ["member_1", "member_2", "member_3"]);

  // What a repository keeps of a folder that spans sittings: the finished members' model files
  // only, no checkpoint, one member not started. The same command trains that one and merges.
  for (const f of ["ensemble.json", "progress.json", "member_3"]) {
    await Deno.remove(join(par, f), { recursive: true });
  }
  const kept = ["model.json", "weights.bin", "manifest.json", "member_result.json", "history.json"];
  for await (const entry of Deno.readDir(join(par, "member_1"))) {
    if (!kept.includes(entry.name)) {
      await Deno.remove(join(par, "member_1", entry.name), { recursive: true });
    }
  }
  const resumed = await assertTrained(train(...FLAGS, ...ens, "--jobs", "2", "--out", par));
  assert.match(resumed, /\[member_1\] member_1 of .*par has already finished; nothing to do/);
  assert.match(resumed, /^\[member_3\] epoch 2\/2 /m);
  await assertSameEnsemble(one, par, ["member_1", "member_2", "member_3"]);
});

Deno.test("train --jobs refuses what it cannot do, naming the fix", async () => {
  const cases: [string[], RegExp][] = [
    [["--jobs", "2", "--out", "x"], /--jobs P needs --ensemble N or --folds K/],
    [["--ensemble", "2", "--jobs", "2"], /--jobs needs --out DIR/],
    [["--ensemble", "2", "--jobs", "0", "--out", "x"], /--jobs must be a whole number ≥ 1/],
    [["--ensemble", "2", "--jobs", "1.5", "--out", "x"], /--jobs must be a whole number ≥ 1/],
    [
      ["--ensemble", "2", "--jobs", "2", "--member", "0", "--out", "x"],
      /--jobs P .* or --member I/,
    ],
    [["--ensemble", "2", "--jobs", "2", "--out", "x", "--json"], /drop --json/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(configFromArgs(args), message, args.join(" "));
  }
});
