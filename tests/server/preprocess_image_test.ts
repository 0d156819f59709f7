import assert from "node:assert/strict";
import { decodeImage } from "../../server/decode_image.ts";
import { preprocessImage } from "../../server/preprocess_image.ts";
import { FIXTURE_IMAGES, fixtureModel, mnistTest } from "./_fixture.ts";

async function predictFile(name: string): Promise<{ digit: number; p: number; x: Float32Array }> {
  const { predictor } = await fixtureModel();
  const x = preprocessImage(decodeImage(await Deno.readFile(FIXTURE_IMAGES + name)), 28, 28);
  const probs = await predictor(x, 1);
  const digit = probs.indexOf(Math.max(...probs));
  return { digit, p: probs[digit]!, x };
}

Deno.test("preprocessImage makes white-on-black and black-on-white drawings of a 5 read as 5", async () => {
  for (
    const name of [
      "five_white_on_black.png",
      "five_black_on_white.png",
      "five_black_on_white.jpg",
      "five_transparent.png",
    ]
  ) {
    const { digit, p } = await predictFile(name);
    assert.equal(digit, 5, `${name} → ${digit} (${p.toFixed(3)})`);
    assert.ok(p > 0.9, `${name}: confident (${p.toFixed(3)})`);
  }
  assert.equal((await predictFile("one_black_on_white.png")).digit, 1);
});

Deno.test("preprocessImage gives the same input for an image and its inverse", async () => {
  const a = (await predictFile("five_white_on_black.png")).x;
  const b = (await predictFile("five_black_on_white.png")).x;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});

Deno.test("preprocessImage fits the ink in a 20×20 box centred by mass", () => {
  // A 300×100 white image with a dark bar (a wide "1" lying down) near the top-left corner.
  const w = 300, h = 100;
  const data = new Float32Array(w * h).fill(255);
  for (let y = 10; y < 30; y++) for (let x = 5; x < 205; x++) data[y * w + x] = 0;
  const x = preprocessImage({ width: w, height: h, data }, 28, 28);
  let minX = 28, maxX = -1, minY = 28, maxY = -1, mass = 0, cx = 0, cy = 0;
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      const v = x[r * 28 + c]!;
      assert.ok(v >= 0 && v <= 1);
      if (v > 0) {
        [minX, maxX, minY, maxY] = [
          Math.min(minX, c),
          Math.max(maxX, c),
          Math.min(minY, r),
          Math.max(maxY, r),
        ];
      }
      mass += v;
      cx += v * (c + 0.5);
      cy += v * (r + 0.5);
    }
  }
  assert.equal(maxX - minX + 1, 20, "the long side is 20 pixels");
  assert.equal(maxY - minY + 1, 2, "aspect ratio kept (200×20 → 20×2)");
  assert.ok(Math.abs(cx / mass - 14) <= 0.5 && Math.abs(cy / mass - 14) <= 0.5, "centred by mass");
});

Deno.test("preprocessImage keeps MNIST digits readable when drawn big on paper", async () => {
  // 200 test digits, enlarged 5× onto white paper at an off-centre spot, then preprocessed back.
  const { predictor } = await fixtureModel();
  const { pixels, labels } = mnistTest(200);
  const w = 200, h = 170;
  const x = new Float32Array(200 * 784);
  pixels.forEach((p, n) => {
    const data = new Float32Array(w * h).fill(255);
    for (let y = 0; y < 140; y++) {
      for (let c = 0; c < 140; c++) {
        data[(y + 20) * w + c + 50] = 255 - p[Math.floor(y / 5) * 28 + Math.floor(c / 5)]!;
      }
    }
    x.set(preprocessImage({ width: w, height: h, data }, 28, 28), n * 784);
  });
  const probs = await predictor(x, 200);
  let correct = 0;
  for (let n = 0; n < 200; n++) {
    const row = Array.from(probs.subarray(n * 10, n * 10 + 10));
    if (row.indexOf(Math.max(...row)) === labels[n]) correct++;
  }
  console.log(`${correct}/200 correct after preprocessing`);
  assert.ok(correct >= 188, `${correct}/200 correct after preprocessing`);
});

Deno.test("preprocessImage scales to an 8×8 model's input", () => {
  const data = new Float32Array(100 * 100);
  for (let y = 20; y < 80; y++) for (let x = 45; x < 55; x++) data[y * 100 + x] = 255;
  const x = preprocessImage({ width: 100, height: 100, data }, 8, 8);
  assert.equal(x.length, 64);
  const rows = Array.from({ length: 8 }, (_, r) => x.subarray(r * 8, r * 8 + 8).some((v) => v > 0));
  assert.equal(rows.filter(Boolean).length, 6, "the box is 6 of 8 rows (20/28 of the side)");
});

Deno.test("preprocessImage rejects a blank image", () => {
  assert.throws(
    () => preprocessImage({ width: 10, height: 10, data: new Float32Array(100).fill(200) }, 28, 28),
    /blank/,
  );
});
