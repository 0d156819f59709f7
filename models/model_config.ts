/**
 * The plain data every model factory takes. The input shape and the number of classes come from the
 * training data, so one factory serves MNIST (28×28×1, 10 classes), UCI optdigits (8×8×1) or any
 * other image set in the same CSV formats.
 *
 * @module
 */

/** What every model factory in `models/` takes. */
export interface ModelConfig {
  /** [height, width, channels] of one image, e.g. [28, 28, 1] or [8, 8, 1]. */
  inputShape: [number, number, number];
  /** Number of softmax outputs (10 for digits). */
  numClasses: number;
  /**
   * Seed for the weight initialisers. Each layer gets its own seed derived from this one, so the
   * same seed gives the same initial weights. `undefined` means random.
   */
  seed?: number;
}
