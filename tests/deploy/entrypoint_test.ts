/**
 * deploy/entrypoint.sh, the container's entry point, run here as the container would run it (no
 * container engine needed): the Deployment's own args start the server, the probe paths answer
 * without a token (kubelet sends none), /metrics answers with it, and SIGTERM drains and exits 0.
 */
import assert from "node:assert/strict";
import { argValue, readManifests, ROOT } from "./_manifests.ts";

const FIXTURE_MODEL = `${ROOT}tests/fixtures/models/mnist-mlp`;
const TOKEN = "entrypoint-test-token";

const deployment = (await readManifests()).find((m) => m.doc.kind === "Deployment")!.doc;
const container = deployment.spec.template.spec.containers[0];

/** The Deployment's args with the model and address swapped for this machine's. */
function localArgs(port: number): string[] {
  const args = [...container.args as string[]];
  const set = (flag: string, value: string) => {
    const i = args.indexOf(`--${flag}`);
    assert.ok(i >= 0, `the Deployment's args have no --${flag}`);
    args[i + 1] = value;
  };
  set("model", FIXTURE_MODEL);
  set("host", "127.0.0.1"); // tests only talk to loopback; the manifest's 0.0.0.0 is checked below
  set("port", String(port));
  return args;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function spawnEntrypoint(args: string[], env: Record<string, string>) {
  return new Deno.Command("sh", {
    args: [`${ROOT}deploy/entrypoint.sh`, ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads `stream` until `pattern` shows up (or the stream ends); returns everything read. */
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp, timeoutMs: number) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = setTimeout(() => reader.cancel(), timeoutMs);
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    clearTimeout(deadline);
  }
  return { text, rest: reader };
}

Deno.test("entrypoint.sh serves with the Deployment's args and stops cleanly on SIGTERM", async () => {
  assert.equal(argValue(container.args, "host"), "0.0.0.0");
  assert.ok(container.env.some((e: { name: string }) => e.name === "DIGITS_TOKEN"));
  const port = freePort();
  const child = spawnEntrypoint(localArgs(port), { DIGITS_TOKEN: TOKEN });
  const stderr = new Response(child.stderr).text();
  const { text, rest } = await readUntil(child.stdout, /listening on/, 60_000);
  try {
    // (stderr is read to the end only after the server stops, so it is not part of this message.)
    assert.match(text, /listening on http:\/\/127\.0\.0\.1:\d+\/#token=/, text);
    const base = `http://127.0.0.1:${port}`;
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      const res = await fetch(`${base}${container[probe].httpGet.path}`);
      assert.equal(res.status, 200, `${probe} ${container[probe].httpGet.path}`);
      await res.body?.cancel();
    }
    const metricsPath = deployment.spec.template.metadata.annotations["prometheus.io/path"];
    const open = await fetch(`${base}${metricsPath}`);
    assert.equal(open.status, 401, "the token guards /metrics: scrape with the Secret");
    await open.body?.cancel();
    const scraped = await fetch(`${base}${metricsPath}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /^# (HELP|TYPE) /m);
  } finally {
    child.kill("SIGTERM");
  }
  const status = await child.status;
  let tail = "";
  for (let r = await rest.read(); !r.done; r = await rest.read()) tail += r.value;
  assert.equal(status.code, 0, tail + await stderr);
  assert.match(tail, /SIGTERM: finishing in-flight requests[\s\S]*stopped/);
});

Deno.test("entrypoint.sh without DIGITS_TOKEN leaves the refusal of 0.0.0.0 to the server", async () => {
  const args = [...container.args as string[]];
  args[args.indexOf("--model") + 1] = FIXTURE_MODEL;
  const out = await new Deno.Command("sh", {
    args: [`${ROOT}deploy/entrypoint.sh`, ...args],
    cwd: ROOT,
    env: { DIGITS_TOKEN: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  assert.notEqual(out.code, 0);
  assert.match(text, /binding to 0\.0\.0\.0 exposes the server beyond this machine: pass --token/);
});
