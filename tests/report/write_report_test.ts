import assert from "node:assert/strict";
import { decode } from "fast-png";
import { inspectFile } from "../../pipeline/inspect_file.ts";
import { REPORT_SECTIONS } from "../../report/write_report.ts";
import { writeRunReport } from "../../report/write_run_report.ts";
import { writeInspectPlots } from "../../report/write_inspect_plots.ts";
import { join, makeTinyRun, mnistSlice, tempDir, writeCsv } from "../predict/_tiny_run.ts";

const root = await tempDir();
const run = await makeTinyRun(join(root, "run"), { conv: true });
await Deno.writeTextFile(
  join(run, "history.json"),
  JSON.stringify([1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1 / epoch,
    acc: 1 - 0.2 / epoch,
    val_loss: 1.2 / epoch,
    val_acc: 1 - 0.25 / epoch,
    lr: 1e-3 * 0.9 ** epoch,
  }))),
);
const labelled = join(root, "labelled.csv");
await writeCsv(labelled, await mnistSlice(0, 400), "train");

function dataUris(html: string): Uint8Array[] {
  return [...html.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) =>
    Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0))
  );
}

Deno.test("writeRunReport writes one offline report.html with every section and decodable images", async () => {
  const { html: path, plots } = await writeRunReport(run, { data: labelled, mistakes: 12 });
  const html = await Deno.readTextFile(path);
  for (const id of REPORT_SECTIONS) {
    assert.match(html, new RegExp(`<section id="${id}">`), `section ${id}`);
  }
  // No section fell back to its "missing" note: curves, matrix, mistakes, samples, maps all drawn.
  assert.equal((html.match(/class="missing"/g) ?? []).length, 1, "only the footer is grey text");
  assert.equal(
    (html.match(/<svg/g) ?? []).length >= 4,
    true,
    "learning curves, matrix, labels, histogram",
  );
  assert.match(html, /precision.*recall.*F1.*ROC-AUC/s);
  // Self-contained: no script and no external URL other than SVG namespaces.
  assert.doesNotMatch(html, /<script/);
  const urls = [...html.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(urls, []);
  const images = dataUris(html);
  assert.ok(images.length >= 12 + 10 + 2, `only ${images.length} images`);
  for (const png of images) {
    const image = decode(png);
    assert.ok(image.width > 0 && image.height > 0);
  }
  // The PNG copies for terminal users decode too, and include the feature maps of the conv layer.
  const names = plots.map((p) => p.split("/").at(-1));
  for (
    const name of [
      "learning_curves.png",
      "confusion_matrix.png",
      "mistakes.png",
      "sample_digits.png",
    ]
  ) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
  assert.ok(names.some((n) => n!.startsWith("feature_maps_1_")));
  for (const p of plots) assert.ok(decode(await Deno.readFile(p)).width > 50, p);
});

Deno.test("writeInspectPlots writes the label distribution, pixel histogram and sample grid", async () => {
  const samples: Uint8Array[][] = Array.from({ length: 10 }, () => []);
  const stats = await inspectFile(labelled, {
    onExample: (e) => {
      if (e.label >= 0 && samples[e.label]!.length < 5) samples[e.label]!.push(e.pixels);
    },
  });
  const written = await writeInspectPlots(stats, join(root, "eda"), { samples });
  assert.deepEqual(written.map((p) => p.split("/").at(-1)), [
    "label_distribution.png",
    "pixel_histogram.png",
    "sample_digits.png",
  ]);
  const grid = decode(await Deno.readFile(written[2]!));
  assert.equal(grid.width, 5 * 28 * 3 + 4 * 4);
  assert.equal(grid.height, 10 * 28 * 3 + 9 * 4);
});

Deno.test("writeRunReport shows the ECE before and after and both reliability diagrams of a calibrated run", async () => {
  const dir = join(root, "calibrated");
  await Deno.mkdir(dir);
  for (const f of ["model.json", "weights.bin", "manifest.json"]) {
    await Deno.copyFile(join(run, f), join(dir, f));
  }
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  manifest.calibration = { method: "temperature", temperature: 2, atBound: false };
  await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(manifest));
  const { html: path, plots } = await writeRunReport(dir, { data: labelled });
  const html = await Deno.readTextFile(path);
  const section = html.split('<section id="calibration">')[1]!.split("</section>")[0]!;
  assert.match(section, /fitted on the validation split: T = 2\.000/);
  const [before, after] = [...section.matchAll(/<b>(\d+\.\d\d)%<\/b>/g)].map((m) => Number(m[1]));
  assert.ok(before !== undefined && after !== undefined && before !== after, section.slice(0, 400));
  assert.match(section, /Before temperature scaling/);
  assert.match(section, /After temperature scaling/);
  assert.ok(plots.some((p) => p.endsWith("reliability_diagram.png")));
});
