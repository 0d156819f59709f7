import { type CsvFormat, type CsvFormatOptions, resolveCsvFormat } from "./csv_format.ts";

const SNIFF_BYTES = 1 << 16;

/**
 * Reads the first lines of `file` and resolves its {@link CsvFormat} (header detection, label and
 * id columns, image size). An empty file, or one with a header and no rows, is a `SyntaxError`
 * naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { sniffCsvFormat } from "./sniff_csv_format.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "id,p0,p1,p2,p3\n1,0,0,0,0\n");
 * const format = await sniffCsvFormat(path);
 * assert.ok(format.kind === "kannada-test" && format.width === 2);
 * ```
 */
export async function sniffCsvFormat(
  file: string,
  options: CsvFormatOptions = {},
): Promise<CsvFormat> {
  const lines = await firstLines(file, 2);
  if (lines.length === 0) throw new SyntaxError(`Cannot read ${file}: the file is empty`);
  const first = lines[0]!.split(",");
  const format = resolveCsvFormat(file, first, options);
  if (format.header !== null && lines.length < 2) {
    throw new SyntaxError(
      `Cannot read ${file}: it has a header but no data rows (expected at least one row of ${format.fieldCount} fields)`,
    );
  }
  return format;
}

/** The first `count` non-blank lines of a file (BOM and CR stripped). */
async function firstLines(file: string, count: number): Promise<string[]> {
  let text = "";
  let done = false;
  try {
    using handle = await Deno.open(file, { read: true });
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(SNIFF_BYTES);
    while (!done) {
      const n = await handle.read(buffer);
      if (n === null) break;
      text += decoder.decode(buffer.subarray(0, n), { stream: true });
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      done = lines.length > count;
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot open ${file}: no such file`);
    }
    throw err;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "").slice(
    0,
    count,
  );
}
