/** Convolution shapes every conv kernel test checks against `cpu`. */
export interface ConvCase {
  x: number[];
  f: number[];
  stride: 1 | 2;
  pad: "same" | "valid";
}

/** Odd sizes, batch 1, strides 1 and 2, same and valid padding, 1×1 to 5×5 filters. */
export const CONV_CASES: readonly ConvCase[] = [
  { x: [1, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: "same" },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: "valid" },
  { x: [3, 9, 11, 3], f: [3, 3, 3, 4], stride: 2, pad: "valid" },
  { x: [1, 10, 7, 2], f: [3, 3, 2, 4], stride: 2, pad: "same" },
  { x: [2, 7, 9, 4], f: [5, 5, 4, 3], stride: 2, pad: "same" },
  { x: [2, 5, 6, 7], f: [1, 1, 7, 3], stride: 1, pad: "valid" },
];
