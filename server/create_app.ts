/**
 * The HTTP app: TF Serving REST API, a friendlier `/predict`, health, metrics and the draw-a-digit
 * page. Built by a factory that never listens; `Deno.serve(app.fetch)` or `app.request(...)` use it.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Manifest } from "../models/manifest.ts";
import { BadInputError } from "./bad_input_error.ts";
import { decodeImage } from "./decode_image.ts";
import { type BatchPredictFn, MicroBatcher } from "./micro_batcher.ts";
import { recordMetrics } from "./middleware/record_metrics.ts";
import { requireToken } from "./middleware/require_token.ts";
import { parseCsvRows } from "./parse_csv_rows.ts";
import { type InputSpec, parseInstances } from "./parse_instances.ts";
import { preprocessImage } from "./preprocess_image.ts";
import { PAGE_PATHS, readPageAsset } from "./read_page_asset.ts";
import { ServerMetrics } from "./server_metrics.ts";

/** The model name in TF Serving URLs (`/v1/models/digits:predict`). */
export const MODEL_NAME = "digits";

/** Server settings (from `deno task serve` flags). */
export interface ServerOptions {
  /** Largest request body in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** When set, every API call needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string | undefined;
  /** Most images per model call (1 turns micro-batching off). */
  maxBatch: number;
  /** Longest wait in milliseconds for more requests to fill a batch. */
  batchTimeoutMs: number;
}

/** Everything the app needs; nothing here listens on a socket. */
export interface AppDeps {
  /** The batched model call (see `createModelPredictor`); tests pass a fake to observe batches. */
  predictor: BatchPredictFn;
  /** The served model's manifest (input shape, pixel scale, classes, metrics). */
  manifest: Manifest;
  options: ServerOptions;
  /** Milliseconds, for latency figures; `performance.now` by default. */
  clock?: () => number;
  /** The backend that runs inference, reported by the status and metadata endpoints. */
  backend?: { name: string; reason: string };
  /** Where the model was loaded from, reported by the metadata endpoint. */
  modelDir?: string;
  /** Metrics registry; a new one by default. */
  metrics?: ServerMetrics;
}

/** One image's answer. */
interface Result {
  digit: number | string;
  label: string;
  confidence: number;
  probabilities: number[];
}

const MEDIA_TYPES = "application/json, image/png, image/jpeg, multipart/form-data or text/csv";

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") throw new BadInputError("the request body is empty; send JSON");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Builds the app. Routes:
 * - `POST /v1/models/digits:predict` `{"instances": [...]}` → `{"predictions": [[p0..p9], ...]}`
 * - `GET /v1/models/digits`, `GET /v1/models/digits/metadata` (TF Serving shapes)
 * - `POST /predict`: JSON pixels, PNG/JPEG (raw or multipart) or CSV rows → digit, probabilities,
 *   time taken
 * - `GET /healthz`, `GET /metrics` (Prometheus text), `GET /` (the draw-a-digit page)
 *
 * @example
 * ```ts ignore
 * const app = createApp({ predictor, manifest, options: { maxBodyBytes: 1 << 20, maxBatch: 64, batchTimeoutMs: 2 } });
 * const res = await app.request("/v1/models/digits:predict", { method: "POST", body: JSON.stringify({ instances: [pixels] }) });
 * ```
 */
