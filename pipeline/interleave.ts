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
  const cycleLength = options.cycleLength ?? 1;
  const blockLength = options.blockLength ?? 1;
  for (
    const [name, value] of [["cycleLength", cycleLength], ["blockLength", blockLength]] as const
  ) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  let pending: (() => ReadableStream<T>)[] = [];
  let slots: (ReadableStreamDefaultReader<T> | null)[] = [];
  let current = 0;
  let taken = 0;
  const open = () => {
    const next = pending.shift();
    return next === undefined ? null : next().getReader();
  };
  const cancelAll = async (reason: unknown) => {
    await Promise.all(slots.map((s) => s?.cancel(reason).catch(() => {})));
    slots = [];
    pending = [];
  };

  return new ReadableStream<T>({
    async start() {
      pending = [...await inputs];
      slots = Array.from({ length: Math.min(cycleLength, pending.length) }, () => null);
      // Slots open lazily on their first turn, in order.
      slots = slots.map(() => open());
    },
    async pull(controller) {
      try {
        while (slots.some((s) => s !== null)) {
          const reader = slots[current];
          if (reader === null || reader === undefined) {
            current = (current + 1) % slots.length;
            taken = 0;
            continue;
          }
          const result = await reader.read();
          if (result.done) {
            slots[current] = open();
            current = (current + 1) % slots.length;
            taken = 0;
            continue;
          }
          controller.enqueue(result.value);
          if (++taken === blockLength) {
            current = (current + 1) % slots.length;
            taken = 0;
          }
          return;
        }
        controller.close();
      } catch (err) {
        await cancelAll(err);
        throw err;
      }
    },
    async cancel(reason) {
      await cancelAll(reason);
    },
  }, { highWaterMark: 1 });
}
