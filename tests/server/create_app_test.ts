import assert from "node:assert/strict";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { browserModelFiles } from "../../server/browser_model_files.ts";
import { createApp, type ModelHealth } from "../../server/create_app.ts";
import { ServerMetrics } from "../../server/server_metrics.ts";
import {
  DEFAULT_OPTIONS,
  FIXTURE_IMAGES,
  FIXTURE_MODEL,
  fixtureApp,
  fixtureModel,
  mnistTest,
} from "./_fixture.ts";

const PREDICT = "/v1/models/digits:predict";

/** A metric family as parse-prometheus-text-format gives it. */
type Family = {
  name: string;
  type: string;
  metrics: {
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
  }[];
};
const json = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function expectError(res: Response, status: number, pattern: RegExp): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, status, `status ${res.status}: ${text}`);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = JSON.parse(text);
  assert.equal(typeof body.error, "string");
  assert.match(body.error, pattern);
  assert.doesNotMatch(text, /at .*\.ts:\d+|Error:/, "no stack trace in a response");
  return body.error;
}

Deno.test("createApp TF Serving predict answers probabilities that match the labels", async () => {
  const { app, manifest } = await fixtureApp();
  const { pixels, labels } = mnistTest(20);
  const res = await app.request(PREDICT, json({ instances: pixels.map((p) => Array.from(p)) }));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.predictions.length, 20);
  let correct = 0;
  body.predictions.forEach((row: number[], i: number) => {
    assert.equal(row.length, manifest.classes.length);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4, "softmax rows sum to 1");
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  });
  assert.ok(correct >= 18, `${correct}/20 correct`);
});

Deno.test("createApp TF Serving predict takes 28×28 and 28×28×1 nested instances", async () => {
  const { app } = await fixtureApp();
  const flat = Array.from(mnistTest(1).pixels[0]!);
  const rows = Array.from({ length: 28 }, (_, r) => flat.slice(r * 28, r * 28 + 28));
  const cube = rows.map((row) => row.map((v) => [v]));
  const answers = [];
  for (const instance of [flat, rows, cube]) {
    const res = await app.request(PREDICT, json({ instances: [instance] }));
    assert.equal(res.status, 200);
    answers.push((await res.json()).predictions[0]);
  }
  assert.deepEqual(answers[1], answers[0]);
  assert.deepEqual(answers[2], answers[0]);
  // The columnar form ("inputs") answers "outputs".
  const res = await app.request(PREDICT, json({ inputs: [flat] }));
  assert.deepEqual((await res.json()).outputs[0], answers[0]);
});

Deno.test("createApp status and metadata describe the served model", async () => {
  const { app, manifest } = await fixtureApp();
  const status = await (await app.request("/v1/models/digits")).json();
  assert.equal(status.model_version_status[0].state, "AVAILABLE");
  assert.equal(status.model_version_status[0].status.error_code, "OK");
  const meta = await (await app.request("/v1/models/digits/metadata")).json();
  assert.equal(meta.model_spec.name, "digits");
  const dims = meta.metadata.signature_def.signature_def.serving_default.inputs.instances
    .tensor_shape.dim.map((d: { size: string }) => Number(d.size));
  assert.deepEqual(dims, [-1, 28, 28, 1]);
  assert.deepEqual(meta.digits.inputShape, manifest.inputShape);
  assert.deepEqual(meta.digits.classes, manifest.classes);
  assert.equal(meta.digits.pixelMax, 255);
  assert.deepEqual(meta.digits.metrics, manifest.metrics);
  assert.ok(meta.digits.metrics.final.val_acc > 0.95);
});

