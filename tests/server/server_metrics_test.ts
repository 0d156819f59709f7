import assert from "node:assert/strict";
import { ServerMetrics } from "../../server/server_metrics.ts";

Deno.test("ServerMetrics renders Prometheus text with cumulative histogram buckets", () => {
  const m = new ServerMetrics();
  m.recordRequest("/predict", "POST", 200, 0.003);
  m.recordRequest("/predict", "POST", 200, 0.2);
  m.recordRequest("/predict", "POST", 400, 0.001);
  m.recordBatch(1);
  m.recordBatch(50);
  const text = m.render();
  assert.match(
    text,
    /^digits_http_requests_total\{route="\/predict",method="POST",status="200"\} 2$/m,
  );
  assert.match(text, /^digits_http_errors_total\{route="\/predict",status="400"\} 1$/m);
  assert.match(
    text,
    /^digits_http_request_duration_seconds_bucket\{route="\/predict",le="0.001"\} 1$/m,
  );
  assert.match(
    text,
    /^digits_http_request_duration_seconds_bucket\{route="\/predict",le="0.005"\} 2$/m,
  );
  assert.match(
    text,
    /^digits_http_request_duration_seconds_bucket\{route="\/predict",le="\+Inf"\} 3$/m,
  );
  assert.match(text, /^digits_batch_size_bucket\{le="32"\} 1$/m);
  assert.match(text, /^digits_batch_size_bucket\{le="64"\} 2$/m);
  assert.match(text, /^digits_batch_size_sum 51$/m);
  assert.match(text, /^digits_images_predicted_total 51$/m);
  assert.deepEqual(m.batchStats(), { calls: 2, images: 51, largest: 50 });
  // Every sample line is "name{labels} value".
  for (const line of text.trim().split("\n")) {
    if (!line.startsWith("#")) assert.match(line, /^[a-z_]+(\{[^}]*\})? [\d.e+-]+$/);
  }
});

Deno.test("ServerMetrics escapes label values", () => {
  const m = new ServerMetrics();
  m.recordRequest('/a"b\\c', "GET", 200, 0);
  assert.match(m.render(), /route="\/a\\"b\\\\c"/);
});
