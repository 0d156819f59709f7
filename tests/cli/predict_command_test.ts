import assert from "node:assert/strict";
import { run } from "../../cli/predict_command.ts";
import { runCli } from "../../cli/run_cli.ts";
import { join, makeTinyRun, mnistSlice, tempDir, writeCsv } from "../predict/_tiny_run.ts";

const root = await tempDir();
const model = await makeTinyRun(join(root, "model"));
const data = await mnistSlice(0, 300);
const kaggleTest = join(root, "test.csv");
const kannadaTest = join(root, "kannada.csv");
await writeCsv(kaggleTest, data, "test");
await writeCsv(kannadaTest, data, "kannada");

async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const [log, error] = [console.log, console.error];
  console.log = console.error = () => {};
  try {
    return await fn();
  } finally {
    [console.log, console.error] = [log, error];
  }
}

Deno.test("predict writes ImageId,Label with 1-based ids and one row per image", async () => {
  const out = join(root, "submission.csv");
  assert.equal(
    await quiet(() =>
      run(["--model", model, "--input", kaggleTest, "--output", out, "--batch-size", "128"])
    ),
    0,
  );
  const lines = (await Deno.readTextFile(out)).trimEnd().split("\n");
  assert.equal(lines[0], "ImageId,Label");
  assert.equal(lines.length, 301);
  assert.equal(lines[1]!.split(",")[0], "1");
  assert.equal(lines[300]!.split(",")[0], "300");
  // The tiny model is right on most of these (unseen) test images.
  const correct =
    lines.slice(1).filter((l, i) => Number(l.split(",")[1]) === data.labels[i]).length;
  assert.ok(correct > 240, `only ${correct}/300 correct`);
});

Deno.test("predict carries the id column through as id,label (Kannada-MNIST) and adds probabilities", async () => {
  const out = join(root, "kannada_submission.csv");
  assert.equal(
    await quiet(() =>
      run(["--model", model, "--input", kannadaTest, "--output", out, "--probabilities"])
    ),
    0,
  );
  const lines = (await Deno.readTextFile(out)).trimEnd().split("\n");
  assert.equal(lines[0], "id,label," + Array.from({ length: 10 }, (_, c) => `prob_${c}`).join(","));
  assert.equal(lines.length, 301);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(",")[0]),
    Array.from({ length: 300 }, (_, i) => String(i + 100)),
  );
  const probs = lines[1]!.split(",").slice(2).map(Number);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.equal(lines[1]!.split(",")[1], String(probs.indexOf(Math.max(...probs))));
});

Deno.test("predict rejects images of the wrong size with one message, exit 1, and writes nothing", async () => {
  const small = join(root, "optdigits.csv");
  await Deno.writeTextFile(
    small,
    Array.from({ length: 3 }, () => Array(65).fill(3).join(",")).join("\n") + "\n",
  );
  const out = join(root, "never.csv");
  const errors: string[] = [];
  const error = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    assert.equal(
      await runCli(["predict", "--model", model, "--input", small, "--output", out, "--no-header"]),
      1,
    );
  } finally {
    console.error = error;
  }
  assert.match(errors.at(-1)!, /^error: .*optdigits.csv holds 8×8 images .* expects 28×28/);
  assert.ok(!errors.some((m) => m.includes("    at ")), "no stack trace");
  await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
  assert.deepEqual([...Deno.readDirSync(root)].filter((e) => e.name.endsWith(".tmp")), []);
});

Deno.test("predict names a missing model folder (exit 1) and a missing --input (exit 2)", async () => {
  await quiet(async () => {
    assert.equal(
      await runCli(["predict", "--model", join(root, "missing"), "--input", kaggleTest]),
      1,
    );
    assert.equal(await runCli(["predict", "--model", model]), 2);
  });
});

Deno.test("predict keeps peak memory flat: a 20× larger file costs at most a few MB more", async () => {
  const big = join(root, "big.csv");
  const small = join(root, "small.csv");
  const slice = await mnistSlice(300, 2000);
  await writeCsv(small, slice, "test");
  await writeCsv(big, slice, "test", 20);
  const peak = async (input: string) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc",
        new URL("./_peak_rss.ts", import.meta.url).pathname,
        "predict",
        "--model",
        model,
        "--input",
        input,
        "--output",
        join(root, "peak.csv"),
        "--batch-size",
        "250",
        "--backend",
        "wasm",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const last = new TextDecoder().decode(output.stdout).trimEnd().split("\n").at(-1)!;
    const result = JSON.parse(last) as { code: number; peakRss: number };
    assert.equal(result.code, 0, new TextDecoder().decode(output.stderr));
    return result.peakRss;
  };
  const smallPeak = await peak(small);
  const bigPeak = await peak(big);
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(`peak RSS: 2,000 rows ${mb(smallPeak)} MB, 40,000 rows ${mb(bigPeak)} MB`);
  assert.ok(
    // Keeping the 38,000 extra images would add 28 MB (bytes) to 112 MB (floats); the heap's own
    // growth under a longer run stays under 8 MB, measured 5.5–6.6 MB at 10×.
    bigPeak - smallPeak < 14 * 2 ** 20,
    `peak grew from ${mb(smallPeak)} to ${mb(bigPeak)} MB`,
  );
});
