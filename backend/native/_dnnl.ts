/**
 * Loads oneDNN 2.x (`libdnnl.so.2`, Debian package libdnnl2: the library Debian's PyTorch runs its
 * CPU kernels on) through Deno FFI, and runs its primitives straight on the tensors' typed
 * arrays: tfjs's NHWC activations and HWIO filters are layouts oneDNN names (tags nhwc, hwio),
 * so nothing is reordered or copied.
 *
 * Threads are oneDNN's own (its OpenMP runtime): OMP_NUM_THREADS, when set, caps them; otherwise
 * OpenMP uses every core the process may run on. A primitive built `singleThreaded` is built and
 * run with OpenMP capped at one thread, so no worker wakes for it. Primitives are built once per
 * shape and attributes and kept in a bounded least-recently-used cache (building one costs
 * 50–500 µs).
 *
 * Memory safety: a primitive's memory objects get the arrays' addresses right before the
 * execute call, which runs synchronously within the same JS turn; the caller holds the arrays in
 * locals across it. `Deno.UnsafePointer.of` moves a small (on-heap) typed array's contents off the
 * V8 heap for good, so the address stays valid while the array lives.
 */
import { _DNNL, _DNNL_SIZES, _EXEC_ARG_MEMORY_OFFSET } from "./_dnnl_abi.ts";

/** Where Debian and other distributions put the library; the bare soname goes through ld.so. */
const LIBRARY_CANDIDATES = [
  "libdnnl.so.2",
  "/usr/lib/x86_64-linux-gnu/libdnnl.so.2",
  "/usr/lib/aarch64-linux-gnu/libdnnl.so.2",
  "/usr/lib64/libdnnl.so.2",
  "/usr/local/lib/libdnnl.so.2",
];

/**
 * Primitives kept: a training step of the zoo's largest model needs about 40; the server builds
 * one set per batch size it runs (18 sizes, see server/batch_buckets.ts; compact-cnn: 9 per size,
 * 162 in all) for each member of an ensemble.
 */
export const _DNNL_CACHE_CAPACITY = 1024;

const SYMBOLS = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_desc_init_by_tag: {
    parameters: ["buffer", "i32", "buffer", "i32", "i32"],
    result: "i32",
  },
  dnnl_memory_desc_get_size: { parameters: ["buffer"], result: "usize" },
  dnnl_memory_desc_equal: { parameters: ["buffer", "buffer"], result: "i32" },
  dnnl_reorder_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_memory_create: { parameters: ["buffer", "buffer", "pointer", "pointer"], result: "i32" },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_memory_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_attr_create: { parameters: ["buffer"], result: "i32" },
  dnnl_primitive_attr_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_attr_set_post_ops: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_post_ops_create: { parameters: ["buffer"], result: "i32" },
  dnnl_post_ops_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_post_ops_append_eltwise: {
    parameters: ["pointer", "f32", "i32", "f32", "f32"],
    result: "i32",
  },
  dnnl_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_desc_query_md: { parameters: ["pointer", "i32", "i32"], result: "pointer" },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_primitive_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_execute: { parameters: ["pointer", "pointer", "i32", "buffer"], result: "i32" },
  dnnl_convolution_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_convolution_backward_data_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_convolution_backward_weights_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_pooling_v2_forward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_pooling_v2_backward_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_batch_normalization_forward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "f32", "u32"],
    result: "i32",
  },
  dnnl_batch_normalization_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "u32"],
    result: "i32",
  },
  dnnl_eltwise_forward_desc_init: {
    parameters: ["buffer", "i32", "i32", "buffer", "f32", "f32"],
    result: "i32",
  },
  dnnl_eltwise_backward_desc_init: {
    parameters: ["buffer", "i32", "buffer", "buffer", "f32", "f32"],
    result: "i32",
  },
} as const;

