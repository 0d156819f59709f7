/**
 * `deno task compile`: builds one executable, `dist/digits`, that runs every command (`serve`,
 * `predict`, `evaluate`, ...) with the model folder given at run time.
 *
 * Embedded besides the module graph: the draw-a-digit page (server/page/), the tfjs WASM binaries
 * (loaded by the wasm backend at run time) and the pipeline's worker module (workers are not
 * followed by the module graph).
 *
 * `deno compile` appends the program to a runtime base, "denort", which it downloads from Deno's
 * servers unless `DENORT_BIN` names a local copy. Machines without that access must set
 * `DENORT_BIN=/path/to/denort` (the `denort` binary of the same Deno version and target, 2.9.6
 * x86_64-unknown-linux-gnu here). The full `deno` binary does not work as a base.
 *
 * Usage: `deno task compile [--output PATH] [--target TRIPLE]`
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { parseFlags, stringFlag } from "../cli/parse_flags.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Files and folders embedded in the binary, relative to the repository root. */
export const COMPILE_INCLUDES = [
  "server/page",
  "train/_training_feed_worker.ts",
  "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
  "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
  "node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
  // tfjs's ES module build, which the page loads for its in-browser mode.
  "node_modules/@tensorflow/tfjs/dist/tf.fesm.min.js",
];

if (import.meta.main) {
  const { values } = parseFlags(Deno.args, {
    output: { type: "string" },
    target: { type: "string" },
  }, "compile");
  const output = stringFlag(values, "output") ?? "dist/digits";
  const target = stringFlag(values, "target");
  for (const path of COMPILE_INCLUDES) {
    try {
      await Deno.stat(`${ROOT}${path}`);
    } catch {
      console.error(`error: ${path} is missing; run 'deno install' first`);
      Deno.exit(1);
    }
  }
  const denort = Deno.env.get("DENORT_BIN");
  if (denort === undefined) {
    console.error(
      "note: DENORT_BIN is not set, so deno compile will download its runtime base (denort) " +
        "from Deno's servers. Offline, set DENORT_BIN=/path/to/denort (Deno 2.9.6, same target).",
    );
  }
  const args = [
    "compile",
    "-A",
    "--config",
    `${ROOT}deno.json`,
    ...COMPILE_INCLUDES.flatMap((p) => ["--include", `${ROOT}${p}`]),
    ...(target ? ["--target", target] : []),
    "--output",
    output,
    `${ROOT}main.ts`,
  ];
  const { code } = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
  if (code !== 0) {
    console.error(
      denort === undefined
        ? "error: deno compile failed; without network access it needs DENORT_BIN (see above)"
        : `error: deno compile failed with DENORT_BIN=${denort}`,
    );
    Deno.exit(code);
  }
  console.log(`built ${output}: run '${output} serve --model RUN_DIR' (or predict, evaluate, ...)`);
}
