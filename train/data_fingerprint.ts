import { createHash, type Hash } from "node:crypto";
import type { Example } from "../pipeline/types.ts";

/**
 * A running SHA-256 over parsed records (label, then pixels), so the fingerprint does not depend
 * on the CSV's whitespace or column quoting: the same images and labels give the same hash.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { DataFingerprint } from "./data_fingerprint.ts";
 * const f = new DataFingerprint();
 * f.add({ pixels: new Uint8Array([0, 255]), label: 3, source: { file: "a.csv", line: 2 } });
 * assert.ok(f.rows === 1 && f.digest().length === 64);
 * ```
 */
export class DataFingerprint {
  #hash: Hash = createHash("sha256");
  #label = new Int32Array(1);
  /** Records added so far. */
  rows = 0;

  /** Adds one record. */
  add(example: Example): void {
    this.#label[0] = example.label;
    this.#hash.update(new Uint8Array(this.#label.buffer));
    this.#hash.update(example.pixels);
    this.rows++;
  }

  /** The hex digest of everything added (call once). */
  digest(): string {
    return this.#hash.digest("hex");
  }
}
