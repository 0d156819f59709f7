import type { CsvFormatOptions } from "../pipeline/csv_format.ts";
import type { FlagSpec, FlagValues } from "./parse_flags.ts";
import { numberFlag, stringFlag } from "./parse_flags.ts";

/** The CSV layout flags every data-reading command accepts (`--no-header` comes with `header`). */
export const FORMAT_FLAGS: Record<string, FlagSpec> = {
  header: { type: "boolean" },
  "label-column": { type: "string" },
  "pixel-max": { type: "string" },
  "skip-bad-rows": { type: "boolean" },
};

/** `--help` lines for {@link FORMAT_FLAGS}. */
export const FORMAT_FLAGS_HELP = `CSV format (detected from the header when not given):
  --no-header              the first line is data (headerless CSV such as UCI optdigits)
  --header                 the first line is a header even if it looks numeric
  --label-column C         label column: a header name, a 0-based index, or 'last'
  --pixel-max N            largest pixel value in the file (default 255; 16 for optdigits)
  --skip-bad-rows          go on past bad rows; report how many and where`;

/**
 * Reads the format flags into {@link CsvFormatOptions}; a bad `--pixel-max` is a `UsageError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { readFormatFlags } from "./format_flags.ts";
 * const format = readFormatFlags({ header: false, "label-column": "last", "pixel-max": "16" }, "inspect");
 * assert.ok(format.header === false && format.labelColumn === "last" && format.pixelMax === 16);
 * ```
 */
export function readFormatFlags(values: FlagValues, command: string): CsvFormatOptions {
  const format: CsvFormatOptions = {};
  if (typeof values.header === "boolean") format.header = values.header;
  const label = stringFlag(values, "label-column");
  if (label !== undefined) format.labelColumn = /^\d+$/.test(label) ? Number(label) : label;
  const pixelMax = numberFlag(values, "pixel-max", command, { min: 1, max: 65535, integer: true });
  if (pixelMax !== undefined) format.pixelMax = pixelMax;
  if (values["skip-bad-rows"] === true) format.skipBadRows = true;
  return format;
}
