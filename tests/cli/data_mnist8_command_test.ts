import assert from "node:assert/strict";
import { cli } from "./_capture_output.ts";

Deno.test("data mnist8 writes the 8×8 set and says how to train on it", async () => {
  const out = await Deno.makeTempDir();
  const { code, out: text } = await cli([
    "data",
    "mnist8",
    "--out",
    out,
    "--train-rows",
    "20",
    "--test-rows",
    "5",
  ]);
  assert.equal(code, 0);
  assert.match(text, /MNIST downsampled to 8×8/);
  assert.match(text, /train\.csv: 20 rows/);
  assert.equal((await Deno.readTextFile(`${out}/test.csv`)).trim().split("\n").length, 5);
  await Deno.remove(out, { recursive: true });
});

Deno.test("data mnist8 without --out or with a bad row count is a usage error", async () => {
  const missing = await cli(["data", "mnist8"]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /mnist8 needs --out DIR/);
  const bad = await cli(["data", "mnist8", "--out", "/tmp/x", "--train-rows", "0"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--train-rows must be/);
  const help = await cli(["data", "--help"]);
  assert.match(help.out, /deno task data mnist8 --out DIR/);
});
