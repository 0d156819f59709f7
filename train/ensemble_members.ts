/**
 * The files that let the members of a k-fold or ensemble run train in separate processes against
 * one shared folder (`deno task train --ensemble N --member I --out DIR`, a Kubernetes Indexed
 * Job) and be merged afterwards (`deno task train --resume DIR`): each member writes only its own
 * sub-folder, ending with `member_result.json`; the merge checks that every member is there and
 * was trained with the same config.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { pathExists } from "../io/path_exists.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import type { TrainConfig } from "./config.ts";

/** Written into a member's folder when it has finished: its figures. */
export const MEMBER_RESULT_JSON = "member_result.json";

/** One trained member and its figures. */
export interface MemberResult {
  /** Sub-folder of the ensemble folder, e.g. `fold_1` or `member_3`. */
  name: string;
  trainRows: number;
  validRows: number;
  val_loss: number;
  val_acc: number;
  test_acc?: number;
}

/** Config keys that only change what is printed or where: members may differ in them. */
const DISPLAY_KEYS = new Set(["json", "out"]);

/** The config member `index` of `config`'s run trains with (its own seed, no folds). */
export function memberConfig(config: TrainConfig, index: number, memberDir: string): TrainConfig {
  return { ...config, folds: 0, ensemble: 0, out: memberDir, seed: config.seed + index };
}

/**
 * The first config key whose value differs between `a` and `b` (display keys aside), as
 * `"lr 0.001 in A, 0.01 in B"`, or null when they agree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configDifference } from "./ensemble_members.ts";
 * assert.equal(configDifference({ lr: 1, json: true }, { lr: 1, json: false }, "a", "b"), null);
 * assert.equal(configDifference({ lr: 1 }, { lr: 2 }, "a", "b"), "lr is 1 in a but 2 in b");
 * ```
 */
export function configDifference(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  aName: string,
  bName: string,
): string | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    if (DISPLAY_KEYS.has(key)) continue;
    const [x, y] = [JSON.stringify(a[key]), JSON.stringify(b[key])];
    if (x !== y) return `${key} is ${x ?? "unset"} in ${aName} but ${y ?? "unset"} in ${bName}`;
  }
  return null;
}

/** Saves a finished member's figures into its folder (the last file a member writes). */
export async function writeMemberResult(memberDir: string, result: MemberResult): Promise<void> {
  await writeFileAtomic(
    join(memberDir, MEMBER_RESULT_JSON),
    JSON.stringify(result, null, 2) + "\n",
  );
}

/** A member folder's `member_result.json`, or undefined when the member has not finished. */
export async function readMemberResult(memberDir: string): Promise<MemberResult | undefined> {
  const path = join(memberDir, MEMBER_RESULT_JSON);
  if (!await pathExists(path)) return undefined;
  return await readJsonFile<MemberResult>(path, {
    invalid: () => new SyntaxError(`${path} is not valid JSON; retrain that member`),
  });
}

/**
 * Checks that a merge can complete the ensemble in `dir`: every member (`names`, in order) has
 * finished, and each was trained with `config` (its own seed aside). Returns their results;
 * throws an `Error` naming the missing or unfinished members and the command that trains each,
 * or the member and the key whose config differs.
 */
export async function checkMembersForMerge(
  dir: string,
  config: TrainConfig,
  names: string[],
  trainCommand: (index: number) => string,
): Promise<MemberResult[]> {
  const results: MemberResult[] = [];
  const missing: string[] = [];
  for (const [index, name] of names.entries()) {
    const memberDir = join(dir, name);
    const result = await readMemberResult(memberDir);
    if (result === undefined) {
      const state = await pathExists(join(memberDir, "train_state.json"))
        ? "unfinished"
        : "not trained";
      missing.push(`  ${name} (${state}): ${trainCommand(index)}`);
      continue;
    }
    await _checkMemberConfig(dir, config, memberDir, index);
    results.push(result);
  }
  if (missing.length > 0) {
    throw new Error(
      `cannot merge ${dir}: ${missing.length} of ${names.length} members are missing; ` +
        `train them first (or rerun a failed one the same way, which resumes it):\n` +
        missing.join("\n"),
    );
  }
  return results;
}

/** Throws when the member in `memberDir` was not trained with `config`. */
async function _checkMemberConfig(
  dir: string,
  config: TrainConfig,
  memberDir: string,
  index: number,
): Promise<void> {
  const path = join(memberDir, "manifest.json");
  const manifest = await readJsonFile<{ config: Record<string, unknown> }>(path);
  const expected = memberConfig(config, index, memberDir) as unknown as Record<string, unknown>;
  const diff = configDifference(manifest.config, expected, path, join(dir, "train_config.json"));
  if (diff !== null) {
    throw new Error(
      `cannot merge ${dir}: its members were trained with different configs (${diff}); ` +
        `retrain that member with the ensemble's config`,
    );
  }
}
