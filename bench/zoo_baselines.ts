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

  const backend = await selectBackend(values.backend);
  let csv: CsvFormat | undefined;
  const read = async (file: string) => {
    const rows: Example[] = [];
    for await (const e of readExamples({ files: file, format, onFormat: (f) => (csv = f) })) {
      rows.push(e);
    }
    return rows;
  };
  const train = await read(values.data);
  const test = await read(values.test);
  const side = Math.round(Math.sqrt(train[0]!.pixels.length));
  const inputShape: [number, number, number] = [csv?.height ?? side, csv?.width ?? side, 1];
  const numClasses = 10;
  console.log(
    `${train.length} train rows, ${test.length} test rows, ${inputShape.join("×")}, backend ` +
      backend.name,
  );

  const tensors = (rows: Example[]) =>
    tf.tidy(() => ({
      x: tf.tensor4d(
        Float32Array.from(rows.flatMap((e) => Array.from(e.pixels)), (v) => v / 255),
        [rows.length, ...inputShape],
      ),
      y: tf.oneHot(tf.tensor1d(rows.map((e) => e.label), "int32"), numClasses),
    }));
  const accuracy = (model: tf.LayersModel, rows: Example[]) =>
    tf.tidy(() => {
      const { x } = tensors(rows);
      const predicted = (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
      return rows.filter((e, i) => predicted[i] === e.label).length / rows.length;
    });
  const manifest = (architecture: string): Manifest => ({
    formatVersion: 1,
    architecture,
    inputShape,
    pixelMax: csv?.pixelMax ?? 255,
    classes: Array.from({ length: numClasses }, (_, i) => String(i)),
    config: { note: "bench/zoo_baselines.ts" },
    data: { files: [values.data!], rows: train.length, sha256: "" },
    metrics: { final: {}, best: {} },
    backend,
    seed: 1,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "bench" },
    createdAt: new Date().toISOString(),
    epochsCompleted: 0,
  });

  // svm: hinge loss on the scores, best epoch on a stratified 15% split.
  {
    const started = performance.now();
    const split = stratifiedSplitIndices(train.map((e) => e.label), 0.15, 1);
    const fitRows = split.train.map((i) => train[i]!);
    const validRows = split.valid.map((i) => train[i]!);
    const model = createSvm({ inputShape, numClasses, seed: 1 });
    const scores = svmScoresModel(model);
    scores.compile({ optimizer: tf.train.adam(Number(values.lr)), loss: categoricalHingeLoss });
    const { x, y } = tensors(fitRows);
    let best = { acc: -1, epoch: 0, weights: [] as tf.Tensor[] };
    for (let epoch = 1; epoch <= Number(values.epochs); epoch++) {
      await scores.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
      const acc = accuracy(model, validRows);
      if (acc > best.acc) {
        tf.dispose(best.weights);
        best = { acc, epoch, weights: model.getWeights().map((w) => w.clone()) };
      }
    }
    model.setWeights(best.weights);
    tf.dispose([x, y, ...best.weights]);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `svm  test acc ${(accuracy(model, test) * 100).toFixed(2)}%  ${seconds.toFixed(1)} s  ` +
        `(epoch ${best.epoch} of ${values.epochs}, val acc ${(best.acc * 100).toFixed(2)}%)`,
    );
    if (values.out) await saveRun(join(values.out, "svm"), model, manifest("svm"));
    model.dispose();
  }

  // knn: store the rows, τ by leave-one-out.
  {
    const started = performance.now();
    const fit = fitKnn(train, { inputShape, numClasses, seed: 1 });
    const acc = accuracy(fit.model, test);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `knn  test acc ${(acc * 100).toFixed(2)}%  ${seconds.toFixed(1)} s  (${fit.rows} rows, ` +
        `τ ${fit.temperature.toPrecision(3)}, leave-one-out acc ${
          (fit.looAccuracy * 100).toFixed(1)
        }%)`,
    );
    if (values.out) await saveRun(join(values.out, "knn"), fit.model, manifest("knn"));
    fit.model.dispose();
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
