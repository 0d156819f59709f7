import * as tf from "@tensorflow/tfjs";
import { FusedRMSPropOptimizer } from "../../backend/fused_rmsprop_optimizer.ts";
import { RMSPROP_UPDATE } from "../../backend/optimizer_update_kernels.ts";
import { _parityTests } from "./_optimizer_parity.ts";

// A large epsilon, so that its placement shows in the weights.
_parityTests(
  "FusedRMSPropOptimizer",
  "rmsprop",
  RMSPROP_UPDATE,
  () => new FusedRMSPropOptimizer(0.005, 0.9, 0.5, 1e-3),
  () => tf.train.rmsprop(0.005, 0.9, 0.5, 1e-3),
);
_parityTests(
  "FusedRMSPropOptimizer (centered)",
  "centered",
  RMSPROP_UPDATE,
  () => new FusedRMSPropOptimizer(0.005, 0.9, 0.5, 1e-3, true),
  () => tf.train.rmsprop(0.005, 0.9, 0.5, 1e-3, true),
);
