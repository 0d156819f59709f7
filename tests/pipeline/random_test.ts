import assert from "node:assert/strict";
import { Random } from "../../pipeline/random.ts";

Deno.test("Random gives the same sequence for the same seed and another for another seed", () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const seqA = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
  for (const x of seqA) assert.ok(x >= 0 && x < 1);
});

Deno.test("Random.shuffle is a seeded permutation and derive mixes salts", () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const shuffled = new Random(1).shuffle([...items]);
  assert.deepEqual([...shuffled].sort((x, y) => x - y), items);
  assert.deepEqual(shuffled, new Random(1).shuffle([...items]));
  assert.notEqual(Random.derive(1, 0), Random.derive(1, 1));
  assert.equal(Random.derive(1, 2, 3), Random.derive(1, 2, 3));
});
