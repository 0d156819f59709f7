import { ensureEmbeddedMnist } from "../data/embedded_mnist.ts";
import { CachedStream } from "../pipeline/cached_stream.ts";
import { PackedExamples } from "../pipeline/packed_examples.ts";
import type { CsvFormat, CsvFormatOptions } from "../pipeline/csv_format.ts";
import { listFiles } from "../pipeline/list_files.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import { splitRows } from "../pipeline/split_rows.ts";
import { TakeStream } from "../pipeline/take_stream.ts";
import type { Example } from "../pipeline/types.ts";
import type { TrainConfig } from "./config.ts";
import { DataFingerprint } from "./data_fingerprint.ts";
import { deriveTrainingDefaults, type TrainingDefaults } from "./derive_training_defaults.ts";

/**
 * Asks `loadTrainingData` to derive the defaults from the rows it reads (the default preset only):
 * the keys the user set (flags, `--config`), which are never changed, and the preset's epochs.
 */
export interface DeriveRequest {
  explicit: string[];
  presetEpochs: number;
}

/**
 * Rows of one cached source that a run reads: the cache's rows kept `select[i]` times each (all
 * rows when `select` is null). `digitBatches({ examples: rows.source.stream(), select })` reads them.
 */
export interface RowSet {
  source: CachedStream<Example>;
  select: Uint8Array | null;
  /** How many records the selection yields. */
  size: number;
}

/** Everything a run trains, validates and tests on, with what the manifest records about it. */
export interface TrainingData {
  /** Every row read (after `--limit`), in file order: the cache the splits select from. */
  all: CachedStream<Example>;
  train: RowSet;
  /** Validation rows (a `--valid` file or the held-out split), or null without validation. */
  valid: RowSet | null;
  /** Labelled rows scored after training (the MNIST test set by default), or null. */
  test: { file: string; rows: RowSet } | null;
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
  /** The defaults derived from the rows (asked for with a `DeriveRequest`), or null. */
  derived: TrainingDefaults | null;
}

/** Rows given in memory instead of files (`trainRun`'s `examples` option: k-fold, ensembles). */
export interface InMemoryExamples {
  train: Example[];
  valid?: Example[];
  test?: Example[];
}

/** Where the rows come from, before they are read. */
interface _Source {
  cache: CachedStream<Example>;
  files: string[];
  testFile: string | null;
  embedded: boolean;
  /** The CSV format, once the first pass has read it (undefined for rows in memory). */
  format: () => CsvFormat | undefined;
}

/**
 * Reads (or takes) the training data for `config`, in named steps: open the source (the `--data`
 * CSVs, interleaved as `--cycle-length`/`--block-length`/`--shuffle-files` say, or the embedded
 * MNIST) → read it once into the cache (capped at `--limit`, fingerprinted, labels checked) →
 * split for validation by row index (`--valid FILE` or a seeded `--valid-split`, optionally
 * stratified) → the test rows → the image shape and class count.
 */
export async function loadTrainingData(
  config: TrainConfig,
  injected?: InMemoryExamples,
  derive?: DeriveRequest,
): Promise<TrainingData> {
  const format = formatOptions(config);
  const source = injected ? memorySource(injected.train, config.limit) : await fileSource(config);
  const { all, fingerprint } = await firstPass(source);
  const csv = source.format();
  const { height, width } = imageShape(all.at(0).pixels.length, csv);
  const validFile = config.valid !== "" && !injected?.valid
    ? await readRows([config.valid], format)
    : null;
  let derived: TrainingDefaults | null = null;
  if (derive !== undefined && injected === undefined) {
    // Issue 12: the defaults that fit the data, laid over the config before the split.
    const shape = { rows: all.size, height, width, numClasses: countClasses(csv, [all]) };
    derived = deriveTrainingDefaults(
      validFile ? { ...shape, validRows: validFile.size } : shape,
      config,
      new Set(derive.explicit),
      derive.presetEpochs,
    );
    config = { ...config, ...derived.values };
  }
  const { train, valid } = validationSplit(config, source.cache, injected, validFile);
  const test = await testRows(config, format, source.testFile, injected);
  return {
    derived,
    all,
    train,
    valid,
    test,
    height,
    width,
    pixelMax: csv?.pixelMax ?? (config.pixelMax || 255),
    numClasses: countClasses(csv, [all, valid?.source ?? null, test?.rows.source ?? null]),
    fingerprint: { files: source.files, rows: fingerprint.rows, sha256: fingerprint.digest() },
    description: describe(source, all.size),
  };
}

function formatOptions(config: TrainConfig): CsvFormatOptions {
  const format: CsvFormatOptions = { skipBadRows: config.skipBadRows };
  if (config.header !== null) format.header = config.header;
  if (config.labelColumn !== "") format.labelColumn = config.labelColumn;
  if (config.pixelMax > 0) format.pixelMax = config.pixelMax;
  return format;
}

function memorySource(train: Example[], limit: number): _Source {
  const rows = limit > 0 ? train.slice(0, limit) : train;
  const cache = CachedStream.of(rows);
  return { cache, files: ["<memory>"], testFile: null, embedded: false, format: () => undefined };
}

