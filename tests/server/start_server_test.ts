import assert from "node:assert/strict";
import { startServer } from "../../server/start_server.ts";
import { startServe } from "../../bench/serve_bench.ts";
import { FIXTURE_MODEL, mnistTest } from "./_fixture.ts";

const base = {
  modelDir: FIXTURE_MODEL,
  host: "127.0.0.1",
  port: 0,
  backend: "wasm",
  maxBatch: 64,
  batchTimeoutMs: 0,
  maxBodyBytes: 1024 * 1024,
};

Deno.test("startServer refuses a non-loopback address without a token", async () => {
  await assert.rejects(startServer({ ...base, host: "0.0.0.0" }), /pass --token/);
});

/** One sample from the server's /metrics: its RSS and its model-call figures. */
async function scrape(url: string) {
  const text = await (await fetch(`${url}metrics`)).text();
  const value = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
    if (m === null) throw new Error(`/metrics has no ${name}`);
    return Number(m[1]);
  };
  return {
    rssMiB: Math.round(value("process_resident_memory_bytes") / 2 ** 20),
    calls: value("digits_batch_size_count"),
    images: value("digits_images_predicted_total"),
    atMost64: value('digits_batch_size_bucket\\{le="64"\\}'),
  };
}

Deno.test("serve load test: 3 rounds of 10,000 requests from 64 clients, zero errors, memory levels off", async () => {
  // The server runs in its own process: `deno test --parallel` shares one process between test
  // files, so an in-process RSS reading would count every other test's memory too.
  const server = await startServe(["--backend", "wasm", "--max-batch", "64"]);
  try {
    const { pixels, labels } = mnistTest(64);
    const bodies = pixels.map((p) => JSON.stringify({ instances: [Array.from(p)] }));
    const url = `${server.url}v1/models/digits:predict`;
    const perRound = 10_000;
    let errors = 0, wrong = 0;
    const round = async () => {
      let next = 0;
      const client = async () => {
        while (next < perRound) {
          const i = next++;
          const res = await fetch(url, { method: "POST", body: bodies[i % 64] });
          if (res.status !== 200) {
            errors++;
            await res.body?.cancel();
            continue;
          }
          const row: number[] = (await res.json()).predictions[0];
          if (row.indexOf(Math.max(...row)) !== labels[i % 64]) wrong++;
        }
      };
      await Promise.all(Array.from({ length: 64 }, client));
      return await scrape(server.url);
    };
    const rss = [(await scrape(server.url)).rssMiB];
    const started = performance.now();
    let stats = await round();
    for (let r = 0; r < 2; r++) {
      rss.push(stats.rssMiB);
      stats = await round();
    }
    rss.push(stats.rssMiB);
    const seconds = (performance.now() - started) / 1000;
    const total = 3 * perRound;
    console.log(
      `${total} requests in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} req/s), ` +
        `${errors} errors, ${stats.calls} model calls (mean batch ${
          (stats.images / stats.calls).toFixed(1)
        }), server RSS MiB at start and after each round: ${rss.join(" ")}`,
    );
    assert.equal(errors, 0);
    // At most 2 of the 64 distinct images misread (each is sent total / 64 times).
    assert.ok(wrong <= 2 * total / 64, `${wrong} wrong answers`);
    assert.equal(stats.images, total, "every image went through the model once");
    assert.ok(stats.calls < total / 4, "concurrent requests were batched");
    assert.equal(stats.atMost64, stats.calls, "no model call exceeded --max-batch");
    // The heap and the wasm memory grow to a working size in the first rounds, then level off:
    // the third round of 10,000 requests adds less than 32 MiB (a per-request leak would not).
    assert.ok(rss[3]! - rss[2]! < 32, `server RSS kept growing: ${rss.join(" ")}`);
  } finally {
    const status = await server.stop();
    assert.equal(status.code, 0, "serve exits 0 on SIGTERM");
  }
});

Deno.test("startServer shutdown finishes in-flight requests, then stops listening", async () => {
  const s = await startServer({ ...base, batchTimeoutMs: 200, maxBatch: 64 });
  const body = JSON.stringify({ instances: [Array(784).fill(0)] });
  // Requests that queue behind the first model call wait up to 200 ms for company, so they are
  // in flight while shutdown begins.
  const inflight = Array.from(
    { length: 5 },
    () => fetch(`${s.url}v1/models/digits:predict`, { method: "POST", body }),
  );
  await new Promise((r) => setTimeout(r, 50));
  const queued = s.metrics.batchStats().images;
  assert.ok(queued < 5, `${5 - queued} of 5 requests still in flight`);
  const stopping = s.shutdown();
  const responses = await Promise.all(inflight);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
  await Promise.all(responses.map((r) => r.json()));
  await stopping;
  await assert.rejects(fetch(`${s.url}healthz`));
});
