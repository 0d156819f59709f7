/** Runs bench/torch_train_bench.py, the PyTorch side of the train benchmark (internal to bench/). */

/** Debian's Python, which has python3-torch (a pyenv or venv python on PATH may not). */
export const PYTHON = "/usr/bin/python3";

/** Runs bench/torch_train_bench.py; its JSON, or why it failed. */
export async function _python(args: string[]): Promise<Record<string, unknown> | string> {
  const script = new URL("./torch_train_bench.py", import.meta.url).pathname;
  try {
    const out = await new Deno.Command(PYTHON, {
      args: [script, ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
      return err.includes("No module named 'torch'")
        ? "not installed (apt-get install python3-torch); PyTorch columns left empty"
        : `failed: ${err}`;
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch (error) {
    return `${PYTHON} could not run (${(error as Error).message})`;
  }
}

/** PyTorch's and its oneDNN's versions, or why PyTorch cannot run. */
export async function _torchVersions(): Promise<Record<string, string> | string> {
  const out = await _python(["versions"]);
  if (typeof out === "string") return out;
  return { torch: String(out.torch), "oneDNN (torch)": String(out.onednn) };
}
