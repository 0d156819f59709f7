/** The shape every `cli/<name>_command.ts` module exports. */
export interface CommandModule {
  /** One line for `deno task --help`. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
