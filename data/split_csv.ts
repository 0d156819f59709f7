import { join } from "node:path";
import type { CsvFormatOptions } from "../pipeline/csv_format.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import { Random } from "../pipeline/random.ts";
import { csvLines } from "./csv_lines.ts";
import { CsvPartWriter } from "./csv_part_writer.ts";

/** A named range of 0-based data rows, `start` included, `end` excluded (`train 0..27000`). */
export interface SplitRange {
  name: string;
  start: number;
  end: number;
}

/** A named fraction of the rows (`valid 0.1`). */
export interface SplitFraction {
  name: string;
  fraction: number;
}

/** Options of {@link splitCsv}: either `ranges`, or `fractions` (random, optionally stratified). */
export interface SplitCsvOptions {
  /** Output folder; each part goes to `<out>/<name>.csv`. */
  out: string;
  ranges?: SplitRange[];
  fractions?: SplitFraction[];
  /** With fractions: keep each class's share in every part (needs a label column). */
  stratify?: boolean;
  /** Seed of the random assignment (default 0). */
  seed?: number;
  /** How the CSV is laid out (for the header and, with `stratify`, the label column). */
  format?: CsvFormatOptions;
}

/**
 * Splits a CSV into named parts, each with the header and rows in their original order: by
 * index ranges (`train 0..27000, valid 27000..40000, test 40000..42000`) or by fractions drawn
 * at random with a seed, optionally stratified by label. Fractions may sum to less than 1 (the
 * rest is left out); when they sum to 1 every row lands in exactly one part. Files are written
 * atomically; ranges beyond the file are a `RangeError` before anything is written.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { splitCsv } from "./split_csv.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv`, "label,p0\n1,0\n2,0\n3,0\n4,0\n");
 * const parts = await splitCsv(`${dir}/t.csv`, {
 *   out: dir,
 *   ranges: [{ name: "train", start: 0, end: 3 }, { name: "valid", start: 3, end: 4 }],
 * });
 * assert.ok(parts.map((p) => p.rows).join() === "3,1");
 * ```
 */
export async function splitCsv(
  file: string,
  options: SplitCsvOptions,
): Promise<{ name: string; path: string; rows: number }[]> {
  const { ranges, fractions } = options;
  if ((ranges === undefined) === (fractions === undefined)) {
    throw new TypeError("give either ranges or fractions to split by");
  }
  const names = (ranges ?? fractions!).map((p) => p.name);
  if (names.length === 0) throw new TypeError("give at least one part to split into");
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new TypeError(`part name '${duplicate}' is given twice`);
  for (const name of names) {
    if (!/^[\w.-]+$/.test(name)) {
      throw new TypeError(`part name '${name}' must use letters, digits, '_', '-' or '.'`);
    }
  }

  const csv = await csvLines(file, options.format?.header);
  let total = 0;
  for await (const _ of csv.lines()) total++;

  // partOf[i]: the parts row i goes to (ranges may overlap; fractions give one part or none).
  let route: (row: number) => number[];
  if (ranges !== undefined) {
    for (const r of ranges) {
      if (
        !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end <= r.start
      ) {
        throw new RangeError(`range ${r.name} ${r.start}..${r.end} must have 0 <= start < end`);
      }
      if (r.end > total) {
        throw new RangeError(
          `range ${r.name} ${r.start}..${r.end} goes beyond the ${total} data rows of ${file}`,
        );
      }
    }
    route = (row) => {
      const out: number[] = [];
      ranges.forEach((r, p) => {
        if (row >= r.start && row < r.end) out.push(p);
      });
      return out;
    };
  } else {
    const assignment = await assignFractions(file, total, fractions!, options);
    route = (row) => assignment[row]! >= 0 ? [assignment[row]!] : [];
  }

  await Deno.mkdir(options.out, { recursive: true });
  const writers: CsvPartWriter[] = [];
  try {
    for (const name of names) {
      writers.push(await CsvPartWriter.create(join(options.out, `${name}.csv`), csv.header));
    }
    let row = 0;
    for await (const { bytes } of csv.lines()) {
      for (const p of route(row)) await writers[p]!.line(bytes);
      row++;
    }
    for (const w of writers) await w.commit();
  } catch (err) {
    for (const w of writers) await w.abort();
    throw err;
  }
  return writers.map((w, p) => ({ name: names[p]!, path: w.path, rows: w.rows }));
}

async function assignFractions(
  file: string,
  total: number,
  fractions: SplitFraction[],
  options: SplitCsvOptions,
): Promise<Int16Array> {
  let sum = 0;
  for (const f of fractions) {
    if (!(f.fraction > 0 && f.fraction <= 1)) {
      throw new RangeError(`fraction of ${f.name} must be in (0, 1], got ${f.fraction}`);
    }
    sum += f.fraction;
  }
  if (sum > 1 + 1e-9) {
    throw new RangeError(`fractions add up to ${+sum.toFixed(6)}, more than 1`);
  }
  const whole = Math.abs(sum - 1) < 1e-9;
  const random = new Random(options.seed ?? 0);
  const assignment = new Int16Array(total).fill(-1);
  const assign = (rows: number[]) => {
    random.shuffle(rows);
    let at = 0;
    fractions.forEach((f, p) => {
      const count = whole && p === fractions.length - 1
        ? rows.length - at
        : Math.round(f.fraction * rows.length);
      for (let k = 0; k < count && at < rows.length; k++) assignment[rows[at++]!] = p;
    });
  };
  if (!options.stratify) {
    assign(Array.from({ length: total }, (_, i) => i));
    return assignment;
  }
  const byClass = new Map<number, number[]>();
  let row = 0;
  let hasLabels = true;
  for await (
    const example of readExamples({
      files: file,
      ...(options.format ? { format: options.format } : {}),
      onFormat: (f) => hasLabels = f.labelIndex >= 0,
    })
  ) {
    const list = byClass.get(example.label) ?? [];
    list.push(row++);
    byClass.set(example.label, list);
  }
  if (!hasLabels) {
    throw new TypeError(`Cannot stratify ${file}: it has no label column (see --label-column)`);
  }
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) assign(byClass.get(label)!);
  return assignment;
}
