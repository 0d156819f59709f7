/**
 * `batchSize` → `batch-size`: a config key as its command-line flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { kebabCase } from "./kebab_case.ts";
 * assert.equal(kebabCase("validSplit"), "valid-split");
 * ```
 */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
