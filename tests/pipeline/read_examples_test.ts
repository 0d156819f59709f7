import assert from "node:assert/strict";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { CsvFormat } from "../../pipeline/csv_format.ts";
import type { SkippedRowsReport } from "../../pipeline/bad_row.ts";
import { collect, errorOf, fixture } from "./_fixture.ts";

Deno.test("readExamples reads Kaggle train, Kaggle test, Kannada test and optdigits fixtures", async () => {
  let format: CsvFormat | undefined;
  const train = await collect(
    readExamples({ files: fixture("kaggle_train.csv"), onFormat: (f) => format = f }),
  );
  assert.equal(train.length, 12);
  assert.deepEqual(train.slice(0, 3).map((e) => e.label), [0, 1, 2]);
  assert.equal(format?.kind, "kaggle-train");
  assert.equal(format?.height, 4);

  const test = await collect(readExamples({ files: fixture("kaggle_test.csv") }));
  assert.deepEqual(test.map((e) => e.label), [-1, -1, -1, -1, -1]);
  assert.deepEqual([...test[1]!.pixels], [...train[1]!.pixels]);

  const kannada = await collect(readExamples({ files: fixture("kannada_test.csv") }));
  assert.deepEqual(kannada.map((e) => e.id), ["0", "1", "2", "3"]);

  const opt = await collect(
    readExamples({
      files: fixture("optdigits.csv"),
      format: { labelColumn: "last", pixelMax: 16 },
    }),
  );
  assert.equal(opt.length, 6);
  assert.equal(opt[0]!.pixels.length, 64);
  assert.deepEqual(opt.map((e) => e.label), [0, 1, 2, 3, 4, 5]);
});

Deno.test("readExamples handles CRLF, BOM, a blank line and no final newline", async () => {
  const rows = await collect(readExamples({ files: fixture("crlf_bom.csv") }));
  const plain = await collect(readExamples({ files: fixture("kaggle_train.csv") }));
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((e) => [...e.pixels]), plain.slice(0, 3).map((e) => [...e.pixels]));
  assert.deepEqual(rows.map((e) => e.source.line), [2, 4, 5]);
});

Deno.test("readExamples reads shards in order with the header once per file", async () => {
  const whole = await collect(readExamples({ files: fixture("kaggle_train.csv") }));
  const shards = await collect(readExamples({ files: fixture("shards") }));
  assert.deepEqual(shards.map((e) => [...e.pixels]), whole.map((e) => [...e.pixels]));
  assert.deepEqual(shards.map((e) => e.source.row).slice(0, 5), [1, 2, 3, 1, 2]);
});

Deno.test("readExamples interleaves files with cycleLength and blockLength", async () => {
  const rows = await collect(
    readExamples({ files: fixture("shards"), cycleLength: 2, blockLength: 2 }),
  );
  // part_a: labels 0,1,2; part_b: 3..7; part_c: 8,9,0,1
  assert.deepEqual(rows.map((e) => e.label), [0, 1, 3, 4, 2, 5, 6, 8, 9, 7, 0, 1]);
});

Deno.test("readExamples stops on each bad-input case with file, line and column", async () => {
  const cases: [string, ErrorConstructor, RegExp][] = [
    [
      "bad_field_count.csv",
      TypeError,
      /bad_field_count\.csv line 3 column 17: expected 17 fields but got 16$/,
    ],
    [
      "bad_not_integer.csv",
      SyntaxError,
      /bad_not_integer\.csv line 3 column 6: expected a pixel in 0\.\.255 \(an integer\) but got '12\.5'$/,
    ],
    [
      "bad_pixel_range.csv",
      RangeError,
      /bad_pixel_range\.csv line 3 column 4: expected a pixel in 0\.\.255 but got 256$/,
    ],
    [
      "bad_label.csv",
      RangeError,
      /bad_label\.csv line 3 column 1: expected a label in 0\.\.9 but got 12$/,
    ],
    ["empty.csv", SyntaxError, /Cannot read .*empty\.csv: the file is empty$/],
    ["header_only.csv", SyntaxError, /header_only\.csv: it has a header but no data rows/],
    [
      "non_square.csv",
      TypeError,
      /non_square\.csv line 1: 15 pixel columns do not make a square image/,
    ],
    [
      "mismatch",
      TypeError,
      /b\.csv line 1 column 5: expected header 'pixel3' \(as in .*a\.csv\) but got 'pixel03'$/,
    ],
  ];
  for (const [name, ErrorClass, pattern] of cases) {
    const err = await errorOf(collect(readExamples({ files: fixture(name) })));
    assert.ok(err instanceof ErrorClass, `${name}: ${err}`);
    assert.match(err.message, pattern);
  }
});

Deno.test("readExamples with skipBadRows reports how many rows were skipped and where", async () => {
  let report: SkippedRowsReport | undefined;
  const rows = await collect(
    readExamples({
      files: [fixture("bad_field_count.csv"), fixture("bad_pixel_range.csv")],
      format: { skipBadRows: true },
      onSkipped: (r) => report = r,
    }),
  );
  assert.equal(rows.length, 3);
  assert.equal(report?.count, 2);
  assert.deepEqual(report?.first.map((r) => [r.line, r.column]), [[3, 17], [3, 4]]);
});

Deno.test("readExamples names a missing file", async () => {
  const err = await errorOf(collect(readExamples({ files: fixture("nope.csv") })));
  assert.ok(err instanceof Deno.errors.NotFound);
  assert.match(err.message, /nope\.csv: no such file/);
});

Deno.test("readExamples' fused reader equals the composed stages on a file larger than its buffer", async () => {
  const { openFile } = await import("../../pipeline/open_file.ts");
  const { LineSplitStream } = await import("../../pipeline/line_split_stream.ts");
  const { CsvParseStream } = await import("../../pipeline/csv_parse_stream.ts");
  const { sniffCsvFormat } = await import("../../pipeline/sniff_csv_format.ts");
  const header = ["label", ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(",");
  const rows = Array.from(
    { length: 300 },
    (_, r) => [r % 10, ...Array.from({ length: 784 }, (_, i) => (r * 31 + i * 7) % 256)].join(","),
  );
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeTextFile(path, "\uFEFF" + header + "\r\n" + rows.join("\r\n")); // ~700 KB
  const format = await sniffCsvFormat(path);
  const fused = await collect(readExamples({ files: path }));
  const composed = await collect(
    openFile(path, 1000)
      .pipeThrough(new LineSplitStream({ file: path, header: true }))
      .pipeThrough(new CsvParseStream({ file: path, format })),
  );
  assert.equal(fused.length, 300);
  assert.deepEqual(
    fused.map((e) => [e.label, e.source.line, ...e.pixels]),
    composed.map((e) => [e.label, e.source.line, ...e.pixels]),
  );
  assert.equal(fused[299]!.pixels[783], (299 * 31 + 783 * 7) % 256);
  await Deno.remove(path);
});
