/**
 * The backend names a user may ask for (`--backend`), in a module without tfjs so the config and
 * `train --help` can list them without loading any backend. `select_backend.ts` re-exports them.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { BACKEND_NAMES } from "./backend_names.ts";
 * assert.ok(BACKEND_NAMES.includes("wasm"));
 * ```
 *
 * @module
 */

/** Backend names a user may ask for. */
export const BACKEND_NAMES = ["auto", "webgpu", "wasm", "cpu", "native"] as const;

/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];
