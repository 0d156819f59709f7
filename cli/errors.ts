/**
 * The CLI's usage error. It moved to `common/usage_error.ts` (train/ throws it too); this re-export
 * keeps the old import path working.
 *
 * @module
 */
export { UsageError } from "../common/usage_error.ts";
