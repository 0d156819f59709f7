import { ensureEmbeddedMnist } from "../../data/embedded_mnist.ts";
import { readExamples } from "../../pipeline/read_examples.ts";
import type { Example } from "../../pipeline/types.ts";

/** The first `train` rows of the embedded MNIST training set and the first `test` test rows. */
export async function mnistSlice(train: number, test: number): Promise<{
  train: Example[];
  test: Example[];
}> {
  const mnist = await ensureEmbeddedMnist();
  const take = async (files: string[], n: number) => {
    const out: Example[] = [];
    for await (const e of readExamples({ files })) {
      out.push(e);
      if (out.length >= n) break;
    }
    return out;
  };
  return {
    train: await take(mnist.trainFiles, train),
    test: await take([mnist.testLabelledFile], test),
  };
}
