import { parseArgs } from "node:util";
import { closestName } from "../common/closest_name.ts";
import { UsageError } from "../common/usage_error.ts";

/** One option of a command: its type, an optional short alias and default, and whether it repeats. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  default?: string | boolean | string[] | boolean[];
}

/** Parsed flags: strings, booleans or repeated strings, keyed by long option name. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Parses `args` strictly: an unknown option is a `UsageError` that names it and suggests the
 * closest known one ("unknown option --bach-size (did you mean --batch-size?)").
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { parseFlags } from "./parse_flags.ts";
 * const { values } = parseFlags(["--epochs", "3"], { epochs: { type: "string" } }, "train");
 * assert.ok(values.epochs === "3");
 * ```
 */
export function parseFlags(
  args: string[],
  spec: Record<string, FlagSpec>,
  command: string,
  options: { positionals?: boolean } = {},
): { values: FlagValues; positionals: string[] } {
  const known = Object.keys(spec);
  // parseArgs treats --no-x as unknown unless declared; every boolean gets its negation.
  try {
    const parsed = parseArgs({
      args,
      options: spec as never,
      strict: true,
      allowPositionals: options.positionals ?? false,
      allowNegative: true,
    });
    return { values: parsed.values as FlagValues, positionals: parsed.positionals };
  } catch (err) {
    throw new UsageError(explainParseError(err, known), command);
  }
}

function explainParseError(err: unknown, known: string[]): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const name = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1] ?? message;
    const bare = name.replace(/^-+/, "").split("=")[0] ?? "";
    const guess = closestName(bare, known);
    return `unknown option ${name.startsWith("-") ? name : `--${bare}`}` +
      (guess ? ` (did you mean --${guess}?)` : "");
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const value = /'([^']+)'/.exec(message)?.[1] ?? "";
    return `unexpected argument '${value}'`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return message.replace(/^Option '([^']+)'.*argument missing$/, "option $1 needs a value");
  }
  return message;
}

/** Reads a string flag, or `undefined` when absent. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** Reads a repeated string flag as a list (empty when absent). */
export function stringListFlag(values: FlagValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** Reads a number flag; a value that is not a number in range is a `UsageError` naming it. */
export function numberFlag(
  values: FlagValues,
  name: string,
  command: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const kind = range.integer ? "an integer" : "a number";
  if (raw.trim() === "" || !Number.isFinite(n) || (range.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${kind}, got '${raw}'`, command);
  }
  if (range.min !== undefined && n < range.min) {
    throw new UsageError(`--${name} must be at least ${range.min}, got ${raw}`, command);
  }
  if (range.max !== undefined && n > range.max) {
    throw new UsageError(`--${name} must be at most ${range.max}, got ${raw}`, command);
  }
  return n;
}
