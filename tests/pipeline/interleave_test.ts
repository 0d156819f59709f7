import assert from "node:assert/strict";
import { interleave } from "../../pipeline/interleave.ts";
import { collect } from "./_fixture.ts";

const input = (x: number, n = 6) => () => ReadableStream.from(Array<number>(n).fill(x));

Deno.test("interleave matches tf.data's documented order (cycle 2, block 4)", async () => {
  const out = await collect(
    interleave([1, 2, 3, 4, 5].map((x) => input(x)), { cycleLength: 2, blockLength: 4 }),
  );
  assert.deepEqual(out, [
    1,
    1,
    1,
    1,
    2,
    2,
    2,
    2,
    1,
    1,
    2,
    2,
    3,
    3,
    3,
    3,
    4,
    4,
    4,
    4,
    3,
    3,
    4,
    4,
    5,
    5,
    5,
    5,
    5,
    5,
  ]);
});

Deno.test("interleave with cycle 1 concatenates and with block 1 alternates", async () => {
  const concat = await collect(interleave([input(1, 2), input(2, 3)], {}));
  assert.deepEqual(concat, [1, 1, 2, 2, 2]);
  const alternate = await collect(
    interleave([input(1, 2), input(2, 3), input(3, 1)], { cycleLength: 3 }),
  );
  assert.deepEqual(alternate, [1, 2, 3, 1, 2, 2]);
});

Deno.test("interleave accepts a promise of inputs and rejects bad lengths", async () => {
  const out = await collect(interleave(Promise.resolve([input(7, 2)])));
  assert.deepEqual(out, [7, 7]);
  assert.throws(() => interleave([], { cycleLength: 0 }), RangeError);
});
