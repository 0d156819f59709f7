/**
 * The server's Prometheus metrics: requests by route and status, errors, a latency histogram and
 * a histogram of model-call batch sizes, rendered in the Prometheus text exposition format.
 *
 * @module
 */

/** Latency buckets in seconds (0.5 ms to 5 s). */
const LATENCY_BUCKETS = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
];
/** Batch-size buckets (images per model call). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

interface Histogram {
  buckets: number[];
  counts: number[];
  sum: number;
  count: number;
}

function newHistogram(buckets: number[]): Histogram {
  return { buckets, counts: buckets.map(() => 0), sum: 0, count: 0 };
}

function observe(h: Histogram, value: number): void {
  for (let i = 0; i < h.buckets.length; i++) if (value <= h.buckets[i]!) h.counts[i]!++;
  h.sum += value;
  h.count++;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function renderHistogram(
  lines: string[],
  name: string,
  h: Histogram,
  extra: Record<string, string>,
): void {
  h.buckets.forEach((le, i) => {
    lines.push(`${name}_bucket${labels({ ...extra, le: String(le) })} ${h.counts[i]}`);
  });
  lines.push(`${name}_bucket${labels({ ...extra, le: "+Inf" })} ${h.count}`);
  lines.push(`${name}_sum${labels(extra)} ${h.sum}`);
  lines.push(`${name}_count${labels(extra)} ${h.count}`);
}

/**
 * Counters and histograms for one server. Routes are the matched route patterns (not raw paths),
 * so a client cannot grow the label set without bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { ServerMetrics } from "./server_metrics.ts";
 * const m = new ServerMetrics();
 * m.recordRequest("/healthz", "GET", 200, 0.001);
 * m.recordBatch(3);
 * assert.ok(m.render().includes('digits_http_requests_total{route="/healthz",method="GET",status="200"} 1'));
 * ```
 */
export class ServerMetrics {
  #requests = new Map<string, { route: string; method: string; status: string; n: number }>();
  #errors = new Map<string, { route: string; status: string; n: number }>();
  #latency = new Map<string, Histogram>();
  #batches = newHistogram(BATCH_BUCKETS);
  #images = 0;
  #largest = 0;

  /** Records one finished request. */
  recordRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}\u0000${status}`;
    const entry = this.#requests.get(key) ??
      { route, method, status: String(status), n: 0 };
    entry.n++;
    this.#requests.set(key, entry);
    if (status >= 400) {
      const ekey = `${route}\u0000${status}`;
      const e = this.#errors.get(ekey) ?? { route, status: String(status), n: 0 };
      e.n++;
      this.#errors.set(ekey, e);
    }
    let h = this.#latency.get(route);
    if (h === undefined) this.#latency.set(route, h = newHistogram(LATENCY_BUCKETS));
    observe(h, seconds);
  }

  /** Records one model call of `size` images. */
  recordBatch(size: number): void {
    observe(this.#batches, size);
    this.#images += size;
    this.#largest = Math.max(this.#largest, size);
  }

  /** Batch sizes seen so far: model calls, images, and the largest call (tests, benchmark). */
  batchStats(): { calls: number; images: number; largest: number } {
    return { calls: this.#batches.count, images: this.#images, largest: this.#largest };
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    const lines: string[] = [];
    lines.push("# HELP digits_http_requests_total HTTP requests by route, method and status.");
    lines.push("# TYPE digits_http_requests_total counter");
    for (const r of this.#requests.values()) {
      lines.push(
        `digits_http_requests_total${
          labels({ route: r.route, method: r.method, status: r.status })
        } ${r.n}`,
      );
    }
    lines.push("# HELP digits_http_errors_total HTTP responses with status 400 or more.");
    lines.push("# TYPE digits_http_errors_total counter");
    for (const e of this.#errors.values()) {
      lines.push(`digits_http_errors_total${labels({ route: e.route, status: e.status })} ${e.n}`);
    }
    lines.push("# HELP digits_http_request_duration_seconds Request latency by route.");
    lines.push("# TYPE digits_http_request_duration_seconds histogram");
    for (const [route, h] of this.#latency) {
      renderHistogram(lines, "digits_http_request_duration_seconds", h, { route });
    }
    lines.push("# HELP digits_batch_size Images per model call (micro-batching).");
    lines.push("# TYPE digits_batch_size histogram");
    renderHistogram(lines, "digits_batch_size", this.#batches, {});
    lines.push("# HELP digits_images_predicted_total Images run through the model.");
    lines.push("# TYPE digits_images_predicted_total counter");
    lines.push(`digits_images_predicted_total ${this.#images}`);
    lines.push("# HELP process_resident_memory_bytes Resident set size of the server process.");
    lines.push("# TYPE process_resident_memory_bytes gauge");
    lines.push(`process_resident_memory_bytes ${Deno.memoryUsage().rss}`);
    return lines.join("\n") + "\n";
  }
}
