import { AtomicFileWriter } from "../io/atomic_write.ts";

const FLUSH_BYTES = 1 << 20;

/**
 * Writes one output CSV line by line, buffering about 1 MB between writes, through an
 * {@link AtomicFileWriter}: the file appears complete on `commit()` or not at all.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { CsvPartWriter } from "./csv_part_writer.ts";
 * const path = (await Deno.makeTempDir()) + "/part.csv";
 * const writer = await CsvPartWriter.create(path, new TextEncoder().encode("a,b"));
 * await writer.line(new TextEncoder().encode("1,2"));
 * await writer.commit();
 * assert.ok(await Deno.readTextFile(path) === "a,b\n1,2\n");
 * ```
 */
export class CsvPartWriter {
  readonly path: string;
  /** Data lines written so far (the header not counted). */
  rows = 0;
  #writer: AtomicFileWriter;
  #buffer = new Uint8Array(FLUSH_BYTES * 2);
  #used = 0;

  private constructor(path: string, writer: AtomicFileWriter) {
    this.path = path;
    this.#writer = writer;
  }

  /** Opens a temporary file for `path` and writes the header line, if any. */
  static async create(path: string, header: Uint8Array | null): Promise<CsvPartWriter> {
    const writer = new CsvPartWriter(path, await AtomicFileWriter.create(path));
    if (header !== null) await writer.#append(header);
    return writer;
  }

  /** Appends one data line (without its line ending). */
  async line(bytes: Uint8Array): Promise<void> {
    this.rows++;
    await this.#append(bytes);
  }

  async #append(bytes: Uint8Array): Promise<void> {
    if (this.#used + bytes.length + 1 > this.#buffer.length) await this.#flush();
    if (bytes.length + 1 > this.#buffer.length) {
      await this.#writer.write(bytes);
      await this.#writer.write("\n");
      return;
    }
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
    this.#buffer[this.#used++] = 10;
    if (this.#used >= FLUSH_BYTES) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    await this.#writer.write(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  /** Writes what is buffered and moves the file into place. */
  async commit(): Promise<void> {
    await this.#flush();
    await this.#writer.commit();
  }

  /** Deletes the temporary file. */
  async abort(): Promise<void> {
    await this.#writer.abort();
  }
}
