/**
 * `deno task export`: a static site (the page, tfjs, the model) that predicts in each visitor's
 * browser, with no server.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { parseFlags, stringFlag } from "./parse_flags.ts";

/** One line for the command list. */
export const summary = "write a static site that runs a saved model in each visitor's browser";

/** The full `--help` text. */
export const help = `deno task export --out SITE_DIR [--model RUN_DIR] [--force]

Writes a self-contained static folder: the draw-a-digit page, TensorFlow.js (this project's own
copy from node_modules) and the model (model.json and weights; every member of an ensemble). Any
static file host or CDN can serve it; the model runs on each visitor's device, so there is no
predict server to run or scale. Every URL in it is relative: it works from any path.

Options:
  --out SITE_DIR     folder to write (required); it must be new or empty unless --force
  --model RUN_DIR    run folder or ensemble folder; default: the newest under runs/
  --force            replace the contents of a non-empty --out

The folder is written whole into a temporary sibling folder, then renamed into place, so an
interrupted export leaves the previous site (or nothing) behind.

Examples:
  deno task export --model runs/mnist-cnn --out site/
  python3 -m http.server -d site 8080      # or any static host; open http://localhost:8080/`;

/** Runs `export`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    model: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
  }, "export");
  const out = stringFlag(values, "out");
  if (out === undefined || out === "") {
    throw new UsageError(
      "--out SITE_DIR is required (the folder to write the site into)",
      "export",
    );
  }
  const { findNewestRun } = await import("../server/find_newest_run.ts");
  const modelDir = stringFlag(values, "model") ?? await findNewestRun("runs");
  if (modelDir === undefined) {
    console.error(
      "error: no model to export: runs/ holds no trained model.\n" +
        "Train one with 'deno task train' (it saves to runs/<name>/), or pass --model RUN_DIR.",
    );
    return 1;
  }
  const { exportSite } = await import("../server/export_site.ts");
  const site = await exportSite({ modelDir, out, force: values.force === true });
  const { index } = site;
  const members = index.members.length;
  console.log(
    `exported ${modelDir} (${index.architecture}${members > 1 ? `, ensemble of ${members}` : ""}` +
      `${index.calibration ? `, temperature ${index.calibration.temperature}` : ""}) ` +
      `to ${site.dir}: ${site.files.length} files, ${(site.bytes / 1e6).toFixed(1)} MB`,
  );
  console.log(`serve it with any static file server, e.g. python3 -m http.server -d ${out} 8080`);
  return 0;
}
