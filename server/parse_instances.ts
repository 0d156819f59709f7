/**
 * Turns the `instances` of a prediction request (TF Serving row format) into the model's input.
 *
 * @module
 */
import { BadInputError } from "./bad_input_error.ts";

/** The input geometry and pixel scale a model expects (from its manifest). */
export interface InputSpec {
  height: number;
  width: number;
  /** The largest pixel value in the training CSVs (255 for MNIST). */
  pixelMax: number;
}

function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 20 ? value.slice(0, 20) + "…" : value);
  }
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/**
 * Validates `instances` and returns them as one `Float32Array` (NHWC floats in [0, 1]).
 *
 * Each instance is `height * width` numbers, or a `height × width` (× 1) nested array, in the
 * manifest's pixel scale (0..pixelMax). Errors are {@linkcode BadInputError}s that name the
 * instance index and the problem ("instance 2 has 783 pixels; expected 784 (28×28)").
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { parseInstances } from "./parse_instances.ts";
 * const x = parseInstances([[0, 255, 0, 255]], { height: 2, width: 2, pixelMax: 255 });
 * assert.ok(x.length === 4 && x[1] === 1);
 * ```
 */
export function parseInstances(instances: unknown, spec: InputSpec): Float32Array {
  if (!Array.isArray(instances)) {
    throw new BadInputError(`"instances" must be an array of images, got ${describe(instances)}`);
  }
  if (instances.length === 0) throw new BadInputError(`"instances" is empty`);
  const size = spec.height * spec.width;
  const out = new Float32Array(instances.length * size);
  instances.forEach((instance, i) => {
    writeInstance(instance, i, spec, out.subarray(i * size, (i + 1) * size));
  });
  return out;
}

function writeInstance(instance: unknown, i: number, spec: InputSpec, out: Float32Array): void {
  const { height, width, pixelMax } = spec;
  const size = height * width;
  const expected =
    `expected ${size} pixels (${height}×${width}) or a ${height}×${width} nested array`;
  if (!Array.isArray(instance)) {
    throw new BadInputError(`instance ${i} is ${describe(instance)}; ${expected}`);
  }
  const put = (index: number, value: unknown, where: string) => {
    // A [h][w][1] instance has one-element arrays as pixels.
    if (Array.isArray(value) && value.length === 1) value = value[0];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new BadInputError(`instance ${i} ${where} is ${describe(value)}, not a number`);
    }
    if (value < 0 || value > pixelMax) {
      throw new BadInputError(`instance ${i} ${where} is ${value}, outside 0..${pixelMax}`);
    }
    out[index] = value / pixelMax;
  };
  if (instance.length === size && !Array.isArray(instance[0])) {
    for (let p = 0; p < size; p++) put(p, instance[p], `pixel ${p}`);
    return;
  }
  if (instance.length === height && Array.isArray(instance[0])) {
    for (let r = 0; r < height; r++) {
      const row = instance[r];
      if (!Array.isArray(row) || row.length !== width) {
        const got = Array.isArray(row) ? `${row.length} values` : describe(row);
        throw new BadInputError(`instance ${i} row ${r} has ${got}; expected ${width} values`);
      }
      for (let c = 0; c < width; c++) put(r * width + c, row[c], `pixel (${r}, ${c})`);
    }
    return;
  }
  throw new BadInputError(
    `instance ${i} has ${instance.length} ${
      Array.isArray(instance[0]) ? "rows" : "pixels"
    }; ${expected}`,
  );
}
