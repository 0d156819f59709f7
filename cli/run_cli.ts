import type { CommandModule } from "./command.ts";
import { UsageError } from "./errors.ts";

/** Lazy loaders: a command's module (and its dependencies, such as tfjs) loads only when used. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  train: () => import("./train_command.ts"),
  predict: () => import("./predict_command.ts"),
  evaluate: () => import("./evaluate_command.ts"),
  serve: () => import("./serve_command.ts"),
  inspect: () => import("./inspect_command.ts"),
  data: () => import("./data_command.ts"),
  bench: () => import("./bench_command.ts"),
  export: () => import("./export_command.ts"),
  ensemble: () => import("./ensemble_command.ts"),
};

const USAGE = `digits: train, evaluate and serve handwritten-digit recognizers

Usage: deno task <command> [options]      (or: deno run -A main.ts <command> [options])

Commands:
  train      train a model (default: the embedded MNIST, no arguments needed)
  predict    write a Kaggle submission or probabilities from a saved model
  evaluate   score a saved model on labelled data: metrics, confusion matrix, report
  serve      HTTP API and a draw-a-digit page for a saved model
  inspect    validate a CSV file and print its shape, labels and pixel statistics
  data       write the embedded MNIST as Kaggle CSVs; shard and split CSV files
  bench      benchmarks: pipeline (default), train, serve
  export     write a static site that runs a saved model in each visitor's browser
  ensemble   combine run folders trained separately into one ensemble folder

Run 'deno task <command> --help' for a command's options.`;

/**
 * Runs the CLI: dispatches to a subcommand and turns every error into a message and an exit code
 * (2 for a usage mistake, 1 for anything else). Stack traces are printed only with DIGITS_DEBUG=1.
 */
export async function runCli(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    console.error(`error: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err, name);
  }
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(err: unknown, command: string): number {
  if (Deno.env.get("DIGITS_DEBUG") === "1") console.error(err);
  if (err instanceof UsageError) {
    console.error(
      `error: ${err.message}\nRun 'deno task ${err.command ?? command} --help' for usage.`,
    );
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`error: ${message}`);
  return 1;
}