/** OpenMP's thread-count calls, from the libgomp.so.1 oneDNN links (see `singleThreaded`). */
const OMP_SYMBOLS = {
  omp_get_max_threads: { parameters: [], result: "i32" },
  omp_set_num_threads: { parameters: ["i32"], result: "void" },
} as const;
type _OmpSymbols = Deno.DynamicLibrary<typeof OMP_SYMBOLS>["symbols"];

/** The library's raw symbols, for the kernels' `*_desc_init` calls. */
export type _DnnlSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/**
 * One argument of a primitive: its DNNL_ARG_* id and the memory descriptor of the array the
 * caller passes, or "workspace" (a buffer the forward pass fills for its backward pass). With
 * `reorder`, the op descriptor left this argument's layout to oneDNN (format tag any): the array
 * is reordered into the chosen layout before the run ("in") or out of it after ("out"), unless
 * oneDNN chose the array's own layout.
 */
export interface _ArgSpec {
  arg: number;
  md: Uint8Array | "workspace";
  reorder?: "in" | "out";
}

/** One primitive and its dnnl_exec_arg_t array. */
interface _Step {
  prim: Deno.PointerValue;
  args: Uint8Array;
  nargs: number;
}

function execArgs(argIds: number[], mems: Deno.PointerValue[]): Uint8Array {
  const buffer = new Uint8Array(_DNNL_SIZES.dnnl_exec_arg_t * mems.length);
  const view = new DataView(buffer.buffer);
  mems.forEach((m, i) => {
    const at = i * _DNNL_SIZES.dnnl_exec_arg_t;
    view.setInt32(at, argIds[i]!, true);
    view.setBigUint64(at + _EXEC_ARG_MEMORY_OFFSET, BigInt(Deno.UnsafePointer.value(m)), true);
  });
  return buffer;
}

/**
 * A built primitive with one memory object per argument, in the order it was built with, plus
 * the reorders into and out of the layouts it chose. `execute` points the memory objects at the
 * given arrays and runs everything to completion.
 */
