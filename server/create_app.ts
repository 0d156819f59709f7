/**
 * The HTTP app: TF Serving REST API, a friendlier `/predict`, health, metrics and the draw-a-digit
 * page. Built by a factory that never listens; `Deno.serve(app.fetch)` or `app.request(...)` use it.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { etag } from "hono/etag";
import { HTTPException } from "hono/http-exception";
import type { Manifest } from "../models/manifest.ts";
import { BadInputError } from "./bad_input_error.ts";
import type { BrowserModelFiles } from "./browser_model_files.ts";
import { decodeImage } from "./decode_image.ts";
import { type BatchPredictFn, ContinuousBatcher } from "./continuous_batcher.ts";
import { recordMetrics } from "./middleware/record_metrics.ts";
import { requireToken } from "./middleware/require_token.ts";
import { parseCsvRows } from "./parse_csv_rows.ts";
import { parsePixelsFast } from "./parse_pixels_fast.ts";
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
  /** Most images per model call (1 turns batching off). */
  maxBatch: number;
  /**
   * Extra wait in milliseconds for requests queued during a model call to fill the next batch
   * (0: none). A request that finds the model idle never waits.
   */
  batchTimeoutMs: number;
}

/** Everything the app needs; nothing here listens on a socket. */
export interface AppDeps {
  /** The batched model call (see `createModelPredictor`); tests pass a fake to observe batches. */
  predictor: BatchPredictFn;
  /** The served model's manifest (input shape, pixel scale, classes, metrics). */
  manifest: Manifest;
  options: ServerOptions;
  /** Milliseconds, for the `timeMs` of `/predict`; `performance.now` by default. */
  clock?: () => number;
  /** The backend that runs inference, reported by the status and metadata endpoints. */
  backend?: { name: string; reason: string };
  /** Where the model was loaded from, reported by the metadata endpoint. */
  modelDir?: string;
  /** Metrics registry; a new one by default. */
  metrics?: ServerMetrics;
  /**
   * The model's files for the page's in-browser mode, served under `/model/` (see
   * `browserModelFiles`); without them `/model/index.json` is 404 and the page predicts on the
   * server only.
   */
  browserModel?: BrowserModelFiles;
  /**
   * Where the model calls stand, for `/healthz` (see `ModelHealth`); always up by default. The
   * server passes the model Worker's status.
   */
  health?: () => ModelHealth;
}

/** What `/healthz` reports about the model calls: 200 when `up`, 503 otherwise. */
export interface ModelHealth {
  /** `worker` (a model Worker) or `http-thread` (`--no-model-worker`). */
  modelCalls: "worker" | "http-thread";
  state: "up" | "restarting" | "failed";
  /** How many times the model Worker died and was started again. */
  restarts: number;
  /** Why the model calls failed for good (only when `failed`). */
  reason?: string;
}

/** One image's answer. */
interface Result {
  digit: number | string;
  label: string;
  confidence: number;
  probabilities: number[];
}

/** Image `i`'s answer from a batch of probabilities. */
function toResult(manifest: Manifest, probs: Float32Array, i: number): Result {
  const classes = manifest.classes.length;
  const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
  let best = 0;
  row.forEach((p, k) => {
    if (p > row[best]!) best = k;
  });
  const label = manifest.classes[best] ?? String(best);
  const digit = /^\d+$/.test(label) ? Number(label) : label;
  return { digit, label, confidence: row[best]!, probabilities: row };
}

const MEDIA_TYPES = "application/json, image/png, image/jpeg, multipart/form-data or text/csv";

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The TF Serving model path. */
const MODEL_PATH = `/v1/models/${MODEL_NAME}`;

