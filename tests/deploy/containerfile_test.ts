/**
 * deploy/Containerfile, checked without a container engine (none runs here): the Deno version, the
 * paths it copies and caches, what .dockerignore leaves out, and its default command.
 */
import assert from "node:assert/strict";
import { argFlags, argValue, helpFlags, ROOT } from "./_manifests.ts";

/** The instructions of a Containerfile: continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; rest: string }[] {
  return text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), rest: rest.join(" ") };
    });
}

/** Whether a .dockerignore pattern list leaves `path` (relative to the context) out. */
function ignored(patterns: string[], path: string): boolean {
  const parts = path.split("/");
  return patterns.some((pattern) => {
    const re = new RegExp(
      "^" +
        pattern.replace(/[.+^${}()|[\]]/g, "\\$&").replace(/\*\*/g, "\0").replace(/\*/g, "[^/]*")
          .replace(/\?/g, "[^/]").replace(/\0/g, ".*") +
        "$",
    );
    return parts.some((_, i) => re.test(parts.slice(0, i + 1).join("/")));
  });
}

const containerfile = instructions(await Deno.readTextFile(`${ROOT}deploy/Containerfile`));
const ignore = (await Deno.readTextFile(`${ROOT}.dockerignore`)).split("\n").map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const exists = async (path: string) => {
  try {
    await Deno.stat(`${ROOT}${path}`);
    return true;
  } catch {
    return false;
  }
};
const jsonArray = (op: string) => {
  const found = containerfile.find((i) => i.op === op);
  assert.ok(found, `deploy/Containerfile has no ${op}`);
  return JSON.parse(found.rest) as string[];
};

Deno.test("Containerfile takes Deno from the official image at the version the project uses", () => {
  const arg = containerfile.find((i) => i.op === "ARG" && i.rest.startsWith("DENO_VERSION="));
  assert.equal(arg?.rest, `DENO_VERSION=${Deno.version.deno}`);
  const froms = containerfile.filter((i) => i.op === "FROM").map((i) => i.rest);
  assert.ok(
    froms.some((f) => /^denoland\/deno:bin-\$\{DENO_VERSION\} AS deno$/.test(f)),
    froms.join(),
  );
  assert.ok(
    containerfile.some((i) => i.op === "COPY" && i.rest === "--from=deno /deno /usr/bin/deno"),
  );
});

Deno.test("Containerfile installs the native backend's libraries", () => {
  const apt = containerfile.filter((i) => i.op === "RUN" && i.rest.includes("apt-get install"))
    .map((i) => i.rest).join(" ");
  for (const pkg of ["libopenblas0-pthread", "libdnnl2", "tini"]) {
    assert.match(apt, new RegExp(`\\b${pkg}\\b`), `${pkg} is not installed`);
  }
});

Deno.test("every path the Containerfile copies or caches exists and is in the build context", async () => {
  for (const { op, rest } of containerfile) {
    if (op === "COPY" && !rest.startsWith("--from=")) {
      const sources = rest.split(/\s+/).filter((w) => !w.startsWith("--")).slice(0, -1);
      for (const source of sources) {
        if (source === ".") continue;
        assert.ok(await exists(source), `COPY ${source}: no such path`);
        assert.ok(!ignored(ignore, source), `COPY ${source}: .dockerignore leaves it out`);
      }
    }
    const cache = /deno cache ([^&]+)/.exec(rest)?.[1]?.trim().split(/\s+/) ?? [];
    for (const path of cache) {
      assert.ok(await exists(path), `deno cache ${path}: no such file`);
      assert.ok(!ignored(ignore, path), `deno cache ${path}: .dockerignore leaves it out`);
    }
  }
});

Deno.test(".dockerignore keeps every module of main.ts's graph and the runtime files", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${ROOT}main.ts`],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(info.code, 0);
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: { specifier: string }[];
  };
  const root = new URL(`file://${ROOT}`).href;
  const local = graph.modules.map((m) => m.specifier).filter((s) => s.startsWith(root))
    .map((s) => decodeURIComponent(s.slice(root.length)));
  assert.ok(local.length > 50, `only ${local.length} local modules in the graph`);
  const runtime = [
    "deno.json",
    "deno.lock",
    "deploy/entrypoint.sh",
    "server/page",
    "train/_training_feed_worker.ts",
  ];
  for (const path of [...local, ...runtime]) {
    assert.ok(!ignored(ignore, path), `.dockerignore leaves out ${path}, which the program needs`);
  }
  for (const path of ["node_modules", "runs/x/model.json", "data/cache/mnist/train.csv", ".git"]) {
    assert.ok(ignored(ignore, path), `.dockerignore should leave out ${path}`);
  }
});

Deno.test("the image's entry point and default command run deno task serve on /models/run", async () => {
  const entrypoint = jsonArray("ENTRYPOINT");
  assert.deepEqual(entrypoint.slice(0, 2), ["/usr/bin/tini", "--"]);
  assert.equal(entrypoint[2], "/app/deploy/entrypoint.sh");
  assert.ok(containerfile.some((i) => i.op === "WORKDIR" && i.rest === "/app"));
  const script = await Deno.stat(`${ROOT}deploy/entrypoint.sh`);
  assert.ok((script.mode ?? 0o755) & 0o100, "deploy/entrypoint.sh is not executable");
  assert.match(await Deno.readTextFile(`${ROOT}deploy/entrypoint.sh`), /^exec deno task "\$@"$/m);
  const [task, ...args] = jsonArray("CMD");
  const tasks = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks;
  assert.ok(task! in tasks, `CMD runs '${task}', which is not a task in deno.json`);
  const known = await helpFlags(task!);
  for (const flag of argFlags(args)) {
    assert.ok(known.has(flag), `deno task ${task} has no --${flag}`);
  }
  assert.equal(argValue(args, "host"), "0.0.0.0");
  assert.equal(argValue(args, "model"), "/models/run");
  const expose = containerfile.find((i) => i.op === "EXPOSE")?.rest;
  assert.equal(expose, argValue(args, "port"));
  // Containerfile.model copies the run to where the default command serves it from.
  const model = instructions(await Deno.readTextFile(`${ROOT}deploy/Containerfile.model`));
  assert.ok(model.some((i) => i.op === "COPY" && i.rest.endsWith(" . /models/run")));
});
