/**
 * The pooling geometry of a MaxPool/MaxPoolGrad call (tfjs's own `computePool2DInfo` on the
 * kernel's attributes), shared by the oneDNN and the JS-loop max-pool kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Pool geometry: tfjs's Conv2DInfo for a NHWC input of `shape`. */
export function _poolInfo(shape: number[], attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
}
