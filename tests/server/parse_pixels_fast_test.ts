import assert from "node:assert/strict";
import { parsePixelsFast } from "../../server/parse_pixels_fast.ts";
import { parseInstances } from "../../server/parse_instances.ts";
import { mnistTest } from "./_fixture.ts";

const MNIST = { height: 28, width: 28, pixelMax: 255 };

Deno.test("parsePixelsFast reads instances exactly as JSON.parse + parseInstances do", () => {
  const { pixels } = mnistTest(8);
  const bodies = [
    JSON.stringify({ instances: [Array.from(pixels[0]!)] }),
    JSON.stringify({ instances: pixels.slice(0, 3).map((p) => Array.from(p)) }),
    JSON.stringify({ instances: [Array.from(pixels[4]!, (v) => v / 2)] }, null, 2),
    `\n { "instances" : [ [${Array.from(pixels[5]!, (v) => v.toExponential()).join(" , ")}] ] } \n`,
  ];
  for (const body of bodies) {
    const fast = parsePixelsFast(body, "instances", MNIST);
    assert.ok(fast !== undefined, body.slice(0, 60));
    assert.deepEqual(fast, parseInstances(JSON.parse(body).instances, MNIST));
  }
  const one = JSON.stringify({ pixels: Array.from(pixels[6]!) });
  assert.deepEqual(
    parsePixelsFast(one, "pixels", MNIST),
    parseInstances([JSON.parse(one).pixels], MNIST),
  );
});

Deno.test("parsePixelsFast leaves every unusual or bad body to the explaining parser", () => {
  const spec = { height: 1, width: 3, pixelMax: 255 };
  const bad = [
    "",
    "[]",
    '{"instances": [[1, 2]]}', // too few
    '{"instances": [[1, 2, 3, 4]]}', // too many
    '{"instances": [[1, 2, 256]]}', // out of range
    '{"instances": [[1, -2, 3]]}',
    '{"instances": [[1, 2, NaN]]}',
    '{"instances": [[1, 2, "3"]]}',
    '{"instances": [[01, 2, 3]]}', // leading zero: not JSON
    '{"instances": [[.5, 2, 3]]}',
    '{"instances": [[1., 2, 3]]}',
    '{"instances": [[1, 2, 3]], "x": 1}', // another key
    '{"instances": [[1, 2, 3]]} trailing',
    '{"instances": [[1, 2, 3],]}',
    '{"instances": [[[1], [2], [3]]]}', // nested: the general parser handles it
    '{"instances": [[1, 2, 3]]',
    '{"pixels": [1, 2, 3]}',
  ];
  for (const body of bad) {
    assert.equal(parsePixelsFast(body, "instances", spec), undefined, body);
  }
  assert.equal(parsePixelsFast('{"instances": [[1, 2, 3]]}', "pixels", spec), undefined);
  assert.deepEqual(
    Array.from(parsePixelsFast('{"pixels":[0,2.55e2,0.0]}', "pixels", spec)!),
    [0, 1, 0],
  );
});
