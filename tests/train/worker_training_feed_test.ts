import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Batch } from "../../pipeline/types.ts";
import { loadTrainingData } from "../../train/load_training_data.ts";
import { resolveConfig } from "../../train/resolve_config.ts";
import { inProcessFeed, type RowSetName } from "../../train/training_feed.ts";
import { _liveFeedWorkers, openWorkerFeed } from "../../train/worker_training_feed.ts";

const csv = (name: string) => fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
const bytes = (batches: Batch[]) =>
  batches.map((b) => [...new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength), ...b.y]);
const config = (values: Record<string, unknown>) =>
  resolveConfig({ flags: { test: "none", seed: 5, validSplit: 0.25, ...values } });

Deno.test("openWorkerFeed gives the same batches as the in-process feed, epoch by epoch", async () => {
  const cfg = config({ data: [csv("shards")], cycleLength: 2, blockLength: 2, shuffleFiles: true });
  const local = inProcessFeed(await loadTrainingData(cfg));
  const remote = await openWorkerFeed(cfg, 2);
  try {
    assert.deepEqual(remote.summary, local.summary);
    const augment = { rotation: 15, zoom: 0.1, contrast: 0.2 };
    for (
      const [set, epoch] of [["train", 0], ["train", 1], ["valid", 0]] as [RowSetName, number][]
    ) {
      const options = { batchSize: 3, shuffleBuffer: 100, seed: 5, epoch, augment };
      const a = await Array.fromAsync(local.batches(set, options));
      const b = await Array.fromAsync(remote.batches(set, options));
      assert.ok(a.length > 0);
      assert.deepEqual(bytes(b), bytes(a), `${set} epoch ${epoch}`);
    }
    assert.ok(remote.busySeconds()! > 0);
  } finally {
    remote.close();
  }
  assert.equal(_liveFeedWorkers(), 0);
});

Deno.test("openWorkerFeed passes a bad row's error back with its file, line, column and value", async () => {
  const err = await openWorkerFeed(config({ data: [csv("bad_pixel_range.csv")] })).then(
    () => assert.fail("expected an error"),
    (e: Error) => e,
  );
  assert.ok(err instanceof RangeError);
  assert.match(
    err.message,
    /bad_pixel_range\.csv line 3 column 4: expected a pixel in 0\.\.255 but got 256/,
  );
  assert.equal(_liveFeedWorkers(), 0);
});

Deno.test("openWorkerFeed: stopping a pass mid-way and closing leaves no Worker running", async () => {
  const dir = await Deno.makeTempDir();
  // 40 rows in one file, so a pass of batches of 2 has many batches to stop in the middle of.
  const rows = Array.from(
    { length: 40 },
    (_, i) => `${i % 10},${[0, 1, 2, 3].map((p) => (p * i) % 256).join(",")}`,
  );
  const file = join(dir, "rows.csv");
  await Deno.writeTextFile(file, `label,p0,p1,p2,p3\n${rows.join("\n")}\n`);
  const feed = await openWorkerFeed(config({ data: [file], validSplit: 0 }), 2);
  assert.equal(_liveFeedWorkers(), 1);
  let seen = 0;
  for await (const _ of feed.batches("train", { batchSize: 2, seed: 1 })) if (++seen === 3) break;
  // A new pass after a stopped one still works (the cancelled pass does not leak into it).
  const all = await Array.fromAsync(feed.batches("train", { batchSize: 2, seed: 1 }));
  assert.equal(all.reduce((n, b) => n + b.size, 0), 40);
  feed.close();
  assert.equal(_liveFeedWorkers(), 0);
  await Deno.remove(dirname(file), { recursive: true });
});

Deno.test("trainRun with the Worker feed fails with the bad row's file, line, column and value", async () => {
  const { trainRun } = await import("../../train/train_run.ts");
  const cfg = resolveConfig({
    preset: "quick",
    flags: {
      data: [csv("bad_pixel_range.csv")],
      test: "none",
      backend: "cpu",
      workerPrefetch: true,
    },
  });
  await assert.rejects(
    () => trainRun(cfg, { progress: "silent" }),
    (err: unknown) =>
      err instanceof RangeError &&
      /bad_pixel_range\.csv line 3 column 4: expected a pixel in 0\.\.255 but got 256/.test(
        err.message,
      ),
  );
  assert.equal(_liveFeedWorkers(), 0);
});

Deno.test("trainRun stopped mid-epoch with the Worker feed saves a checkpoint and leaves no Worker", async () => {
  const { trainRun } = await import("../../train/train_run.ts");
  const dir = await Deno.makeTempDir();
  const rows = Array.from(
    { length: 64 },
    (_, i) =>
      `${i % 2},${Array.from({ length: 16 }, (_, p) => (i % 2 ? p * 16 : 255 - p * 16)).join(",")}`,
  );
  const file = join(dir, "rows.csv");
  await Deno.writeTextFile(
    file,
    `label,${Array.from({ length: 16 }, (_, p) => `p${p}`).join(",")}\n${rows.join("\n")}\n`,
  );
  const controller = new AbortController();
  controller.abort(); // stops after the first batch, as Ctrl-C does
  const cfg = resolveConfig({
    preset: "quick",
    flags: {
      data: [file],
      test: "none",
      backend: "cpu",
      batchSize: 8,
      out: join(dir, "run"),
      workerPrefetch: true,
    },
  });
  const result = await trainRun(cfg, { progress: "silent", signal: controller.signal });
  assert.equal(result.interrupted, true);
  assert.equal(_liveFeedWorkers(), 0);
  const state = JSON.parse(await Deno.readTextFile(join(dir, "run", "train_state.json")));
  assert.equal(state.interrupted, true);
  await Deno.remove(dir, { recursive: true });
});
