import assert from "node:assert/strict";
import { deriveAugmentation } from "../../train/derive_augmentation.ts";
import { AUGMENT_PRESETS } from "../../train/config.ts";

Deno.test("deriveAugmentation raises sub-pixel shifts to one pixel on 8×8 and keeps 28×28 as is", () => {
  const light = AUGMENT_PRESETS.light!;
  const small = deriveAugmentation(light, { height: 8, width: 8 });
  assert.deepEqual(small.values, { ...light, widthShift: 0.125, heightShift: 0.125 });
  assert.equal(small.changed.length, 2);
  assert.match(small.changed[0]!, /widthShift 0.08 → 0.125 \(1 pixel of 8\)/);
  const large = deriveAugmentation(light, { height: 28, width: 28 });
  assert.deepEqual(large, { values: light, changed: [] });
});

Deno.test("deriveAugmentation leaves no augmentation off and follows each side", () => {
  const none = AUGMENT_PRESETS.none!;
  assert.deepEqual(deriveAugmentation(none, { height: 8, width: 8 }).values, none);
  const wide = deriveAugmentation({ ...none, widthShift: 0.05, heightShift: 0.05 }, {
    height: 10,
    width: 40,
  });
  assert.deepEqual([wide.values.widthShift, wide.values.heightShift], [0.05, 0.1]);
});
