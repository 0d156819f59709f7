import { _interleaveSources, _recordSource } from "./_interleave_sources.ts";

/** Options of {@link interleave}. */
export interface InterleaveOptions {
  /** How many inputs are open at a time (default 1: one file after the other). */
  cycleLength?: number;
  /** How many consecutive records to take from one input before moving on (default 1). */
  blockLength?: number;
}

/**
 * Stage 3: interleaves records from several inputs like `tf.data.Dataset.interleave`: `cycleLength`
 * inputs are open at once; `blockLength` records are taken from each in turn; an exhausted input
 * ends its block early and its slot is refilled by the next input when its turn comes again.
 * Inputs are opened lazily (at most `cycleLength` files open). `inputs` may be a promise, so a
 * caller can list files asynchronously and still return a stream at once.
 *
 * @example
 * ```ts
 * import { interleave } from "./interleave.ts";
 * const input = (x: number) => () => ReadableStream.from(Array(6).fill(x));
 * const out = await Array.fromAsync(
 *   interleave([1, 2, 3, 4, 5].map(input), { cycleLength: 2, blockLength: 4 }),
 * );
 * console.assert(out.join("") === "111122221122333344443344555555");
 * ```
 */
export function interleave<T>(
  inputs: (() => ReadableStream<T>)[] | Promise<(() => ReadableStream<T>)[]>,
  options: InterleaveOptions = {},
): ReadableStream<T> {
  const open = async () => (await inputs).map((input) => () => _recordSource(input()));
  return _interleaveSources(open(), options.cycleLength ?? 1, options.blockLength ?? 1);
}
