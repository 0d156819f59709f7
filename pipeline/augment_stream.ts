import type { Example, FloatExample } from "./types.ts";
import { type AugmentOptions, checkAugmentOptions } from "./augment_options.ts";
import { augmentImage } from "./augment_image.ts";
import { Random } from "./random.ts";
import { _imageSize } from "./_image_size.ts";

/** Options of {@link AugmentStream}. */
export interface AugmentStreamOptions extends AugmentOptions {
  /** Image height and width; a square from the first image when left out. */
  height?: number;
  width?: number;
  /** Seed of the random transforms (derive a new one per epoch). */
  seed: number;
}

/**
 * Stage 6b: random rotation, zoom, shift, shear and contrast per image (Keras
 * `ImageDataGenerator` semantics, bilinear, constant 0 fill, no flips), seeded: the same seed and
 * input order give the same floats. Input bytes or floats; output floats in [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { AugmentStream } from "./augment_stream.ts";
 * const example = { pixels: new Uint8Array(784).fill(255), label: 1, source: { file: "a", line: 2 } };
 * const [out] = await Array.fromAsync(
 *   ReadableStream.from([example]).pipeThrough(new AugmentStream({ height: 28, width: 28, rotation: 10, seed: 1 })),
 * );
 * assert.ok(out!.pixels instanceof Float32Array);
 * assert.equal(out!.pixels.length, 784);
 * assert.ok(out!.pixels.every((v) => v >= 0 && v <= 1));
 * ```
 */
export class AugmentStream extends TransformStream<Example | FloatExample, FloatExample> {
  constructor(options: AugmentStreamOptions) {
    const { height: _h, width: _w, seed, ...augment } = options;
    checkAugmentOptions(augment);
    const random = new Random(seed);
    super({
      transform(example, controller) {
        const { height, width } = _imageSize(example.pixels.length, options);
        const out = new Float32Array(height * width);
        augmentImage(example.pixels, height, width, augment, random, out);
        controller.enqueue({ ...example, pixels: out });
      },
    });
  }
}
