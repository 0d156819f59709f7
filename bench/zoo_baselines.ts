/**
 * The `svm` and `knn` baselines on any labelled CSVs, before the training loop knows how to train
 * them: `svm` by gradient steps on its class scores with the Crammer–Singer hinge loss (Adam,
 * batch 64, a stratified 15% validation split picks the epoch), `knn` by storing the rows
 * (train/fit_knn.ts). Prints each model's test accuracy and wall time.
 *
 *   deno run -A bench/zoo_baselines.ts --data TRAIN.csv --test TEST.csv [format flags]
 *     [--epochs 100] [--lr 0.01] [--backend auto] [--out DIR]
 *
 * With --out, the models are saved as run folders DIR/svm and DIR/knn (hand-filled manifests)
 * that `deno task evaluate --model DIR/svm --data TEST.csv` reads.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { createSvm, svmScoresModel } from "../models/svm.ts";
import type { Manifest } from "../models/manifest.ts";
import { saveRun } from "../models/model_io.ts";
import type { CsvFormat, CsvFormatOptions } from "../pipeline/csv_format.ts";
import { readExamples } from "../pipeline/read_examples.ts";
import type { Example } from "../pipeline/types.ts";
import { categoricalHingeLoss } from "../train/categorical_hinge_loss.ts";
import { fitKnn } from "../train/fit_knn.ts";
import { stratifiedSplitIndices } from "../train/stratified_split_indices.ts";

/** The rows and what every step needs to know about them. */
interface _Data {
  train: Example[];
  test: Example[];
  inputShape: [number, number, number];
  numClasses: number;
  pixelMax: number;
  file: string;
  backend: { name: string; reason: string };
}

/** Trains and scores both baselines; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: "string" },
      test: { type: "string" },
      header: { type: "boolean" },
      "no-header": { type: "boolean" },
      "label-column": { type: "string" },
      "pixel-max": { type: "string" },
      epochs: { type: "string", default: "100" },
      lr: { type: "string", default: "0.01" },
      backend: { type: "string", default: "auto" },
      out: { type: "string" },
    },
  });
  if (values.data === undefined || values.test === undefined) {
    console.error("usage: deno run -A bench/zoo_baselines.ts --data TRAIN.csv --test TEST.csv");
    return 2;
  }
  const format: CsvFormatOptions = {};
  if (values["no-header"]) format.header = false;
  else if (values.header) format.header = true;
  if (values["label-column"] !== undefined) format.labelColumn = values["label-column"];
  if (values["pixel-max"] !== undefined) format.pixelMax = Number(values["pixel-max"]);
  const data = await _readData(values.data, values.test, format, values.backend);
  console.log(
    `${data.train.length} train rows, ${data.test.length} test rows, ` +
      `${data.inputShape.join("×")}, backend ${data.backend.name}`,
  );
  await _runSvm(data, Number(values.epochs), Number(values.lr), values.out);
  await _runKnn(data, values.out);
  return 0;
}

async function _readData(
  trainFile: string,
  testFile: string,
  format: CsvFormatOptions,
  backendName: string,
): Promise<_Data> {
  const backend = await selectBackend(backendName);
  let csv: CsvFormat | undefined;
  const read = async (file: string) => {
    const rows: Example[] = [];
    for await (const e of readExamples({ files: file, format, onFormat: (f) => (csv = f) })) {
      rows.push(e);
    }
    return rows;
  };
  const train = await read(trainFile);
  const test = await read(testFile);
  const side = Math.round(Math.sqrt(train[0]!.pixels.length));
  return {
    train,
    test,
    inputShape: [csv?.height ?? side, csv?.width ?? side, 1],
    numClasses: 10,
    pixelMax: csv?.pixelMax ?? 255,
    file: trainFile,
    backend,
  };
}

/** svm: hinge loss on the scores, the best epoch on a stratified 15% split. */
async function _runSvm(data: _Data, epochs: number, lr: number, out?: string): Promise<void> {
  const started = performance.now();
  const split = stratifiedSplitIndices(data.train.map((e) => e.label), 0.15, 1);
  const validRows = split.valid.map((i) => data.train[i]!);
  const model = createSvm({ inputShape: data.inputShape, numClasses: data.numClasses, seed: 1 });
  const scores = svmScoresModel(model);
  scores.compile({ optimizer: tf.train.adam(lr), loss: categoricalHingeLoss });
  const { x, y } = _tensors(data, split.train.map((i) => data.train[i]!));
  let best = { acc: -1, epoch: 0, weights: [] as tf.Tensor[] };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    await scores.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
    const acc = _accuracy(model, data, validRows);
    if (acc > best.acc) {
      tf.dispose(best.weights);
      best = { acc, epoch, weights: model.getWeights().map((w) => w.clone()) };
    }
  }
  model.setWeights(best.weights);
  tf.dispose([x, y, ...best.weights]);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `svm  test acc ${(_accuracy(model, data, data.test) * 100).toFixed(2)}%  ` +
      `${seconds.toFixed(1)} s  (epoch ${best.epoch} of ${epochs}, val acc ` +
      `${(best.acc * 100).toFixed(2)}%)`,
  );
  if (out) await saveRun(join(out, "svm"), model, _manifest(data, "svm"));
  model.dispose();
}

/** knn: store the rows, τ by leave-one-out. */
async function _runKnn(data: _Data, out?: string): Promise<void> {
  const started = performance.now();
  const fit = fitKnn(data.train, {
    inputShape: data.inputShape,
    numClasses: data.numClasses,
    seed: 1,
  });
  const acc = _accuracy(fit.model, data, data.test);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `knn  test acc ${(acc * 100).toFixed(2)}%  ${seconds.toFixed(1)} s  (${fit.rows} rows, ` +
      `τ ${fit.temperature.toPrecision(3)}, leave-one-out acc ` +
      `${(fit.looAccuracy * 100).toFixed(1)}%)`,
  );
  if (out) await saveRun(join(out, "knn"), fit.model, _manifest(data, "knn"));
  fit.model.dispose();
}

function _tensors(data: _Data, rows: Example[]): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.tensor4d(
      Float32Array.from(rows.flatMap((e) => Array.from(e.pixels)), (v) => v / 255),
      [rows.length, ...data.inputShape],
    ),
    y: tf.oneHot(tf.tensor1d(rows.map((e) => e.label), "int32"), data.numClasses) as tf.Tensor2D,
  }));
}

function _accuracy(model: tf.LayersModel, data: _Data, rows: Example[]): number {
  return tf.tidy(() => {
    const { x } = _tensors(data, rows);
    const predicted = (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    return rows.filter((e, i) => predicted[i] === e.label).length / rows.length;
  });
}

function _manifest(data: _Data, architecture: string): Manifest {
  return {
    formatVersion: 1,
    architecture,
    inputShape: data.inputShape,
    pixelMax: data.pixelMax,
    classes: Array.from({ length: data.numClasses }, (_, i) => String(i)),
    config: { note: "bench/zoo_baselines.ts" },
    data: { files: [data.file], rows: data.train.length, sha256: "" },
    metrics: { final: {}, best: {} },
    backend: data.backend,
    seed: 1,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "bench" },
    createdAt: new Date().toISOString(),
    epochsCompleted: 0,
  };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
