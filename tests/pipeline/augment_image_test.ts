import assert from "node:assert/strict";
import { augmentImage } from "../../pipeline/augment_image.ts";
import { checkAugmentOptions } from "../../pipeline/augment_options.ts";
import { Random } from "../../pipeline/random.ts";

const square = () => {
  const img = new Uint8Array(28 * 28);
  for (let r = 8; r < 20; r++) for (let c = 8; c < 20; c++) img[r * 28 + c] = 255;
  return img;
};
const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

Deno.test("augmentImage with everything off only normalizes", () => {
  const img = square();
  const out = augmentImage(img, 28, 28, {}, new Random(1), new Float32Array(784));
  assert.deepEqual([...out], [...img].map((v) => Math.fround(v / 255)));
});

Deno.test("augmentImage is seeded: same seed same floats, other seed other floats", () => {
  const options = {
    rotation: 15,
    zoom: 0.1,
    widthShift: 0.1,
    heightShift: 0.1,
    shear: 10,
    contrast: 0.2,
  };
  const run = (seed: number) =>
    augmentImage(square(), 28, 28, options, new Random(seed), new Float32Array(784));
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  for (const v of run(7)) assert.ok(v >= 0 && v <= 1);
});

Deno.test("augmentImage shifts fill with 0 and keep the mass of an inner square", () => {
  const out = augmentImage(
    square(),
    28,
    28,
    { widthShift: 0.2, heightShift: 0.2 },
    new Random(3),
    new Float32Array(784),
  );
  assert.notDeepEqual([...out], [...square()].map((v) => v / 255));
  assert.ok(Math.abs(sum(out) - 144) < 30, `mass ${sum(out)}`);
  const full = augmentImage(
    new Uint8Array(784).fill(255),
    28,
    28,
    { widthShift: 0.3 },
    new Random(9),
    new Float32Array(784),
  );
  assert.ok(sum(full) < 784 - 10, "a shifted full image gets zero fill at an edge");
});

Deno.test("augmentImage rotation keeps a centred square's mass and changes its pixels", () => {
  const out = augmentImage(
    square(),
    28,
    28,
    { rotation: 45 },
    new Random(11),
    new Float32Array(784),
  );
  assert.ok(Math.abs(sum(out) - 144) < 8, `mass ${sum(out)}`);
  assert.notDeepEqual([...out], [...square()].map((v) => v / 255));
});

Deno.test("checkAugmentOptions rejects out-of-range and unknown values", () => {
  assert.throws(
    () => checkAugmentOptions({ zoom: 1.5 }),
    /augmentation zoom must be a number in 0\.\.0\.99, got 1\.5/,
  );
  assert.throws(() => checkAugmentOptions({ flip: 1 } as never), /unknown augmentation 'flip'/);
  assert.equal(checkAugmentOptions({ rotation: 0 }), false);
});
