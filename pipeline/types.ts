/**
 * The records that flow between pipeline stages. Plain data and typed arrays only: `pipeline/`
 * never imports tfjs, and everything here can cross a Worker boundary as transferable buffers.
 *
 * @module
 */

/** Where a record came from, for error messages ("train_03.csv line 17"). */
export interface SourceLocation {
  /** The file path as given by the user. */
  file: string;
  /** 1-based line number in that file (the header is line 1). */
  line: number;
  /** 1-based data row number in that file (header excluded; Kaggle's ImageId), when known. */
  row?: number;
}

/** One image as parsed from a CSV row, before normalization. */
export interface Example {
  /** Row-major pixels, `height * width` values in 0..255 (rescaled from `--pixel-max`). */
  pixels: Uint8Array;
  /** Class index, or -1 when the file has no label column (a Kaggle test file). */
  label: number;
  /** The value of an `id` column (Kannada-MNIST test.csv), carried through to submissions. */
  id?: string;
  /** Where the row came from. */
  source: SourceLocation;
}

/** A normalized (and possibly augmented) image: floats in [0, 1]. */
export interface FloatExample {
  pixels: Float32Array;
  label: number;
  id?: string;
  source: SourceLocation;
}

/** What the batch stage emits and the model consumes. */
export interface Batch {
  /** `size * height * width` floats in [0, 1], NHWC with one channel. */
  x: Float32Array;
  /** `size` class indices (-1 for unlabelled rows). */
  y: Int32Array;
  /** Number of images in this batch (the last one may be short unless `dropRemainder`). */
  size: number;
  height: number;
  width: number;
  /** The `id` column values, when the input had one. */
  ids?: string[];
  /** 1-based row numbers in input order (for "row 17 was misclassified"), when tracked. */
  rows?: Int32Array;
}
