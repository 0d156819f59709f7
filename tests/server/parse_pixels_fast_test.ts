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
    // Normalised floats, as many clients send them (with a pixelMax-255 model they read as dim).
    JSON.stringify({ instances: [Array.from(pixels[7]!, (v) => Number((v / 255).toFixed(6)))] }),
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

Deno.test("parsePixelsFast reads fractions and exponents as JSON.parse does, to the last bit", () => {
  // Seeded tokens of every form: short and long fractions (past 15 digits Number reads them),
  // exponents either way, values near the ends of the range.
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const forms = [
    (v: number) => v.toFixed(1 + Math.floor(random() * 8)),
    (v: number) => v.toExponential(Math.floor(random() * 10)),
    (v: number) => v.toPrecision(17),
    (v: number) => (v * 1e6).toFixed(0) + "e-6",
    (v: number) => (v / 1e3).toFixed(9) + "E+3",
    (v: number) => String(v),
  ];
  for (let body = 0; body < 20; body++) {
    const tokens = Array.from({ length: 784 }, () => {
      const v = random() < 0.1 ? 255 * random() ** 8 : 255 * random();
      const token = forms[Math.floor(random() * forms.length)]!(v);
      return Number(token) <= 255 ? token : "255"; // "3e+2" is 254.9 rounded: out of range
    });
    const text = `{"instances": [[${tokens.join(",")}]]}`;
    const fast = parsePixelsFast(text, "instances", MNIST);
    assert.ok(fast !== undefined, `body ${body}`);
    assert.deepEqual(fast, parseInstances(JSON.parse(text).instances, MNIST), `body ${body}`);
  }
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
    '{"instances": [[1e, 2, 3]]}', // an exponent needs digits
    '{"instances": [[1e+, 2, 3]]}',
    '{"instances": [[1.2.3, 2, 3]]}',
    '{"instances": [[1e2.5, 2, 3]]}',
    '{"instances": [[1.5x, 2, 3]]}',
    '{"instances": [[-0, 2, 3]]}', // in range, but rare: the general parser reads it
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
  // Fractions and exponents of every JSON form read as Number reads them.
  const forms = '{"pixels": [0.5, 1.5e-1, 2E+2]}';
  assert.deepEqual(
    parsePixelsFast(forms, "pixels", spec),
    Float32Array.from([0.5 / 255, 0.15 / 255, 200 / 255]),
  );
});
