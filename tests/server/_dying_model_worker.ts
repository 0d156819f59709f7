/**
 * A model Worker for tests: it starts like the real one, answers a call of 1 image with a row of
 * tenths, and dies (an uncaught error) on any other call, as a crashing native kernel would.
 *
 * @module
 */
// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = (e: MessageEvent) => {
  const msg = e.data;
  if (msg.type === "init") {
    scope.postMessage({
      type: "ready",
      warmupMs: 0,
      backend: { name: "fake", reason: "test worker" },
      manifest: { inputShape: [28, 28, 1], classes: [] },
    });
  } else if (msg.count === 1) {
    scope.postMessage({ type: "result", id: msg.id, probs: new Float32Array(10).fill(0.1) });
  } else {
    throw new Error("simulated crash in the model worker");
  }
};
