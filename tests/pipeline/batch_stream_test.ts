import assert from "node:assert/strict";
import { BatchStream } from "../../pipeline/batch_stream.ts";
import type { Example } from "../../pipeline/types.ts";
import { collect } from "./_fixture.ts";

const examples = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({
    pixels: new Uint8Array([i, 255, 0, 51]),
    label: i % 10,
    source: { file: "f.csv", line: i + 2, row: i + 1 },
  }));

Deno.test("BatchStream emits full batches and a short last one", async () => {
  const batches = await collect(
    ReadableStream.from(examples(5)).pipeThrough(
      new BatchStream({ batchSize: 2, height: 2, width: 2 }),
    ),
  );
  assert.deepEqual(batches.map((b) => b.size), [2, 2, 1]);
  assert.ok(batches[0]!.x instanceof Float32Array && batches[0]!.y instanceof Int32Array);
  assert.deepEqual([...batches[0]!.x], [0, 1, 0, 0.2, 1 / 255, 1, 0, 0.2].map(Math.fround));
  assert.deepEqual([...batches[2]!.y], [4]);
  assert.equal(batches[2]!.x.length, 4);
});

Deno.test("BatchStream with dropRemainder drops the short batch; keepIds keeps rows", async () => {
  const batches = await collect(
    ReadableStream.from(examples(5)).pipeThrough(
      new BatchStream({ batchSize: 2, height: 2, width: 2, dropRemainder: true, keepIds: true }),
    ),
  );
  assert.deepEqual(batches.map((b) => b.size), [2, 2]);
  assert.deepEqual([...batches[1]!.rows!], [3, 4]);
});

Deno.test("BatchStream rejects an image of the wrong size", async () => {
  const bad = [{ pixels: new Uint8Array(3), label: 0, source: { file: "f.csv", line: 9 } }];
  await assert.rejects(
    collect(
      ReadableStream.from(bad).pipeThrough(new BatchStream({ batchSize: 2, height: 2, width: 2 })),
    ),
    /Cannot batch f\.csv line 9: expected 4 pixels \(2×2\) but got 3/,
  );
});
