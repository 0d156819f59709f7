import assert from "node:assert/strict";
import { parseInstances } from "../../server/parse_instances.ts";

const spec = { height: 2, width: 2, pixelMax: 16 };

Deno.test("parseInstances scales flat and nested instances by the manifest's pixelMax", () => {
  const x = parseInstances([[0, 4, 8, 16], [[16, 8], [4, 0]], [[[0], [0]], [[16], [16]]]], spec);
  assert.deepEqual(Array.from(x), [0, 0.25, 0.5, 1, 1, 0.5, 0.25, 0, 0, 0, 1, 1]);
});

Deno.test("parseInstances names the instance and the problem", () => {
  assert.throws(() => parseInstances("x", spec), /"instances" must be an array/);
  assert.throws(() => parseInstances([], spec), /"instances" is empty/);
  assert.throws(
    () => parseInstances([[0, 0, 0, 0], 7], spec),
    /instance 1 is 7; expected 4 pixels \(2×2\)/,
  );
  assert.throws(() => parseInstances([[0, 0, 0]], spec), /instance 0 has 3 pixels/);
  assert.throws(
    () => parseInstances([[0, 0, null, 0]], spec),
    /instance 0 pixel 2 is null, not a number/,
  );
  assert.throws(
    () => parseInstances([[0, 0, 17, 0]], spec),
    /instance 0 pixel 2 is 17, outside 0\.\.16/,
  );
  assert.throws(
    () => parseInstances([[[0, 0], [0, 0, 0]]], spec),
    /instance 0 row 1 has 3 values; expected 2/,
  );
  assert.throws(
    () => parseInstances([[[0, 0], [0, "a"]]], spec),
    /instance 0 pixel \(1, 1\) is "a"/,
  );
});
