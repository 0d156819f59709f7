/**
 * A request the server cannot use: malformed pixels, an undecodable image, a bad CSV row. The app
 * answers it with `status` (400 unless said otherwise) and `{"error": message}`; the message names
 * what to fix. Anything else thrown while handling a request is a 500 that leaks no detail.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { BadInputError } from "./bad_input_error.ts";
 * const err = new BadInputError("instance 2 has 783 pixels; expected 784");
 * assert.ok(err.status === 400);
 * ```
 */
export class BadInputError extends Error {
  /** The HTTP status to answer with. */
  readonly status: 400 | 413 | 415;
  constructor(message: string, status: 400 | 413 | 415 = 400) {
    super(message);
    this.name = "BadInputError";
    this.status = status;
  }
}