function parseJson(text: string): unknown {
  if (text.trim() === "") throw new BadInputError("the request body is empty; send JSON");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** What every route step shares: the deps, the batcher and the input geometry. */
interface AppContext {
  deps: AppDeps;
  clock: () => number;
  metrics: ServerMetrics;
  batcher: ContinuousBatcher;
  spec: InputSpec;
  /** Body-size limit middleware (413). */
  limit: MiddlewareHandler;
}

/**
 * Builds the app. Routes:
 * - `POST /v1/models/digits:predict` `{"instances": [...]}` → `{"predictions": [[p0..p9], ...]}`
 * - `GET /v1/models/digits`, `GET /v1/models/digits/metadata` (TF Serving shapes)
 * - `POST /predict`: JSON pixels, PNG/JPEG (raw or multipart) or CSV rows → digit, probabilities,
 *   time taken
 * - `GET /healthz`, `GET /metrics` (Prometheus text), `GET /` (the draw-a-digit page and its
 *   assets, tfjs included)
 * - `GET /model/index.json` and the `model.json` + weight files it lists: the model for the page's
 *   in-browser mode
 *
 * A wrong method on one of these paths gets 405 with an `Allow` header; an unknown path 404.
 *
 * @example
 * ```ts ignore
 * const app = createApp({ predictor, manifest, options: { maxBodyBytes: 1 << 20, maxBatch: 64, batchTimeoutMs: 0 } });
 * const res = await app.request("/v1/models/digits:predict", { method: "POST", body: JSON.stringify({ instances: [pixels] }) });
 * ```
 */
export function createApp(deps: AppDeps): Hono {
  const ctx = _appContext(deps);
  const app = new Hono();
  _useMiddleware(app, ctx);
  _tfServingRoutes(app, ctx);
  _predictRoute(app, ctx);
  _operationsRoutes(app, ctx);
  _pageRoutes(app);
  _browserModelRoutes(app, ctx.deps.browserModel);
  _fallbacks(app);
  return app;
}

function _appContext(deps: AppDeps): AppContext {
  const { manifest, options } = deps;
  const metrics = deps.metrics ?? new ServerMetrics();
  if (deps.backend) metrics.setBackend(deps.backend.name, deps.backend.reason);
  const [height, width, channels] = manifest.inputShape;
  const batcher = new ContinuousBatcher({
    predict: deps.predictor,
    imageSize: height * width * channels,
    classes: manifest.classes.length,
    maxBatch: options.maxBatch,
    waitMs: options.batchTimeoutMs,
    onBatch: (n) => metrics.recordBatch(n),
  });
  const limit = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: (c) =>
      c.json({ error: `the request body is larger than ${options.maxBodyBytes} bytes` }, 413),
  });
  return {
    deps,
    clock: deps.clock ?? (() => performance.now()),
    metrics,
    batcher,
    spec: { height, width, pixelMax: manifest.pixelMax },
    limit,
  };
}

function _useMiddleware(app: Hono, ctx: AppContext): void {
  app.use(recordMetrics(ctx.metrics));
  const token = ctx.deps.options.token;
  if (token) {
    const auth = requireToken(token);
    app.use("/v1/*", auth);
    app.use("/predict", auth);
    app.use("/metrics", auth);
    app.use("/model/*", auth);
  }
}

/** The TF Serving REST API: status, metadata and `:predict` (row and columnar formats). */
function _tfServingRoutes(app: Hono, ctx: AppContext): void {
  const classes = ctx.deps.manifest.classes.length;
  // TF Serving's version states: LOADING while the model Worker restarts, END once it gave up.
  app.get(MODEL_PATH, (c) => {
    const h = ctx.deps.health?.();
    const state = h === undefined || h.state === "up"
      ? "AVAILABLE"
      : h.state === "restarting"
      ? "LOADING"
      : "END";
    const status = state === "AVAILABLE"
      ? { error_code: "OK", error_message: "" }
      : { error_code: "UNAVAILABLE", error_message: h?.reason ?? "the model worker is restarting" };
    return c.json({ model_version_status: [{ version: "1", state, status }] });
  });
  app.get(`${MODEL_PATH}/metadata`, (c) => c.json(metadata(ctx.deps, MODEL_NAME)));
  app.post(`${MODEL_PATH}:predict`, ctx.limit, async (c) => {
    const type = mediaType(c);
    if (/^(image\/|multipart\/|text\/csv)/.test(type)) {
      throw new BadInputError(
        `${type} is not accepted here: this endpoint takes JSON {"instances": [...]}; ` +
          `send images and CSV to POST /predict`,
        415,
      );
    }
    const text = await _readBody(c, "text");
    const fast = parsePixelsFast(text, "instances", ctx.spec);
    const { x, columnar } = fast ? { x: fast, columnar: false } : _slowInstances(text, ctx.spec);
    const count = x.length / (ctx.spec.height * ctx.spec.width);
    const probs = await ctx.batcher.predict(x, count);
    const predictions = Array.from(
      { length: count },
      (_, i) => Array.from(probs.subarray(i * classes, (i + 1) * classes)),
    );
    return c.json(columnar ? { outputs: predictions } : { predictions });
  });
}

