import type { Example, FloatExample } from "./types.ts";

/**
 * Stage 6a: maps pixels from bytes 0..255 to floats in [0, 1] (`v / 255` in float32).
 * `BatchStream` folds this into batching (same bits); use the stage when a consumer wants float
 * images.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { NormalizeStream } from "./normalize_stream.ts";
 * const [out] = await Array.fromAsync(
 *   ReadableStream.from([{ pixels: new Uint8Array([0, 255]), label: 1, source: { file: "a", line: 2 } }])
 *     .pipeThrough(new NormalizeStream()),
 * );
 * assert.ok(out!.pixels[1] === 1 && out!.pixels instanceof Float32Array);
 * ```
 */
export class NormalizeStream extends TransformStream<Example, FloatExample> {
  constructor() {
    super({
      transform(example, controller) {
        const { pixels } = example;
        const out = new Float32Array(pixels.length);
        for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! / 255;
        controller.enqueue({ ...example, pixels: out });
      },
    });
  }
}
