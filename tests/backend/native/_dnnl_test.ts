import assert from "node:assert/strict";
import { _DNNL, _DNNL_SIZES } from "../../../backend/native/_dnnl_abi.ts";
import {
  _DNNL_CACHE_CAPACITY,
  _DnnlLibrary,
  _loadDnnl,
  _openDnnl,
} from "../../../backend/native/_dnnl.ts";

const dnnl = _loadDnnl();
if (typeof dnnl === "string") console.log(`skipping the oneDNN library tests: ${dnnl}`);
const ignore = typeof dnnl === "string";

/** The spec of a ReLU over `n` floats (an eltwise primitive: cheap to build). */
function reluSpec(d: _DnnlLibrary, n: number) {
  const md = d.md([n], _DNNL.x);
  const opDesc = new Uint8Array(_DNNL_SIZES.dnnl_eltwise_desc_t);
  const status = d.symbols.dnnl_eltwise_forward_desc_init(
    opDesc,
    _DNNL.forward_inference,
    _DNNL.eltwise_relu,
    md,
    0,
    0,
  );
  assert.equal(status, _DNNL.success);
  return { opDesc, args: [{ arg: _DNNL.ARG_SRC, md }, { arg: _DNNL.ARG_DST, md }] };
}

Deno.test("_openDnnl names the package to install when libdnnl is missing", () => {
  const reason = _openDnnl(["/nonexistent/libdnnl.so.2"]);
  assert.equal(typeof reason, "string");
  assert.match(reason as string, /libdnnl\.so\.2 not found.*apt-get install libdnnl2/);
});

Deno.test({
  name: "_DnnlLibrary runs a cached primitive on typed arrays, small and large, and subarrays",
  ignore,
  fn() {
    const d = dnnl as _DnnlLibrary;
    for (const n of [5, 4099]) {
      const prim = d.primitive(`test relu ${n}`, () => reluSpec(d, n))!;
      assert.equal(d.primitive(`test relu ${n}`, () => assert.fail("rebuilt")), prim);
      const x = Float32Array.from({ length: n + 3 }, (_, i) => (i % 3) - 1);
      const y = new Float32Array(n).fill(NaN);
      prim.execute([x.subarray(3), y]);
      for (let i = 0; i < n; i++) assert.equal(y[i], Math.max(0, x[i + 3]!), `element ${i}`);
    }
  },
});

Deno.test({
  name: "_DnnlLibrary's primitive cache stays bounded, evicting the least recently used",
  ignore,
  fn() {
    const d = dnnl as _DnnlLibrary;
    const kept = d.primitive("test relu kept", () => reluSpec(d, 8))!;
    for (let i = 0; i < _DNNL_CACHE_CAPACITY + 44; i++) {
      d.primitive(`test relu bound ${i}`, () => reluSpec(d, 16 + i));
      if (i % 50 === 0) d.primitive("test relu kept", () => assert.fail("evicted while in use"));
    }
    assert.ok(d.cached <= _DNNL_CACHE_CAPACITY, `${d.cached} primitives cached`);
    assert.equal(d.primitive("test relu kept", () => assert.fail("evicted")), kept);
    let rebuilt = false;
    d.primitive("test relu bound 0", () => {
      rebuilt = true;
      return reluSpec(d, 16);
    });
    assert.ok(rebuilt, "the oldest entry was evicted");
  },
});

Deno.test({
  name: "_DnnlLibrary caches an unimplemented primitive as undefined without rebuilding it",
  ignore,
  fn() {
    const d = dnnl as _DnnlLibrary;
    let builds = 0;
    const none = () => {
      builds++;
      return undefined;
    };
    assert.equal(d.primitive("test none", none), undefined);
    assert.equal(d.primitive("test none", none), undefined);
    assert.equal(builds, 1);
  },
});

Deno.test({
  name: "_DnnlLibrary.withOneThread caps OpenMP at one thread inside and restores it, on throw too",
  ignore,
  fn() {
    const d = dnnl as _DnnlLibrary;
    const outside = d.ompMaxThreads;
    if (outside === 0) return; // not OpenMP: nothing to cap
    assert.equal(d.withOneThread(() => d.ompMaxThreads), 1);
    assert.equal(d.ompMaxThreads, outside);
    assert.throws(() => d.withOneThread(() => assert.fail("inside")), /inside/);
    assert.equal(d.ompMaxThreads, outside);
  },
});

Deno.test({
  name: "_DnnlLibrary builds and runs a singleThreaded primitive on one thread, others on all",
  ignore,
  fn() {
    const d = dnnl as _DnnlLibrary;
    const single = d.primitive("test relu one thread", () => ({
      ...reluSpec(d, 64),
      singleThreaded: true,
    }))!;
    const shared = d.primitive("test relu all threads", () => reluSpec(d, 64))!;
    assert.equal(single.singleThreaded, true);
    assert.equal(shared.singleThreaded, false);
    const withOneThread = d.withOneThread;
    let capped = 0;
    d.withOneThread = <T>(fn: () => T): T => {
      capped++;
      return withOneThread.call(d, fn) as T;
    };
    try {
      const x = Float32Array.from({ length: 64 }, (_, i) => i - 32);
      const y = new Float32Array(64);
      shared.execute([x, y]);
      assert.equal(capped, 0, "a shared primitive runs on every thread");
      single.execute([x, y]);
      assert.equal(capped, 1, "a single-threaded primitive runs with OpenMP capped");
      assert.equal(y[40], 8);
    } finally {
      d.withOneThread = withOneThread;
    }
  },
});
