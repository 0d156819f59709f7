/**
 * `deno task inspect FILE`: validates a CSV by streaming it through the parse stage and prints its
 * shape, format, labels and pixel statistics.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { parseFlags, stringFlag } from "./parse_flags.ts";
import { basename, join } from "node:path";
import type { Example } from "../pipeline/types.ts";

/** Sample images per class drawn in the sample grid plot. */
const SAMPLES_PER_CLASS = 10;
import { FORMAT_FLAGS, FORMAT_FLAGS_HELP, readFormatFlags } from "./format_flags.ts";
import type { InspectStats } from "../pipeline/inspect_file.ts";
import { formatBadRow } from "../pipeline/bad_row.ts";

/** One line for the command list. */
export const summary = "validate a CSV file and print its shape, labels and pixel statistics";

/** The full `--help` text. */
export const help = `deno task inspect FILE... [options]

Streams every row through the CSV parser (the same one training uses) and prints the row and column
counts, the detected format, the image size, label counts, pixel range and mean, and bad rows.
The quickest way to validate a file: a bad row stops with its file, line and column (exit 1).
FILE may be a file, a directory of .csv shards, or a glob such as 'data/train_*.csv'.

Options:
  --json                   print the statistics as JSON
  --no-plots               skip the plots (text only)
  --plots-dir DIR          where the EDA plots go (default runs/inspect/<file name>/): label
                           distribution, pixel-intensity histogram, sample digits per class
${FORMAT_FLAGS_HELP}

Examples:
  deno task inspect data/cache/mnist/test.csv
  deno task inspect train.csv --json
  deno task inspect optdigits.tra --no-header --label-column last --pixel-max 16`;

/** Runs `inspect`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: "boolean" },
      plots: { type: "boolean" },
      "plots-dir": { type: "string" },
      ...FORMAT_FLAGS,
    },
    "inspect",
    { positionals: true },
  );
  if (positionals.length === 0) throw new UsageError("give a CSV file to inspect", "inspect");
  const format = readFormatFlags(values, "inspect");
  const { inspectFile } = await import("../pipeline/inspect_file.ts");
  const wantPlots = values.plots !== false;
  // Up to SAMPLES_PER_CLASS images of each class for the sample grid (copied: the parser reuses
  // its buffers).
  const samples: Uint8Array[][] = [];
  const stats = await inspectFile(positionals, {
    format,
    ...(wantPlots
      ? {
        onExample: (example: Example) => {
          const label = Math.max(0, example.label);
          const row = (samples[label] ??= []);
          if (row.length < SAMPLES_PER_CLASS) row.push(example.pixels.slice());
        },
      }
      : {}),
  });
  if (values.json === true) {
    // The pixel histogram and the 785 header names would drown the summary; keep the shape.
    const { pixelHistogram: _histogram, ...rest } = stats;
    const { header, pixelIndices: _pixels, ...format } = stats.format;
    console.log(
      JSON.stringify({ ...rest, format: { ...format, hasHeader: header !== null } }, null, 2),
    );
  } else {
    console.log(describeStats(stats));
  }
  if (wantPlots) {
    const stem = basename(positionals[0]!).replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_");
    const dir = stringFlag(values, "plots-dir") ?? join("runs", "inspect", stem || "data");
    const { writeInspectPlots } = await import("../report/write_inspect_plots.ts");
    const written = await writeInspectPlots(stats, dir, {
      samples: Array.from({ length: samples.length }, (_, c) => samples[c] ?? []),
    });
    // Keep stdout pure JSON under --json; the plot paths go to stderr there.
    (values.json === true ? console.error : console.log)(`plots     ${written.join(", ")}`);
  }
  return 0;
}

/**
 * The human-readable summary `inspect` prints (exported for the reports helper to reuse).
 *
 * @example
 * ```ts ignore
 * console.log(describeStats(await inspectFile("train.csv")));
 * ```
 */
export function describeStats(stats: InspectStats): string {
  const f = stats.format;
  const mb = stats.bytes / 1e6;
  const lines = [
    `files     ${
      stats.files.length === 1 ? stats.files[0] : `${stats.files.length} (${stats.files[0]} ...)`
    }`,
    `format    ${f.kind}${f.header === null ? " (no header)" : ""}`,
    `rows      ${stats.rows}`,
    `columns   ${stats.columns} (${
      f.labelIndex >= 0 ? `label in column ${f.labelIndex}` : "no label"
    }${f.idIndex >= 0 ? `, id in column ${f.idIndex}` : ""}, ${f.pixelCount} pixels)`,
    `image     ${f.height}×${f.width}`,
    `pixels    ${stats.pixelMin}..${stats.pixelMax} (file max ${f.pixelMax}), mean ${
      stats.pixelMean.toFixed(2)
    }`,
  ];
  if (stats.labelCounts.length > 0) {
    lines.push(`labels    ${stats.labelCounts.map((n, c) => `${c}:${n}`).join("  ")}`);
  }
  if (stats.skipped !== null) {
    lines.push(`skipped   ${stats.skipped.count} bad rows`);
    for (const row of stats.skipped.first) lines.push(`          ${formatBadRow(row)}`);
  }
  lines.push(
    `read      ${mb.toFixed(1)} MB in ${stats.seconds.toFixed(2)} s (${
      (stats.rows / stats.seconds).toFixed(0)
    } rows/s, ${(mb / stats.seconds).toFixed(0)} MB/s)`,
  );
  return lines.join("\n");
}
