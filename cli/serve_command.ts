/**
 * `deno task serve`: the HTTP API and the draw-a-digit page for a saved model.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { numberFlag, parseFlags, stringFlag } from "./parse_flags.ts";

/** One line for the command list. */
export const summary = "HTTP API and a draw-a-digit page for a saved model";

/** The full `--help` text. */
export const help = `deno task serve [--model RUN_DIR] [options]

Serves a trained model over HTTP: a TensorFlow Serving compatible REST API, a simpler /predict
endpoint (JSON pixels, PNG/JPEG uploads, CSV rows), health and Prometheus metrics, and a page at /
where you draw a digit and watch the model's guess, predicted on the server or in the browser.

Options:
  --model RUN_DIR          run folder (or ensemble folder) to serve; default: the newest under runs/
  --host ADDR              address to bind (default 127.0.0.1); any other address needs --token
  --port N                 port (default 8000; 0 picks a free one)
  --max-batch N            most images per model call (default 64; 1 = batching off). Batching is
                           continuous: a request that finds the model idle runs at once; requests
                           that arrive during a model call share the next one
  --batch-timeout-ms MS    extra wait for requests queued during a call to fill the next batch
                           (default 0; an idle model never waits)
  --max-body BYTES         largest request body (default 1048576); larger ones get 413
  --token T                require 'Authorization: Bearer T' on every API call
  --model-worker           run the model calls in a Worker thread (the default), so HTTP work and
                           model work overlap on two cores and tfjs's garbage stays off the HTTP
                           thread; --no-model-worker runs them on the HTTP thread
  --native-plan            on the native backend, run each model as a fixed list of oneDNN and
                           OpenBLAS calls on arrays allocated at start (the default; the same
                           probabilities as tfjs, bit for bit); --no-native-plan runs it through tfjs
  --backend NAME           tfjs backend for inference: auto, native, wasm, cpu, webgpu (default
                           auto: chosen as training chooses, the choice and reason are printed)

Endpoints:
  POST /v1/models/digits:predict   {"instances": [[784 pixels 0..255], ...]} → {"predictions": [...]}
  GET  /v1/models/digits           model status (TF Serving shape; LOADING or END as /healthz fails)
  GET  /v1/models/digits/metadata  input shape, classes, training metrics
  POST /predict                    JSON {"pixels": [...]}, image/png, image/jpeg, multipart/form-data
                                   (field 'image') or text/csv → digit, probabilities, timeMs
  GET  /model/index.json           the model's files for the page's in-browser mode (model.json,
                                   weights; every member of an ensemble) and how to combine them
  GET  /healthz                    200 {"status": "ok", "modelCalls": "worker", ...}; 503 while the
                                   model Worker restarts, or after it died 6 times in a minute
  GET  /metrics, GET /             Prometheus metrics; the page (with --token open /#token=T)

Examples:
  deno task serve
  deno task serve --model runs/mnist-cnn --port 8080
  curl -s localhost:8000/predict -H 'content-type: image/png' --data-binary @five.png

Ctrl-C (SIGINT) or SIGTERM finishes in-flight requests, then exits.`;

/** Runs `serve`; resolves to the exit code once the server has shut down. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    model: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    "max-batch": { type: "string" },
    "batch-timeout-ms": { type: "string" },
    "max-body": { type: "string" },
    token: { type: "string" },
    backend: { type: "string" },
    // parseFlags gives every boolean its negation: --no-model-worker sets it false.
    "model-worker": { type: "boolean" },
    "native-plan": { type: "boolean" },
  }, "serve");
  const host = stringFlag(values, "host") ?? "127.0.0.1";
  const token = stringFlag(values, "token");
  const port = numberFlag(values, "port", "serve", { min: 0, max: 65535, integer: true }) ?? 8000;
  const maxBatch = numberFlag(values, "max-batch", "serve", { min: 1, max: 4096, integer: true }) ??
    64;
  const batchTimeoutMs = numberFlag(values, "batch-timeout-ms", "serve", { min: 0, max: 1000 }) ??
    0;
  const maxBodyBytes = numberFlag(values, "max-body", "serve", { min: 1, integer: true }) ??
    1024 * 1024;
  if (token !== undefined && token.length < 8) {
    throw new UsageError("--token must be at least 8 characters", "serve");
  }
  const modelWorker = values["model-worker"] !== false;
  const nativePlan = values["native-plan"] !== false;
  const { findNewestRun } = await import("../server/find_newest_run.ts");
  const modelDir = stringFlag(values, "model") ?? await findNewestRun("runs");
  if (modelDir === undefined) {
    console.error(
      "error: no model to serve: runs/ holds no trained model.\n" +
        "Train one with 'deno task train' (it saves to runs/<name>/), " +
        "or pass --model RUN_DIR.",
    );
    return 1;
  }
  const { startServer } = await import("../server/start_server.ts");
  const started = await startServer({
    modelDir,
    host,
    port,
    maxBatch,
    batchTimeoutMs,
    maxBodyBytes,
    token,
    backend: stringFlag(values, "backend") ?? "auto",
    modelWorker,
    nativePlan,
  });
  const acc = started.manifest.metrics.best.val_acc ?? started.manifest.metrics.final.val_acc;
  console.log(
    `serving ${modelDir} (${started.manifest.architecture}` +
      (acc !== undefined ? `, val_acc ${acc.toFixed(4)}` : "") + ")",
  );
  console.log(`backend ${started.backend.name} (${started.backend.reason})`);
  console.log(
    `warm-up ${started.warmupMs.toFixed(1)} ms` +
      (modelWorker ? " (model calls in a Worker" : " (model calls on the HTTP thread") +
      `, ${started.modelPath})`,
  );
  console.log(
    (maxBatch === 1
      ? "batching off (--max-batch 1); "
      : `continuous batching: up to ${maxBatch} images per call, ${batchTimeoutMs} ms extra wait; `) +
      `max body ${maxBodyBytes} bytes${token ? "; bearer token required" : ""}`,
  );
  console.log(`listening on ${started.url}${token ? "#token=<your token>" : ""}  (Ctrl-C to stop)`);

  const stop = new Promise<string>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => resolve(signal));
    }
  });
  const signal = await stop;
  console.log(`${signal}: finishing in-flight requests…`);
  await started.shutdown();
  console.log("stopped");
  return 0;
}