export function createApp(deps: AppDeps): Hono {
  const { manifest, options } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const metrics = deps.metrics ?? new ServerMetrics();
  const [height, width, channels] = manifest.inputShape;
  const spec: InputSpec = { height, width, pixelMax: manifest.pixelMax };
  const classes = manifest.classes.length;
  const batcher = new MicroBatcher({
    predict: deps.predictor,
    imageSize: height * width * channels,
    classes,
    maxBatch: options.maxBatch,
    timeoutMs: options.batchTimeoutMs,
    onBatch: (n) => metrics.recordBatch(n),
  });
  const toResult = (probs: Float32Array, i: number): Result => {
    const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
    let best = 0;
    row.forEach((p, k) => {
      if (p > row[best]!) best = k;
    });
    const label = manifest.classes[best] ?? String(best);
    const digit = /^\d+$/.test(label) ? Number(label) : label;
    return { digit, label, confidence: row[best]!, probabilities: row };
  };

  const app = new Hono();
  app.use(recordMetrics(metrics, clock));
  const limit = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: (c) =>
      c.json({ error: `the request body is larger than ${options.maxBodyBytes} bytes` }, 413),
  });
  const auth = options.token ? requireToken(options.token) : undefined;
  if (auth) {
    app.use("/v1/*", auth);
    app.use("/predict", auth);
    app.use("/metrics", auth);
  }

  // --- TF Serving REST API -------------------------------------------------------------------
  const modelPath = `/v1/models/${MODEL_NAME}`;
  app.get(modelPath, (c) =>
    c.json({
      model_version_status: [{
        version: "1",
        state: "AVAILABLE",
        status: { error_code: "OK", error_message: "" },
      }],
    }));
  app.get(`${modelPath}/metadata`, (c) => c.json(metadata(deps, MODEL_NAME)));
  app.post(`${modelPath}:predict`, limit, async (c) => {
    const type = mediaType(c);
    if (/^(image\/|multipart\/|text\/csv)/.test(type)) {
      throw new BadInputError(
        `${type} is not accepted here: this endpoint takes JSON {"instances": [...]}; ` +
          `send images and CSV to POST /predict`,
        415,
      );
    }
    const body = await readJson(c);
    const rows = body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
    const columnar = rows !== undefined && !("instances" in rows) && "inputs" in rows;
    const instances = columnar ? rows.inputs : rows?.instances;
    if (instances === undefined) {
      throw new BadInputError(`the body must be a JSON object {"instances": [image, ...]}`);
    }
    const x = parseInstances(instances, spec);
    const count = x.length / (height * width);
    const probs = await batcher.predict(x, count);
    const predictions = Array.from(
      { length: count },
      (_, i) => Array.from(probs.subarray(i * classes, (i + 1) * classes)),
    );
    return c.json(columnar ? { outputs: predictions } : { predictions });
  });

  // --- /predict: pixels, images or CSV ----------------------------------------------------------
  app.post("/predict", limit, async (c) => {
    const started = clock();
    const type = mediaType(c);
    let x: Float32Array;
    let seen: Float32Array | undefined;
    if (type === "application/json") {
      const body = await readJson(c);
      const obj = body !== null && typeof body === "object" && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
      if ("pixels" in obj) x = parseInstances([obj.pixels], spec);
      else if ("instances" in obj) x = parseInstances(obj.instances, spec);
      else {
        throw new BadInputError(
          `the JSON body must be {"pixels": [${height * width} numbers]} or {"instances": [...]}`,
        );
      }
    } else if (type === "image/png" || type === "image/jpeg") {
      seen = preprocessImage(decodeImage(new Uint8Array(await c.req.arrayBuffer())), height, width);
      x = seen;
    } else if (type === "multipart/form-data") {
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch (err) {
        throw new BadInputError(`the multipart form cannot be read: ${(err as Error).message}`);
      }
      const file = [form.get("image"), form.get("file"), ...form.values()]
        .find((v): v is File => v instanceof File);
      if (file === undefined) {
        throw new BadInputError("the form has no file: upload the image in a field named 'image'");
      }
      seen = preprocessImage(decodeImage(new Uint8Array(await file.arrayBuffer())), height, width);
      x = seen;
    } else if (type === "text/csv") {
      x = parseCsvRows(await c.req.text(), spec).x;
    } else {
      throw new BadInputError(
        `unsupported content type '${type || "(none)"}': send ${MEDIA_TYPES}`,
        415,
      );
    }
    const count = x.length / (height * width);
    const probs = await batcher.predict(x, count);
    const results = Array.from({ length: count }, (_, i) => toResult(probs, i));
    const timeMs = Math.round((clock() - started) * 1000) / 1000;
    if (count === 1) {
      const input = seen ? { input: Array.from(seen, (v) => Math.round(v * 255)) } : {};
      return c.json({ ...results[0]!, timeMs, ...input });
    }
    return c.json({ results, timeMs });
  });

  // --- operations ------------------------------------------------------------------------------
  app.get("/healthz", (c) => c.json({ status: "ok", model: MODEL_NAME }));
  app.get("/metrics", (c) => {
    c.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return c.body(metrics.render());
  });

  // --- the page --------------------------------------------------------------------------------
  for (const path of PAGE_PATHS) {
    app.get(path, async (c) => {
      const asset = await readPageAsset(path);
      if (asset === undefined) return c.notFound();
      c.header("Content-Type", asset.type);
      c.header("Cache-Control", "no-cache");
      c.header("X-Content-Type-Options", "nosniff");
      return c.body(asset.body as Uint8Array<ArrayBuffer>);
    });
  }

  app.notFound((c) =>
    c.json({
      error: `no such endpoint: ${c.req.method} ${c.req.path} ` +
        `(try POST /predict, POST ${modelPath}:predict, GET ${modelPath}/metadata or GET /)`,
    }, 404)
  );
  app.onError((err, c) => {
    if (err instanceof BadInputError) return c.json({ error: err.message }, err.status);
    if (err instanceof HTTPException) {
      return c.json({ error: err.message || "the request failed" }, err.status);
    }
    // Never a stack trace in a response; one line in the server log.
    console.error(`error: ${c.req.method} ${c.req.path} failed: ${(err as Error)?.message ?? err}`);
    return c.json({ error: "internal server error" }, 500);
  });
  return app;
}

/** TF Serving's metadata shape, plus the manifest's facts under `digits`. */
function metadata(deps: AppDeps, name: string) {
  const m = deps.manifest;
  const dims = [-1, ...m.inputShape].map((n) => ({ size: String(n), name: "" }));
  return {
    model_spec: { name, signature_name: "", version: "1" },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs: {
              instances: { dtype: "DT_FLOAT", tensor_shape: { dim: dims, unknown_rank: false } },
            },
            outputs: {
              predictions: {
                dtype: "DT_FLOAT",
                tensor_shape: {
                  dim: [{ size: "-1", name: "" }, { size: String(m.classes.length), name: "" }],
                  unknown_rank: false,
                },
              },
            },
            method_name: "tensorflow/serving/predict",
          },
        },
      },
    },
    digits: {
      architecture: m.architecture,
      inputShape: m.inputShape,
      pixelMax: m.pixelMax,
      classes: m.classes,
      metrics: m.metrics,
      trainedOn: m.backend,
      servedOn: deps.backend ?? null,
      createdAt: m.createdAt,
      epochsCompleted: m.epochsCompleted,
      modelDir: deps.modelDir ?? null,
      maxBatch: deps.options.maxBatch,
      batchTimeoutMs: deps.options.batchTimeoutMs,
    },
  };
}
