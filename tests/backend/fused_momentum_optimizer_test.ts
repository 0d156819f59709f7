import * as tf from "@tensorflow/tfjs";
import { FusedMomentumOptimizer } from "../../backend/fused_momentum_optimizer.ts";
import { MOMENTUM_UPDATE } from "../../backend/optimizer_update_kernels.ts";
import { _parityTests } from "./_optimizer_parity.ts";

_parityTests(
  "FusedMomentumOptimizer",
  "momentum",
  MOMENTUM_UPDATE,
  () => new FusedMomentumOptimizer(0.05, 0.9),
  () => tf.train.momentum(0.05, 0.9),
);
_parityTests(
  "FusedMomentumOptimizer (Nesterov)",
  "nesterov",
  MOMENTUM_UPDATE,
  () => new FusedMomentumOptimizer(0.05, 0.8, true),
  () => tf.train.momentum(0.05, 0.8, true),
);
