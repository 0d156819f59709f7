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

Deno.test("serve command prints URL, model, backend and warm-up, serves, and stops on SIGTERM", async () => {
  const child = serve(["--model", MODEL, "--port", "0"]).spawn();
  const lines: string[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let url: string | undefined;
  let buffer = "";
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    url = /listening on (http:\/\/\S+\/)/.exec(buffer)?.[1];
  }
  lines.push(...buffer.split("\n"));
  assert.ok(url, `no URL in: ${buffer}`);
  assert.match(buffer, /serving .*mnist-mlp \(mlp, val_acc 0\.9\d+\)/);
  // The default backend is chosen as training chooses it, with the reason printed.
  assert.match(buffer, /backend (native|wasm|cpu|webgpu) \(auto: /);
  assert.match(buffer, /continuous batching: up to 64 images per call, 0 ms extra wait/);
  assert.match(buffer, /warm-up \d+(\.\d+)? ms/);
  const health = await fetch(`${url}healthz`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
  child.kill("SIGTERM");
  const rest = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest.push(value);
  }
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 0);
  assert.match(rest.join(""), /SIGTERM: finishing in-flight requests…\nstopped/);
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
