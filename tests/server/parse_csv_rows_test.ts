import assert from "node:assert/strict";
import { parseCsvRows } from "../../server/parse_csv_rows.ts";

const spec = { height: 2, width: 2, pixelMax: 255 };

Deno.test("parseCsvRows reads rows with or without a header and a label column", () => {
  const { x, rows } = parseCsvRows("label,a,b,c,d\r\n3,0,255,0,255\n\n0,0,0,255\n", spec);
  assert.equal(rows, 2);
  assert.deepEqual(Array.from(x), [0, 1, 0, 1, 0, 0, 0, 1]);
});

Deno.test("parseCsvRows names the line, column and value of a bad field", () => {
  assert.throws(
    () => parseCsvRows("1,2\n", spec),
    /CSV line 1: expected 4 pixel columns \(2×2\), or 5 with a leading label, but got 2/,
  );
  assert.throws(
    () => parseCsvRows("0,0,0,0\n0,0,x,0\n", spec),
    /CSV line 2, column 3: "x" is not a number/,
  );
  assert.throws(
    () => parseCsvRows("0,0,0,0,256\n", spec),
    /CSV line 1, column 5: 256 is outside 0\.\.255/,
  );
  assert.throws(() => parseCsvRows("a,b,c,d\n", spec), /no rows of pixels/);
});
