/**
 * Decodes an uploaded PNG or JPEG into grayscale, with limits against decompression bombs.
 *
 * @module
 */
import { convertIndexedToRgb, decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";
import { BadInputError } from "./bad_input_error.ts";
import { toGray } from "./page/mnist_input.js";

/** Largest image accepted, in pixels (about 16 megapixels: a 4096×4096 photo). */
const MAX_PIXELS = 4096 * 4096;

/** A grayscale image: `width * height` luminance values in 0..255, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * Decodes PNG (any bit depth, palette, alpha) or JPEG bytes, recognised by their signature, into
 * grayscale luminance. Transparent pixels are composited over the colour that contrasts with the
 * ink (white behind dark ink, black behind light ink), so a canvas export with a transparent
 * background keeps its strokes. Anything else, or a corrupt file, is a {@linkcode BadInputError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encode } from "fast-png";
 * import { decodeImage } from "./decode_image.ts";
 * const png = encode({ width: 2, height: 1, data: new Uint8Array([0, 255]), channels: 1, depth: 8 });
 * const img = decodeImage(png);
 * assert.ok(img.width === 2 && img.data[1] === 255);
 * ```
 */
export function decodeImage(bytes: Uint8Array): GrayImage {
  if (isPng(bytes)) return decodePngBytes(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpegBytes(bytes);
  throw new BadInputError("the upload is not a PNG or JPEG image (unrecognised file signature)");
}

function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function checkSize(width: number, height: number): void {
  if (width < 1 || height < 1) throw new BadInputError("the image is empty (0 pixels)");
  if (width * height > MAX_PIXELS) {
    throw new BadInputError(
      `the image is ${width}×${height}; the largest accepted is ${MAX_PIXELS / 1e6} megapixels`,
    );
  }
}

function decodePngBytes(bytes: Uint8Array): GrayImage {
  if (bytes.length >= 24 && String.fromCharCode(...bytes.subarray(12, 16)) === "IHDR") {
    // IHDR comes first: check the dimensions before inflating anything.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkSize(view.getUint32(16), view.getUint32(20));
  }
  let png;
  try {
    png = decodePng(bytes);
  } catch (err) {
    throw new BadInputError(`the PNG image cannot be decoded: ${(err as Error).message}`);
  }
  const { width, height } = png;
  checkSize(width, height);
  let data: ArrayLike<number> = png.data;
  let channels = png.channels;
  let max = png.depth === 16 ? 65535 : (1 << png.depth) - 1;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
    max = 255;
  }
  return _toGray(data, width, height, channels, max);
}

function decodeJpegBytes(bytes: Uint8Array): GrayImage {
  let img;
  try {
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: 512,
    });
  } catch (err) {
    throw new BadInputError(`the JPEG image cannot be decoded: ${(err as Error).message}`);
  }
  checkSize(img.width, img.height);
  return _toGray(img.data, img.width, img.height, 4, 255);
}

/** Luminance in 0..255 (the shared `toGray` of page/mnist_input.js, which the page runs too). */
function _toGray(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  max: number,
): GrayImage {
  if (data.length < width * height * channels) {
    throw new BadInputError("the image data is truncated");
  }
  return toGray(data, width, height, channels, max);
}