export class _DnnlPrimitive {
  readonly #lib: _DnnlLibrary;
  /** Memory objects the caller's arrays go into, one per argument. */
  readonly #userMems: Deno.PointerValue[];
  /** Reorders in, the primitive, reorders out. */
  readonly #steps: _Step[];
  /** Everything to free: primitives, descriptors, memory objects. */
  readonly #owned: {
    prims: Deno.PointerValue[];
    pds: Deno.PointerValue[];
    mems: Deno.PointerValue[];
  };
  /** Bytes of the workspace argument (0 when there is none). */
  readonly workspaceBytes: number;
  /** True when it was built, and runs, with OpenMP capped at one thread (see `singleThreaded`). */
  readonly singleThreaded: boolean;

  constructor(
    lib: _DnnlLibrary,
    userMems: Deno.PointerValue[],
    steps: _Step[],
    owned: { prims: Deno.PointerValue[]; pds: Deno.PointerValue[]; mems: Deno.PointerValue[] },
    workspaceBytes: number,
    singleThreaded: boolean,
  ) {
    this.#lib = lib;
    this.#userMems = userMems;
    this.#steps = steps;
    this.#owned = owned;
    this.workspaceBytes = workspaceBytes;
    this.singleThreaded = singleThreaded;
  }

  /** Runs the primitive on `arrays` (one per argument, same order); returns when it is done. */
  execute(arrays: ArrayBufferView[]): void {
    const s = this.#lib.symbols;
    const mems = this.#userMems;
    if (arrays.length !== mems.length) {
      throw new RangeError(`oneDNN primitive needs ${mems.length} arrays, got ${arrays.length}`);
    }
    for (let i = 0; i < arrays.length; i++) {
      _check(
        "dnnl_memory_set_data_handle",
        s.dnnl_memory_set_data_handle(mems[i]!, Deno.UnsafePointer.of(arrays[i]!)),
      );
    }
    if (this.singleThreaded) this.#lib.withOneThread(() => this.#run());
    else this.#run();
  }

  /** Runs the reorders in, the primitive and the reorders out, and waits for them. */
  #run(): void {
    const s = this.#lib.symbols;
    const stream = this.#lib.stream;
    for (const step of this.#steps) {
      _check(
        "dnnl_primitive_execute",
        s.dnnl_primitive_execute(step.prim, stream, step.nargs, step.args),
      );
    }
    _check("dnnl_stream_wait", s.dnnl_stream_wait(stream));
  }

  /** Frees the primitives, their descriptors and memory objects. */
  destroy(): void {
    const s = this.#lib.symbols;
    for (const m of this.#owned.mems) s.dnnl_memory_destroy(m);
    for (const p of this.#owned.prims) s.dnnl_primitive_destroy(p);
    for (const pd of this.#owned.pds) s.dnnl_primitive_desc_destroy(pd);
  }
}

/** How a primitive is described: its op descriptor, post-ops, forward hint and arguments. */
export interface _PrimitiveSpec {
  /** A filled op descriptor (a `dnnl_*_desc_t`). */
  opDesc: Uint8Array;
  /** Eltwise post-ops (alg, alpha, beta), applied in order after the op. */
  postOps?: { alg: number; alpha: number; beta: number }[];
  /** The forward primitive's spec, for backward primitives (oneDNN needs its descriptor). */
  hint?: _PrimitiveSpec;
  /**
   * Build and run it on one thread. oneDNN sizes a primitive's thread team when it is created
   * (the JIT convolutions and batch norm), while reorders and pooling size theirs when they run,
   * so OpenMP is capped at one thread for both. Two reasons to ask for it:
   * - the kernels that synchronise their threads with spinning barriers inside one call (batch
   *   norm, small filter gradients) stall whenever the other core is taken: on the shared 2-core
   *   machine under load, compact-cnn's three batch norms took 40–90 ms a step on 2 threads
   *   against 0.5 ms on one;
   * - small work: each call wakes the sleeping workers (OMP_WAIT_POLICY=passive), which costs more
   *   than the share of a 50–200 µs primitive they take over (see the convolution and pooling
   *   kernels' bounds).
   */
  singleThreaded?: boolean;
  args: _ArgSpec[];
}

/** A loaded oneDNN: raw symbols, engine and stream, and a primitive cache. */
export class _DnnlLibrary {
  readonly symbols: _DnnlSymbols;
  readonly engine: Deno.PointerValue;
  readonly stream: Deno.PointerValue;
  /** Where the library came from, its version and CPU runtime, for the backend's reason line. */
  readonly description: string;
  readonly #cache = new Map<string, _DnnlPrimitive | null>();
  readonly #out = new BigUint64Array(1);

  readonly #omp: _OmpSymbols | undefined;
  /** OpenMP's thread cap for everything else (OMP_NUM_THREADS or the cores), read at load. */
  readonly #maxThreads: number;

  constructor(symbols: _DnnlSymbols, description: string, omp?: _OmpSymbols) {
    this.symbols = symbols;
    this.#omp = omp;
    this.#maxThreads = omp?.omp_get_max_threads() ?? 0;
    this.description = description;
    _check("dnnl_engine_create", symbols.dnnl_engine_create(this.#out, _DNNL.cpu, 0n));
    this.engine = this.#pointer();
    _check(
      "dnnl_stream_create",
      symbols.dnnl_stream_create(this.#out, this.engine, _DNNL.stream_default_flags),
    );
    this.stream = this.#pointer();
  }

  #pointer(): Deno.PointerValue {
    return Deno.UnsafePointer.create(this.#out[0]!);
  }

  /** A dnnl_dims_t holding `values`. */
  dims(values: readonly number[]): BigInt64Array {
    const d = new BigInt64Array(_DNNL_SIZES.DNNL_MAX_NDIMS);
    values.forEach((v, i) => d[i] = BigInt(v));
    return d;
  }

  /** A float32 memory descriptor of logical `dims` in the physical order `tag`. */
  md(dims: readonly number[], tag: number): Uint8Array {
    const md = new Uint8Array(_DNNL_SIZES.dnnl_memory_desc_t);
    _check(
      "dnnl_memory_desc_init_by_tag",
      this.symbols.dnnl_memory_desc_init_by_tag(md, dims.length, this.dims(dims), _DNNL.f32, tag),
    );
    return md;
  }

  /**
   * The cached primitive for `key`, built from `spec()` on the first call; undefined when
   * oneDNN has no implementation for it (the caller falls back to another path).
   */
  primitive(key: string, spec: () => _PrimitiveSpec | undefined): _DnnlPrimitive | undefined {
    let p = this.#cache.get(key);
    if (p !== undefined) {
      this.#cache.delete(key); // re-inserted below: the Map's order is the recency order
    } else {
      const s = spec();
      p = s === undefined ? null : this.#build(s) ?? null;
      if (this.#cache.size >= _DNNL_CACHE_CAPACITY) this.#evictOldest();
    }
    this.#cache.set(key, p);
    return p ?? undefined;
  }

  #evictOldest(): void {
    const [oldKey, old] = this.#cache.entries().next().value!;
    this.#cache.delete(oldKey);
    old?.destroy();
  }

  /**
   * A primitive built from `spec` that the cache does not hold, so nothing evicts it: the caller
   * owns it and calls `destroy` (inference plans keep theirs for their lifetime). Undefined when
   * oneDNN has no implementation for it.
   */
  build(spec: _PrimitiveSpec): _DnnlPrimitive | undefined {
    return this.#build(spec);
  }

  /** Number of primitives (and known-unimplemented keys) cached. */
  get cached(): number {
    return this.#cache.size;
  }

  /** The primitive descriptor of `spec`, or undefined when oneDNN has no implementation. */
  #primitiveDesc(spec: _PrimitiveSpec, hintPd: Deno.PointerValue): Deno.PointerValue | undefined {
    const s = this.symbols;
    let attr: Deno.PointerValue = null;
    if (spec.postOps !== undefined && spec.postOps.length > 0) {
      _check("dnnl_primitive_attr_create", s.dnnl_primitive_attr_create(this.#out));
      attr = this.#pointer();
      _check("dnnl_post_ops_create", s.dnnl_post_ops_create(this.#out));
      const ops = this.#pointer();
      for (const op of spec.postOps) {
        _check(
          "dnnl_post_ops_append_eltwise",
          s.dnnl_post_ops_append_eltwise(ops, 1, op.alg, op.alpha, op.beta),
        );
      }
      _check("dnnl_primitive_attr_set_post_ops", s.dnnl_primitive_attr_set_post_ops(attr, ops));
      s.dnnl_post_ops_destroy(ops);
    }
    const status = s.dnnl_primitive_desc_create(this.#out, spec.opDesc, attr, this.engine, hintPd);
    if (attr !== null) s.dnnl_primitive_attr_destroy(attr);
    if (status === _DNNL.unimplemented) return undefined;
    _check("dnnl_primitive_desc_create", status);
    return this.#pointer();
  }

  /**
   * Runs `fn` with OpenMP capped at one thread on this (the calling) thread, then restores the
   * cap. Two FFI calls: negligible beside a primitive. Without libgomp (another oneDNN runtime)
   * it just runs `fn`, on every thread: slower for small work, still correct.
   */
  withOneThread<T>(fn: () => T): T {
    const omp = this.#omp;
    if (omp === undefined) return fn();
    omp.omp_set_num_threads(1);
    try {
      return fn();
    } finally {
      omp.omp_set_num_threads(this.#maxThreads);
    }
  }

  /** OpenMP's current thread cap on the calling thread (0 without libgomp); for tests. */
  get ompMaxThreads(): number {
    return this.#omp?.omp_get_max_threads() ?? 0;
  }

  #build(spec: _PrimitiveSpec): _DnnlPrimitive | undefined {
    return spec.singleThreaded
      ? this.withOneThread(() => this.#buildNow(spec))
      : this.#buildNow(spec);
  }

  #buildNow(spec: _PrimitiveSpec): _DnnlPrimitive | undefined {
    const s = this.symbols;
    const hintPd = spec.hint === undefined ? null : this.#primitiveDesc(spec.hint, null);
    if (hintPd === undefined) return undefined;
    const pd = this.#primitiveDesc(spec, hintPd);
    if (pd === undefined) {
      if (hintPd !== null) s.dnnl_primitive_desc_destroy(hintPd);
      return undefined;
    }
    const owned = { prims: [] as Deno.PointerValue[], pds: [pd], mems: [] as Deno.PointerValue[] };
    if (hintPd !== null) owned.pds.push(hintPd);
    const before: _Step[] = [];
    const after: _Step[] = [];
    let workspaceBytes = 0;
    const userMems: Deno.PointerValue[] = [];
    const primMems = spec.args.map((a) => {
      if (a.md === "workspace") {
        const ws = this.#queryMd(pd, _DNNL.query_workspace_md, 0);
        workspaceBytes = Number(s.dnnl_memory_desc_get_size(ws));
        const mem = this.#memory(ws, null, owned);
        userMems.push(mem);
        return mem;
      }
      const user = this.#memory(a.md, null, owned);
      userMems.push(user);
      if (a.reorder === undefined) return user;
      const chosen = this.#queryMd(pd, _DNNL.query_exec_arg_md, a.arg);
      if (s.dnnl_memory_desc_equal(chosen, a.md) !== 0) return user;
      const inner = this.#memory(chosen, DNNL_MEMORY_ALLOCATE, owned);
      const [from, to] = a.reorder === "in" ? [a.md, chosen] : [chosen, a.md];
      const [fromMem, toMem] = a.reorder === "in" ? [user, inner] : [inner, user];
      const step = this.#reorder(from, to, owned);
      step.args = execArgs([_DNNL.ARG_SRC, _DNNL.ARG_DST], [fromMem, toMem]);
      (a.reorder === "in" ? before : after).push(step);
      return inner;
    });
    _check("dnnl_primitive_create", s.dnnl_primitive_create(this.#out, pd));
    const prim = this.#pointer();
    owned.prims.push(prim);
    const main = {
      prim,
      args: execArgs(spec.args.map((a) => a.arg), primMems),
      nargs: primMems.length,
    };
    const steps = [...before, main, ...after];
    const single = spec.singleThreaded === true;
    return new _DnnlPrimitive(this, userMems, steps, owned, workspaceBytes, single);
  }

  /** A copy of the memory descriptor `pd` reports for `what` (and `index`). */
  #queryMd(pd: Deno.PointerValue, what: number, index: number): Uint8Array {
    const p = this.symbols.dnnl_primitive_desc_query_md(pd, what, index);
    if (p === null) throw new Error(`oneDNN: the primitive has no memory for query ${what}`);
    const md = new Uint8Array(_DNNL_SIZES.dnnl_memory_desc_t);
    new Deno.UnsafePointerView(p).copyInto(md);
    return md;
  }

  #memory(
    md: Uint8Array,
    handle: Deno.PointerValue,
    owned: { mems: Deno.PointerValue[] },
  ): Deno.PointerValue {
    _check(
      "dnnl_memory_create",
      this.symbols.dnnl_memory_create(this.#out, md, this.engine, handle),
    );
    const mem = this.#pointer();
    owned.mems.push(mem);
    return mem;
  }

  /** A reorder primitive from layout `from` to `to` (its exec args are set by the caller). */
  #reorder(
    from: Uint8Array,
    to: Uint8Array,
    owned: { prims: Deno.PointerValue[]; pds: Deno.PointerValue[] },
  ): _Step {
    const s = this.symbols;
    _check(
      "dnnl_reorder_primitive_desc_create",
      s.dnnl_reorder_primitive_desc_create(this.#out, from, this.engine, to, this.engine, null),
    );
    const pd = this.#pointer();
    owned.pds.push(pd);
    _check("dnnl_primitive_create", s.dnnl_primitive_create(this.#out, pd));
    const prim = this.#pointer();
    owned.prims.push(prim);
    return { prim, args: new Uint8Array(0), nargs: 2 };
  }
}

/** DNNL_MEMORY_ALLOCATE: the memory object allocates its own buffer. */
const DNNL_MEMORY_ALLOCATE = Deno.UnsafePointer.create(0xffff_ffff_ffff_ffffn);

/** Throws when a oneDNN call did not succeed. */
export function _check(what: string, status: number): void {
  if (status !== _DNNL.success) throw new Error(`oneDNN ${what} failed with status ${status}`);
}

let loaded: _DnnlLibrary | string | undefined;

/**
 * Loads oneDNN once. Returns the library, or why it is unavailable and how to install it.
 * DIGITS_DNNL=off leaves it out (the native backend then runs OpenBLAS and JS loops only).
 */
export function _loadDnnl(): _DnnlLibrary | string {
  if (loaded !== undefined) return loaded;
  loaded = Deno.env.get("DIGITS_DNNL") === "off"
    ? "turned off with DIGITS_DNNL=off"
    : _openDnnl(LIBRARY_CANDIDATES);
  return loaded;
}

/** Opens the first of `candidates` that is a usable oneDNN 2.x (uncached; tests call it). */
export function _openDnnl(candidates: readonly string[]): _DnnlLibrary | string {
  // OpenMP threads that spin-wait between primitives starve the JS thread and OpenBLAS's threads
  // on a 2-core machine: with the default policy, under load, one conv gradient took 20–50 ms
  // and sometimes seconds instead of 1–4 ms. Sleeping workers cost a wake-up per primitive
  // (microseconds). libgomp reads this when oneDNN loads it; a user's own setting wins.
  if (
    Deno.env.get("OMP_WAIT_POLICY") === undefined && Deno.env.get("GOMP_SPINCOUNT") === undefined
  ) {
    Deno.env.set("OMP_WAIT_POLICY", "passive");
  }
  const failures: string[] = [];
  for (const path of candidates) {
    let lib: Deno.DynamicLibrary<typeof SYMBOLS>;
    try {
      lib = Deno.dlopen(path, SYMBOLS);
    } catch (error) {
      failures.push(error instanceof Error ? error.message.split("\n")[0] ?? path : path);
      continue;
    }
    const version = readVersion(lib.symbols);
    // Op descriptors (the API these kernels use) are 2.x only; scale/shift flags came in 2.3.
    if (version.major !== 2 || version.minor < 3) {
      lib.close();
      failures.push(`${path} is oneDNN ${version.text}, these kernels need 2.3–2.x`);
      continue;
    }
    const threads = Deno.env.get("OMP_NUM_THREADS");
    const runtime = version.cpuRuntime === 2 ? "OpenMP" : `cpu runtime ${version.cpuRuntime}`;
    let omp: _OmpSymbols | undefined;
    try {
      omp = version.cpuRuntime === 2 ? Deno.dlopen("libgomp.so.1", OMP_SYMBOLS).symbols : undefined;
    } catch {
      omp = undefined; // single-threaded primitives then use every thread, still correct
    }
    return new _DnnlLibrary(
      lib.symbols,
      `oneDNN ${version.text} ${path} (${runtime}, ` +
        `${threads === undefined ? "all cores" : `OMP_NUM_THREADS=${threads}`}, ` +
        `OMP_WAIT_POLICY=${Deno.env.get("OMP_WAIT_POLICY") ?? "unset"})`,
      omp,
    );
  }
  return `libdnnl.so.2 not found (${failures[0] ?? "no candidate path"}); ` +
    "install it with: apt-get install libdnnl2";
}

function readVersion(s: _DnnlSymbols) {
  const p = s.dnnl_version();
  if (p === null) return { major: 0, minor: 0, text: "unknown", cpuRuntime: 0 };
  const v = new Deno.UnsafePointerView(p);
  const major = v.getInt32(0);
  const minor = v.getInt32(4);
  const patch = v.getInt32(8);
  return { major, minor, text: `${major}.${minor}.${patch}`, cpuRuntime: v.getUint32(24) };
}
