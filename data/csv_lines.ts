import { openFile } from "../pipeline/open_file.ts";
import { LineSplitStream } from "../pipeline/line_split_stream.ts";

/** A file's header line (or `null`) and a way to iterate its data lines. */
export interface CsvLines {
  /** The header line's bytes, or `null` for a headerless file. */
  header: Uint8Array | null;
  /** The data lines in order (blank lines left out), each with its 1-based line number. */
  lines(): AsyncGenerator<{ bytes: Uint8Array; line: number }>;
}

const INTEGER = /^\s*"?\s*\d+\s*"?\s*$/;

/**
 * Opens a CSV for line-level work (sharding, splitting) without parsing pixels. The header is
 * detected like the reader does (a first line with a non-integer field), unless `header` is given.
 * An empty file is a `SyntaxError` naming it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { csvLines } from "./csv_lines.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a,b\r\n1,2\r\n3,4");
 * const csv = await csvLines(path);
 * const rows = [];
 * for await (const { bytes } of csv.lines()) rows.push(new TextDecoder().decode(bytes));
 * assert.ok(rows.join("|") === "1,2|3,4");
 * ```
 */
export async function csvLines(file: string, header?: boolean): Promise<CsvLines> {
  let first: Uint8Array | null = null;
  for await (
    const block of openFile(file, 1 << 16).pipeThrough(new LineSplitStream({ file, header: true }))
  ) {
    first = block.header ?? null;
    break;
  }
  if (first === null) throw new SyntaxError(`Cannot read ${file}: the file is empty`);
  const hasHeader = header ??
    new TextDecoder().decode(first).split(",").some((field) => !INTEGER.test(field));
  return {
    header: hasHeader ? first.slice() : null,
    async *lines() {
      const stream = openFile(file).pipeThrough(new LineSplitStream({ file, header: hasHeader }));
      for await (const block of stream) {
        for (let i = 0; i < block.count; i++) {
          yield {
            bytes: block.bytes.subarray(block.starts[i]!, block.ends[i]!),
            line: block.lineNumbers[i]!,
          };
        }
      }
    },
  };
}
