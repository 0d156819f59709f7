/**
 * The engine behind `interleave` and `readExamples`: `tf.data`-style interleaving over sources
 * that may hand over records one at a time or in arrays (a parsed block of rows), so the parse
 * stage costs one stream hop per block instead of one per row.
 *
 * @module
 */

/** A record source: `next()` gives a record, `undefined` at the end, or a promise of either. */
export interface _Source<T> {
  next(): T | undefined | Promise<T | undefined>;
  cancel(reason: unknown): Promise<void>;
}

/** A source over a stream of records. */
export function _recordSource<T>(stream: ReadableStream<T>): _Source<T> {
  const reader = stream.getReader();
  return {
    next: () => reader.read().then((r) => r.done ? undefined : r.value),
    cancel: (reason) => reader.cancel(reason),
  };
}

/** A source over a stream of record arrays; records within an array come out synchronously. */
export function _arraySource<T>(stream: ReadableStream<T[]>): _Source<T> {
  const reader = stream.getReader();
  let items: T[] = [];
  let index = 0;
  const refill = async (): Promise<T | undefined> => {
    for (;;) {
      const r = await reader.read();
      if (r.done) return undefined;
      if (r.value.length > 0) {
        items = r.value;
        index = 1;
        return items[0];
      }
    }
  };
  return {
    next: () => index < items.length ? items[index++] : refill(),
    cancel: (reason) => reader.cancel(reason),
  };
}

/** Interleaves sources: `cycleLength` open at once, `blockLength` records from each in turn. */
export function _interleaveSources<T>(
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
