import assert from "node:assert/strict";
import { _DNNL, _DNNL_SIZES, _EXEC_ARG_MEMORY_OFFSET } from "../../../backend/native/_dnnl_abi.ts";

const HEADER = "/usr/include/oneapi/dnnl/dnnl.h";

/** Why the check cannot run here (no C compiler or no oneDNN headers), or "" when it can. */
function missing(): string {
  try {
    Deno.statSync(HEADER);
  } catch {
    return `${HEADER} not found (apt-get install libdnnl-dev)`;
  }
  try {
    new Deno.Command("gcc", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync();
  } catch {
    return "gcc not found";
  }
  return "";
}

const reason = missing();
if (reason !== "") console.log(`skipping the oneDNN ABI check: ${reason}`);

/** The C expression for each value of _DNNL / _DNNL_SIZES. */
function cExpressions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(_DNNL)) {
    out[name] = name.startsWith("ARG_") ? `DNNL_${name}` : `dnnl_${name}`;
  }
  for (const name of Object.keys(_DNNL_SIZES)) {
    out[`size ${name}`] = name === "DNNL_MAX_NDIMS" ? name : `sizeof(${name})`;
  }
  out["exec arg offset"] = "offsetof(dnnl_exec_arg_t, memory)";
  return out;
}

Deno.test({
  name: "_DNNL's enum values, argument ids and struct sizes equal the installed oneDNN headers'",
  ignore: reason !== "",
  async fn() {
    const exprs = cExpressions();
    const lines = Object.entries(exprs).map(([k, e]) =>
      `  printf("%s=%ld\\n", ${JSON.stringify(k)}, (long)(${e}));`
    );
    const source = `#include <stdio.h>\n#include <stddef.h>\n#include <oneapi/dnnl/dnnl.h>\n` +
      `int main(void) {\n${lines.join("\n")}\n  return 0;\n}\n`;
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/abi.c`, source);
      // Only the headers are used: the program calls nothing in the library.
      const cc = await new Deno.Command("gcc", { args: [`${dir}/abi.c`, "-o", `${dir}/abi`] })
        .output();
      assert.equal(cc.code, 0, new TextDecoder().decode(cc.stderr));
      const run = await new Deno.Command(`${dir}/abi`).output();
      const actual = Object.fromEntries(
        new TextDecoder().decode(run.stdout).trim().split("\n").map((l) => {
          const [k, v] = l.split("=");
          return [k!, Number(v)];
        }),
      );
      const expected: Record<string, number> = { ...(_DNNL as Record<string, number>) };
      for (const [k, v] of Object.entries(_DNNL_SIZES)) expected[`size ${k}`] = v;
      expected["exec arg offset"] = _EXEC_ARG_MEMORY_OFFSET;
      assert.deepEqual(actual, expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
