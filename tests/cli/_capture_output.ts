import { runCli } from "../../cli/run_cli.ts";

/** What a command printed, and its exit code. */
export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs `fn` with console.log / console.error captured (restored afterwards). */
export async function captureOutput(fn: () => Promise<number>): Promise<Captured> {
  const [log, error] = [console.log, console.error];
  const out: string[] = [];
  const err: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { code: await fn(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** Runs the whole CLI (`main.ts` without `Deno.exit`) with its output captured. */
export function cli(args: string[]): Promise<Captured> {
  return captureOutput(() => runCli(args));
}
