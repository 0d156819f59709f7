import type { Example } from "./types.ts";
import type { CsvFormat } from "./csv_format.ts";
import { readExamples, type ReadExamplesOptions } from "./read_examples.ts";

/**
 * Reads whole files into memory as compact {@link Example}s (`Uint8Array` pixels: 784 bytes per
 * MNIST image, ~50 MB for 60,000), for in-memory splits and epochs that do not re-parse. Resolves
 * with the examples and the format.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { collectExamples } from "./collect_examples.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "label,p0,p1,p2,p3\n3,0,1,2,3\n");
 * const { examples, format } = await collectExamples({ files: path });
 * assert.ok(examples.length === 1 && format.height === 2);
 * ```
 */
export async function collectExamples(
  options: ReadExamplesOptions,
): Promise<{ examples: Example[]; format: CsvFormat }> {
  let format: CsvFormat | undefined;
  const examples: Example[] = [];
  const onFormat = options.onFormat;
  for await (
    const example of readExamples({
      ...options,
      onFormat: (f) => {
        format = f;
        onFormat?.(f);
      },
    })
  ) examples.push(example);
  return { examples, format: format! };
}
