import { basename, dirname, join } from "node:path";

function tempPathFor(path: string): string {
  const suffix = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  return join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
}

/**
 * Writes a whole file atomically: the bytes go to a temporary file in the same folder, are
 * flushed to disk, and the temporary file is renamed over `path`. A reader (or a crash) sees
 * either the old file or the new one, never half of one.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { writeFileAtomic } from "./atomic_write.ts";
 * const path = await Deno.makeTempFile();
 * await writeFileAtomic(path, "hello\n");
 * assert.ok(await Deno.readTextFile(path) === "hello\n");
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = tempPathFor(path);
  try {
    using file = await Deno.open(tmp, { write: true, createNew: true });
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
  await Deno.rename(tmp, path);
}

/**
 * A file written in pieces that appears at `path` only on `commit()`; `abort()` (or an error
 * before commit) removes the temporary file and leaves any previous file at `path` untouched.
 * Used for streamed outputs such as submissions.
 */
export class AtomicFileWriter {
  readonly path: string;
  readonly tempPath: string;
  #file: Deno.FsFile;
  #done = false;

  private constructor(path: string, tempPath: string, file: Deno.FsFile) {
    this.path = path;
    this.tempPath = tempPath;
    this.#file = file;
  }

  /** Opens a temporary file beside `path`. */
  static async create(path: string): Promise<AtomicFileWriter> {
    const tmp = tempPathFor(path);
    const file = await Deno.open(tmp, { write: true, createNew: true });
    return new AtomicFileWriter(path, tmp, file);
  }

  /** Appends bytes or text. */
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }

  /** Flushes, closes and renames the temporary file to `path`. */
  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#file.sync();
    this.#file.close();
    await Deno.rename(this.tempPath, this.path);
  }

  /** Closes and deletes the temporary file; `path` is left as it was. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#file.close();
    } catch { /* already closed */ }
    await Deno.remove(this.tempPath).catch(() => {});
  }
}
