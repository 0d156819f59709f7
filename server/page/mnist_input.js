// How a drawing or photo of a digit becomes the model's input, shared by the server
// (server/decode_image.ts and server/preprocess_image.ts import it) and the page (in-browser mode),
// so both modes feed the model the same pixels. Plain JavaScript with JSDoc types: browsers load it
// as it is, and Deno type-checks the server's use of it.

/** MNIST fits each digit in a 20×20 box inside the 28×28 image. */
const MNIST_BOX = 20;
const MNIST_SIDE = 28;
/** Ink weaker than this fraction of the strongest ink is background noise (JPEG, paper grain). */
const NOISE_FLOOR = 0.15;
/** Peak ink (0..255) below which an image counts as blank. */
const BLANK_PEAK = 16;

/**
 * A grayscale image: `width * height` luminance values in 0..255, row-major.
 * @typedef {{ width: number, height: number, data: Float32Array }} GrayImage
 */

/**
 * Luminance (Rec. 601) in 0..255 of interleaved pixels (`channels` per pixel, values 0..`max`),
 * with alpha composited over the colour that contrasts with the ink (white behind dark ink, black
 * behind light ink), so a canvas with a transparent background keeps its strokes.
 *
 * @param {ArrayLike<number>} data interleaved samples (gray, gray+alpha, RGB or RGBA)
 * @param {number} width
 * @param {number} height
 * @param {number} channels 1, 2, 3 or 4
 * @param {number} max the largest sample value (255 for 8-bit, 65535 for 16-bit PNGs)
 * @returns {GrayImage}
 */
export function toGray(data, width, height, channels, max) {
  const n = width * height;
  const hasAlpha = channels === 2 || channels === 4;
  const colour = channels >= 3;
  const lum = new Float32Array(n);
  const alpha = new Float32Array(n);
  let weighted = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const l = colour ? 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2] : data[o];
    const a = hasAlpha ? data[o + channels - 1] / max : 1;
    lum[i] = (l / max) * 255;
    alpha[i] = a;
    weighted += lum[i] * a;
    weight += a;
  }
  if (hasAlpha) {
    // Behind dark ink put white; behind light ink put black.
    const background = weight > 0 && weighted / weight < 128 ? 255 : 0;
    for (let i = 0; i < n; i++) lum[i] = lum[i] * alpha[i] + background * (1 - alpha[i]);
  }
  return { width, height, data: lum };
}

/**
 * Converts a grayscale image of one digit into the model's input, the way MNIST was made: ink is
 * made bright on a dark background (inverted when the background is light), cropped to the ink,
 * scaled to fit a 20×20 box (keeping its aspect ratio; area-averaged, so any size works), and
 * placed in a 28×28 image with its centre of mass at the centre. For another input size (an 8×8
 * model) the box scales with it (20/28 of the side). Returns floats in [0, 1], row-major, or
 * `null` for a blank image (no ink stands out from the background).
 *
 * @param {GrayImage} image
 * @param {number} height the model's input height
 * @param {number} width the model's input width
 * @returns {Float32Array | null}
 */
export function mnistInput(image, height, width) {
  const ink = _inkOf(image);
  if (ink === null) return null;
  const { minX, minY, maxX, maxY } = _inkBox(ink, image.width, image.height);
  // Crop to the ink and scale it to fit the box, keeping the aspect ratio.
  const cropW = maxX - minX + 1;
  const cropH = maxY - minY + 1;
  const box = Math.max(1, Math.round((Math.min(height, width) * MNIST_BOX) / MNIST_SIDE));
  const scale = box / Math.max(cropW, cropH);
  const outW = Math.max(1, Math.min(box, Math.round(cropW * scale)));
  const outH = Math.max(1, Math.min(box, Math.round(cropH * scale)));
  const scaled = _resampleArea(ink, image.width, minX, minY, cropW, cropH, outW, outH);
  // Shrinking thins the strokes' peak; MNIST digits reach full intensity, so stretch back to 1.
  let top = 0;
  for (const v of scaled) if (v > top) top = v;
  for (let i = 0; i < scaled.length; i++) scaled[i] = scaled[i] / top;
  return _centreByMass(scaled, outW, outH, height, width);
}

