import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { UsageError } from "../../cli/errors.ts";
import { runCli } from "../../cli/run_cli.ts";
import { configFromArgs, help } from "../../cli/train_command.ts";
import { DEFAULT_CONFIG } from "../../train/config.ts";
import { PRESETS } from "../../train/presets.ts";
import { resolveConfig } from "../../train/resolve_config.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** `deno run main.ts train --preset quick --test none --backend wasm ARGS`, output piped. */
function quickTrain(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "train",
      "--preset",
      "quick",
      "--test",
      "none",
      "--backend",
      "wasm",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test("train: an option naming no config key is a usage error with a suggestion", async () => {
  await assert.rejects(
    () => configFromArgs(["--bach-size", "3"]),
    (err: unknown) =>
      err instanceof UsageError &&
      err.message === "unknown option --bach-size (did you mean --batch-size?)",
  );
  const error = console.error;
  console.error = () => {};
  try {
    assert.equal(await runCli(["train", "--bach-size", "3"]), 2);
    assert.equal(await runCli(["train", "--epochs", "two"]), 2);
  } finally {
    console.error = error;
  }
});

Deno.test("train: flags override the preset with checked types", async () => {
  const { config, listModels } = await configFromArgs([
    "--preset",
    "quick",
    "--epochs",
    "2",
    "--lr",
    "3e-4",
    "--no-restore-best",
    "--no-header",
    "--data",
    "a.csv",
    "--data",
    "b.csv",
  ]);
  assert.equal(listModels, false);
  assert.equal(config.model, "mlp");
  assert.equal(config.epochs, 2);
  assert.equal(config.lr, 3e-4);
  assert.equal(config.restoreBest, false);
  assert.equal(config.header, false);
  assert.deepEqual(config.data, ["a.csv", "b.csv"]);
  assert.equal((await configFromArgs([])).config.header, null);
});

Deno.test("train: --config FILE.json is checked key by key", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(path, JSON.stringify({ epochs: 4, optimzer: "sgd" }));
  await assert.rejects(
    () => configFromArgs(["--config", path]),
    new RegExp(
      `unknown ${path.replaceAll(".", "\\.")}: key 'optimzer' \\(did you mean 'optimizer'\\?\\)`,
    ),
  );
  await Deno.writeTextFile(path, JSON.stringify({ epochs: 4, optimizer: "sgd" }));
  const { config } = await configFromArgs(["--config", path, "--epochs", "6"]);
  assert.equal(config.optimizer, "sgd");
  assert.equal(config.epochs, 6);
  await Deno.remove(path);
  await assert.rejects(() => configFromArgs(["--config", path]), /file not found/);
});

Deno.test("train --resume of an ensemble folder reads its train_config.json; flags still override", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(dir, "train_config.json"),
    JSON.stringify({ ...resolveConfig({ preset: "best" }), ensemble: 5, out: dir }),
  );
  const { config, resume } = await configFromArgs(["--resume", dir, "--epochs", "4"]);
  assert.equal(resume, dir);
  assert.equal(config.ensemble, 5);
  assert.equal(config.model, "deotte");
  assert.equal(config.epochs, 4);
  // One member alone would resume on all the data, not its split: pointed at the ensemble.
  await Deno.mkdir(join(dir, "member_2"));
  await assert.rejects(
    () => configFromArgs(["--resume", join(dir, "member_2")]),
    (err: Error) =>
      err instanceof UsageError && err.message.includes(`deno task train --resume ${dir}`),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train --help documents every config key as a flag", () => {
  for (
    const flag of [
      "--batch-size",
      "--valid-split",
      "--switch-optimizer",
      "--plateau-patience",
      "--width-shift",
      "--list-models",
      "--resume",
    ]
  ) {
    assert.ok(help.includes(flag), `help lacks ${flag}`);
  }
});

