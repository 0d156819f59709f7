/**
 * `deno task data mnist8 --out DIR`: the 8×8 digit set made from the embedded MNIST
 * (data/write_mnist8_csvs.ts). Kept apart from cli/data_command.ts, which only dispatches here.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { numberFlag, parseFlags, stringFlag } from "./parse_flags.ts";

/** `--help` lines of the subcommand, for cli/data_command.ts's help text. */
export const mnist8Help =
  `mnist8: writes DIR/train.csv (--train-rows, default 1300, from the MNIST training images) and
DIR/test.csv (--test-rows, default 500, from the test images), each image downsampled to 8×8 with
values 0..16, headerless with the class last like UCI optdigits (train with --no-header
--label-column last --pixel-max 16); --seed N picks another draw.`;

/** Runs `data mnist8`; resolves to the exit code. */
export async function runMnist8(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    out: { type: "string" },
    "train-rows": { type: "string" },
    "test-rows": { type: "string" },
    seed: { type: "string" },
  }, "data");
  const out = stringFlag(values, "out");
  if (out === undefined) throw new UsageError("mnist8 needs --out DIR", "data");
  const trainRows = numberFlag(values, "train-rows", "data", { min: 1, max: 60000, integer: true });
  const testRows = numberFlag(values, "test-rows", "data", { min: 1, max: 10000, integer: true });
  const seed = numberFlag(values, "seed", "data", { min: 0, integer: true });
  const { writeMnist8Csvs } = await import("../data/write_mnist8_csvs.ts");
  const files = await writeMnist8Csvs({
    out,
    ...(trainRows !== undefined ? { trainRows } : {}),
    ...(testRows !== undefined ? { testRows } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  console.log(`MNIST downsampled to 8×8 (values 0..16, class last, no header) in ${out}`);
  console.log(`  train  ${files.train.path}: ${files.train.rows} rows`);
  console.log(`  test   ${files.test.path}: ${files.test.rows} rows`);
  return 0;
}
