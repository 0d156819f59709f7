import type { Example } from "./types.ts";
import type { CsvFormat } from "./csv_format.ts";
import type { LineBlock } from "./line_split_stream.ts";
import { type BadRow, badRowError } from "./bad_row.ts";

/** Options of {@link CsvRowParser} (and `CsvParseStream`). */
export interface CsvParseStreamOptions {
  /** The file being parsed (named when it turns out to be empty). */
  file?: string;
  /** The layout every row must follow (from `sniffCsvFormat` or `resolveCsvFormat`). */
  format: CsvFormat;
  /** The file whose header defined `format`, named when another file's header differs. */
  formatFile?: string;
  /** Skip bad rows (calling `onBadRow`) instead of failing on the first. */
  skipBadRows?: boolean;
  /** Called for every skipped row when `skipBadRows` is on. */
  onBadRow?: (row: BadRow) => void;
}

const COMMA = 44;
const ROLE_LABEL = -1;
const ROLE_ID = -2;
const decoder = new TextDecoder();

/**
 * The parse stage's engine, one instance per file: turns {@link LineBlock}s into
 * {@link Example}s straight from the bytes — digits are accumulated into integers with no string
 * per field (the hot path of the whole pipeline; hand-written for that reason). Checks every row
 * (field count, integers only, pixels in 0..pixelMax rescaled to 0..255, labels in 0..9), the
 * file's header against the format, and at `finish()` that the file was neither empty nor
 * header-only. A bad row throws one error naming file, line, column and the expected value.
 * `CsvParseStream` wraps it as a stream stage; `readExamples` calls it inline to save a stream hop
 * per row.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CsvRowParser } from "./csv_row_parser.ts";
 * import { resolveCsvFormat } from "./csv_format.ts";
 * const format = resolveCsvFormat("t.csv", ["label", "p0", "p1", "p2", "p3"]);
 * const parser = new CsvRowParser({ format });
 * const line = new TextEncoder().encode("7,0,255,3,4");
 * const block = { file: "t.csv", bytes: line, starts: Int32Array.of(0), ends: Int32Array.of(line.length), lineNumbers: Int32Array.of(2), count: 1, header: null };
 * const [example] = parser.parse(block);
 * assert.ok(example!.label === 7 && example!.pixels[1] === 255);
 * ```
 */
export class CsvRowParser {
  #options: CsvParseStreamOptions;
  #file: string;
  #seenFirstBlock = false;
  #rows = 0; // data rows seen in this file, bad ones included (keeps ImageId aligned)
  #roles: Int32Array;
  #scale: Uint8Array | null;