/**
 * Ink in [0, 1] (strongest ink = 1, faint noise dropped), bright on dark: the distance from the
 * background level, read from the border. `null` when nothing stands out.
 * @param {GrayImage} image
 * @returns {Float32Array | null}
 */
function _inkOf(image) {
  const { width: w, height: h, data } = image;
  const border = [];
  for (let x = 0; x < w; x++) border.push(data[x], data[(h - 1) * w + x]);
  for (let y = 0; y < h; y++) border.push(data[y * w], data[y * w + w - 1]);
  border.sort((a, b) => a - b);
  const background = border[Math.floor(border.length / 2)];
  const light = background >= 128;
  const ink = new Float32Array(w * h);
  let peak = 0;
  for (let i = 0; i < ink.length; i++) {
    const v = light ? background - data[i] : data[i] - background;
    ink[i] = v > 0 ? v : 0;
    if (ink[i] > peak) peak = ink[i];
  }
  if (peak < BLANK_PEAK) return null;
  for (let i = 0; i < ink.length; i++) {
    const v = ink[i] / peak;
    ink[i] = v < NOISE_FLOOR ? 0 : (v - NOISE_FLOOR) / (1 - NOISE_FLOOR);
  }
  return ink;
}

/**
 * The bounding box of the non-zero ink.
 * @param {Float32Array} ink
 * @param {number} w
 * @param {number} h
 */
function _inkBox(ink, w, h) {
  let minX = w, minY = h, maxX = -1, maxY = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x] > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Places `scaled` (outW × outH) in a height × width image with its centre of mass at the centre.
 * @param {Float32Array} scaled
 * @param {number} outW
 * @param {number} outH
 * @param {number} height
 * @param {number} width
 */
function _centreByMass(scaled, outW, outH, height, width) {
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = scaled[y * outW + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const offX = Math.round(width / 2 - mx / mass);
  const offY = Math.round(height / 2 - my / mass);
  const out = new Float32Array(height * width);
  for (let y = 0; y < outH; y++) {
    const ty = y + offY;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < outW; x++) {
      const tx = x + offX;
      if (tx < 0 || tx >= width) continue;
      out[ty * width + tx] = scaled[y * outW + x];
    }
  }
  return out;
}

/**
 * Area-averaging resample of the crop (x0, y0, cw, ch) of `src` (row stride `stride`) to
 * `outW × outH`: each output pixel is the mean of the source area it covers, with fractional
 * edges. Works for shrinking (photos) and enlarging (tiny drawings) alike.
 * @param {Float32Array} src
 * @param {number} stride
 * @param {number} x0
 * @param {number} y0
 * @param {number} cw
 * @param {number} ch
 * @param {number} outW
 * @param {number} outH
 */
function _resampleArea(src, stride, x0, y0, cw, ch, outW, outH) {
  const out = new Float32Array(outW * outH);
  const sx = cw / outW;
  const sy = ch / outH;
  for (let oy = 0; oy < outH; oy++) {
    const top = oy * sy, bottom = top + sy;
    for (let ox = 0; ox < outW; ox++) {
      const left = ox * sx, right = left + sx;
      let sum = 0;
      for (let y = Math.floor(top); y < Math.min(ch, Math.ceil(bottom)); y++) {
        const wy = Math.min(bottom, y + 1) - Math.max(top, y);
        const row = (y0 + y) * stride + x0;
        for (let x = Math.floor(left); x < Math.min(cw, Math.ceil(right)); x++) {
          const wx = Math.min(right, x + 1) - Math.max(left, x);
          sum += src[row + x] * wx * wy;
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return out;
}
