import assert from "node:assert/strict";
import { UsageError } from "../../cli/errors.ts";
import { CONFIG_FIELDS, DEFAULT_CONFIG } from "../../train/config.ts";
import { PRESETS } from "../../train/presets.ts";
import { resolveConfig } from "../../train/resolve_config.ts";

Deno.test("resolveConfig lays defaults, the default preset, a file and flags in order", () => {
  const config = resolveConfig({
    file: { path: "c.json", values: { epochs: 7, batchSize: 32, lr: 0.01 } },
    flags: { epochs: "9" },
  });
  assert.equal(config.epochs, 9); // flag beats file
  assert.equal(config.batchSize, 32); // file beats preset
  assert.equal(config.lr, 0.01);
  assert.equal(config.schedule, PRESETS.default!.schedule); // preset beats defaults
  assert.equal(config.momentum, DEFAULT_CONFIG.momentum);
});

Deno.test("resolveConfig covers every key and every preset names only known keys", () => {
  const config = resolveConfig();
  assert.deepEqual(Object.keys(config).sort(), Object.keys(CONFIG_FIELDS).sort());
  for (const name of Object.keys(PRESETS)) resolveConfig({ preset: name });
});

Deno.test("resolveConfig rejects an unknown file key and suggests the closest one", () => {
  assert.throws(
    () => resolveConfig({ file: { path: "run.json", values: { bachSize: 3 } } }),
    (err: unknown) =>
      err instanceof UsageError &&
      err.message === "unknown run.json: key 'bachSize' (did you mean 'batchSize'?)",
  );
});

Deno.test("resolveConfig accepts kebab-case keys in files", () => {
  const config = resolveConfig({ file: { path: "c.json", values: { "batch-size": 16 } } });
  assert.equal(config.batchSize, 16);
});

Deno.test("resolveConfig type-checks values and names where they came from", () => {
  assert.throws(
    () => resolveConfig({ flags: { epochs: "2.5" } }),
    /--epochs must be an integer, got "2.5"/,
  );
  assert.throws(
    () => resolveConfig({ flags: { batchSize: "0" } }),
    /--batch-size must be an integer ≥ 1, got "0"/,
  );
  assert.throws(
    () => resolveConfig({ file: { path: "c.json", values: { lr: "fast" } } }),
    /c.json: lr must be a number, got "fast"/,
  );
  assert.throws(
    () => resolveConfig({ flags: { optimizer: "adagrad" } }),
    /--optimizer must be one of adam, sgd, rmsprop, got "adagrad"/,
  );
  assert.throws(
    () => resolveConfig({ file: { path: "c.json", values: { stratify: "yes" } } }),
    /c.json: stratify must be true or false/,
  );
  assert.throws(() => resolveConfig({ preset: "fastest" }), /unknown preset 'fastest'/);
});

Deno.test("resolveConfig expands --augment and lets explicit values override it", () => {
  const config = resolveConfig({ flags: { augment: "standard", rotation: "12" } });
  assert.equal(config.rotation, 12);
  assert.equal(config.zoom, 0.1);
  assert.equal(config.widthShift, 0.1);
  const none = resolveConfig({ preset: "best", flags: { augment: "none" } });
  assert.equal(none.rotation, 0);
});
