import type { Example } from "./types.ts";
import type { CsvFormat, CsvFormatOptions } from "./csv_format.ts";
import { type BadRow, SKIPPED_ROWS_SHOWN, type SkippedRowsReport } from "./bad_row.ts";
import { listFiles } from "./list_files.ts";
import { openFile } from "./open_file.ts";
import { interleave } from "./interleave.ts";
import { LineSplitStream } from "./line_split_stream.ts";
import { CsvParseStream } from "./csv_parse_stream.ts";
import { sniffCsvFormat } from "./sniff_csv_format.ts";

/** Options of {@link readExamples}. */
export interface ReadExamplesOptions {
  /** A file, a directory, a glob (`data/train_*.csv`) or a list of them. */
  files: string | string[];
  /** How the CSV is laid out; detected from the first file's header when left out. */
  format?: CsvFormatOptions;
  /** Files read at the same time, records interleaved (default 1: in order, file after file). */
  cycleLength?: number;
  /** Records taken from one file before moving to the next open one (default 1). */
  blockLength?: number;
  /** Shuffle the file order with `seed` (default false). */
  shuffleFiles?: boolean;
  /** Seed of the file-order shuffle. */
  seed?: number;
  /** Called once with the resolved format before the first record. */
  onFormat?: (format: CsvFormat) => void;
  /** With `format.skipBadRows`: called once at the end with how many rows were skipped and where. */
  onSkipped?: (report: SkippedRowsReport) => void;
}

/**
 * Stages 1–5 of the pipeline, composed: list files → open each as bytes → interleave the files →
 * split lines (header once per file) → parse rows into {@link Example}s. Each file is
 * `openFile → LineSplitStream → CsvParseStream`, and `interleave` takes records from
 * `cycleLength` files at a time, `blockLength` at a turn (like `tf.data.Dataset.interleave`).
 * Every file must match the first file's format (same header); bad input stops the stream with an
 * error naming file, line, column and value, unless `format.skipBadRows` is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { readExamples } from "./read_examples.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "label,p0,p1,p2,p3\n3,0,1,2,3\n4,4,5,6,7\n");
 * const examples = await Array.fromAsync(readExamples({ files: path }));
 * assert.deepEqual(examples.map((e) => e.label), [3, 4]);
 * assert.deepEqual([...examples[1]!.pixels], [4, 5, 6, 7]);
 * ```
 */
export function readExamples(options: ReadExamplesOptions): ReadableStream<Example> {
  const skipped: SkippedRowsReport = { count: 0, first: [] };
  const onBadRow = (row: BadRow) => {
    skipped.count++;
    if (skipped.first.length < SKIPPED_ROWS_SHOWN) skipped.first.push(row);
  };
  const skipBadRows = options.format?.skipBadRows ?? false;

  // 1. list files (seeded file shuffle) and read the format from the first file's header.
  const inputs = (async () => {
    const files = await listFiles(options.files, {
      shuffle: options.shuffleFiles ?? false,
      seed: options.seed ?? 0,
    });
    const formatFile = files[0]!;
    const format = await sniffCsvFormat(formatFile, options.format);
    options.onFormat?.(format);
    // 2, 4, 5. per file: open → split lines → parse (opened lazily by interleave).
    return files.map((file) => () =>
      openFile(file)
        .pipeThrough(new LineSplitStream({ file, header: format.header !== null }))
        .pipeThrough(new CsvParseStream({ file, format, formatFile, skipBadRows, onBadRow }))
    );
  })();
  // Avoid an unhandled rejection if the stream is never read; interleave rethrows it on read.
  inputs.catch(() => {});

  // 3. interleave the files.
  const examples = interleave(inputs, {
    cycleLength: options.cycleLength ?? 1,
    blockLength: options.blockLength ?? 1,
  });
  if (!skipBadRows || options.onSkipped === undefined) return examples;
  const onSkipped = options.onSkipped;
  return examples.pipeThrough(
    new TransformStream<Example, Example>({
      flush() {
        onSkipped(skipped);
      },
    }),
  );
}
