import { ensureEmbeddedMnist } from "../data/embedded_mnist.ts";
import type { CsvFormat, CsvFormatOptions } from "../pipeline/csv_format.ts";
import { listFiles } from "../pipeline/list_files.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import type { Example } from "../pipeline/types.ts";
import type { TrainConfig } from "./config.ts";
import { DataFingerprint } from "./data_fingerprint.ts";
import { splitExamples } from "./split_examples.ts";

/** Everything a run trains, validates and tests on, with what the manifest records about it. */
export interface TrainingData {
  train: Example[];
  /** Validation rows (a `--valid` file or the held-out split); empty without validation. */
  valid: Example[];
  /** Labelled rows scored after training (the MNIST test set by default), or null. */
  test: { file: string; examples: Example[] } | null;
  /** Image size and the pixel scale of the CSVs. */
  height: number;
  width: number;
  pixelMax: number;
  /** Number of classes: the CSV format's label range, or the largest label seen plus one. */
  numClasses: number;
  /** Fingerprint of the training rows (before the validation split). */
  fingerprint: { files: string[]; rows: number; sha256: string };
  /** Where the data came from, for the log. */
  description: string;
}

/** Rows given in memory instead of files (`trainRun`'s `examples` option: k-fold, ensembles). */
export interface InMemoryExamples {
  train: Example[];
  valid?: Example[];
  test?: Example[];
}

/**
 * Reads (or takes) the training data for `config`: the `--data` CSVs or the embedded MNIST, capped
 * at `--limit` rows, fingerprinted, then split for validation (`--valid FILE` or a seeded
 * `--valid-split`, optionally stratified). The embedded data also brings the MNIST test set.
 */
export async function loadTrainingData(
  config: TrainConfig,
  injected?: InMemoryExamples,
): Promise<TrainingData> {
  const format = formatOptions(config);
  let files: string[];
  let all: Example[];
  let csv: CsvFormat | undefined;
  let description: string;
  let testFile: string | null = null;
  const fingerprint = new DataFingerprint();
  if (injected) {
    files = ["<memory>"];
    all = config.limit > 0 ? injected.train.slice(0, config.limit) : injected.train;
    all.forEach((e) => fingerprint.add(e));
    description = `${all.length} rows given in memory`;
  } else {
    let embedded = false;
    if (config.data.length === 0) {
      const mnist = await ensureEmbeddedMnist();
      files = mnist.trainFiles;
      testFile = mnist.testLabelledFile;
      embedded = true;
    } else {
      files = await listFiles(config.data, { shuffle: false, seed: 0 });
    }
    all = await readAll(files, format, config.limit, fingerprint, (f) => (csv = f));
    description = embedded
      ? `embedded MNIST: ${all.length} rows from ${files.length} shards in ${shortDir(files)}`
      : `${all.length} rows from ${files.length === 1 ? files[0] : `${files.length} files`}`;
  }
  if (all.length === 0) throw new RangeError(`no training rows in ${files.join(", ")}`);
  const unlabelled = all.find((e) => e.label < 0);
  if (unlabelled) {
    throw new TypeError(
      `${unlabelled.source.file} line ${unlabelled.source.line} has no label: training needs ` +
        `a label column (set it with --label-column)`,
    );
  }

  let train: Example[];
  let valid: Example[];
  if (injected?.valid) {
    [train, valid] = [all, injected.valid];
  } else if (config.valid !== "") {
    [train, valid] = [all, await readAll([config.valid], format, 0)];
  } else {
    ({ train, valid } = splitExamples(all, config.validSplit, {
      seed: config.seed,
      stratify: config.stratify,
    }));
  }

  let test: TrainingData["test"] = null;
  if (injected?.test) test = { file: "<memory>", examples: injected.test };
  else if (config.test !== "none" && (config.test !== "" || testFile !== null)) {
    const file = config.test !== "" ? config.test : testFile!;
    test = { file, examples: await readAll([file], format, 0) };
  }

  const pixels = all[0]!.pixels.length;
  const side = csv?.height ?? Math.round(Math.sqrt(pixels));
  const width = csv?.width ?? side;
  if (side * width !== pixels) {
    throw new TypeError(`${pixels} pixels per row do not make a square image`);
  }
  // Classes: the CSV format's label range (0..9 for digits) or, for rows given in memory, the
  // largest label seen anywhere (train, validation, test) plus one.
  let maxLabel = (csv?.numClasses ?? 0) - 1;
  for (const rows of [all, valid, test?.examples ?? []]) {
    for (const e of rows) if (e.label > maxLabel) maxLabel = e.label;
  }
  return {
    train,
    valid,
    test,
    height: side,
    width,
    pixelMax: csv?.pixelMax ?? (config.pixelMax || 255),
    numClasses: Math.max(2, maxLabel + 1),
    fingerprint: { files, rows: fingerprint.rows, sha256: fingerprint.digest() },
    description,
  };
}

function formatOptions(config: TrainConfig): CsvFormatOptions {
  const format: CsvFormatOptions = { skipBadRows: config.skipBadRows };
  if (config.header !== null) format.header = config.header;
  if (config.labelColumn !== "") format.labelColumn = config.labelColumn;
  if (config.pixelMax > 0) format.pixelMax = config.pixelMax;
  return format;
}

async function readAll(
  files: string[],
  format: CsvFormatOptions,
  limit: number,
  fingerprint?: DataFingerprint,
  onFormat?: (format: CsvFormat) => void,
): Promise<Example[]> {
  const out: Example[] = [];
  const stream = readExamples({ files, format, ...(onFormat ? { onFormat } : {}) });
  for await (const example of stream) {
    out.push(example);
    fingerprint?.add(example);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

function shortDir(files: string[]): string {
  const first = files[0] ?? "";
  const cwd = Deno.cwd();
  const dir = first.slice(0, first.lastIndexOf("/"));
  return dir.startsWith(cwd + "/") ? dir.slice(cwd.length + 1) : dir;
}
