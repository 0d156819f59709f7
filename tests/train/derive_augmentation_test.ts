import assert from "node:assert/strict";
import { deriveAugmentation } from "../../train/derive_augmentation.ts";
import { AUGMENT_PRESETS } from "../../train/config.ts";

const light = AUGMENT_PRESETS.light!;
const none = AUGMENT_PRESETS.none!;

Deno.test("deriveAugmentation turns geometric augmentation off on 8×8 and keeps 28×28 as is", () => {
  const small = deriveAugmentation(AUGMENT_PRESETS.strong!, { height: 8, width: 8 });
  assert.deepEqual(small.values, { ...none, contrast: AUGMENT_PRESETS.strong!.contrast });
  assert.deepEqual(small.changed, ["no augmentation for 8×8"]);
  assert.deepEqual(deriveAugmentation(none, { height: 8, width: 8 }), {
    values: none,
    changed: [],
  });
  assert.deepEqual(deriveAugmentation(light, { height: 28, width: 28 }), {
    values: light,
    changed: [],
  });
});

Deno.test("deriveAugmentation raises sub-pixel shifts to one pixel from 16 pixels up, per side", () => {
  const mid = deriveAugmentation({ ...light, widthShift: 0.05, heightShift: 0.05 }, {
    height: 16,
    width: 20,
  });
  assert.deepEqual(mid.values, { ...light, widthShift: 0.05, heightShift: 0.0625 });
  assert.deepEqual(mid.changed, ["heightShift 0.05 → 0.0625 (1 pixel of 16)"]);
  const wide = deriveAugmentation({ ...none, widthShift: 0.01, heightShift: 0.05 }, {
    height: 16,
    width: 40,
  });
  assert.deepEqual([wide.values.widthShift, wide.values.heightShift], [0.025, 0.0625]);
});
