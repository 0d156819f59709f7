/**
 * Training: the config (plain data, presets, typed flags), the loop (`trainRun`), its callbacks
 * (EarlyStopping, ReduceLROnPlateau, optimizer switch, schedules), checkpoints and progress, the
 * temperature fit after training (`fit_calibration.ts`). `cross_validate.ts` builds k-fold and
 * ensembles on `trainRun`, in one process or one member per process (`ensemble_members.ts`). No report/ or predict/ here: the
 * CLI writes the report after a run.
 *
 * @module
 */
export * from "./config.ts";
export * from "./presets.ts";
export * from "./resolve_config.ts";
export * from "./train_run.ts";
export * from "./load_training_data.ts";
export * from "./split_examples.ts";
export * from "./fold_splits.ts";
export * from "./bagging_splits.ts";
export * from "./run_dir_name.ts";
export * from "./batch_tensors.ts";
export * from "./data_fingerprint.ts";
export * from "./create_optimizer.ts";
export * from "./learning_rate_at.ts";
export * from "./metric_monitor.ts";
export * from "./early_stopping.ts";
export * from "./reduce_lr_on_plateau.ts";
export * from "./optimizer_switch.ts";
export * from "./evaluate_examples.ts";
export * from "./checkpoint.ts";
export * from "./progress_reporter.ts";
export * from "./cross_validate.ts";
export * from "./ensemble_members.ts";
export * from "./fit_calibration.ts";
export * from "./training_feed.ts";
export * from "./worker_training_feed.ts";
