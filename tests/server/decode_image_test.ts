import assert from "node:assert/strict";
import { encode } from "fast-png";
import jpeg from "jpeg-js";
import { decodeImage } from "../../server/decode_image.ts";

Deno.test("decodeImage reads grayscale, RGB, RGBA and 16-bit PNGs as luminance", () => {
  const gray = decodeImage(
    encode({ width: 2, height: 1, data: new Uint8Array([0, 255]), channels: 1, depth: 8 }),
  );
  assert.deepEqual(Array.from(gray.data), [0, 255]);
  const rgb = decodeImage(
    encode({ width: 1, height: 1, data: new Uint8Array([255, 0, 0]), channels: 3, depth: 8 }),
  );
  assert.ok(Math.abs(rgb.data[0]! - 0.299 * 255) < 0.01);
  const deep = decodeImage(
    encode({ width: 1, height: 1, data: new Uint16Array([65535]), channels: 1, depth: 16 }),
  );
  assert.equal(deep.data[0], 255);
});

Deno.test("decodeImage composites transparency behind the ink with a contrasting colour", () => {
  // Dark ink on a transparent background → white background.
  const dark = decodeImage(
    encode({
      width: 2,
      height: 1,
      data: new Uint8Array([0, 0, 0, 255, 0, 0, 0, 0]),
      channels: 4,
      depth: 8,
    }),
  );
  assert.deepEqual(Array.from(dark.data), [0, 255]);
  // Light ink on a transparent background → black background.
  const light = decodeImage(
    encode({
      width: 2,
      height: 1,
      data: new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]),
      channels: 4,
      depth: 8,
    }),
  );
  assert.deepEqual(Array.from(light.data), [255, 0]);
});

Deno.test("decodeImage reads a JPEG", () => {
  const rgba = new Uint8Array(16 * 16 * 4).fill(255);
  const img = decodeImage(
    new Uint8Array(jpeg.encode({ data: rgba, width: 16, height: 16 }, 90).data),
  );
  assert.equal(img.width, 16);
  assert.ok(img.data.every((v) => v > 240));
});

Deno.test("decodeImage rejects unknown formats, corrupt files and huge dimensions", () => {
  assert.throws(() => decodeImage(new TextEncoder().encode("GIF89a....")), /not a PNG or JPEG/);
  assert.throws(
    () => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])),
    /JPEG image cannot be decoded/,
  );
  const png = new Uint8Array(
    encode({ width: 4, height: 4, data: new Uint8Array(16), channels: 1, depth: 8 }),
  );
  assert.throws(() => decodeImage(png.subarray(0, 40)), /PNG image cannot be decoded/);
  const view = new DataView(png.buffer);
  view.setUint32(16, 50_000);
  view.setUint32(20, 50_000);
  assert.throws(() => decodeImage(png), /50000×50000; the largest accepted/);
});