Deno.test("createApp /predict reads JSON pixels, PNG, JPEG, multipart and CSV", async () => {
  const { app } = await fixtureApp();
  const { pixels, labels } = mnistTest(3);
  // JSON pixels: one image → digit, probabilities, time.
  let res = await app.request("/predict", json({ pixels: Array.from(pixels[0]!) }));
  let body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.digit, labels[0]);
  assert.equal(body.probabilities.length, 10);
  assert.equal(typeof body.timeMs, "number");
  // PNG raw body.
  const png = await Deno.readFile(FIXTURE_IMAGES + "five_black_on_white.png");
  res = await app.request("/predict", {
    method: "POST",
    headers: { "content-type": "image/png" },
    body: png,
  });
  body = await res.json();
  assert.equal(body.digit, 5);
  assert.equal(body.input.length, 784, "what the model saw comes back");
  // JPEG raw body.
  const jpg = await Deno.readFile(FIXTURE_IMAGES + "five_black_on_white.jpg");
  res = await app.request("/predict", {
    method: "POST",
    headers: { "content-type": "image/jpeg" },
    body: jpg,
  });
  assert.equal((await res.json()).digit, 5);
  // Multipart upload.
  const form = new FormData();
  form.append("image", new Blob([jpg], { type: "image/jpeg" }), "five.jpg");
  res = await app.request("/predict", { method: "POST", body: form });
  assert.equal((await res.json()).digit, 5);
  // CSV rows with a header and a label column.
  const header = ["label", ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(",");
  const csv = [header, ...pixels.map((p, i) => `${labels[i]},${Array.from(p).join(",")}`)].join(
    "\n",
  );
  res = await app.request("/predict", {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body: csv,
  });
  body = await res.json();
  assert.equal(res.status, 200);
  assert.deepEqual(body.results.map((r: { digit: number }) => r.digit), labels);
});

Deno.test("createApp bad input answers 400/413/415/404 with a JSON error naming the problem", async () => {
  const { app } = await fixtureApp({ maxBodyBytes: 64 * 1024 });
  const good = Array.from({ length: 784 }, () => 0);
  await expectError(
    await app.request(PREDICT, { method: "POST", body: "{nope" }),
    400,
    /not valid JSON/,
  );
  await expectError(await app.request(PREDICT, json({ foo: 1 })), 400, /"instances"/);
  await expectError(await app.request(PREDICT, json({ instances: [] })), 400, /empty/);
  await expectError(
    await app.request(PREDICT, json({ instances: [good, good.slice(1)] })),
    400,
    /instance 1 has 783 pixels/,
  );
  const nan = [...good];
  (nan as unknown[])[17] = "NaN";
  await expectError(
    await app.request(PREDICT, json({ instances: [nan] })),
    400,
    /instance 0 pixel 17 is "NaN", not a number/,
  );
  const big = [...good];
  big[3] = 300;
  await expectError(
    await app.request(PREDICT, json({ instances: [good, good, big] })),
    400,
    /instance 2 pixel 3 is 300, outside 0\.\.255/,
  );
  const neg = [...good];
  neg[0] = -1;
  await expectError(await app.request("/predict", json({ pixels: neg })), 400, /outside 0\.\.255/);
  const nested = Array.from({ length: 28 }, () => Array(28).fill(0));
  nested[4] = Array(27).fill(0);
  await expectError(
    await app.request(PREDICT, json({ instances: [nested] })),
    400,
    /instance 0 row 4 has 27 values/,
  );
  // Too large: with and without a Content-Length header.
  const huge = JSON.stringify({ instances: Array(40).fill(good.map(() => 255)) });
  await expectError(
    await app.request(PREDICT, { method: "POST", body: huge }),
    413,
    /larger than 65536 bytes/,
  );
  const stream = new Blob([huge]).stream();
  await expectError(
    await app.request(PREDICT, { method: "POST", body: stream, duplex: "half" } as RequestInit),
    413,
    /larger/,
  );
  // Images that do not decode, and blank ones.
  const notPng = new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
  ]);
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: notPng,
    }),
    400,
    /PNG image cannot be decoded/,
  );
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/jpeg" },
      body: "hello",
    }),
    400,
    /not a PNG or JPEG/,
  );
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/jpeg" },
      body: new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]),
    }),
    400,
    /JPEG image cannot be decoded/,
  );
  const { encode } = await import("fast-png");
  const blank = new Uint8Array(encode({
    width: 50,
    height: 50,
    data: new Uint8Array(2500).fill(255),
    channels: 1,
    depth: 8,
  }));
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: blank,
    }),
    400,
    /blank/,
  );
  const bomb = new Uint8Array(blank);
  new DataView(bomb.buffer).setUint32(16, 100_000);
  new DataView(bomb.buffer).setUint32(20, 100_000);
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: bomb,
    }),
    400,
    /largest accepted/,
  );
  // Unsupported types.
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "image/gif" },
      body: "GIF89a",
    }),
    415,
    /unsupported content type 'image\/gif'/,
  );
  await expectError(
    await app.request("/predict", { method: "POST", body: "x" }),
    415,
    /unsupported content type/,
  );
  await expectError(
    await app.request(PREDICT, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: "x",
    }),
    415,
    /POST \/predict/,
  );
  // CSV and multipart problems.
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "1,2,3\n",
    }),
    400,
    /CSV line 1: expected 784 pixel columns/,
  );
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: `${good.join(",")}\n${good.slice(1).join(",")},x\n`,
    }),
    400,
    /CSV line 2, column 784: "x" is not a number/,
  );
  const form = new FormData();
  form.append("name", "no file here");
  await expectError(await app.request("/predict", { method: "POST", body: form }), 400, /no file/);
  await expectError(
    await app.request("/predict", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=zz" },
      body: "garbage",
    }),
    400,
    /multipart form cannot be read/,
  );
  // Unknown paths and methods.
  await expectError(await app.request("/nope"), 404, /no such endpoint: GET \/nope/);
  await expectError(
    await app.request("/v1/models/other:predict", json({ instances: [good] })),
    404,
    /no such endpoint/,
  );
  // The server still answers after all that.
  assert.equal((await app.request("/healthz")).status, 200);
});

