import assert from "node:assert/strict";
import { CsvParseStream } from "../../pipeline/csv_parse_stream.ts";
import { LineSplitStream } from "../../pipeline/line_split_stream.ts";
import { resolveCsvFormat } from "../../pipeline/csv_format.ts";
import type { BadRow } from "../../pipeline/bad_row.ts";
import { collect, errorOf } from "./_fixture.ts";

const header = ["label", "p0", "p1", "p2", "p3"];
const format = resolveCsvFormat("t.csv", header);

function parse(body: string, options: { skip?: boolean; onBadRow?: (r: BadRow) => void } = {}) {
  const bytes = new TextEncoder().encode(`${header.join(",")}\n${body}`);
  return collect(
    ReadableStream.from([bytes])
      .pipeThrough(new LineSplitStream({ file: "t.csv", header: true }))
      .pipeThrough(
        new CsvParseStream({
          file: "t.csv",
          format,
          skipBadRows: options.skip ?? false,
          ...(options.onBadRow ? { onBadRow: options.onBadRow } : {}),
        }),
      ),
  );
}

Deno.test("CsvParseStream parses labels and pixels into typed arrays with their source", async () => {
  const [a, b] = await parse('7,0,255,3,40\n2, 1 ,"2",3,4\n');
  assert.equal(a!.label, 7);
  assert.deepEqual([...a!.pixels], [0, 255, 3, 40]);
  assert.ok(a!.pixels instanceof Uint8Array);
  assert.deepEqual(a!.source, { file: "t.csv", line: 2, row: 1 });
  assert.deepEqual([...b!.pixels], [1, 2, 3, 4]); // spaces and quotes go through the slow path
});

Deno.test("CsvParseStream names file, line and column for each kind of bad row", async () => {
  const cases: [string, ErrorConstructor, string][] = [
    ["1,2,3,4\n", TypeError, "Cannot parse t.csv line 2 column 5: expected 5 fields but got 4"],
    ["1,2,3,4,5,6\n", TypeError, "Cannot parse t.csv line 2 column 6: expected 5 fields but got 6"],
    [
      "1,2,x,4,5\n",
      SyntaxError,
      "Cannot parse t.csv line 2 column 3: expected a pixel in 0..255 (an integer) but got 'x'",
    ],
    [
      "1,2,3.5,4,5\n",
      SyntaxError,
      "Cannot parse t.csv line 2 column 3: expected a pixel in 0..255 (an integer) but got '3.5'",
    ],
    [
      "1,2,,4,5\n",
      SyntaxError,
      "Cannot parse t.csv line 2 column 3: expected a pixel in 0..255 (an integer) but got an empty field",
    ],
    [
      "1,2,3,256,5\n",
      RangeError,
      "Cannot parse t.csv line 2 column 4: expected a pixel in 0..255 but got 256",
    ],
    [
      "1,2,3,-1,5\n",
      SyntaxError,
      "Cannot parse t.csv line 2 column 4: expected a pixel in 0..255 (an integer) but got '-1'",
    ],
    [
      "10,2,3,4,5\n",
      RangeError,
      "Cannot parse t.csv line 2 column 1: expected a label in 0..9 but got 10",
    ],
  ];
  for (const [row, ErrorClass, message] of cases) {
    const err = await errorOf(parse(`0,0,0,0,0\n${row}`.replace("0,0,0,0,0\n", "")));
    assert.ok(err instanceof ErrorClass, `${row.trim()}: ${err}`);
    assert.equal(err.message, message);
  }
});

Deno.test("CsvParseStream with skipBadRows reports bad rows and keeps the good ones", async () => {
  const bad: BadRow[] = [];
  const out = await parse("1,1,1,1,1\n1,2,3\n2,2,2,2,2\n3,999,0,0,0\n", {
    skip: true,
    onBadRow: (r) => bad.push(r),
  });
  assert.deepEqual(out.map((e) => e.label), [1, 2]);
  assert.deepEqual(out.map((e) => e.source.row), [1, 3]);
  assert.deepEqual(bad.map((r) => [r.line, r.column, r.kind]), [[3, 4, "TypeError"], [
    5,
    2,
    "RangeError",
  ]]);
});

Deno.test("CsvParseStream rescales from pixelMax to 0..255", async () => {
  const opt = resolveCsvFormat("o.csv", ["0", "0", "0", "0", "0"], {
    labelColumn: "last",
    pixelMax: 16,
  });
  const bytes = new TextEncoder().encode("0,8,16,4,9\n");
  const [e] = await collect(
    ReadableStream.from([bytes])
      .pipeThrough(new LineSplitStream({ file: "o.csv", header: false }))
      .pipeThrough(new CsvParseStream({ format: opt })),
  );
  assert.deepEqual([...e!.pixels], [0, 128, 255, 64]);
  assert.equal(e!.label, 9);
});
