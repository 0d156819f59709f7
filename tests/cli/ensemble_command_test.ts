import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./_capture_output.ts";
import { makeTinyRun, tempDir } from "../predict/_tiny_run.ts";

Deno.test("ensemble command --help explains the flags and is listed", async () => {
  const { code, out } = await cli(["ensemble", "--help"]);
  assert.equal(code, 0);
  assert.match(out, /--model DIR/);
  assert.match(out, /--out DIR/);
  const top = await cli(["--help"]);
  assert.match(top.out, /ensemble +combine run folders/);
});

Deno.test("ensemble command writes a folder that evaluate scores, and names its members", async () => {
  const root = await tempDir();
  try {
    const a = await makeTinyRun(join(root, "a"), { seed: 1, epochs: 1 });
    const b = await makeTinyRun(join(root, "b"), { seed: 2, epochs: 1 });
    const out = join(root, "ab");
    const made = await cli(["ensemble", "--model", a, "--model", b, "--out", out]);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /member_1 +tiny-dense .*\/a\n/);
    assert.match(made.out, /wrote .*ab: 2 members; score it with 'deno task evaluate --model/);
    const scored = await cli(["evaluate", "--model", out, "--json"]);
    assert.equal(scored.code, 0, scored.err);
    const ev = JSON.parse(scored.out);
    assert.equal(ev.rows, 10000);
    assert.ok(ev.accuracy > 0.5, `accuracy ${ev.accuracy}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensemble command: missing flags are usage errors, a bad folder an error", async () => {
  const noOut = await cli(["ensemble", "--model", "runs/a", "--model", "runs/b"]);
  assert.equal(noOut.code, 2);
  assert.match(noOut.err, /--out ENSEMBLE_DIR is required/);
  const noModel = await cli(["ensemble", "--out", "x"]);
  assert.equal(noModel.code, 2);
  assert.match(noModel.err, /--model RUN_DIR is required/);
  const missing = await cli([
    "ensemble",
    "--model",
    "/nonexistent/a",
    "--model",
    "/nonexistent/b",
    "--out",
    "/tmp/never",
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /model folder \/nonexistent\/a does not exist/);
});