  /** A parser for one file in `options.format`. */
  constructor(options: CsvParseStreamOptions) {
    this.#options = options;
    this.#file = options.file ?? options.formatFile ?? "input";
    const { format } = options;
    this.#roles = new Int32Array(format.fieldCount);
    format.pixelIndices.forEach((column, slot) => this.#roles[column] = slot);
    if (format.labelIndex >= 0) this.#roles[format.labelIndex] = ROLE_LABEL;
    if (format.idIndex >= 0) this.#roles[format.idIndex] = ROLE_ID;
    this.#scale = format.pixelMax === 255 ? null : rescaleTable(format.pixelMax);
  }

  /** Parses one block of lines; returns its good rows (bad ones throw, or are skipped). */
  parse(block: LineBlock): Example[] {
    const options = this.#options;
    const { format } = options;
    const file = this.#file = block.file;
    if (!this.#seenFirstBlock) {
      this.#seenFirstBlock = true;
      if (format.header !== null) checkHeader(block, format, options.formatFile);
    }
    const skip = options.skipBadRows ?? false;
    const roles = this.#roles;
    const scale = this.#scale;
    const fieldCount = format.fieldCount;
    const pixelMax = format.pixelMax;
    const numClasses = format.numClasses;
    const pixelCount = format.pixelCount;
    let rows = this.#rows;
    const out: Example[] = [];
    const { bytes: line, starts, ends, lineNumbers, count } = block;
    // One buffer for the block's pixels: one allocation instead of one per row.
    const slab = new Uint8Array(count * pixelCount);
    for (let k = 0; k < count; k++) {
      const n = ends[k]!;
      rows++;
      const pixels = slab.subarray(k * pixelCount, (k + 1) * pixelCount);
      let label = -1;
      let id: string | undefined;
      // Fast path: digits and commas only. Anything else (spaces, quotes, a bad value) goes
      // to the slow path, which handles it or says exactly what is wrong.
      let ok = true;
      let field = 0;
      let i = starts[k]!;
      for (;;) {
        if (field >= fieldCount) {
          ok = false;
          break;
        }
        const role = roles[field]!;
        // Most pixels are "0": the slab is already zeroed, so skip the field outright.
        if (role >= 0 && line[i] === 48) {
          const next = i + 1;
          if (next === n) {
            field++;
            break;
          }
          if (line[next] === COMMA) {
            field++;
            i = next + 1;
            continue;
          }
        }
        const start = i;
        if (role === ROLE_ID) {
          while (i < n && line[i] !== COMMA) i++;
          id = decoder.decode(line.subarray(start, i)).trim();
        } else {
          let value = 0;
          while (i < n) {
            const d = line[i]! - 48;
            if (d < 0 || d > 9) break;
            value = value * 10 + d;
            i++;
          }
          if (i === start || (i < n && line[i] !== COMMA)) {
            ok = false;
            break;
          }
          if (role >= 0) {
            if (value > pixelMax) {
              ok = false;
              break;
            }
            pixels[role] = scale === null ? value : scale[value]!;
          } else {
            if (value >= numClasses) {
              ok = false;
              break;
            }
            label = value;
          }
        }
        field++;
        if (i === n) break;
        i++; // the comma
      }
      if (!ok || field !== fieldCount) {
        const slow = parseSlow(file, lineNumbers[k]!, line.subarray(starts[k]!, n), format, pixels);
        if ("problem" in slow) {
          if (!skip) throw badRowError(slow);
          this.#options.onBadRow?.(slow);
          continue;
        }
        label = slow.label;
        id = slow.id;
      }
      const example: Example = {
        pixels,
        label,
        source: { file, line: lineNumbers[k]!, row: rows },
      };
      if (id !== undefined) example.id = id;
      out.push(example);
    }
    this.#rows = rows;
    return out;
  }

  /** Call at the end of the file: an empty or header-only file is a `SyntaxError` naming it. */
  finish(): void {
    if (!this.#seenFirstBlock) {
      throw new SyntaxError(`Cannot read ${this.#file}: the file is empty`);
    }
    if (this.#rows === 0) {
      throw new SyntaxError(
        `Cannot read ${this.#file}: it has a header but no data rows (expected at least one row of ${this.#options.format.fieldCount} fields)`,
      );
    }
  }
}

/**
 * Slow path for a row the fast path could not take: tolerates spaces and quotes around values,
 * fills `pixels`, and otherwise finds the first bad column and says what was expected.
 */
function parseSlow(
  file: string,
  line: number,
  bytes: Uint8Array,
  format: CsvFormat,
  pixels: Uint8Array,
): BadRow | { label: number; id?: string } {
  const fields = decoder.decode(bytes).split(",");
  const where = { file, line };
  let label = -1;
  let id: string | undefined;
  for (let i = 0; i < Math.min(fields.length, format.fieldCount); i++) {
    const raw = fields[i]!.trim().replace(/^"(.*)"$/, "$1").trim();
    if (i === format.idIndex) {
      id = raw;
      continue;
    }
    const isLabel = i === format.labelIndex;
    const what = isLabel
      ? `a label in 0..${format.numClasses - 1}`
      : `a pixel in 0..${format.pixelMax}`;
    if (!/^\d+$/.test(raw)) {
      const got = raw === "" ? "an empty field" : `'${raw}'`;
      return {
        ...where,
        column: i + 1,
        problem: `expected ${what} (an integer) but got ${got}`,
        kind: "SyntaxError",
      };
    }
    const value = Number(raw);
    if (isLabel ? value >= format.numClasses : value > format.pixelMax) {
      return {
        ...where,
        column: i + 1,
        problem: `expected ${what} but got ${raw}`,
        kind: "RangeError",
      };
    }
    if (isLabel) label = value;
    else {
      const slot = format.pixelIndices.indexOf(i);
      pixels[slot] = Math.round((value * 255) / format.pixelMax);
    }
  }
  if (fields.length !== format.fieldCount) {
    const column = fields.length < format.fieldCount ? fields.length + 1 : format.fieldCount + 1;
    return {
      ...where,
      column,
      problem: `expected ${format.fieldCount} fields but got ${fields.length}`,
      kind: "TypeError",
    };
  }
  return id === undefined ? { label } : { label, id };
}

function checkHeader(block: LineBlock, format: CsvFormat, formatFile: string | undefined): void {
  const expected = format.header!;
  const from = formatFile !== undefined && formatFile !== block.file
    ? ` (as in ${formatFile})`
    : "";
  if (block.header === null || block.header === undefined) return;
  const got = decoder.decode(block.header).split(",").map((f) =>
    f.trim().replace(/^"(.*)"$/, "$1").trim()
  );
  for (let i = 0; i < Math.min(got.length, expected.length); i++) {
    if (got[i] !== expected[i]) {
      throw new TypeError(
        `Cannot parse ${block.file} line 1 column ${i + 1}: expected header '${
          expected[i]
        }'${from} but got '${got[i]}'`,
      );
    }
  }
  if (got.length !== expected.length) {
    throw new TypeError(
      `Cannot parse ${block.file} line 1 column ${Math.min(got.length, expected.length) + 1}: ` +
        `expected ${expected.length} header fields${from} but got ${got.length}`,
    );
  }
}

function rescaleTable(pixelMax: number): Uint8Array {
  const table = new Uint8Array(pixelMax + 1);
  for (let v = 0; v <= pixelMax; v++) table[v] = Math.round((v * 255) / pixelMax);
  return table;
}
