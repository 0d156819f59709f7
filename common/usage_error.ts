/**
 * A mistake in how a command was called: an unknown option, a bad flag value, a missing argument.
 * `runCli` prints its message and exits with code 2. Problems with the data or the model files are
 * ordinary errors (`TypeError`, `RangeError`, `SyntaxError`, `Deno.errors.NotFound`): exit code 1.
 * It lives below every layer (train/ and cli/ both throw it); `cli/errors.ts` re-exports it.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { UsageError } from "./usage_error.ts";
 * const err = new UsageError("unknown option --bach-size (did you mean --batch-size?)", "train");
 * assert.equal(err.exitCode, 2);
 * assert.equal(err.command, "train");
 * ```
 */
export class UsageError extends Error {
  /** The process exit code for this error. */
  readonly exitCode = 2;
  /** The subcommand whose `--help` the user should read, if known. */
  command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}