/** `:predict` bodies the fast path left alone: parsed, validated, and explained when wrong. */
function _slowInstances(text: string, spec: InputSpec): { x: Float32Array; columnar: boolean } {
  const body = parseJson(text);
  const rows = body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
  const columnar = rows !== undefined && !("instances" in rows) && "inputs" in rows;
  const instances = columnar ? rows.inputs : rows?.instances;
  if (instances === undefined) {
    throw new BadInputError(`the body must be a JSON object {"instances": [image, ...]}`);
  }
  return { x: parseInstances(instances, spec), columnar };
}

/** `POST /predict`: pixels, images or CSV → digit, label, confidence, probabilities, time. */
function _predictRoute(app: Hono, ctx: AppContext): void {
  const { manifest } = ctx.deps;
  app.post("/predict", ctx.limit, async (c) => {
    const started = ctx.clock();
    const { x, seen } = await _readPredictInput(c, ctx.spec);
    const count = x.length / (ctx.spec.height * ctx.spec.width);
    const probs = await ctx.batcher.predict(x, count);
    const results = Array.from({ length: count }, (_, i) => toResult(manifest, probs, i));
    const timeMs = Math.round((ctx.clock() - started) * 1000) / 1000;
    if (count === 1) {
      const input = seen ? { input: Array.from(seen, (v) => Math.round(v * 255)) } : {};
      return c.json({ ...results[0]!, timeMs, ...input });
    }
    return c.json({ results, timeMs });
  });
}

/** The model input of a `/predict` body; `seen` is the preprocessed image of an upload. */
async function _readPredictInput(
  c: Context,
  spec: InputSpec,
): Promise<{ x: Float32Array; seen?: Float32Array }> {
  const type = mediaType(c);
  const { height, width } = spec;
  if (type === "application/json") {
    const text = await _readBody(c, "text");
    const fast = parsePixelsFast(text, "pixels", spec);
    if (fast) return { x: fast };
    const body = parseJson(text);
    const obj = body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
    if ("pixels" in obj) return { x: parseInstances([obj.pixels], spec) };
    if ("instances" in obj) return { x: parseInstances(obj.instances, spec) };
    throw new BadInputError(
      `the JSON body must be {"pixels": [${height * width} numbers]} or {"instances": [...]}`,
    );
  }
  if (type === "image/png" || type === "image/jpeg") {
    const bytes = new Uint8Array(await _readBody(c, "arrayBuffer"));
    const seen = preprocessImage(decodeImage(bytes), height, width);
    return { x: seen, seen };
  }
  if (type === "multipart/form-data") {
    const bytes = await _uploadedFile(c);
    const seen = preprocessImage(decodeImage(bytes), height, width);
    return { x: seen, seen };
  }
  if (type === "text/csv") return { x: parseCsvRows(await _readBody(c, "text"), spec).x };
  throw new BadInputError(
    `unsupported content type '${type || "(none)"}': send ${MEDIA_TYPES}`,
    415,
  );
}

/**
 * The request body. A body that cannot be read (the client went away mid-request, as load
 * generators do when they stop) is the client's problem: 400, not a logged 500.
 */
