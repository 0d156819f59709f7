import assert from "node:assert/strict";
import { join } from "node:path";
import { exportSite } from "../../server/export_site.ts";
import { FIXTURE_MODEL } from "./_fixture.ts";
import { makeEnsembleFolder } from "./_run_folders.ts";

Deno.test("exportSite writes the page, tfjs and the model with relative URLs only", async () => {
  const root = await Deno.makeTempDir();
  try {
    const out = join(root, "site");
    const site = await exportSite({ modelDir: FIXTURE_MODEL, out });
    assert.deepEqual(site.files, [
      "assets/app.js",
      "assets/browser_model.js",
      "assets/mnist_input.js",
      "assets/style.css",
      "assets/tf.fesm.min.js",
      "index.html",
      "model/index.json",
      "model/model.json",
      "model/weights.bin",
    ]);
    const index = JSON.parse(await Deno.readTextFile(join(out, "model/index.json")));
    assert.equal(index.server, false, "the page knows no server answers beside it");
    assert.deepEqual(
      await Deno.readFile(join(out, "model/weights.bin")),
      await Deno.readFile(join(FIXTURE_MODEL, "weights.bin")),
    );
    const html = await Deno.readTextFile(join(out, "index.html"));
    assert.doesNotMatch(html, /(src|href)="\//, "no root-relative URLs: any sub-path works");
    assert.deepEqual(
      [...Deno.readDirSync(root)].map((e) => e.name),
      ["site"],
      "no temp folder left",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("exportSite copies every member of an ensemble", async () => {
  const dir = await makeEnsembleFolder();
  const root = await Deno.makeTempDir();
  try {
    const site = await exportSite({ modelDir: dir, out: join(root, "site") });
    for (const f of ["model/a/model.json", "model/a/weights.bin", "model/b/weights.bin"]) {
      assert.ok(site.files.includes(f), f);
    }
    assert.deepEqual(site.index.members, ["a/model.json", "b/model.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("exportSite refuses a non-empty folder without force and replaces it with force", async () => {
  const root = await Deno.makeTempDir();
  try {
    const out = join(root, "site");
    await Deno.mkdir(out);
    await Deno.writeTextFile(join(out, "keep.txt"), "mine");
    await assert.rejects(
      exportSite({ modelDir: FIXTURE_MODEL, out }),
      /is not empty \(1 entries, e\.g\. keep\.txt\).*--force/,
    );
    assert.equal(await Deno.readTextFile(join(out, "keep.txt")), "mine", "left untouched");
    await exportSite({ modelDir: FIXTURE_MODEL, out, force: true });
    await assert.rejects(Deno.stat(join(out, "keep.txt")), Deno.errors.NotFound);
    assert.ok((await Deno.stat(join(out, "index.html"))).isFile);
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["site"]);
    // An empty folder needs no force.
    const empty = join(root, "empty");
    await Deno.mkdir(empty);
    await exportSite({ modelDir: FIXTURE_MODEL, out: empty });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("exportSite leaves nothing behind when the model folder is bad", async () => {
  const root = await Deno.makeTempDir();
  try {
    await assert.rejects(
      exportSite({ modelDir: join(root, "missing-run"), out: join(root, "site") }),
      /manifest is missing/,
    );
    await Deno.writeTextFile(join(root, "file"), "x");
    await assert.rejects(
      exportSite({ modelDir: FIXTURE_MODEL, out: join(root, "file") }),
      /is a file/,
    );
    assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["file"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
