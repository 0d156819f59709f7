/**
 * The pipeline benchmark (`deno task bench pipeline`): rows/s and MB/s for read → parse → batch on
 * the Kaggle-format MNIST `train.csv` (60,000 rows, ~110 MB), the same with shuffling and
 * augmentation, in a Worker, peak RSS, a 10× larger file to show memory stays flat, and
 * `pandas.read_csv` on the same file when Python and pandas are installed. Prints figures; never
 * passes or fails on time.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { cpuUsage } from "node:process";
import { join } from "node:path";
import { ensureEmbeddedMnist } from "../data/embedded_mnist.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import { digitBatches } from "../pipeline/digit_batches.ts";
import { resolveConfig } from "../train/resolve_config.ts";
import { openWorkerFeed } from "../train/worker_training_feed.ts";

/** One printed figure. */
interface Measurement {
  name: string;
  rows: number;
  seconds: number;
  /** CPU seconds (user + system) of the same run: steadier than wall time on a busy machine. */
  cpuSeconds?: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb?: number;
  note?: string;
}

const AUGMENT = { rotation: 10, zoom: 0.1, widthShift: 0.1, heightShift: 0.1 };
const REPEATS = 3;
const PROBE = fileURLToPath(new URL("./_pipeline_read_probe.ts", import.meta.url));

/**
 * Runs the pipeline benchmark and prints one line (or one JSON object with `json`) per figure.
 *
 * @example
 * ```ts ignore
 * import { runPipelineBench } from "./pipeline_bench.ts";
 * await runPipelineBench({ json: false });
 * ```
 */
export async function runPipelineBench(options: { json?: boolean } = {}): Promise<void> {
  const json = options.json ?? false;
  const print = (m: Measurement) => {
    if (json) console.log(JSON.stringify({ bench: "pipeline", ...m }));
    else {
      const rss = m.peakRssMb === undefined ? "" : `  peak RSS ${m.peakRssMb.toFixed(0)} MB`;
      console.log(
        `${m.name.padEnd(52)} ${m.seconds.toFixed(2).padStart(6)} s${
          m.cpuSeconds === undefined ? "" : ` (cpu ${m.cpuSeconds.toFixed(2)} s)`
        }  ${(m.rowsPerSecond / 1000).toFixed(1).padStart(6)}k rows/s  ${
          m.mbPerSecond.toFixed(0).padStart(4)
        } MB/s${rss}${m.note ? `  ${m.note}` : ""}`,
      );
    }
  };
  const { trainFiles } = await ensureEmbeddedMnist({ shards: 1 });
  const file = trainFiles[0]!;
  const mb = (await Deno.stat(file)).size / 1e6;
  if (!json) {
    console.log(`pipeline benchmark: ${file} (${mb.toFixed(1)} MB), best of ${REPEATS}`);
    console.log(`(timings from a shared or busy machine vary; compare figures from one run)`);
  }
  // Peak RSS sampled every 5 ms while a measurement runs (reads yield to timers per buffer).
  let peak = 0;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 5);
  const measure = async (name: string, body: () => Promise<number>, repeats = REPEATS) => {
    let best = Infinity;
    let bestCpu = Infinity;
    let rows = 0;
    peak = Deno.memoryUsage().rss;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      const cpu = cpuUsage();
      rows = await body();
      const used = cpuUsage(cpu);
      best = Math.min(best, (performance.now() - started) / 1000);
      bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    }
    const m: Measurement = {
      name,
      rows,
      seconds: best,
      cpuSeconds: bestCpu,
      rowsPerSecond: rows / best,
      mbPerSecond: mb / best,
      peakRssMb: Math.max(peak, Deno.memoryUsage().rss) / 2 ** 20,
    };
    print(m);
    return m;
  };

  try {
    await runAll();
  } finally {
    clearInterval(timer);
  }

  async function runAll(): Promise<void> {
    const parse = await measure("read → parse", async () => {
      let rows = 0;
      for await (const _ of readExamples({ files: file })) rows++;
      return rows;
    });
    await measure("read → parse → batch (128)", async () => {
      let rows = 0;
      for await (
        const b of digitBatches({ examples: readExamples({ files: file }), batchSize: 128 })
      ) {
        rows += b.size;
      }
      return rows;
    });
    await measure("+ shuffle 10000 + augment", async () => {
      let rows = 0;
      const batches = digitBatches({
        examples: readExamples({ files: file }),
        batchSize: 128,
        shuffleBuffer: 10000,
        seed: 1,
        augment: AUGMENT,
      });
      for await (const b of batches) rows += b.size;
      return rows;
    }, 1);
    await measure("read → cache → batch in a Worker (training's feed)", async () => {
      let rows = 0;
      const config = resolveConfig({ flags: { data: [file], validSplit: 0, test: "none" } });
      const feed = await openWorkerFeed(config);
      try {
        for await (const b of feed.batches("train", { batchSize: 128 })) rows += b.size;
      } finally {
        feed.close();
      }
      return rows;
    });

    // Peak memory in fresh processes: the file as is, and ten times larger.
    const big = join(
      fileURLToPath(new URL("../data/cache/", import.meta.url)),
      "bench_train_x10.csv",
    );
    await writeRepeated(file, big, 10);
    try {
      const bigMb = (await Deno.stat(big)).size / 1e6;
      // Default V8 settings, then with the young generation capped: the default run's small rise
      // is V8 growing its young generation once (bounded), not memory that grows with the file.
      for (const v8Flags of [[], ["--max-semi-space-size=1"]]) {
        const one = await probe(file, v8Flags);
        const ten = await probe(big, v8Flags);
        const how = v8Flags.length === 0 ? "" : " (V8 young gen 1 MB)";
        print({
          name: `fresh process: read → parse, 1×${how}`,
          rows: one.rows,
          seconds: one.seconds,
          rowsPerSecond: one.rows / one.seconds,
          mbPerSecond: mb / one.seconds,
          peakRssMb: one.peakRssMb,
        });
        const rise = ten.peakRssMb - one.peakRssMb;
        print({
          name: `fresh process: read → parse, 10×${how}`,
          rows: ten.rows,
          seconds: ten.seconds,
          rowsPerSecond: ten.rows / ten.seconds,
          mbPerSecond: bigMb / ten.seconds,
          peakRssMb: ten.peakRssMb,
          note: `(${rise >= 0 ? "+" : ""}${rise.toFixed(1)} MB for 10× the rows)`,
        });
      }
    } finally {
      await Deno.remove(big).catch(() => {});
    }

    const pandas = await runPandas(file);
    if (pandas === null) {
      if (!json) console.log("pandas: not installed (apt-get install python3-pandas) — skipped");
      return;
    }
    for (const p of pandas.runs) {
      print({
        name: `pandas ${pandas.version} read_csv${p.dtype ? ` dtype=${p.dtype}` : ""}`,
        rows: p.rows,
        seconds: p.seconds,
        cpuSeconds: p.cpuSeconds,
        rowsPerSecond: p.rows / p.seconds,
        mbPerSecond: mb / p.seconds,
        peakRssMb: pandas.peakRssMb,
        note: `(read → parse is ${(p.seconds / parse.seconds).toFixed(1)}× faster in wall time, ${
          (p.cpuSeconds / parse.cpuSeconds!).toFixed(1)
        }× in CPU time)`,
      });
    }
  }
}