async function _readBody(c: Context, as: "text"): Promise<string>;
async function _readBody(c: Context, as: "arrayBuffer"): Promise<ArrayBuffer>;
async function _readBody(c: Context, as: "text" | "arrayBuffer"): Promise<string | ArrayBuffer> {
  try {
    return as === "text" ? await c.req.text() : await c.req.arrayBuffer();
  } catch (err) {
    if (err instanceof HTTPException) throw err; // the body limit's 413
    throw new BadInputError(`the request body cannot be read: ${(err as Error).message}`);
  }
}

/** The bytes of the image in a multipart form (field `image`, `file` or the first file). */
async function _uploadedFile(c: Context): Promise<Uint8Array> {
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
  return new Uint8Array(await file.arrayBuffer());
}

function _operationsRoutes(app: Hono, ctx: AppContext): void {
  // 503 while the model Worker restarts or after it gave up, so a load balancer stops sending
  // traffic and an orchestrator's liveness probe restarts the process.
  app.get("/healthz", (c) => {
    const h = ctx.deps.health?.() ?? { modelCalls: "http-thread", state: "up", restarts: 0 };
    const status = h.state === "up" ? "ok" : h.state === "restarting" ? "restarting" : "failed";
    return c.json({ status, model: MODEL_NAME, ...h }, h.state === "up" ? 200 : 503);
  });
  app.get("/metrics", async (c) => {
    c.header("Content-Type", ctx.metrics.contentType);
    return c.body(await ctx.metrics.render());
  });
}

function _pageRoutes(app: Hono): void {
  // "no-cache" revalidates; the ETag lets a reload get 304 instead of tfjs's 1.1 MB again.
  app.use("/assets/*", etag());
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
}

/** `/model/index.json` and the files it lists (model.json and weights of every member). */
function _browserModelRoutes(app: Hono, model: BrowserModelFiles | undefined): void {
  if (model === undefined) return;
  app.use("/model/*", etag());
  app.get("/model/index.json", (c) => {
    c.header("Cache-Control", "no-cache");
    return c.json(model.index);
  });
  // One wildcard route and a lookup: member folder names may hold characters Hono's path
  // patterns treat specially (':' or '*').
  app.get("/model/*", async (c) => {
    const path = c.req.path.slice("/model/".length); // Hono has decoded %-escapes
    const file = model.files.get(path);
    if (file === undefined) {
      return c.json({ error: `no such model file: ${path} (see /model/index.json)` }, 404);
    }
    const json = path.endsWith(".json");
    c.header("Content-Type", json ? "application/json" : "application/octet-stream");
    c.header("Cache-Control", "no-cache");
    return c.body(await Deno.readFile(file));
  });
}

/** 405 with `Allow` for a known path, 404 for an unknown one, JSON errors without stacks. */
function _fallbacks(app: Hono): void {
  app.notFound((c) => {
    const allowed = _allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      c.header("Allow", allowed.join(", "));
      return c.json({
        error: `${c.req.method} is not allowed on ${c.req.path}: use ${allowed.join(" or ")}`,
      }, 405);
    }
    return c.json({
      error: `no such endpoint: ${c.req.method} ${c.req.path} ` +
        `(try POST /predict, POST ${MODEL_PATH}:predict, GET ${MODEL_PATH}/metadata or GET /)`,
    }, 404);
  });
  app.onError((err, c) => {
    if (err instanceof BadInputError) return c.json({ error: err.message }, err.status);
    if (err instanceof HTTPException) {
      return c.json({ error: err.message || "the request failed" }, err.status);
    }
    // Never a stack trace in a response; one line in the server log.
    console.error(`error: ${c.req.method} ${c.req.path} failed: ${(err as Error)?.message ?? err}`);
    return c.json({ error: "internal server error" }, 500);
  });
}

/** The methods with a route on exactly `path` (GET brings HEAD, which Hono answers from it). */
function _allowedMethods(app: Hono, path: string): string[] {
  const methods = new Set(
    app.routes.filter((r) => r.path === path && r.method !== "ALL").map((r) => r.method),
  );
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods];
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
      calibration: (m as { calibration?: unknown }).calibration ?? null,
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