Deno.test("train --help shows what a bare run uses: the default preset's values and every preset", () => {
  const line = (flag: string) => help.split("\n").find((l) => l.trimStart().startsWith(flag)) ?? "";
  const bare = resolveConfig();
  assert.match(line("--epochs"), new RegExp(`\\[${bare.epochs}\\]$`));
  assert.match(line("--rotation"), new RegExp(`\\[${bare.rotation}\\]$`));
  assert.notEqual(
    bare.epochs,
    DEFAULT_CONFIG.epochs,
    "the preset changes it, so the test means something",
  );
  for (const name of Object.keys(PRESETS)) assert.match(help, new RegExp(`^  ${name} +`, "m"));
  assert.match(line("--augment"), /none, light, standard, strong/);
  assert.ok(help.split("\n").every((l) => l.length <= 100), "lines fit 100 columns");
});

Deno.test("deno task train --json prints the config to stderr and one JSON object per epoch", async () => {
  const out = await Deno.makeTempDir();
  const { code, stdout, stderr } = await quickTrain(
    ["--limit", "600", "--epochs", "2", "--json", "--out", out],
  ).output();
  const errText = new TextDecoder().decode(stderr);
  assert.equal(code, 0, errText);
  assert.match(errText, /resolved config:\n {2}data +=/);
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  assert.equal(lines.length, 2);
  const epochs = lines.map((l) => JSON.parse(l));
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
  for (const e of epochs) {
    for (const key of ["loss", "acc", "val_loss", "val_acc", "lr", "seconds", "imagesPerSecond"]) {
      assert.equal(typeof e[key], "number", `${key} in ${JSON.stringify(e)}`);
    }
  }
  const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
  assert.equal(manifest.config.epochs, 2);
  assert.equal(manifest.data.rows, 600);
  await Deno.remove(out, { recursive: true });
});

// SIGINT with the pipeline in this thread, SIGTERM with the pipeline in a Worker.
for (
  const [signal, feed] of [["SIGINT", "--no-worker-prefetch"], [
    "SIGTERM",
    "--worker-prefetch",
  ]] as const
) {
  Deno.test(`deno task train ${feed}: ${signal} stops after the current batch, saves a checkpoint and exits 130`, async () => {
    const out = await Deno.makeTempDir();
    const child = quickTrain(
      ["--limit", "20000", "--batch-size", "8", "--epochs", "3", "--out", out, feed],
    ).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("run folder")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await new Promise((r) => setTimeout(r, 1500));
    child.kill(signal);
    const rest = reader.read().then(async function drain(r): Promise<void> {
      if (!r.done) return drain(await reader.read());
    });
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
      rest,
    ]);
    assert.equal(status.code, 130, stderr);
    assert.match(stderr, /stopping after this batch/);
    assert.match(stderr, new RegExp(`--resume ${out.replaceAll(".", "\\.")}`));
    const state = JSON.parse(await Deno.readTextFile(join(out, "train_state.json")));
    assert.equal(state.interrupted, true);
    assert.ok(state.epoch < 3);
    assert.ok(state.step > 0);
    const { config, resume } = await configFromArgs(["--resume", out, "--epochs", "5"]);
    assert.equal(resume, out);
    assert.equal(config.epochs, 5);
    assert.equal(config.batchSize, 8, "the saved config comes back");
    assert.equal(config.workerPrefetch, feed === "--worker-prefetch");
    await Deno.remove(out, { recursive: true });
  });
}

Deno.test("train --help does not load tfjs (no tfjs engine global in the process)", async () => {
  // tfjs-core registers `globalThis._tfengine` when it loads; a fresh process that runs
  // `train --help` through runCli must not have it. The same probe after importing tfjs has it,
  // so the check can fail.
  const cli = new URL("../../cli/run_cli.ts", import.meta.url).href;
  const probe = (before: string) =>
    `${before}\nconst { runCli } = await import(${JSON.stringify(cli)});\n` +
    `const code = await runCli(["train", "--help"]);\n` +
    `console.error(JSON.stringify({ code, tfjs: "_tfengine" in globalThis }));`;
  const run = async (source: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", source],
      stdout: "null",
      stderr: "piped",
    }).output();
    return JSON.parse(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)!);
  };
  assert.deepEqual(await run(probe("")), { code: 0, tfjs: false });
  assert.deepEqual(await run(probe(`await import("@tensorflow/tfjs");`)), { code: 0, tfjs: true });
});
