import type { Example } from "./types.ts";
import type { CsvFormat, CsvFormatOptions } from "./csv_format.ts";
import type { SkippedRowsReport } from "./bad_row.ts";
import { listFiles } from "./list_files.ts";
import { readExamples } from "./read_examples.ts";

/** What {@link inspectFile} finds in a file (or set of shards). */
export interface InspectStats {
  /** The files read, in order. */
  files: string[];
  /** Total size of the files in bytes. */
  bytes: number;
  /** The detected (or flagged) layout. */
  format: CsvFormat;
  /** Data rows parsed (skipped bad rows not included). */
  rows: number;
  /** Fields per row. */
  columns: number;
  /** Rows per class, indexed by label; empty when the file has no labels. */
  labelCounts: number[];
  /** Smallest and largest pixel value seen, in the file's own units (0..pixelMax). */
  pixelMin: number;
  pixelMax: number;
  /** Mean pixel value in the file's own units. */
  pixelMean: number;
  /** `pixelHistogram[v]` counts pixels of value v after rescaling to 0..255. */
  pixelHistogram: number[];
  /** Bad rows skipped (with `skipBadRows`), or `null` when the read stops at the first. */
  skipped: SkippedRowsReport | null;
  /** Seconds the read took. */
  seconds: number;
}

/** Options of {@link inspectFile}. */
export interface InspectFileOptions {
  /** The CSV layout flags (detected when left out). */
  format?: CsvFormatOptions;
  /** Called with every parsed row, for extra statistics (plots: mean image per class, samples). */
  onExample?: (example: Example, format: CsvFormat) => void;
}

/**
 * Streams whole files through the parse stage and gathers statistics: rows, columns, format,
 * image size, label counts, pixel range and mean, bad rows. Memory stays flat whatever the size.
 * Bad input throws the parse error (file, line, column) unless `format.skipBadRows` is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { inspectFile } from "./inspect_file.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "label,p0,p1,p2,p3\n3,0,1,2,255\n3,4,5,6,7\n");
 * const stats = await inspectFile(path);
 * assert.ok(stats.rows === 2 && stats.labelCounts[3] === 2 && stats.pixelMax === 255);
 * ```
 */
export async function inspectFile(
  files: string | string[],
  options: InspectFileOptions = {},
): Promise<InspectStats> {
  const started = performance.now();
  const list = await listFiles(files);
  let bytes = 0;
  for (const file of list) bytes += (await Deno.stat(file)).size;
  let format: CsvFormat | undefined;
  let skipped: SkippedRowsReport | null = null;
  const histogram = new Float64Array(256);
  const labelCounts: number[] = [];
  let rows = 0;
  for await (
    const example of readExamples({
      files: list,
      ...(options.format ? { format: options.format } : {}),
      onFormat: (f) => format = f,
      onSkipped: (report) => skipped = report,
    })
  ) {
    rows++;
    const { pixels, label } = example;
    for (let i = 0; i < pixels.length; i++) histogram[pixels[i]!]!++;
    if (label >= 0) labelCounts[label] = (labelCounts[label] ?? 0) + 1;
    options.onExample?.(example, format!);
  }
  const f = format!;
  if (f.labelIndex >= 0) {
    for (let c = 0; c < f.numClasses; c++) labelCounts[c] ??= 0;
  }
  let min = -1;
  let max = -1;
  let sum = 0;
  let count = 0;
  histogram.forEach((n, v) => {
    if (n === 0) return;
    if (min < 0) min = v;
    max = v;
    sum += n * v;
    count += n;
  });
  const toFileUnits = (v: number) => Math.round((v * f.pixelMax) / 255);
  return {
    files: list,
    bytes,
    format: f,
    rows,
    columns: f.fieldCount,
    labelCounts,
    pixelMin: toFileUnits(min),
    pixelMax: toFileUnits(max),
    pixelMean: count === 0 ? 0 : (sum / count) * f.pixelMax / 255,
    pixelHistogram: Array.from(histogram),
    skipped,
    seconds: (performance.now() - started) / 1000,
  };
}
