import assert from "node:assert/strict";
import { repeat } from "../../pipeline/repeat.ts";
import { TakeStream } from "../../pipeline/take_stream.ts";
import { collect } from "./_fixture.ts";

Deno.test("repeat opens the source once per epoch, and forever until taken", async () => {
  assert.deepEqual(await collect(repeat((e) => ReadableStream.from([e, e * 10]), 2)), [
    0,
    0,
    1,
    10,
  ]);
  const forever = repeat((e) => ReadableStream.from([e]), Infinity).pipeThrough(new TakeStream(4));
  assert.deepEqual(await collect(forever), [0, 1, 2, 3]);
});
