import assert from "node:assert/strict";
import { TRAINING_DEFAULTS_HELP } from "../../train/training_defaults_help.ts";

Deno.test("TRAINING_DEFAULTS_HELP states each derived rule with the values the rules use", () => {
  assert.match(TRAINING_DEFAULTS_HELP, /1,000 rows, but 5%\.\.15% of the set/);
  assert.match(TRAINING_DEFAULTS_HELP, /stratified\s+below 20,000 rows/);
  assert.match(TRAINING_DEFAULTS_HELP, /at least 1,200 optimizer steps \(at most 200 epochs\)/);
  assert.match(
    TRAINING_DEFAULTS_HELP,
    /--model auto digits8-cnn under 25×25 pixels, compact-cnn otherwise/,
  );
  assert.match(TRAINING_DEFAULTS_HELP, /augmentation none under 16×16/);
  for (const line of TRAINING_DEFAULTS_HELP.split("\n")) assert.ok(line.length <= 100, line);
});
