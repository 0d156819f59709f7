/**
 * Reads the CSV body of a `POST /predict` (Kaggle layout) into the model's input.
 *
 * @module
 */
import { BadInputError } from "./bad_input_error.ts";
import type { InputSpec } from "./parse_instances.ts";

/**
 * Parses CSV rows of pixels in the manifest's scale into NHWC floats in [0, 1]. A first line that
 * is not numeric is a header and is skipped. A row has `height * width` pixels, optionally after
 * one leading column (a label or an id, which is ignored). Blank lines are skipped. Errors name the
 * line, the column and the value.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { parseCsvRows } from "./parse_csv_rows.ts";
 * const { x, rows } = parseCsvRows("label,p0,p1,p2,p3\n7,0,255,0,255\n", { height: 2, width: 2, pixelMax: 255 });
 * assert.ok(rows === 1 && x[1] === 1);
 * ```
 */
export function parseCsvRows(text: string, spec: InputSpec): { x: Float32Array; rows: number } {
  const size = spec.height * spec.width;
  const lines = text.split(/\r?\n/);
  const values: Float32Array[] = [];
  const first = lines.findIndex((l) => l.trim() !== "");
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === "") return;
    const fields = line.split(",");
    if (values.length === 0 && index === first && !/^\s*-?[\d.]/.test(fields[0]!)) {
      return; // a header line
    }
    if (fields.length !== size && fields.length !== size + 1) {
      throw new BadInputError(
        `CSV line ${lineNo}: expected ${size} pixel columns (${spec.height}×${spec.width}), ` +
          `or ${size + 1} with a leading label, but got ${fields.length}`,
      );
    }
    const skip = fields.length - size;
    const row = new Float32Array(size);
    for (let p = 0; p < size; p++) {
      const raw = fields[p + skip]!.trim();
      const v = Number(raw);
      if (raw === "" || !Number.isFinite(v)) {
        throw new BadInputError(
          `CSV line ${lineNo}, column ${p + skip + 1}: ${JSON.stringify(raw)} is not a number`,
        );
      }
      if (v < 0 || v > spec.pixelMax) {
        throw new BadInputError(
          `CSV line ${lineNo}, column ${p + skip + 1}: ${raw} is outside 0..${spec.pixelMax}`,
        );
      }
      row[p] = v / spec.pixelMax;
    }
    values.push(row);
  });
  if (values.length === 0) throw new BadInputError("the CSV body has no rows of pixels");
  const x = new Float32Array(values.length * size);
  values.forEach((row, i) => x.set(row, i * size));
  return { x, rows: values.length };
}
