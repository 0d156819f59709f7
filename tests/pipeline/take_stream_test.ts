import assert from "node:assert/strict";
import { TakeStream } from "../../pipeline/take_stream.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import { collect, fixture } from "./_fixture.ts";

Deno.test("TakeStream passes the first n records and stops reading the source", async () => {
  assert.deepEqual(await collect(ReadableStream.from([1, 2, 3]).pipeThrough(new TakeStream(2))), [
    1,
    2,
  ]);
  assert.deepEqual(await collect(ReadableStream.from([1, 2]).pipeThrough(new TakeStream(0))), []);
  const rows = await collect(
    readExamples({ files: fixture("kaggle_train.csv") }).pipeThrough(new TakeStream(3)),
  );
  assert.deepEqual(rows.map((e) => e.label), [0, 1, 2]);
});
