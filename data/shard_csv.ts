import { basename, extname, join } from "node:path";
import { csvLines } from "./csv_lines.ts";
import { CsvPartWriter } from "./csv_part_writer.ts";

/** Options of {@link shardCsv}. */
export interface ShardCsvOptions {
  /** Number of output files. */
  parts: number;
  /** Output folder (created if missing). */
  out: string;
  /** Whether the file has a header (detected when left out). Each shard repeats it. */
  header?: boolean;
}

/**
 * Splits a CSV into `parts` files of consecutive rows (`train_00.csv`, `train_01.csv`, ... sizes
 * differing by at most one row), each starting with the header, as seed notebooks do by hand.
 * Reading the shards in order gives back the original rows. Files are written atomically; on an
 * error none is left behind.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { shardCsv } from "./shard_csv.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/t.csv`, "label,p0\n1,0\n2,0\n3,0\n");
 * const { files, rows } = await shardCsv(`${dir}/t.csv`, { parts: 2, out: `${dir}/out` });
 * assert.ok(files.length === 2 && rows.join() === "1,2");
 * ```
 */
export async function shardCsv(
  file: string,
  options: ShardCsvOptions,
): Promise<{ files: string[]; rows: number[] }> {
  const { parts, out } = options;
  if (!Number.isInteger(parts) || parts < 1) {
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
  }
  const csv = await csvLines(file, options.header);
  let total = 0;
  for await (const _ of csv.lines()) total++;
  if (total < parts) {
    throw new RangeError(
      `Cannot shard ${file} into ${parts} parts: it has only ${total} data rows`,
    );
  }
  await Deno.mkdir(out, { recursive: true });
  const stem = basename(file, extname(file));
  const width = Math.max(2, String(parts - 1).length);
  const paths = Array.from(
    { length: parts },
    (_, p) => join(out, `${stem}_${String(p).padStart(width, "0")}.csv`),
  );
  const writers: CsvPartWriter[] = [];
  try {
    let part = -1;
    let end = 0;
    let writer: CsvPartWriter | undefined;
    let index = 0;
    for await (const { bytes } of csv.lines()) {
      while (index >= end) {
        part++;
        end = Math.floor(((part + 1) * total) / parts);
        writer = await CsvPartWriter.create(paths[part]!, csv.header);
        writers.push(writer);
      }
      await writer!.line(bytes);
      index++;
    }
    for (const w of writers) await w.commit();
  } catch (err) {
    for (const w of writers) await w.abort();
    throw err;
  }
  return { files: paths, rows: writers.map((w) => w.rows) };
}
