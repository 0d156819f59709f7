import assert from "node:assert/strict";
import { PrefetchStream } from "../../pipeline/prefetch_stream.ts";
import { collect } from "./_fixture.ts";

Deno.test("PrefetchStream reads ahead up to its buffer size and keeps the order", async () => {
  let pulled = 0;
  const source = new ReadableStream<number>({
    pull(c) {
      if (pulled < 10) c.enqueue(pulled++);
      else c.close();
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new PrefetchStream(3)).getReader();
  const first = await reader.read();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(first.value, 0);
  assert.ok(pulled >= 3, `read ahead ${pulled}`);
  const rest = await collect(
    new ReadableStream({
      async pull(c) {
        const r = await reader.read();
        r.done ? c.close() : c.enqueue(r.value);
      },
    }),
  );
  assert.deepEqual(rest, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
