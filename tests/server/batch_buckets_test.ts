import assert from "node:assert/strict";
import { batchBuckets } from "../../server/batch_buckets.ts";

Deno.test("batchBuckets holds every batch size with little padding, ending at maxBatch", () => {
  for (const maxBatch of [1, 2, 7, 8, 9, 31, 32, 33, 64, 100]) {
    const sizes = batchBuckets(maxBatch);
    assert.equal(sizes.at(-1), maxBatch);
    sizes.forEach((n, i) => {
      assert.ok(Number.isInteger(n) && n >= 1, `size ${n}`);
      if (i > 0) assert.ok(n > sizes[i - 1]!, `ascending at ${i}: ${sizes}`);
    });
    for (let count = 1; count <= maxBatch; count++) {
      const size = sizes.find((n) => n >= count)!;
      const pad = size - count;
      assert.ok(pad <= (count <= 32 ? 3 : 7), `${count} images pad to ${size} of ${sizes}`);
      if (count <= 8) assert.equal(size, count, "small batches are never padded");
    }
  }
  assert.equal(batchBuckets(64).length, 18);
});

Deno.test("batchBuckets refuses a maxBatch that is not a positive integer", () => {
  for (const bad of [0, -1, 1.5, NaN]) {
    assert.throws(() => batchBuckets(bad), /maxBatch must be a positive integer/);
  }
});
