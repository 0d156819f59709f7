import { join } from "node:path";

/** One epoch of training history as the report draws it (the fields of `train/`'s EpochRecord). */
export interface HistoryEpoch {
  epoch: number;
  loss?: number;
  acc?: number;
  val_loss?: number;
  val_acc?: number;
  lr?: number;
}

const KEYS: Record<string, keyof HistoryEpoch> = {
  loss: "loss",
  acc: "acc",
  accuracy: "acc",
  val_loss: "val_loss",
  val_acc: "val_acc",
  val_accuracy: "val_acc",
  lr: "lr",
  learningRate: "lr",
  learning_rate: "lr",
};

/**
 * Reads `history.json` of a run folder (an array of epoch records, `{epochs: [...]}`, or Keras'
 * `{loss: [...], acc: [...]}` columns) into epoch rows. An ensemble folder shows its first
 * member's history. A missing file gives an empty history, so a report still renders for a model
 * trained elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { readHistory } from "./read_history.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/history.json`, JSON.stringify([{ epoch: 1, loss: 0.3, acc: 0.9, lr: 1e-3 }]));
 * assert.ok((await readHistory(dir))[0]!.acc === 0.9);
 * ```
 */
export async function readHistory(runDir: string): Promise<HistoryEpoch[]> {
  const path = join(runDir, "history.json");
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return await firstMemberHistory(runDir);
    throw new SyntaxError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  let rows: Record<string, unknown>[];
  if (Array.isArray(json)) rows = json;
  else if (
    json && typeof json === "object" && Array.isArray((json as { epochs?: unknown }).epochs)
  ) {
    rows = (json as { epochs: Record<string, unknown>[] }).epochs;
  } else if (json && typeof json === "object") {
    const columns = json as Record<string, unknown>;
    const length = Math.max(
      0,
      ...Object.values(columns).map((v) => (Array.isArray(v) ? v.length : 0)),
    );
    rows = Array.from({ length }, (_, i) => {
      const row: Record<string, unknown> = { epoch: i + 1 };
      for (const [k, v] of Object.entries(columns)) if (Array.isArray(v)) row[k] = v[i];
      return row;
    });
  } else {
    throw new TypeError(`${path} holds no epoch records`);
  }
  return rows.map((row, i) => {
    const epoch: HistoryEpoch = { epoch: typeof row.epoch === "number" ? row.epoch : i + 1 };
    for (const [k, v] of Object.entries(row)) {
      const key = KEYS[k];
      if (key && typeof v === "number" && Number.isFinite(v)) epoch[key] = v;
    }
    return epoch;
  });
}

async function firstMemberHistory(dir: string): Promise<HistoryEpoch[]> {
  let members: unknown;
  try {
    members =
      (JSON.parse(await Deno.readTextFile(join(dir, "ensemble.json"))) as { members?: unknown })
        .members;
  } catch {
    return [];
  }
  const first = Array.isArray(members) ? members[0] : undefined;
  return typeof first === "string" ? await readHistory(join(dir, first)) : [];
}