async function probe(
  file: string,
  v8Flags: string[],
): Promise<{ rows: number; seconds: number; peakRssMb: number }> {
  const flags = v8Flags.length === 0 ? [] : [`--v8-flags=${v8Flags.join(",")}`];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...flags, PROBE, file, "parse"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the read probe failed on ${file}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Writes `times` copies of `file`'s rows under one header (streamed, atomic not needed: scratch). */
async function writeRepeated(file: string, out: string, times: number): Promise<void> {
  const bytes = await Deno.readFile(file);
  const headerEnd = bytes.indexOf(10) + 1;
  using handle = await Deno.open(out, { write: true, create: true, truncate: true });
  await handle.write(bytes.subarray(0, headerEnd));
  for (let i = 0; i < times; i++) {
    let body = bytes.subarray(headerEnd);
    while (body.length > 0) body = body.subarray(await handle.write(body));
  }
}

const PANDAS_SCRIPT = `
import json, resource, sys, time
import pandas as pd
path = sys.argv[1]
runs = []
for dtype in (None, "uint8"):
    best = None
    best_cpu = None
    for _ in range(2):
        t = time.perf_counter()
        c = time.process_time()
        df = pd.read_csv(path, dtype=dtype) if dtype else pd.read_csv(path)
        s = time.perf_counter() - t
        cs = time.process_time() - c
        best = s if best is None else min(best, s)
        best_cpu = cs if best_cpu is None else min(best_cpu, cs)
        rows = len(df)
        del df
    runs.append({"dtype": dtype, "seconds": best, "cpuSeconds": best_cpu, "rows": rows})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"version": pd.__version__, "runs": runs, "peakRssMb": peak}))
`;

async function runPandas(file: string): Promise<
  {
    version: string;
    runs: { dtype: string | null; seconds: number; cpuSeconds: number; rows: number }[];
    peakRssMb: number;
  } | null
> {
  try {
    const check = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import pandas"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!check.success) return null;
  } catch {
    return null;
  }
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", PANDAS_SCRIPT, file],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) return null;
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
