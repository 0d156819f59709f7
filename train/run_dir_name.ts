import { join } from "node:path";

/**
 * The default folder of a new run: `runs/<YYYYMMDD-HHMMSS>-<model>[-<suffix>]`, in local time
 * (`suffix` names a k-fold or ensemble run, e.g. `kfold5`).
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { runDirName } from "./run_dir_name.ts";
 * const at = new Date(2026, 0, 2, 3, 4, 5);
 * assert.equal(runDirName("compact-cnn", "", at), "runs/20260102-030405-compact-cnn");
 * assert.equal(runDirName("mlp", "kfold5", at), "runs/20260102-030405-mlp-kfold5");
 * ```
 */
export function runDirName(model: string, suffix = "", at: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-` +
    `${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return join("runs", `${stamp}-${model}${suffix ? `-${suffix}` : ""}`);
}
