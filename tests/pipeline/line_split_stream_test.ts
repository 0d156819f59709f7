import assert from "node:assert/strict";
import { type LineBlock, LineSplitStream } from "../../pipeline/line_split_stream.ts";
import { collect } from "./_fixture.ts";

const text = (b: Uint8Array | null | undefined) =>
  b === null || b === undefined ? b : new TextDecoder().decode(b);

async function split(chunks: Uint8Array[], header: boolean) {
  const blocks: LineBlock[] = await collect(
    ReadableStream.from(chunks).pipeThrough(new LineSplitStream({ file: "f.csv", header })),
  );
  return {
    header: text(blocks.find((b) => b.header !== undefined)?.header),
    headers: blocks.filter((b) => b.header !== undefined && b.header !== null).length,
    lines: blocks.flatMap((b) =>
      Array.from({ length: b.count }, (_, i) => text(b.bytes.subarray(b.starts[i]!, b.ends[i]!)))
    ),
    numbers: blocks.flatMap((b) => [...b.lineNumbers.subarray(0, b.count)]),
  };
}

Deno.test("LineSplitStream handles CRLF, a BOM, blank lines and a missing final newline", async () => {
  const bytes = new TextEncoder().encode("\uFEFFh1,h2\r\n1,2\r\n\r\n3,4\n5,6");
  const out = await split([bytes], true);
  assert.equal(out.header, "h1,h2");
  assert.deepEqual(out.lines, ["1,2", "3,4", "5,6"]);
  assert.deepEqual(out.numbers, [2, 4, 5]);
});

Deno.test("LineSplitStream gives the same lines whatever the chunk boundaries", async () => {
  const bytes = new TextEncoder().encode("\uFEFFa,b\r\n10,20\r\n30,40\r\n");
  const whole = await split([bytes], true);
  const byteByByte = await split([...bytes].map((b) => new Uint8Array([b])), true);
  assert.deepEqual(byteByByte, whole);
  assert.deepEqual(whole.lines, ["10,20", "30,40"]);
  assert.equal(whole.headers, 1);
});

Deno.test("LineSplitStream without a header passes the first line as data", async () => {
  const out = await split([new TextEncoder().encode("1,2\n3,4\n")], false);
  assert.equal(out.header, null);
  assert.deepEqual(out.lines, ["1,2", "3,4"]);
});
