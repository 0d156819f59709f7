/**
 * Small helpers every layer may use (no tfjs, no I/O): the usage error, the "did you mean"
 * suggestion, kebab-casing of config keys, the cross-entropy both training and the report
 * compute.
 *
 * @module
 */
export * from "./usage_error.ts";
export * from "./closest_name.ts";
export * from "./kebab_case.ts";
export * from "./log_loss.ts";
