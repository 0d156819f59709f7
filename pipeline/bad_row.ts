/** One row that could not be parsed: where it is and what was wrong. */
export interface BadRow {
  file: string;
  /** 1-based line number in the file. */
  line: number;
  /** 1-based column (field) number. */
  column: number;
  /** What was expected and what was found ("expected 785 fields but got 784"). */
  problem: string;
  /** The error class by meaning: wrong shape, unparsable text, or out of range. */
  kind: "TypeError" | "SyntaxError" | "RangeError";
}

/** What `--skip-bad-rows` reports at the end of a read. */
export interface SkippedRowsReport {
  /** How many rows were skipped in all. */
  count: number;
  /** The first few of them (at most {@link SKIPPED_ROWS_SHOWN}). */
  first: BadRow[];
}

/** How many skipped rows a report lists by location. */
export const SKIPPED_ROWS_SHOWN = 5;

/**
 * Turns a bad row into the error to throw: the class by meaning, and one message naming file, line,
 * column and what to fix ("Cannot parse train_03.csv line 17 column 785: expected 785 fields but
 * got 784").
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { badRowError } from "./bad_row.ts";
 * const err = badRowError({ file: "a.csv", line: 3, column: 2, problem: "expected an integer", kind: "SyntaxError" });
 * assert.ok(err instanceof SyntaxError && err.message === "Cannot parse a.csv line 3 column 2: expected an integer");
 * ```
 */
export function badRowError(row: BadRow): Error {
  const message = formatBadRow(row);
  if (row.kind === "RangeError") return new RangeError(message);
  if (row.kind === "SyntaxError") return new SyntaxError(message);
  return new TypeError(message);
}

/** The message text of a bad row (also used when listing skipped rows). */
export function formatBadRow(row: BadRow): string {
  return `Cannot parse ${row.file} line ${row.line} column ${row.column}: ${row.problem}`;
}
