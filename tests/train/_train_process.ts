/**
 * `deno task train` in its own process, for the tests of members trained in separate processes
 * (`--member`, `--jobs`), and the checks that two ensemble folders hold the same members.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { mnistSlice, tempDir, writeCsv } from "../predict/_tiny_run.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/**
 * A temp folder with 600 MNIST rows as train.csv, the flags of a tiny run that is reproducible
 * across processes (logreg on wasm, 2 epochs of 480 rows), and a `train` that runs there.
 */
export async function tinyTrainingSetup() {
  const root = await tempDir();
  const csv = join(root, "train.csv");
  await writeCsv(csv, await mnistSlice(0, 600, "train"), "train");
  const flags = ["--data", csv, "--model", "logreg", "--epochs", "2", "--backend", "wasm"];
  return { root, flags, train: trainIn(root) };
}

/** A `train(...args)` that runs `deno run main.ts train ...args` with its cache under `root`. */
export function trainIn(root: string) {
  return async (...args: string[]): Promise<{ code: number; out: string }> => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "train", ...args],
      env: { DIGITS_CACHE_DIR: join(root, "cache") },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code, out: text.decode(stdout) + text.decode(stderr) };
  };
}

export async function assertTrained(p: Promise<{ code: number; out: string }>): Promise<string> {
  const { code, out } = await p;
  assert.equal(code, 0, out);
  return out;
}

/** Parsed JSON of `path` without the keys that hold times, dates and the folder's own path. */
async function stable(path: string): Promise<unknown> {
  return JSON.parse(
    await Deno.readTextFile(path),
    (key, value) => ["seconds", "createdAt", "out", "dir"].includes(key) ? undefined : value,
  );
}

export async function assertSameEnsemble(a: string, b: string, members: string[]): Promise<void> {
  for (const file of ["ensemble.json", "progress.json", "train_config.json"]) {
    assert.deepEqual(await stable(join(b, file)), await stable(join(a, file)), file);
  }
  for (const m of members) {
    const [x, y] = [join(a, m, "weights.bin"), join(b, m, "weights.bin")];
    assert.deepEqual(await Deno.readFile(y), await Deno.readFile(x), `${m}/weights.bin`);
    assert.deepEqual(
      await stable(join(b, m, "manifest.json")),
      await stable(join(a, m, "manifest.json")),
      `${m}/manifest.json`,
    );
  }
}