/** The `--data` files (or the embedded MNIST) through the pipeline's read stages, cached. */
async function fileSource(config: TrainConfig): Promise<_Source> {
  const embedded = config.data.length === 0;
  const mnist = embedded ? await ensureEmbeddedMnist() : null;
  const files = await listFiles(mnist?.trainFiles ?? config.data, {
    shuffle: config.shuffleFiles,
    seed: config.seed,
  });
  let csv: CsvFormat | undefined;
  const read = () => {
    const examples = readExamples({
      files,
      format: formatOptions(config),
      cycleLength: config.cycleLength,
      blockLength: config.blockLength,
      onFormat: (f) => (csv = f),
    });
    return config.limit > 0 ? examples.pipeThrough(new TakeStream(config.limit)) : examples;
  };
  return {
    cache: new CachedStream(read, () => new PackedExamples()),
    files,
    testFile: mnist?.testLabelledFile ?? null,
    embedded,
    format: () => csv,
  };
}

/** Reads the source once, filling its cache; fingerprints the rows and checks they are labelled. */
async function firstPass(
  source: _Source,
): Promise<{ all: CachedStream<Example>; fingerprint: DataFingerprint }> {
  const fingerprint = new DataFingerprint();
  for await (const example of source.cache.stream()) {
    if (example.label < 0) {
      throw new TypeError(
        `${example.source.file} line ${example.source.line} has no label: training needs ` +
          `a label column (set it with --label-column)`,
      );
    }
    fingerprint.add(example);
  }
  if (source.cache.size === 0) {
    throw new RangeError(`no training rows in ${source.files.join(", ")}`);
  }
  return { all: source.cache, fingerprint };
}

/** The training rows and the validation rows: given, a `--valid` file, or a seeded split. */
function validationSplit(
  config: TrainConfig,
  cache: CachedStream<Example>,
  injected: InMemoryExamples | undefined,
  validFile: RowSet | null,
): { train: RowSet; valid: RowSet | null } {
  const all: RowSet = { source: cache, select: null, size: cache.size };
  if (injected?.valid) return { train: all, valid: inMemory(injected.valid) };
  if (validFile !== null) return { train: all, valid: validFile };
  const labels = Array.from({ length: cache.size }, (_, i) => cache.at(i).label);
  const split = splitRows(labels, config.validSplit, {
    seed: config.seed,
    stratify: config.stratify,
  });
  const validSize = split.valid.reduce((a, b) => a + b, 0);
  return {
    train: { source: cache, select: split.train, size: labels.length - validSize },
    valid: validSize > 0 ? { source: cache, select: split.valid, size: validSize } : null,
  };
}

/** The rows scored after training: given, `--test FILE`, or the embedded MNIST test set. */
async function testRows(
  config: TrainConfig,
  format: CsvFormatOptions,
  embeddedTest: string | null,
  injected: InMemoryExamples | undefined,
): Promise<TrainingData["test"]> {
  if (injected?.test) return { file: "<memory>", rows: inMemory(injected.test) };
  if (config.test === "none" || (config.test === "" && embeddedTest === null)) return null;
  const file = config.test !== "" ? config.test : embeddedTest!;
  return { file, rows: await readRows([file], format) };
}

function inMemory(rows: Example[]): RowSet {
  return { source: CachedStream.of(rows), select: null, size: rows.length };
}

/** A labelled file read whole into its own cache. */
async function readRows(files: string[], format: CsvFormatOptions): Promise<RowSet> {
  const cache = new CachedStream(() => readExamples({ files, format }), () => new PackedExamples());
  for await (const _ of cache.stream()) { /* fill the cache */ }
  return { source: cache, select: null, size: cache.size };
}

function imageShape(pixels: number, csv: CsvFormat | undefined): { height: number; width: number } {
  const height = csv?.height ?? Math.round(Math.sqrt(pixels));
  const width = csv?.width ?? height;
  if (height * width !== pixels) {
    throw new TypeError(`${pixels} pixels per row do not make a square image`);
  }
  return { height, width };
}

/**
 * Classes: the CSV format's label range (0..9 for digits) or, for rows given in memory, the
 * largest label seen anywhere (train, validation, test) plus one.
 */
function countClasses(
  csv: CsvFormat | undefined,
  caches: (CachedStream<Example> | null)[],
): number {
  let maxLabel = (csv?.numClasses ?? 0) - 1;
  if (csv === undefined) { // rows in memory: look at every label
    for (const cache of caches) {
      for (let i = 0; i < (cache?.size ?? 0); i++) {
        maxLabel = Math.max(maxLabel, cache!.at(i).label);
      }
    }
  }
  return Math.max(2, maxLabel + 1);
}

function describe(source: _Source, rows: number): string {
  if (source.files[0] === "<memory>") return `${rows} rows given in memory`;
  const { files } = source;
  if (source.embedded) {
    return `embedded MNIST: ${rows} rows from ${files.length} shards in ${shortDir(files)}`;
  }
  return `${rows} rows from ${files.length === 1 ? files[0] : `${files.length} files`}`;
}

function shortDir(files: string[]): string {
  const first = files[0] ?? "";
  const cwd = Deno.cwd();
  const dir = first.slice(0, first.lastIndexOf("/"));
  return dir.startsWith(cwd + "/") ? dir.slice(cwd.length + 1) : dir;
}
