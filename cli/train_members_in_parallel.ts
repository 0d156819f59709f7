/**
 * `deno task train --ensemble N --jobs P` (or `--folds K --jobs P`): trains the members in P child
 * processes at once (each `deno task train ... --member I --out DIR`), each with its share of the
 * cores for oneDNN and OpenBLAS, then merges them into one ensemble folder (the `--resume DIR`
 * merge). On 2 cores two one-thread members together train about 1.4× the images a second of one
 * two-thread member (Deotte's CNN, batch 64: 1,391–1,507 img/s against 1,010–1,078): oneDNN's
 * second thread buys less than a second process does.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { UsageError } from "../common/usage_error.ts";

/** What {@linkcode trainMembersInParallel} needs. */
export interface ParallelMembersOptions {
  /** The `train` arguments as given, without `--jobs`; `--member` and `--out` are added. */
  args: string[];
  /** How many members there are (`--ensemble N` or `--folds K`). */
  total: number;
  /** `member` or `fold`: the sub-folder prefix (`member_1`, …), for the printed prefix. */
  prefix: string;
  /** How many member processes run at once. */
  jobs: number;
  /** The ensemble folder every member trains into. */
  dir: string;
  /** Threads per member (`threadsPerJob`), unless the user set `OMP_NUM_THREADS` themselves. */
  threads: number;
  /** Where each member's output lines go, prefixed with `[member_I]`. */
  log: (line: string) => void;
  /** Aborting it sends SIGTERM to every member: each saves a checkpoint, and a rerun resumes. */
  signal?: AbortSignal;
}

/** How the members ended: the indices that failed (exit code ≠ 0), and whether it was stopped. */
export interface ParallelMembersResult {
  failed: { index: number; code: number; tail: string }[];
  interrupted: boolean;
}

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));

/**
 * The threads each of `jobs` member processes gets on `cores` cores (at least 1), as the
 * `OMP_NUM_THREADS`/`OPENBLAS_NUM_THREADS` every member's native backend reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { threadsPerJob } from "./train_members_in_parallel.ts";
 * assert.equal(threadsPerJob(2, 2), 1);
 * assert.equal(threadsPerJob(16, 3), 5);
 * assert.equal(threadsPerJob(2, 4), 1);
 * ```
 */
export function threadsPerJob(cores: number, jobs: number): number {
  return Math.max(1, Math.floor(cores / jobs));
}

/**
 * Trains every member in its own process, `jobs` at a time. Members that finished in an earlier
 * sitting say so and exit at once; a stopped member resumes from its checkpoint. Resolves once all
 * have exited; merging them is the caller's next step (only when none failed).
 */
export async function trainMembersInParallel(
  options: ParallelMembersOptions,
): Promise<ParallelMembersResult> {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) {
    throw new UsageError(`--jobs must be a whole number ≥ 1, not ${options.jobs}`, "train");
  }
  const threads = String(options.threads);
  const running = new Set<Deno.ChildProcess>();
  const onAbort = () => {
    for (const child of running) child.kill("SIGTERM");
  };
  options.signal?.addEventListener("abort", onAbort);
  const failed: ParallelMembersResult["failed"] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.total && !options.signal?.aborted) {
      const index = next++;
      const result = await _runMember(options, index, threads, running);
      if (result.code !== 0 && !options.signal?.aborted) failed.push({ index, ...result });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, options.total) }, worker));
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  return { failed, interrupted: options.signal?.aborted ?? false };
}

/** Runs member `index` to its exit, its output prefixed; resolves to its code and last lines. */
function _runMember(
  options: ParallelMembersOptions,
  index: number,
  threads: string,
  running: Set<Deno.ChildProcess>,
): Promise<{ code: number; tail: string }> {
  const env: Record<string, string> = {};
  // The user's own thread settings win; otherwise each member gets its share of the cores.
  for (const key of ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"]) {
    env[key] = Deno.env.get(key) ?? threads;
  }
  const args = [...options.args, "--member", String(index), "--out", options.dir];
  return _runTrain(args, env, `[${options.prefix}_${index + 1}] `, options.log, running);
}

/**
 * Merges the finished members in `dir` into one ensemble folder and writes its report: the same
 * `deno task train --resume DIR` a person runs after training members with `--member`, in its own
 * process. Resolves to its exit code.
 */
export async function mergeMembers(dir: string, log: (line: string) => void): Promise<number> {
  return (await _runTrain(["--resume", dir], {}, "", log, new Set())).code;
}

/** `deno run main.ts train ...args` to its exit, each output line through `log` with `prefix`. */
async function _runTrain(
  args: string[],
  env: Record<string, string>,
  prefix: string,
  log: (line: string) => void,
  running: Set<Deno.ChildProcess>,
): Promise<{ code: number; tail: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, MAIN, "train", ...args],
    env: { NO_COLOR: "1", ...env },
    // Its own process group: a Ctrl-C in the terminal reaches only this process, which sends
    // each member one SIGTERM (a second signal would make a member quit without its checkpoint).
    detached: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  running.add(child);
  const tail: string[] = [];
  const print = (line: string) => {
    tail.push(line);
    if (tail.length > 12) tail.shift();
    if (!_isConfigLine(line)) log(prefix + line);
  };
  try {
    await Promise.all([_lines(child.stdout, print), _lines(child.stderr, print)]);
    return { code: (await child.status).code, tail: tail.join("\n") };
  } finally {
    running.delete(child);
  }
}

/** The resolved-config block each child prints (the parent printed it once already). */
function _isConfigLine(line: string): boolean {
  return line === "resolved config:" || /^ {2}\w+ +=( |$)/.test(line);
}

/** Calls `each` with every line of `stream`. */
async function _lines(stream: ReadableStream<Uint8Array>, each: (line: string) => void) {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const line of parts) each(line);
  }
  if (rest !== "") each(rest);
}
