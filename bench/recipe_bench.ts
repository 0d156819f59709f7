/**
 * `deno task bench recipe`: the whole default recipe end to end. Each round runs bare
 * `deno task train` (its own process, into a temporary run folder, DIGITS_CACHE_DIR pointing at
 * the exported MNIST CSV so the cache is not rewritten) and bench/torch_recipe.py (PyTorch, the
 * same compact-cnn, recipe and augmentation on the same CSV files), alternating which goes first,
 * and reports each side's wall time (process start to exit) and MNIST test accuracy: the median
 * and min–max over the rounds (3 by default). `quick` trains one epoch on 1,000 rows per side, a
 * smoke test of the plumbing, not a figure. Prints figures; never passes or fails on time.
 * DIGITS_RECIPE_KEEP=DIR keeps the digits runs' folders instead of deleting them.
 */
import { join } from "node:path";
import { resolveCacheDir } from "../data/cache_dir.ts";
import { pathExists } from "../io/path_exists.ts";
import { _formatSystemInfo, _spread, _systemInfo } from "./_system_info.ts";
import { _torchVersions, PYTHON } from "./_torch_script.ts";

const ROUNDS = 3;
/** What `quick` passes to both sides. */
const QUICK = { epochs: 1, limit: 1000 };
const REPO = new URL("../", import.meta.url).pathname;

/** Options of {@linkcode runRecipeBench}. */
export interface RecipeBenchOptions {
  /** Interleaved rounds (default 3). */
  rounds?: number;
  /** One epoch on 1,000 rows per side: checks the plumbing in about a minute. */
  quick?: boolean;
  /** One JSON object per side instead of a table. */
  json?: boolean;
}

/** One round of one side. */
export interface RecipeSample {
  side: "digits" | "pytorch";
  wall_s: number;
  test_acc: number;
  /** The backend `deno task train` chose (digits only). */
  backend?: string;
}

/** Per side: wall time and test accuracy over the rounds. */
export interface RecipeRow {
  side: "digits" | "pytorch";
  rounds: number;
  wall_s: { median: number; min: number; max: number };
  test_acc: { median: number; min: number; max: number };
}

/**
 * Runs the recipe benchmark and returns one row per side.
 *
 * @example
 * ```ts ignore
 * const rows = await runRecipeBench({ quick: true, rounds: 1 });
 * ```
 */
export async function runRecipeBench(opts: RecipeBenchOptions = {}): Promise<RecipeRow[]> {
  const rounds = opts.rounds ?? ROUNDS;
  const log = (line: string) => opts.json || console.log(line);
  const cacheDir = Deno.env.get("DIGITS_CACHE_DIR") ?? (await resolveCacheDir());
  const dataDir = join(cacheDir, "mnist");
  await _requireExport(dataDir);
  const torch = await _torchVersions();
  _formatSystemInfo(await _systemInfo(typeof torch === "string" ? undefined : torch)).forEach(log);
  if (typeof torch === "string") throw new Error(`PyTorch cannot run: ${torch}`);
  log(
    `data: ${dataDir}${opts.quick ? ` (quick: ${QUICK.epochs} epoch, ${QUICK.limit} rows)` : ""}`,
  );
  const samples: RecipeSample[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so neither side always runs on a machine warmed (or heated) by the other.
    const sides = round % 2 ? ["pytorch", "digits"] as const : ["digits", "pytorch"] as const;
    for (const side of sides) {
      const sample = side === "digits"
        ? await _runDigits(cacheDir, opts.quick === true)
        : await _runTorch(dataDir, opts.quick === true);
      samples.push(sample);
      log(
        `round ${round}  ${side.padEnd(8)} ${sample.wall_s.toFixed(1)} s  ` +
          `test accuracy ${_pct(sample.test_acc)}` +
          (sample.backend === undefined ? "" : `  (backend ${sample.backend})`),
      );
    }
  }
  const rows = (["digits", "pytorch"] as const).map((side): RecipeRow => {
    const mine = samples.filter((s) => s.side === side);
    return {
      side,
      rounds,
      wall_s: _spread(mine.map((s) => s.wall_s)),
      test_acc: _spread(mine.map((s) => s.test_acc)),
    };
  });
  log("");
  for (const r of rows) {
    if (opts.json) console.log(JSON.stringify(r));
    log(
      `${r.side.padEnd(8)} wall ${r.wall_s.median.toFixed(1)} s (${r.wall_s.min.toFixed(1)}–` +
        `${r.wall_s.max.toFixed(1)})  test accuracy ${_pct(r.test_acc.median)} ` +
        `(${_pct(r.test_acc.min)}–${_pct(r.test_acc.max)})`,
    );
  }
  log(
    `digits / pytorch wall time: ${(rows[0]!.wall_s.median / rows[1]!.wall_s.median).toFixed(2)}×`,
  );
  return rows;
}

