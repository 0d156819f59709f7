/**
 * `deno task ensemble`: one ensemble folder from run folders trained separately.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { parseFlags, stringFlag, stringListFlag } from "./parse_flags.ts";

/** One line for the command list. */
export const summary = "combine run folders trained separately into one ensemble folder";

/** The full `--help` text. */
export const help =
  `deno task ensemble --model RUN_DIR --model RUN_DIR [...] --out ENSEMBLE_DIR [--force]

Copies each run's model (model.json, weights, manifest.json with its calibration temperature)
into ENSEMBLE_DIR/member_<i> and writes ensemble.json: the same kind of folder --ensemble N
writes, so predict, evaluate, serve and export average the members' softmax outputs. Use it to
grow an ensemble one run at a time, across sittings or machines (e.g. the best preset with
--seed 43, 44, …), or to blend different architectures. An ensemble folder given as --model
contributes each of its members.

Options:
  --model DIR        a run folder or ensemble folder; repeat (at least 2 models in all)
  --out DIR          the ensemble folder to write (required); must be new unless --force
  --force            replace an existing --out (only once the new folder is complete)

Members must take the same images (input shape, pixel maximum) and predict the same classes.
The folder is built beside --out and renamed into place, so a failure leaves nothing half-made.

Examples:
  deno task train --preset best --seed 43 --out runs/best-s43
  deno task ensemble --model runs/best --model runs/best-s43 --out runs/best-x2
  deno task evaluate --model runs/best-x2 --tta 5`;

/** Runs `ensemble`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    model: { type: "string", multiple: true },
    out: { type: "string" },
    force: { type: "boolean" },
  }, "ensemble");
  const models = stringListFlag(values, "model");
  const out = stringFlag(values, "out");
  if (models.length === 0) {
    throw new UsageError("--model RUN_DIR is required (repeat it for each run)", "ensemble");
  }
  if (out === undefined || out === "") {
    throw new UsageError("--out ENSEMBLE_DIR is required (the folder to write)", "ensemble");
  }
  const { combineRuns } = await import("../models/combine_runs.ts");
  const ensemble = await combineRuns(models, out, { force: values.force === true });
  const pct = (x: number | undefined) =>
    x === undefined || Number.isNaN(x) ? "     -" : `${(x * 100).toFixed(2)}%`;
  console.log("member     architecture   val_acc  test_acc  from");
  for (const m of ensemble.members) {
    console.log(
      `${m.name.padEnd(10)} ${m.architecture.padEnd(13)} ${pct(m.val_acc).padStart(7)}  ${
        pct(m.test_acc).padStart(8)
      }  ${m.source}`,
    );
  }
  console.log(
    `wrote ${out}: ${ensemble.members.length} members; score it with ` +
      `'deno task evaluate --model ${out}'`,
  );
  return 0;
}
