import * as tf from "@tensorflow/tfjs";

/** Explicit NHWC padding as tfjs's conv2d op accepts it. */
export type _ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor and
 * returns the tensor plus the explicit padding to hand to `tf.conv2d`. Cropping is done with a
 * slice because conv2d rejects negative padding.
 */
export function _padOrCrop(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { x: tf.Tensor4D; pad: _ExplicitPad } {
  const cropTop = Math.max(0, -top);
  const cropBottom = Math.max(0, -bottom);
  const cropLeft = Math.max(0, -left);
  const cropRight = Math.max(0, -right);
  let out = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    const [n, h, w, c] = x.shape;
    out = tf.slice(x, [0, cropTop, cropLeft, 0], [
      n,
      h - cropTop - cropBottom,
      w - cropLeft - cropRight,
      c,
    ]);
  }
  return {
    x: out,
    pad: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [
      Math.max(0, left),
      Math.max(0, right),
    ], [0, 0]],
  };
}

/** Throws unless the layout is NHWC, the only layout the wasm backend's Conv2D runs. */
export function _requireChannelsLast(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new TypeError(
      `${kernel} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}': build the model with channelsLast`,
    );
  }
}
