import type { Example } from "./types.ts";

const PAGE_ROWS = 4096;

/**
 * A compact store of {@link Example}s for the cache: pixels in pages of one `Uint8Array` per
 * 4,096 images, labels and line/row numbers in typed arrays, file names in a table. 60,000 MNIST
 * rows take about 47 MB of pixels and a few hundred KB besides, instead of one object, one typed
 * array view and one source object per row. `at(i)` hands out a fresh `Example` whose pixels are
 * a read-only-by-convention view into the page (later stages copy, never write).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { PackedExamples } from "./packed_examples.ts";
 * const store = new PackedExamples();
 * store.push({ pixels: Uint8Array.of(1, 2), label: 3, source: { file: "a.csv", line: 2, row: 1 } });
 * store.push({ pixels: Uint8Array.of(4, 5), label: 6, id: "x", source: { file: "b.csv", line: 9 } });
 * assert.equal(store.size, 2);
 * assert.deepEqual(store.at(1), { pixels: Uint8Array.of(4, 5), label: 6, id: "x", source: { file: "b.csv", line: 9 } });
 * assert.deepEqual([...store.at(0).pixels], [1, 2]);
 * ```
 */
export class PackedExamples {
  #pixelsPerRow = -1;
  #pages: Uint8Array[] = [];
  #labels = new Int32Array(PAGE_ROWS);
  #lines = new Int32Array(PAGE_ROWS);
  #rows = new Int32Array(PAGE_ROWS);
  #fileOf = new Uint16Array(PAGE_ROWS);
  #files: string[] = [];
  #ids = new Map<number, string>();
  #size = 0;

  /** Number of examples stored. */
  get size(): number {
    return this.#size;
  }

  /** Appends one example (its pixels are copied). Every example must have the same pixel count. */
  push(example: Example): void {
    const n = example.pixels.length;
    if (this.#pixelsPerRow === -1) this.#pixelsPerRow = n;
    if (n !== this.#pixelsPerRow) {
      throw new TypeError(
        `${example.source.file} line ${example.source.line} has ${n} pixels, the rows before ` +
          `${this.#pixelsPerRow}`,
      );
    }
    const i = this.#size++;
    if (i % PAGE_ROWS === 0) this.#pages.push(new Uint8Array(PAGE_ROWS * n));
    this.#pages.at(-1)!.set(example.pixels, (i % PAGE_ROWS) * n);
    if (i === this.#labels.length) this.#grow();
    this.#labels[i] = example.label;
    this.#lines[i] = example.source.line;
    this.#rows[i] = example.source.row ?? -1;
    this.#fileOf[i] = this.#fileIndex(example.source.file);
    if (example.id !== undefined) this.#ids.set(i, example.id);
  }

  /** The label of example `i` (no object made). */
  labelAt(i: number): number {
    return this.#labels[i]!;
  }

  /** Example `i`, its pixels a view into the store. */
  at(i: number): Example {
    if (!(i >= 0 && i < this.#size)) throw new RangeError(`no example ${i} of ${this.#size}`);
    const n = this.#pixelsPerRow;
    const page = this.#pages[Math.floor(i / PAGE_ROWS)]!;
    const offset = (i % PAGE_ROWS) * n;
    const row = this.#rows[i]!;
    const source = {
      file: this.#files[this.#fileOf[i]!]!,
      line: this.#lines[i]!,
      ...(row >= 0 ? { row } : {}),
    };
    const id = this.#ids.get(i);
    return {
      pixels: page.subarray(offset, offset + n),
      label: this.#labels[i]!,
      ...(id === undefined ? {} : { id }),
      source,
    };
  }

  #fileIndex(file: string): number {
    const last = this.#files.length - 1;
    if (last >= 0 && this.#files[last] === file) return last;
    let index = this.#files.indexOf(file);
    if (index < 0) index = this.#files.push(file) - 1;
    if (index > 0xffff) throw new RangeError("a cache holds rows of at most 65,536 files");
    return index;
  }

  #grow(): void {
    const grow = <A extends Int32Array | Uint16Array>(a: A): A => {
      const bigger = new (a.constructor as new (n: number) => A)(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    this.#labels = grow(this.#labels);
    this.#lines = grow(this.#lines);
    this.#rows = grow(this.#rows);
    this.#fileOf = grow(this.#fileOf);
  }
}
