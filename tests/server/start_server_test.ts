import assert from "node:assert/strict";
import { startServer } from "../../server/start_server.ts";
import { FIXTURE_MODEL, mnistTest } from "./_fixture.ts";

const base = {
  modelDir: FIXTURE_MODEL,
  host: "127.0.0.1",
  port: 0,
  backend: "wasm",
  maxBatch: 64,
  batchTimeoutMs: 2,
  maxBodyBytes: 1024 * 1024,
};

Deno.test("startServer refuses a non-loopback address without a token", async () => {
  await assert.rejects(startServer({ ...base, host: "0.0.0.0" }), /pass --token/);
});

Deno.test("startServer load test: 2000 requests from 64 clients, zero errors, flat memory", async () => {
  const s = await startServer(base);
  try {
    const { pixels, labels } = mnistTest(64);
    const bodies = pixels.map((p) => JSON.stringify({ instances: [Array.from(p)] }));
    const url = `${s.url}v1/models/digits:predict`;
    const total = 2000;
    let next = 0, errors = 0, wrong = 0;
    const rss: number[] = [];
    const client = async () => {
      while (next < total) {
        const i = next++;
        const res = await fetch(url, { method: "POST", body: bodies[i % 64] });
        if (res.status !== 200) {
          errors++;
          await res.body?.cancel();
          continue;
        }
        const row: number[] = (await res.json()).predictions[0];
        if (row.indexOf(Math.max(...row)) !== labels[i % 64]) wrong++;
        if (i % 250 === 0) rss.push(Deno.memoryUsage().rss);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 64 }, client));
    const seconds = (performance.now() - started) / 1000;
    const stats = s.metrics.batchStats();
    const mb = rss.map((r) => Math.round(r / 2 ** 20));
    console.log(
      `${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} req/s), ` +
        `${errors} errors, ${stats.calls} model calls (mean batch ${
          (stats.images / stats.calls).toFixed(1)
        }), ` +
        `RSS MiB ${mb.join(" ")}`,
    );
    assert.equal(errors, 0);
    assert.ok(wrong <= 3, `${wrong} wrong answers`);
    assert.equal(stats.images, total, "every image went through the model once");
    assert.ok(stats.calls < total, "concurrent requests were batched");
    assert.ok(stats.largest <= 64);
    // Flat memory: the last sample is within 64 MiB of the second (the first precedes warm-up).
    assert.ok(mb.at(-1)! - mb[1]! < 64, `RSS grew: ${mb.join(" ")}`);
  } finally {
    await s.shutdown();
  }
});

Deno.test("startServer shutdown finishes in-flight requests, then stops listening", async () => {
  const s = await startServer({ ...base, batchTimeoutMs: 200, maxBatch: 64 });
  const body = JSON.stringify({ instances: [Array(784).fill(0)] });
  // The batch timeout holds these requests in flight while shutdown begins.
  const inflight = Array.from(
    { length: 5 },
    () => fetch(`${s.url}v1/models/digits:predict`, { method: "POST", body }),
  );
  await new Promise((r) => setTimeout(r, 50));
  const stopping = s.shutdown();
  const responses = await Promise.all(inflight);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
  await Promise.all(responses.map((r) => r.json()));
  await stopping;
  await assert.rejects(fetch(`${s.url}healthz`));
});
