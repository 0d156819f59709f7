import assert from "node:assert/strict";
import { ShuffleStream } from "../../pipeline/shuffle_stream.ts";
import { collect } from "./_fixture.ts";

const shuffle = (items: number[], bufferSize: number, seed: number) =>
  collect(ReadableStream.from(items).pipeThrough(new ShuffleStream<number>({ bufferSize, seed })));

Deno.test("ShuffleStream keeps every record exactly once", async () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);
  for (const size of [1, 10, 999, 5000]) {
    const out = await shuffle(items, size, 3);
    assert.equal(out.length, items.length);
    assert.deepEqual([...out].sort((a, b) => a - b), items);
  }
});

Deno.test("ShuffleStream gives the same order for a seed and another for another seed", async () => {
  const items = Array.from({ length: 200 }, (_, i) => i);
  const a = await shuffle(items, 50, 1);
  assert.deepEqual(a, await shuffle(items, 50, 1));
  assert.notDeepEqual(a, await shuffle(items, 50, 2));
  assert.notDeepEqual(a, items);
});
