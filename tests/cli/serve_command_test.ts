import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const MODEL = fromFileUrl(new URL("../fixtures/models/mnist-mlp", import.meta.url));

function serve(args: string[], cwd = ROOT) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, `${ROOT}main.ts`, "serve", ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

/** Starts `serve` with `args` and reads its stdout up to the URL. */
async function startServe(args: string[]) {
  const child = serve(args).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let url: string | undefined;
  let buffer = "";
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    url = /listening on (http:\/\/\S+\/)/.exec(buffer)?.[1];
  }
  assert.ok(url, `no URL in: ${buffer}`);
  /** Sends SIGTERM; resolves to the exit code and what it printed after the URL. */
  const stop = async () => {
    child.kill("SIGTERM");
    const rest = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest.push(value);
    }
    const status = await child.status;
    await child.stderr.cancel();
    return { code: status.code, rest: rest.join("") };
  };
  return { url, printed: buffer, stop };
}

async function healthz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}healthz`);
  return { status: res.status, body: await res.json() };
}

/** One TF Serving predict call answers 200 with ten probabilities. */
async function assertPredicts(url: string): Promise<void> {
  const res = await fetch(`${url}v1/models/digits:predict`, {
    method: "POST",
    body: JSON.stringify({ instances: [new Array(784).fill(0)] }),
  });
  assert.equal(res.status, 200);
  const { predictions } = await res.json() as { predictions: number[][] };
  assert.equal(predictions[0]!.length, 10);
}

Deno.test("serve command prints URL, model, backend and warm-up, serves, and stops on SIGTERM", async () => {
  const s = await startServe(["--model", MODEL, "--port", "0"]);
  assert.match(s.printed, /serving .*mnist-mlp \(mlp, val_acc 0\.9\d+\)/);
  // The default backend is chosen as training chooses it, with the reason printed.
  assert.match(s.printed, /backend (native|wasm|cpu|webgpu) \(auto: /);
  assert.match(s.printed, /continuous batching: up to 64 images per call, 0 ms extra wait/);
  // On native the model runs as a native plan; elsewhere through tfjs, saying why.
  const native = /^backend native /m.test(s.printed);
  assert.match(
    s.printed,
    native
      ? /warm-up \d+(\.\d+)? ms \(model calls in a Worker, native plan\)/
      : /warm-up \d+(\.\d+)? ms \(model calls in a Worker, tfjs \(backend \w+\)\)/,
  );
  const health = await healthz(s.url);
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, {
    status: "ok",
    model: "digits",
    modelCalls: "worker",
    state: "up",
    restarts: 0,
  });
  const { code, rest } = await s.stop();
  assert.equal(code, 0);
  assert.match(rest, /SIGTERM: finishing in-flight requests…\nstopped/);
});

Deno.test("serve command --no-model-worker runs the model calls on the HTTP thread", async () => {
  const s = await startServe(["--model", MODEL, "--port", "0", "--no-model-worker"]);
  assert.match(s.printed, /\(model calls on the HTTP thread, (native plan|tfjs \(backend \w+\))\)/);
  const health = await healthz(s.url);
  assert.equal(health.status, 200);
  assert.equal(health.body.modelCalls, "http-thread");
  await assertPredicts(s.url);
  assert.equal((await s.stop()).code, 0);
});

Deno.test("serve command --no-native-plan runs the model through tfjs and still answers", async () => {
  const s = await startServe(["--model", MODEL, "--port", "0", "--no-native-plan"]);
  assert.match(s.printed, /\(model calls in a Worker, tfjs \((turned off|backend \w+)\)\)/);
  await assertPredicts(s.url);
  assert.equal((await s.stop()).code, 0);
});

Deno.test("serve command without a model and no runs/ says how to train one", async () => {
  const empty = await Deno.makeTempDir();
  try {
    const out = await serve([], empty).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1);
    assert.match(stderr, /no model to serve.*\nTrain one with 'deno task train'/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("serve command refuses a public address without --token and bad flags", async () => {
  let out = await serve(["--model", MODEL, "--host", "0.0.0.0"]).output();
  assert.equal(out.code, 1);
  assert.match(new TextDecoder().decode(out.stderr), /pass --token/);
  out = await serve(["--max-bach", "3"]).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /did you mean --max-batch\?/);
  out = await serve(["--port", "99999"]).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /--port must be at most 65535/);
});
