import assert from "node:assert/strict";
import { Hono } from "hono";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { ServerMetrics } from "../../server/server_metrics.ts";
import { recordMetrics } from "../../server/middleware/record_metrics.ts";

type Sample = {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
};
type Family = { name: string; type: string; metrics: Sample[] };

Deno.test("ServerMetrics exposes requests, errors, latency, batch sizes and process metrics as Prometheus text", async () => {
  const m = new ServerMetrics();
  m.setBackend("wasm", "test");
  const app = new Hono().use(recordMetrics(m));
  app.post("/predict", (c) => c.json({}, c.req.query("bad") ? 400 : 200));
  await app.request("/predict", { method: "POST" });
  await app.request("/predict", { method: "POST" });
  await app.request("/predict?bad=1", { method: "POST" });
  await app.request("/nope");
  m.recordBatch(1);
  m.recordBatch(50);
  const text = await m.render();
  const families: Family[] = parsePrometheusTextFormat(text);
  const family = (name: string) => {
    const f = families.find((x) => x.name === name);
    assert.ok(f, `no ${name} in /metrics`);
    return f;
  };
  const requests = family("digits_http_requests_total");
  assert.equal(requests.type, "COUNTER");
  const count = (route: string, status: string) =>
    requests.metrics.find((s) => s.labels?.route === route && s.labels?.status === status)?.value;
  assert.equal(count("/predict", "200"), "2");
  assert.equal(count("/predict", "400"), "1");
  assert.equal(count("unmatched", "404"), "1");
  const errors = family("digits_http_errors_total").metrics;
  assert.deepEqual(
    errors.map((s) => [s.labels?.route, s.labels?.status, s.value]).sort(),
    [["/predict", "400", "1"], ["unmatched", "404", "1"]],
  );
  const latency = family("digits_http_request_duration_seconds");
  assert.equal(latency.type, "HISTOGRAM");
  // The parser folds a histogram's label sets into one; the route is checked on the text.
  assert.match(
    text,
    /^digits_http_request_duration_seconds_count\{(?=[^}]*route="\/predict")(?=[^}]*status="200")[^}]*\} 2$/m,
  );
  const batches = family("digits_batch_size");
  assert.equal(batches.type, "HISTOGRAM");
  const b = batches.metrics[0]!;
  assert.equal(b.count, "2");
  assert.equal(b.sum, "51");
  assert.equal(b.buckets?.["32"], "1");
  assert.equal(b.buckets?.["64"], "2");
  assert.equal(family("digits_images_predicted_total").metrics[0]!.value, "51");
  assert.deepEqual(family("digits_backend_info").metrics[0]!.labels, {
    backend: "wasm",
    reason: "test",
  });
  assert.ok(Number(family("process_resident_memory_bytes").metrics[0]!.value) > 1e6);
  assert.ok(families.some((f) => f.name === "process_cpu_seconds_total"));
  assert.deepEqual(m.batchStats(), { calls: 2, images: 51, largest: 50 });
});

Deno.test("ServerMetrics keeps each server's figures apart", async () => {
  const a = new ServerMetrics();
  const b = new ServerMetrics();
  a.recordBatch(3);
  assert.match(await a.render(), /^digits_batch_size_count 1$/m);
  assert.match(await b.render(), /^digits_batch_size_count 0$/m);
});
