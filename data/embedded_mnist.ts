import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_write.ts";
import { resolveCacheDir } from "./cache_dir.ts";
import { type MnistCsvFiles, mnistCsvPaths, writeMnistCsvs } from "./write_mnist_csvs.ts";

/** Default number of training shards in the cache (read interleaved by the pipeline). */
export const DEFAULT_TRAIN_SHARDS = 10;

const MARKER = "ready.json";
const CACHE_VERSION = 2;

/**
 * The embedded MNIST as Kaggle-format CSVs, written once under `data/cache/mnist/` (or
 * `data/cache/mnist_<N>shards/` for another shard count) and reused afterwards. The cache folder
 * is `resolveCacheDir()`'s: `DIGITS_CACHE_DIR`, else `data/cache/`, else `~/.cache/digits` (a
 * compiled binary). Safe for
 * concurrent callers (parallel tests): every file is written under a temporary name and renamed,
 * and the `ready.json` marker is written last.
 *
 * @example
 * ```ts ignore
 * import { ensureEmbeddedMnist } from "./embedded_mnist.ts";
 * const { trainFiles, testFile } = await ensureEmbeddedMnist();
 * console.log(trainFiles.length, testFile); // 10 .../data/cache/mnist/test.csv
 * ```
 */
export async function ensureEmbeddedMnist(
  options: { shards?: number; dir?: string } = {},
): Promise<MnistCsvFiles> {
  const shards = options.shards ?? DEFAULT_TRAIN_SHARDS;
  const dir = options.dir ??
    join(
      await resolveCacheDir(),
      shards === DEFAULT_TRAIN_SHARDS ? "mnist" : `mnist_${shards}shards`,
    );
  const marker = join(dir, MARKER);
  try {
    const ready = JSON.parse(await Deno.readTextFile(marker)) as {
      version: number;
      shards: number;
    };
    if (ready.version === CACHE_VERSION && ready.shards === shards) {
      return mnistCsvPaths(dir, shards);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound) && !(err instanceof SyntaxError)) throw err;
  }
  const files = await writeMnistCsvs({ out: dir, shards });
  await writeFileAtomic(
    marker,
    JSON.stringify({ version: CACHE_VERSION, shards, trainRows: 60000, testRows: 10000 }) + "\n",
  );
  return files;
}
