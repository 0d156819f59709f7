import assert from "node:assert/strict";
import { SkipStream } from "../../pipeline/skip_stream.ts";
import { collect } from "./_fixture.ts";

Deno.test("SkipStream drops the first n records", async () => {
  assert.deepEqual(await collect(ReadableStream.from([1, 2, 3]).pipeThrough(new SkipStream(2))), [
    3,
  ]);
  assert.deepEqual(await collect(ReadableStream.from([1]).pipeThrough(new SkipStream(5))), []);
  assert.throws(() => new SkipStream(-1), RangeError);
});
