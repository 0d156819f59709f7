/**
 * CSV layouts the reader accepts and how one is chosen: from the header (Kaggle Digit Recognizer
 * train/test, Kannada-MNIST test with an `id` column) or from flags for headerless files such as
 * UCI optdigits (`--label-column last --pixel-max 16`). The image side comes from the pixel count.
 *
 * @module
 */

/** Number of classes a label may take (digits 0..9). */
export const NUM_CLASSES = 10;

/** How the user described the file (flags); everything is detected when left out. */
export interface CsvFormatOptions {
  /** `true`: the first line is a header; `false`: it is data; absent: detect (any non-integer field). */
  header?: boolean;
  /** The label column: a header name, a 0-based index, or `"last"`. Absent: `label` by name, else none. */
  labelColumn?: string | number | "last";
  /** Largest pixel value in the file (255 for MNIST, 16 for optdigits); pixels are rescaled to 0..255. */
  pixelMax?: number;
  /** Go on past bad rows (reporting them) instead of stopping at the first. */
  skipBadRows?: boolean;
}

/** The resolved layout of a CSV file: which column is what, and the image shape. */
export interface CsvFormat {
  /** Which known layout this is. */
  kind: "kaggle-train" | "kaggle-test" | "kannada-test" | "headerless" | "custom";
  /** The header fields, or `null` for a headerless file. */
  header: string[] | null;
  /** Number of fields in every row. */
  fieldCount: number;
  /** 0-based column of the label, or -1 when the file has none. */
  labelIndex: number;
  /** 0-based column of the `id`, or -1 when the file has none. */
  idIndex: number;
  /** 0-based columns holding pixels, in image order. */
  pixelIndices: number[];
  /** `height * width`. */
  pixelCount: number;
  height: number;
  width: number;
  /** Largest pixel value in the file; values are rescaled from 0..pixelMax to 0..255. */
  pixelMax: number;
  /** Labels must lie in 0..numClasses-1. */
  numClasses: number;
}

const INTEGER = /^\s*"?\s*\d+\s*"?\s*$/;

/**
 * Resolves the layout from the first line of a file (split into fields) and the user's options.
 * Throws a `TypeError` naming the file when the columns cannot make an image.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { resolveCsvFormat } from "./csv_format.ts";
 * const header = ["label", ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)];
 * const format = resolveCsvFormat("train.csv", header);
 * assert.ok(format.kind === "kaggle-train" && format.height === 28 && format.labelIndex === 0);
 * const optdigits = resolveCsvFormat("optdigits.tra", Array(65).fill("0"), { labelColumn: "last", pixelMax: 16 });
 * assert.ok(optdigits.width === 8 && optdigits.labelIndex === 64);
 * ```
 */
export function resolveCsvFormat(
  file: string,
  firstLine: string[],
  options: CsvFormatOptions = {},
): CsvFormat {
  const fields = firstLine.map((f) => f.trim().replace(/^"(.*)"$/, "$1").trim());
  const hasHeader = options.header ?? fields.some((f) => !INTEGER.test(f));
  const header = hasHeader ? fields : null;
  const fieldCount = fields.length;
  const pixelMax = options.pixelMax ?? 255;
  if (!Number.isInteger(pixelMax) || pixelMax < 1 || pixelMax > 65535) {
    throw new RangeError(`pixel max must be an integer in 1..65535, got ${pixelMax}`);
  }

  const labelIndex = findLabel(file, header, fieldCount, options.labelColumn);
  const idIndex = header === null ? -1 : header.findIndex((h) => h.toLowerCase() === "id");
  const pixelIndices: number[] = [];
  for (let i = 0; i < fieldCount; i++) if (i !== labelIndex && i !== idIndex) pixelIndices.push(i);
  const pixelCount = pixelIndices.length;
  const side = Math.round(Math.sqrt(pixelCount));
  if (pixelCount === 0 || side * side !== pixelCount) {
    throw new TypeError(
      `Cannot parse ${file} line 1: ${pixelCount} pixel columns do not make a square image ` +
        `(expected a square count such as 64 for 8×8 or 784 for 28×28; set the label column ` +
        `with --label-column if one of them is the label)`,
    );
  }
  return {
    kind: kindOf(header, labelIndex, idIndex),
    header,
    fieldCount,
    labelIndex,
    idIndex,
    pixelIndices,
    pixelCount,
    height: side,
    width: side,
    pixelMax,
    numClasses: NUM_CLASSES,
  };
}

function findLabel(
  file: string,
  header: string[] | null,
  fieldCount: number,
  labelColumn: string | number | undefined,
): number {
  if (labelColumn === "last") return fieldCount - 1;
  if (
    typeof labelColumn === "number" ||
    (typeof labelColumn === "string" && /^\d+$/.test(labelColumn))
  ) {
    const index = Number(labelColumn);
    if (!Number.isInteger(index) || index < 0 || index >= fieldCount) {
      throw new RangeError(
        `Cannot use label column ${labelColumn} in ${file}: it has ${fieldCount} columns (0..${
          fieldCount - 1
        })`,
      );
    }
    return index;
  }
  if (typeof labelColumn === "string") {
    if (header === null) {
      throw new TypeError(
        `Cannot find label column '${labelColumn}' in ${file}: it has no header (give an index or 'last')`,
      );
    }
    const index = header.indexOf(labelColumn);
    if (index < 0) {
      const shown = header.slice(0, 4).join(", ") + (header.length > 4 ? ", ..." : "");
      throw new TypeError(
        `Cannot find label column '${labelColumn}' in ${file} (columns: ${shown})`,
      );
    }
    return index;
  }
  if (header !== null) return header.findIndex((h) => h.toLowerCase() === "label");
  // Headerless and no flag: a square count has no label; a square plus one has it first.
  const side = Math.round(Math.sqrt(fieldCount - 1));
  return side * side === fieldCount - 1 && fieldCount > 1 ? 0 : -1;
}

function kindOf(header: string[] | null, labelIndex: number, idIndex: number): CsvFormat["kind"] {
  if (header === null) return "headerless";
  if (labelIndex === 0 && idIndex === -1) return "kaggle-train";
  if (labelIndex === -1 && idIndex === -1) return "kaggle-test";
  if (labelIndex === -1 && idIndex === 0) return "kannada-test";
  return "custom";
}
