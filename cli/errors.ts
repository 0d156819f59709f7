/**
 * A mistake in how a command was called: an unknown option, a bad flag value, a missing argument.
 * `runCli` prints its message and exits with code 2. Problems with the data or the model files are
 * ordinary errors (`TypeError`, `RangeError`, `SyntaxError`, `Deno.errors.NotFound`): exit code 1.
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
 * const err = new UsageError("unknown option --bach-size (did you mean --batch-size?)");
 * console.assert(err.exitCode === 2);
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
