import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "./_capture_output.ts";

const MODEL = new URL("../fixtures/models/mnist-mlp", import.meta.url).pathname;

Deno.test("export command --help explains the flags", async () => {
  const { code, out } = await cli(["export", "--help"]);
  assert.equal(code, 0);
  assert.match(out, /--out SITE_DIR/);
  assert.match(out, /--force/);
  const top = await cli(["--help"]);
  assert.match(top.out, /export +write a static site/);
});

Deno.test("export command writes a site and refuses to overwrite it without --force", async () => {
  const root = await Deno.makeTempDir();
  try {
    const out = join(root, "site");
    const first = await cli(["export", "--model", MODEL, "--out", out]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /exported .*mnist-mlp \(mlp\) to .*site: 9 files, \d+\.\d MB/);
    const again = await cli(["export", "--model", MODEL, "--out", out]);
    assert.equal(again.code, 1);
    assert.match(again.err, /error: --out .*site is not empty .*pass --force/);
    const forced = await cli(["export", "--model", MODEL, "--out", out, "--force"]);
    assert.equal(forced.code, 0, forced.err);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("export command refuses unknown flags and a missing --out with usage errors", async () => {
  const unknown = await cli(["export", "--model", MODEL, "--out", "x", "--outt", "y"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option --outt/);
  const missing = await cli(["export", "--model", MODEL]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--out SITE_DIR is required/);
  assert.match(missing.err, /deno task export --help/);
});
