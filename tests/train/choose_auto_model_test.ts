import assert from "node:assert/strict";
import { chooseAutoModel } from "../../train/choose_auto_model.ts";
import { resolveModelName } from "../../models/create_model.ts";

Deno.test("chooseAutoModel picks digits8-cnn for 8×8 at any row count and compact-cnn for 28×28", () => {
  for (const rows of [300, 1300, 60000]) {
    assert.equal(chooseAutoModel({ height: 8, width: 8, rows }).model, "digits8-cnn");
    assert.equal(chooseAutoModel({ height: 28, width: 28, rows }).model, "compact-cnn");
  }
  assert.equal(
    chooseAutoModel({ height: 28, width: 28, rows: 1000 }).reason,
    "compact-cnn for 28×28 (MNIST-sized images)",
  );
  // The same choice as resolveModelName's "auto", which the saved runs record.
  assert.equal(resolveModelName("auto", [8, 8, 1]), "digits8-cnn");
  assert.equal(resolveModelName("auto", [28, 28, 1]), "compact-cnn");
});

Deno.test("chooseAutoModel takes the first rule that matches and whose model accepts the size", () => {
  const rules = [
    { belowSide: Infinity, belowRows: 500, model: "knn", why: "few rows" },
    { belowSide: 25, belowRows: Infinity, model: "tiny-cnn", why: "small images" },
    { belowSide: Infinity, belowRows: Infinity, model: "deotte", why: "large images" },
  ];
  assert.equal(chooseAutoModel({ height: 28, width: 28, rows: 100 }, rules).model, "knn");
  assert.equal(chooseAutoModel({ height: 16, width: 16, rows: 1000 }, rules).model, "tiny-cnn");
  // 4×4 is too small for tiny-cnn's three poolings: the next rule that fits.
  assert.equal(chooseAutoModel({ height: 4, width: 4, rows: 1000 }, rules).model, "mlp");
  // digits8-cnn takes 4×4; under that only the dense baseline is left.
  assert.equal(chooseAutoModel({ height: 4, width: 4, rows: 1000 }).model, "digits8-cnn");
  assert.equal(chooseAutoModel({ height: 3, width: 3, rows: 1000 }).model, "mlp");
  assert.throws(
    () => chooseAutoModel({ height: 8, width: 8, rows: 1 }, [{ ...rules[0]!, model: "resnet" }]),
    /unknown model 'resnet'/,
  );
});
