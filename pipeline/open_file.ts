/** Bytes read per chunk: large reads keep the per-chunk stream overhead negligible. */
export const READ_CHUNK_BYTES = 1 << 16;

/**
 * Opens a file as a stream of byte chunks (stage 2 of the pipeline). Each chunk is a fresh buffer,
 * so later stages may keep views into it. The file is closed at the end, on error or on cancel.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { openFile } from "./open_file.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "label,pixel0\n");
 * let bytes = 0;
 * for await (const chunk of openFile(path)) bytes += chunk.length;
 * assert.ok(bytes === 13);
 * ```
 */
export function openFile(path: string, chunkBytes = READ_CHUNK_BYTES): ReadableStream<Uint8Array> {
  let file: Deno.FsFile | undefined;
  const close = () => {
    try {
      file?.close();
    } catch { /* already closed */ }
    file = undefined;
  };
  return new ReadableStream<Uint8Array>({
    async start() {
      try {
        file = await Deno.open(path, { read: true });
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new Deno.errors.NotFound(`Cannot open ${path}: no such file`);
        }
        throw err;
      }
    },
    async pull(controller) {
      const buffer = new Uint8Array(chunkBytes);
      let filled = 0;
      while (filled < chunkBytes) {
        const n = await file!.read(buffer.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      if (filled > 0) controller.enqueue(filled === chunkBytes ? buffer : buffer.slice(0, filled));
      if (filled < chunkBytes) {
        close();
        controller.close();
      }
    },
    cancel() {
      close();
    },
  }, { highWaterMark: 1 });
}
