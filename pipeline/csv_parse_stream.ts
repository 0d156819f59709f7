import type { Example } from "./types.ts";
import type { LineBlock } from "./line_split_stream.ts";
import { type CsvParseStreamOptions, CsvRowParser } from "./csv_row_parser.ts";

export type { CsvParseStreamOptions };

/**
 * Stage 5: parses CSV lines into {@link Example}s straight from the bytes, with no string per
 * field (see {@link CsvRowParser} for the checks). A bad row throws one error naming file, line,
 * column and the expected value; an empty or header-only file throws at the end.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CsvParseStream } from "./csv_parse_stream.ts";
 * import { LineSplitStream } from "./line_split_stream.ts";
 * import { resolveCsvFormat } from "./csv_format.ts";
 * const format = resolveCsvFormat("t.csv", ["label", "p0", "p1", "p2", "p3"]);
 * const bytes = new TextEncoder().encode("label,p0,p1,p2,p3\n7,0,255,3,4\n");
 * const examples = await Array.fromAsync(
 *   ReadableStream.from([bytes])
 *     .pipeThrough(new LineSplitStream({ file: "t.csv", header: true }))
 *     .pipeThrough(new CsvParseStream({ format })),
 * );
 * assert.ok(examples[0]!.label === 7 && examples[0]!.pixels[1] === 255);
 * ```
 */
export class CsvParseStream extends TransformStream<LineBlock, Example> {
  constructor(options: CsvParseStreamOptions) {
    const parser = new CsvRowParser(options);
    super({
      transform(block, controller) {
        for (const example of parser.parse(block)) controller.enqueue(example);
      },
      flush() {
        parser.finish();
      },
    });
  }
}