Deno.test("createApp answers a wrong method on a known path with 405 and Allow", async () => {
  const { app } = await fixtureApp();
  const cases = [
    ["/predict", "GET", "POST"],
    [PREDICT, "GET", "POST"],
    [PREDICT, "PUT", "POST"],
    ["/v1/models/digits", "POST", "GET, HEAD"],
    ["/v1/models/digits/metadata", "DELETE", "GET, HEAD"],
    ["/healthz", "POST", "GET, HEAD"],
    ["/metrics", "PATCH", "GET, HEAD"],
    ["/", "POST", "GET, HEAD"],
    ["/assets/app.js", "PUT", "GET, HEAD"],
  ] as const;
  for (const [path, method, allow] of cases) {
    const res = await app.request(path, { method, body: method === "GET" ? null : "{}" });
    assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
    await expectError(res, 405, new RegExp(`${method} is not allowed on .*: use`));
  }
  // HEAD on a GET route is allowed (Hono answers it from the GET handler).
  assert.equal((await app.request("/healthz", { method: "HEAD" })).status, 200);
  // An unknown path stays 404, whatever the method.
  const res = await app.request("/nope", { method: "POST", body: "{}" });
  assert.equal(res.headers.get("allow"), null);
  await expectError(res, 404, /no such endpoint: POST \/nope/);
  // Metrics name the known path of a 405, never a raw unknown one.
  const text = await (await app.request("/metrics")).text();
  assert.match(text, /digits_http_errors_total\{route="\/predict",status="405"\} 1/);
  assert.match(text, /digits_http_errors_total\{route="unmatched",status="404"\} 1/);
});

Deno.test("createApp answers a model failure with a JSON 500 that leaks nothing", async () => {
  const { manifest } = await fixtureModel();
  const app = createApp({
    predictor: () => Promise.reject(new Error("secret internal detail at /home/x.ts:12")),
    manifest,
    options: DEFAULT_OPTIONS,
  });
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const res = await app.request("/predict", json({ pixels: Array(784).fill(0) }));
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(text), { error: "internal server error" });
    assert.doesNotMatch(text, /secret/);
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 1, "one line in the server log");
});

Deno.test("createApp with a token requires it on every API call, not on the page", async () => {
  const { app } = await fixtureApp({ token: "correct-horse" });
  const body = { instances: [Array(784).fill(0)] };
  for (
    const [path, init] of [
      [PREDICT, json(body)],
      ["/predict", json({ pixels: Array(784).fill(0) })],
      ["/v1/models/digits", {}],
      ["/v1/models/digits/metadata", {}],
      ["/metrics", {}],
    ] as const
  ) {
    await expectError(await app.request(path, init), 401, /bearer token/);
    const wrong = {
      ...init,
      headers: { ...("headers" in init ? init.headers : {}), authorization: "Bearer wrong-horse" },
    };
    await expectError(await app.request(path, wrong), 401, /bearer token/);
    const right = {
      ...init,
      headers: {
        ...("headers" in init ? init.headers : {}),
        authorization: "Bearer correct-horse",
      },
    };
    assert.equal((await app.request(path, right)).status, 200, path);
  }
  assert.equal((await app.request("/")).status, 200);
  assert.equal((await app.request("/healthz")).status, 200);
});

