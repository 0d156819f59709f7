import assert from "node:assert/strict";
import { readIdx } from "../../data/read_idx.ts";
import { MNIST_IDX_DIR } from "../../data/write_mnist_csvs.ts";

Deno.test("readIdx reads the embedded MNIST: 60,000 training images, first label 5", async () => {
  const images = await readIdx(new URL("train-images-idx3-ubyte", MNIST_IDX_DIR), "images");
  const labels = await readIdx(new URL("train-labels-idx1-ubyte", MNIST_IDX_DIR), "labels");
  assert.deepEqual(images.dims, [60000, 28, 28]);
  assert.equal(images.data.length, 60000 * 784);
  assert.deepEqual(labels.dims, [60000]);
  assert.equal(labels.data[0], 5);
  const test = await readIdx(new URL("t10k-labels-idx1-ubyte", MNIST_IDX_DIR), "labels");
  assert.equal(test.dims[0], 10000);
});

Deno.test("readIdx checks the magic number and the size", async () => {
  const labels = new URL("train-labels-idx1-ubyte", MNIST_IDX_DIR);
  await assert.rejects(
    readIdx(labels, "images"),
    (err: Error) =>
      err instanceof TypeError &&
      /expected IDX magic number 2051 \(images\) but got 2049/.test(err.message),
  );
  const path = await Deno.makeTempFile();
  await Deno.writeFile(path, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]));
  await assert.rejects(readIdx(path, "labels"), /dimensions 5 need 13 bytes but the file has 10/);
  await Deno.remove(path);
});
