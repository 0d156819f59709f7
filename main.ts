/**
 * digits: train, evaluate and serve handwritten-digit recognizers.
 *
 * The data flow, left to right:
 *   data/ (embedded MNIST, CSV shards) → pipeline/ (Web Streams: list files → open → interleave →
 *   split lines → parse → cache → select rows → shuffle → augment → normalize + batch → prefetch,
 *   in a Worker with --worker-prefetch) → models/ + train/ (tfjs) → runs/<run>/ (saved model)
 *   → predict / evaluate / report/ → server/ (Hono).
 *
 * Every subcommand lives in `cli/<name>_command.ts` and is loaded lazily, so `inspect` and `data`
 * never pay for loading TensorFlow.js.
 *
 * @module
 */
import { runCli } from "./cli/run_cli.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