/** Bare `deno task train` into a temporary run folder; wall time and the manifest's test_acc. */
async function _runDigits(cacheDir: string, quick: boolean): Promise<RecipeSample> {
  const out = await Deno.makeTempDir({ prefix: "digits-recipe-" });
  try {
    const extra = quick ? ["--epochs", `${QUICK.epochs}`, "--limit", `${QUICK.limit}`] : [];
    const wall_s = await _timedRun(Deno.execPath(), ["task", "train", "--out", out, ...extra], {
      DIGITS_CACHE_DIR: cacheDir,
    }, "deno task train");
    const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json"))) as {
      metrics?: { final?: { test_acc?: number } };
      backend?: { name?: string };
    };
    const testAcc = manifest.metrics?.final?.test_acc;
    if (typeof testAcc !== "number") {
      throw new Error(`deno task train wrote no metrics.final.test_acc in ${out}/manifest.json`);
    }
    return {
      side: "digits",
      wall_s,
      test_acc: testAcc,
      ...(manifest.backend?.name === undefined ? {} : { backend: manifest.backend.name }),
    };
  } finally {
    // DIGITS_RECIPE_KEEP=DIR keeps each round's run folder (DIR/digits-<n>), e.g. to serve it.
    const keep = Deno.env.get("DIGITS_RECIPE_KEEP");
    if (keep === undefined) await Deno.remove(out, { recursive: true });
    else {
      await Deno.mkdir(keep, { recursive: true });
      let n = 1;
      while (await pathExists(join(keep, `digits-${n}`))) n++;
      await Deno.rename(out, join(keep, `digits-${n}`));
    }
  }
}

/** bench/torch_recipe.py on the same CSV files; wall time and its test_acc. */
async function _runTorch(dataDir: string, quick: boolean): Promise<RecipeSample> {
  const script = new URL("./torch_recipe.py", import.meta.url).pathname;
  const extra = quick ? ["--epochs", `${QUICK.epochs}`, "--limit", `${QUICK.limit}`] : [];
  let stdout = "";
  const wall_s = await _timedRun(
    PYTHON,
    [script, "--data", dataDir, ...extra],
    {},
    "bench/torch_recipe.py",
    (s) => (stdout = s),
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { test_acc: number };
  return { side: "pytorch", wall_s, test_acc: result.test_acc };
}

/** Runs a command in the repository root; its wall time in seconds, or an error with its tail. */
async function _timedRun(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  what: string,
  onStdout?: (s: string) => void,
): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    env,
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const wall = (performance.now() - t0) / 1000;
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const tail = (text + new TextDecoder().decode(out.stderr)).trim().split("\n").slice(-5);
    throw new Error(`${what} failed (exit ${out.code}):\n${tail.join("\n")}`);
  }
  onStdout?.(text);
  return wall;
}

/** Throws, saying what to run, unless `dir` holds the exported MNIST CSV files. */
async function _requireExport(dir: string): Promise<void> {
  try {
    await Deno.stat(join(dir, "test_labelled.csv"));
    await Deno.stat(join(dir, "train"));
  } catch {
    throw new Error(
      `no exported MNIST CSV in ${dir}: run \`deno task data\` once, or set DIGITS_CACHE_DIR ` +
        "to a folder whose mnist/ holds train/*.csv and test_labelled.csv",
    );
  }
}

function _pct(v: number): string {
  return `${(100 * v).toFixed(2)}%`;
}
