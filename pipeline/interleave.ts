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
 * import assert from "node:assert";
 * import { interleave } from "./interleave.ts";
 * const input = (x: number) => () => ReadableStream.from(Array(6).fill(x));
 * const out = await Array.fromAsync(
 *   interleave([1, 2, 3, 4, 5].map(input), { cycleLength: 2, blockLength: 4 }),
 * );
 * assert.equal(out.join(""), "111122221122333344443344555555");
 * ```
 */
export function interleave<T>(
  inputs: (() => ReadableStream<T>)[] | Promise<(() => ReadableStream<T>)[]>,
  options: InterleaveOptions = {},
): ReadableStream<T> {
  const open = async () => (await inputs).map((input) => () => _recordSource(input()));
  return _interleaveSources(open(), options.cycleLength ?? 1, options.blockLength ?? 1);
}

/** A record source: `next()` gives a record, `undefined` at the end, or a promise of either. */
interface _Source<T> {
  next(): T | undefined | Promise<T | undefined>;
  cancel(reason: unknown): Promise<void>;
}

/** A source over a stream of records. */
function _recordSource<T>(stream: ReadableStream<T>): _Source<T> {
  const reader = stream.getReader();
  return {
    next: () => reader.read().then((r) => r.done ? undefined : r.value),
    cancel: (reason) => reader.cancel(reason),
  };
}

/** Interleaves sources: `cycleLength` open at once, `blockLength` records from each in turn. */
function _interleaveSources<T>(
  inputs: (() => _Source<T>)[] | Promise<(() => _Source<T>)[]>,
  cycleLength: number,
  blockLength: number,
): ReadableStream<T> {
  for (
    const [name, value] of [["cycleLength", cycleLength], ["blockLength", blockLength]] as const
  ) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  let pending: (() => _Source<T>)[] = [];
  let slots: (_Source<T> | null)[] = [];
  let open = 0;
  let current = 0;
  let taken = 0;
  const openNext = () => {
    const next = pending.shift();
    return next === undefined ? null : next();
  };
  const advance = () => {
    current = (current + 1) % slots.length;
    taken = 0;
  };
  const cancelAll = async (reason: unknown) => {
    const all = slots;
    slots = [];
    pending = [];
    open = 0;
    await Promise.all(all.map((s) => s?.cancel(reason).catch(() => {})));
  };

  return new ReadableStream<T>({
    async start() {
      pending = [...await inputs];
      slots = Array.from({ length: Math.min(cycleLength, pending.length) }, () => openNext());
      open = slots.length;
    },
    async pull(controller) {
      try {
        // Enqueue records while the consumer wants more; records already in memory are taken
        // synchronously, so a parsed block flows out without a promise per row.
        while (open > 0) {
          const source = slots[current];
          if (source === null || source === undefined) {
            advance();
            continue;
          }
          let item = source.next();
          if (item instanceof Promise) item = await item;
          if (item === undefined) {
            slots[current] = openNext();
            if (slots[current] === null) open--;
            advance();
            continue;
          }
          controller.enqueue(item);
          if (++taken === blockLength) advance();
          if ((controller.desiredSize ?? 0) <= 0) return;
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
  }, new CountQueuingStrategy({ highWaterMark: 64 }));
}
