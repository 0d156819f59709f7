/**
 * The model zoo and the saved-model format. Factories take plain config ({@link ModelConfig}) and
 * build nothing at import; `createModel(name, config)` resolves `auto` and checks the input size;
 * `saveRun`/`loadRun` read and write self-describing run folders.
 *
 * @module
 */
export * from "./model_config.ts";
export * from "./model_zoo.ts";
export * from "./create_model.ts";
export * from "./list_models.ts";
export * from "./manifest.ts";
export * from "./model_io.ts";
export * from "./kaggle_cnn.ts";
export * from "./wide_cnn.ts";
export * from "./simple_cnn.ts";
export * from "./small_cnn.ts";
export * from "./small_cnn_ref.ts";
export * from "./tiny_cnn.ts";
export * from "./deotte_cnn.ts";
export * from "./compact_cnn.ts";
export * from "./logreg.ts";
export * from "./mlp.ts";
export * from "./batch_normalization.ts";
export * from "./conv2d.ts";
export * from "./dropout.ts";
export * from "./l2_regularizer.ts";
export * from "./simple_5x5_cnn.ts";
export * from "./svm.ts";
export * from "./knn.ts";
export * from "./store_knn_rows.ts";
export * from "./digits8_cnn.ts";
