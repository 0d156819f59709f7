/**
 * Small helpers every layer may use (no tfjs, no I/O): the usage error, the "did you mean"
 * suggestion, kebab-casing of config keys, the cross-entropy both training and the report
 * compute, and the calibration math (temperature scaling, confidence bins, ECE).
 *
 * @module
 */
export * from "./usage_error.ts";
export * from "./closest_name.ts";
export * from "./kebab_case.ts";
export * from "./log_loss.ts";
export * from "./apply_temperature.ts";
export * from "./fit_temperature.ts";
export * from "./reliability_bins.ts";
export * from "./expected_calibration_error.ts";