Deno.test("createApp serves the page and its assets from itself (no CDN)", async () => {
  const { app } = await fixtureApp();
  const page = await app.request("/");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  const html = await page.text();
  assert.match(html, /<canvas id="pad"/);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//, "no external URLs");
  for (
    const asset of [
      "/assets/app.js",
      "/assets/browser_model.js",
      "/assets/mnist_input.js",
      "/assets/style.css",
    ]
  ) {
    const res = await app.request(asset);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.doesNotMatch(
      text,
      /https?:\/\/|url\(\s*["']?\/\//,
      `${asset} loads nothing from outside`,
    );
  }
  assert.equal((await app.request("/assets/nope.js")).status, 404);
  // tfjs itself: the pinned package's ES module build, served from node_modules.
  const tf = await app.request("/assets/tf.fesm.min.js");
  assert.equal(tf.status, 200);
  assert.match(tf.headers.get("content-type") ?? "", /javascript/);
  assert.match(await tf.text(), /tfjs:"4\.22\.0"/);
  const tag = tf.headers.get("etag");
  assert.ok(tag, "an ETag, so a reload revalidates instead of downloading tfjs again");
  const again = await app.request("/assets/tf.fesm.min.js", { headers: { "if-none-match": tag } });
  assert.equal(again.status, 304);
});

/** An app over the fixture model that also serves its files for the in-browser mode. */
async function browserModelApp(token?: string) {
  const { predictor, manifest } = await fixtureModel();
  return createApp({
    predictor,
    manifest,
    options: { ...DEFAULT_OPTIONS, token },
    browserModel: await browserModelFiles(FIXTURE_MODEL, true),
  });
}

Deno.test("createApp serves the model for the page's in-browser mode under /model/", async () => {
  const app = await browserModelApp();
  const index = await (await app.request("/model/index.json")).json();
  assert.deepEqual(index.members, ["model.json"]);
  assert.equal(index.server, true);
  assert.equal(index.calibration, null);
  const modelJson = await app.request("/model/model.json");
  assert.equal(modelJson.status, 200);
  assert.match(modelJson.headers.get("content-type") ?? "", /application\/json/);
  const topology = await modelJson.json();
  assert.deepEqual(topology.weightsManifest[0].paths, ["./weights.bin"]);
  const weightsRes = await app.request("/model/weights.bin");
  const tag = weightsRes.headers.get("etag")!;
  const weights = new Uint8Array(await weightsRes.arrayBuffer());
  const again = await app.request("/model/weights.bin", { headers: { "if-none-match": tag } });
  assert.equal(again.status, 304, "weights revalidate by ETag");
  assert.deepEqual(weights, await Deno.readFile(`${FIXTURE_MODEL}/weights.bin`));
  // Only the listed files: not the manifest's neighbours, not a path out of the folder.
  await expectError(await app.request("/model/manifest.json"), 404, /no such model file/);
  await expectError(await app.request("/model/../deno.json"), 404, /no such/);
  await expectError(await app.request("/model/%2e%2e/deno.json"), 404, /no such/);
});

Deno.test("createApp with a token requires it on the model files too", async () => {
  const app = await browserModelApp("correct-horse");
  for (const path of ["/model/index.json", "/model/model.json", "/model/weights.bin"]) {
    await expectError(await app.request(path), 401, /bearer token/);
    const ok = await app.request(path, { headers: { authorization: "Bearer correct-horse" } });
    assert.equal(ok.status, 200, path);
    await ok.body?.cancel();
  }
});

Deno.test("createApp /healthz and /metrics report requests, errors, latency and batch sizes", async () => {
  const { app } = await fixtureApp();
  assert.deepEqual(await (await app.request("/healthz")).json(), {
    status: "ok",
    model: "digits",
    modelCalls: "http-thread",
    state: "up",
    restarts: 0,
  });
  await app.request("/predict", json({ pixels: Array(784).fill(0) }));
  await app.request("/predict", json({ pixels: [1] }));
  await app.request("/missing");
  const res = await app.request("/metrics");
  assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
  const text = await res.text();
  const families: Family[] = parsePrometheusTextFormat(text);
  const family = (name: string) => families.find((f) => f.name === name);
  const requests = family("digits_http_requests_total")!.metrics;
  const count = (route: string, method: string, status: string) =>
    requests.find((r) =>
      r.labels?.route === route && r.labels?.method === method && r.labels?.status === status
    )?.value;
  assert.equal(count("/predict", "POST", "200"), "1");
  assert.equal(count("/predict", "POST", "400"), "1");
  assert.equal(count("unmatched", "GET", "404"), "1");
  assert.deepEqual(
    family("digits_http_errors_total")!.metrics.map((e) => [e.labels?.route, e.labels?.status]),
    [["/predict", "400"], ["unmatched", "404"]],
  );
  assert.equal(family("digits_http_request_duration_seconds")?.type, "HISTOGRAM");
  const batches = family("digits_batch_size")!;
  assert.equal(batches.type, "HISTOGRAM");
  assert.equal(batches.metrics[0]!.count, "1");
  assert.equal(batches.metrics[0]!.buckets?.["1"], "1");
  assert.deepEqual(family("digits_backend_info")!.metrics[0]!.labels, {
    backend: "wasm",
    reason: "test",
  });
  assert.ok(Number(family("process_resident_memory_bytes")!.metrics[0]!.value) > 0);
});

Deno.test("createApp groups concurrent requests into one model call", async () => {
  const { manifest } = await fixtureModel();
  const calls: number[] = [];
  // The first model call holds until every request has arrived, as a slow model would.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => release = r);
  const predictor = async (x: Float32Array, n: number) => {
    calls.push(n);
    assert.equal(x.length, n * 784);
    if (calls.length === 1) await held;
    return new Float32Array(n * 10).fill(0.1);
  };
  const metrics = new ServerMetrics();
  const app = createApp({
    predictor,
    manifest,
    options: { ...DEFAULT_OPTIONS, maxBatch: 16 },
    metrics,
  });
  const pixels = Array(784).fill(0);
  const first = app.request(PREDICT, json({ instances: [pixels] }));
  while (calls.length === 0) await new Promise((r) => setTimeout(r, 1));
  const rest = Array.from(
    { length: 40 },
    () => app.request(PREDICT, json({ instances: [pixels] })),
  );
  await new Promise((r) => setTimeout(r, 50)); // all 40 are queued behind the first call
  release();
  const responses = await Promise.all([first, ...rest]);
  assert.ok(responses.every((r) => r.status === 200));
  assert.deepEqual(calls, [1, 16, 16, 8], "a lone first call, then the 40 queued in calls of ≤ 16");
  assert.deepEqual(metrics.batchStats(), { calls: 4, images: 41, largest: 16 });
  const text = await (await app.request("/metrics")).text();
  assert.match(text, /^digits_batch_size_bucket\{le="8"\} 2$/m);
  assert.match(text, /^digits_batch_size_bucket\{le="16"\} 4$/m);
});

Deno.test("createApp's /healthz is 503 and TF Serving's status not AVAILABLE while the model Worker restarts or after it gave up", async () => {
  const { predictor, manifest } = await fixtureModel();
  let health: ModelHealth = { modelCalls: "worker", state: "up", restarts: 0 };
  const app = createApp({ predictor, manifest, options: DEFAULT_OPTIONS, health: () => health });
  const up = await app.request("/healthz");
  assert.equal(up.status, 200);
  assert.deepEqual(await up.json(), { status: "ok", model: "digits", ...health });
  health = { modelCalls: "worker", state: "restarting", restarts: 1 };
  const restarting = await app.request("/healthz");
  assert.equal(restarting.status, 503);
  assert.equal((await restarting.json()).status, "restarting");
  health = { modelCalls: "worker", state: "failed", restarts: 5, reason: "died 6 times" };
  const failed = await app.request("/healthz");
  assert.equal(failed.status, 503);
  const body = await failed.json();
  assert.equal(body.status, "failed");
  assert.equal(body.reason, "died 6 times");
  // TF Serving's status endpoint says the same in its own terms.
  const status = await (await app.request("/v1/models/digits")).json();
  assert.deepEqual(status.model_version_status[0], {
    version: "1",
    state: "END",
    status: { error_code: "UNAVAILABLE", error_message: "died 6 times" },
  });
  health = { modelCalls: "worker", state: "restarting", restarts: 6 };
  const loading = await (await app.request("/v1/models/digits")).json();
  assert.equal(loading.model_version_status[0].state, "LOADING");
  health = { modelCalls: "worker", state: "up", restarts: 6 };
  const available = await (await app.request("/v1/models/digits")).json();
  assert.equal(available.model_version_status[0].state, "AVAILABLE");
});
