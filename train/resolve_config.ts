import { closestName } from "../common/closest_name.ts";
import { kebabCase as kebab } from "../common/kebab_case.ts";
import { UsageError } from "../common/usage_error.ts";
import {
  AUGMENT_PRESETS,
  CONFIG_FIELDS,
  type ConfigField,
  DEFAULT_CONFIG,
  type TrainConfig,
} from "./config.ts";
import { PRESETS } from "./presets.ts";

/** Where config values come from, lowest priority first after the defaults. */
export interface ConfigSources {
  /** `--preset NAME` (default: "default"). */
  preset?: string;
  /** A parsed `--config FILE.json` and its path (for messages). */
  file?: { path: string; values: unknown };
  /** Values from flags, keyed by config key (camelCase); strings are parsed and checked. */
  flags?: Record<string, unknown>;
}

/**
 * Lays defaults ← preset ← config file ← flags over each other and type-checks every value. An
 * unknown key, a value of the wrong type or out of range is a `UsageError` that names it and where
 * it came from ("config.json: unknown key 'bachSize' (did you mean 'batchSize'?)"). An `augment`
 * preset expands into the six augmentation values of the same layer; explicit values win.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { resolveConfig } from "./resolve_config.ts";
 * const config = resolveConfig({ preset: "quick", flags: { epochs: "3" } });
 * assert.ok(config.epochs === 3 && config.model === "mlp");
 * ```
 */
export function resolveConfig(sources: ConfigSources = {}): TrainConfig {
  const presetName = sources.preset ?? "default";
  const preset = PRESETS[presetName];
  if (preset === undefined) {
    throw new UsageError(
      `unknown preset '${presetName}': expected one of ${Object.keys(PRESETS).join(", ")}`,
      "train",
    );
  }
  let config: TrainConfig = { ...DEFAULT_CONFIG, data: [...DEFAULT_CONFIG.data] };
  config = overlay(config, checkLayer(preset, (key) => `preset '${presetName}': ${key}`));
  if (sources.file !== undefined) {
    const { path, values } = sources.file;
    if (typeof values !== "object" || values === null || Array.isArray(values)) {
      throw new UsageError(`${path}: expected a JSON object of config keys`, "train");
    }
    config = overlay(
      config,
      checkLayer(values as Record<string, unknown>, (key) => `${path}: ${key}`),
    );
  }
  if (sources.flags !== undefined) {
    config = overlay(config, checkLayer(sources.flags, (key) => `--${kebab(key)}`));
  }
  return config;
}

function overlay(config: TrainConfig, layer: Partial<TrainConfig>): TrainConfig {
  const augment = layer.augment === undefined ? {} : AUGMENT_PRESETS[layer.augment];
  const explicit = Object.fromEntries(
    Object.entries(layer).filter(([, v]) => v !== undefined),
  ) as Partial<TrainConfig>;
  return { ...config, ...augment, ...explicit };
}

/** Checks every key and value of one layer; `where(key)` names its origin in messages. */
function checkLayer(
  values: Readonly<Record<string, unknown>>,
  where: (key: string) => string,
): Partial<TrainConfig> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, raw] of Object.entries(values)) {
    if (raw === undefined) continue;
    const key = camel(rawKey);
    const field = (CONFIG_FIELDS as Record<string, ConfigField>)[key];
    if (field === undefined) {
      const guess = closestName(key, Object.keys(CONFIG_FIELDS));
      const origin = where(rawKey).replace(/: [^:]*$/, "");
      const shown = origin.startsWith("--") ? `option ${origin}` : `${origin}: key '${rawKey}'`;
      throw new UsageError(
        `unknown ${shown}` + (guess ? ` (did you mean '${guess}'?)` : ""),
        "train",
      );
    }
    out[key] = parseValue(field, raw, where(rawKey));
  }
  if (out.augment !== undefined && AUGMENT_PRESETS[out.augment as string] === undefined) {
    throw new UsageError(`${where("augment")}: unknown augmentation preset`, "train");
  }
  return out as Partial<TrainConfig>;
}

/** Parses (from a flag string) and checks (from JSON) one value against its field. */
function parseValue(field: ConfigField, raw: unknown, where: string): unknown {
  const fail = (expected: string): never => {
    throw new UsageError(`${where} must be ${expected}, got ${JSON.stringify(raw)}`, "train");
  };
  switch (field.type) {
    case "integer":
    case "number": {
      const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      const kind = field.type === "integer" ? "an integer" : "a number";
      if (typeof n !== "number" || !Number.isFinite(n)) return fail(kind);
      if (field.type === "integer" && !Number.isInteger(n)) return fail(kind);
      if (field.min !== undefined && n < field.min) return fail(`${kind} ≥ ${field.min}`);
      if (field.max !== undefined && n > field.max) return fail(`${kind} ≤ ${field.max}`);
      return n;
    }
    case "boolean":
    case "optional-boolean": {
      if (raw === null && field.type === "optional-boolean") return null;
      if (typeof raw === "boolean") return raw;
      if (raw === "true") return true;
      if (raw === "false") return false;
      return fail("true or false");
    }
    case "string": {
      const s = typeof raw === "number" ? String(raw) : raw;
      if (typeof s !== "string") return fail("a string");
      if (field.choices !== undefined && !field.choices.includes(s)) {
        return fail(`one of ${field.choices.join(", ")}`);
      }
      return s;
    }
    case "strings": {
      const list = typeof raw === "string" ? [raw] : raw;
      if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) {
        return fail("a list of strings");
      }
      return [...list];
    }
  }
}

/** `batch-size` → `batchSize` (config files may use either spelling). */
function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
