/**
 * The WebAssembly kernels of the linear algebra (asm/linalg.ts, compiled by scripts/build-wasm.js into binary.ts):
 * instantiated once from bytes when this module is first imported (the same code in Node and browsers: no fetch,
 * no file system; no top-level await, which would delay a Web Worker's message handlers), with relaxed SIMD
 * (fused multiply-add) where the engine validates it and plain SIMD otherwise.
 * Without WebAssembly SIMD, or after setLinalgBackend("js"), every kernel runs its JavaScript version instead (the
 * fallback, and the cross-check of the tests). The environment variable NESS_LINALG=js (Node) does the same, and
 * NESS_LINALG=simd refuses relaxed SIMD.
 *
 * Memory: a kernel works on Float64Arrays that are views of the module's linear memory. withWorkspace() lends such
 * views for the duration of one call (a stack: nested calls take what follows). The module imports its memory: a
 * request larger than it gets a new, larger memory holding the old contents and a new instance over it (never
 * Memory.grow, which detaches a buffer and in V8 slows every typed array of the process), only when no workspace is
 * open (views of the old memory would no longer be the kernels'); a nested request that does not fit, or one the
 * engine refuses the memory for, gets ordinary arrays (the JavaScript kernels then run on them, correct but slower).
 */
import { MatrixArgumentError } from "../errors.js";
import { RELAXED_SIMD_WASM_BASE64, SIMD_WASM_BASE64 } from "./binary.js";
import { instanceWithMemory } from "./lazyModule.js";

/** The exports of asm/linalg.ts and the files it re-exports (addresses are byte offsets into `memory`). */
export interface WasmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  fusedMultiplyAdd(): number;
  gemmWorkBytes(): number;
  gemm(
    tA: number,
    tB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  gemmUpper(
    tA: number,
    tB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  gemmRanged(
    tA: number,
    tB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    work: number,
    ra: number,
    rb: number,
  ): void;
  gemvN(m: number, len: number, alpha: number, a: number, lda: number, x: number, y: number): void;
  gemvT(m: number, len: number, alpha: number, a: number, lda: number, x: number, y: number): void;
  ger(m: number, len: number, alpha: number, x: number, y: number, a: number, lda: number): void;
  reflectRight(x: number, ldx: number, r0: number, r1: number, c0: number, len: number, tau: number, v: number): void;
  reflectLeft(
    x: number,
    ldx: number,
    r0: number,
    len: number,
    c0: number,
    c1: number,
    tau: number,
    v: number,
    w: number,
  ): void;
  reflectorsLeft(
    x: number,
    n: number,
    kb: number,
    count: number,
    last: number,
    c0: number,
    c1: number,
    refT: number,
    refU1: number,
    refU2: number,
  ): void;
  qrSweep(
    n: number,
    h: number,
    zt: number,
    l: number,
    i: number,
    i1: number,
    i2: number,
    chunk: number,
    refT: number,
    refU1: number,
    refU2: number,
    rt1r: number,
    rt1i: number,
    rt2r: number,
    rt2i: number,
  ): void;
  lyapTriangularWork(n: number): number;
  lyapTriangular(
    n: number,
    t: number,
    ldt: number,
    c: number,
    ldc: number,
    y: number,
    ldy: number,
    work: number,
    mirror: number,
  ): number;
  lyapEstimateWork(n: number): number;
  lyapInverseNormEstimate(
    n: number,
    t: number,
    tr: number,
    x: number,
    y: number,
    flip: number,
    sign: number,
    work: number,
    kept: number,
    keptReady?: number,
  ): number;
  lyapTriangularKeep(
    n: number,
    t: number,
    c: number,
    ldc: number,
    y: number,
    ldy: number,
    work: number,
    mirror: number,
    kept: number,
  ): number;
  lyapPairCacheSize(nb: number): number;
  lyapSetGemmWork(work: number): void;
  rotateRows(q: number, n: number, l: number, count: number, rc: number, rs: number): void;
  rotatePlane(m: number, t: number, vt: number, j: number, cs: number, sn: number, c0: number, r1: number): void;
  applyBlockSwap(m: number, t: number, vt: number, j1: number, p: number, q: number): void;
  swapBlocks(m: number, t: number, vt: number, j1: number, n1: number, n2: number, work: number): number;
  moveBlockUp(m: number, t: number, vt: number, from: number, to: number, work: number): number;
  aedReorderWork(): number;
  aedReorder(nw: number, s: number, vt: number, spike: number, smlnum: number, work: number): number;
  smallSchurWork(n: number): number;
  smallSchur(n: number, h: number, zt: number, wr: number, wi: number, wantT: number, work: number): number;
  ddLyapunovResidual(
    n: number,
    rowStart: number,
    col: number,
    aHi: number,
    aHiH: number,
    aHiL: number,
    aLo: number,
    s: number,
    ds: number,
    dHi: number,
    dLo: number,
    mh: number,
    ml: number,
    r: number,
  ): void;
  lyapunovResidualSums(n: number, a: number, s: number, d: number, m: number, out: number): void;
  chaseSlab(
    n: number,
    h: number,
    ktop: number,
    kbot: number,
    incol: number,
    nbmps: number,
    pairs: number,
    ut: number,
    kdu: number,
    v: number,
  ): void;
}

export interface WasmRuntime {
  /** The instance's exports and its memory: replaced together when a workspace needs a larger memory. */
  readonly x: WasmExports;
  readonly memory: WebAssembly.Memory;
  /** The build in use fuses multiply-adds (relaxed SIMD). */
  readonly fma: boolean;
  /** Byte address of gemm's packing workspace. */
  readonly gemmWork: number;
  /** First byte lent by withWorkspace. */
  readonly heap: number;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function preference(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return (env?.NESS_LINALG ?? "").toLowerCase();
}

const env = {
  abort: (): never => {
    throw new Error("wasm abort");
  },
};

/** The binary to use: relaxed SIMD where the engine validates it (and it is not refused), else plain SIMD, else none. */
function pickBinary(): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== "object" || preference() === "js") return null;
  const simd = decode(SIMD_WASM_BASE64);
  if (!WebAssembly.validate(simd)) return null;
  if (preference() === "simd") return simd;
  const relaxed = decode(RELAXED_SIMD_WASM_BASE64);
  return WebAssembly.validate(relaxed) ? relaxed : simd;
}

/** The runtime with its instance and memory replaceable (withWorkspace's larger memories). */
interface Runtime extends WasmRuntime {
  x: WasmExports;
  memory: WebAssembly.Memory;
}

function runtimeOf(instance: WebAssembly.Instance, memory: WebAssembly.Memory): Runtime {
  const x = instance.exports as unknown as WasmExports;
  const base = x.heapBase();
  const gemmWork = (base + 15) & ~15;
  const heap = (gemmWork + x.gemmWorkBytes() + 15) & ~15;
  // the blocked triangular Lyapunov solves (asm/lyapunov.ts) run their products in gemm's workspace
  x.lyapSetGemmWork(gemmWork);
  return { x, memory, fma: x.fusedMultiplyAdd() === 1, gemmWork, heap };
}

/** The module's first memory (the module imports it: a larger one replaces it, see withWorkspace). */
const FIRST_BYTES = 1 << 20;

// Synchronous instantiation (Node, Web Workers), so that the first solve already has the kernels. Browsers refuse
// to compile modules over 4 KB synchronously on their main thread: there the module is compiled asynchronously
// (WebAssembly.instantiate) and the JavaScript kernels serve until it is ready (linalgReady()).
let loaded: Runtime | null = null;
let linalgModule: WebAssembly.Module | null = null;
let ready: Promise<void> = Promise.resolve();
{
  let bytes: Uint8Array<ArrayBuffer> | null = null;
  try {
    bytes = pickBinary();
  } catch {
    bytes = null;
  }
  if (bytes) {
    try {
      const module = new WebAssembly.Module(bytes);
      const made = instanceWithMemory(module, FIRST_BYTES, null, env);
      loaded = runtimeOf(made.instance, made.memory);
      linalgModule = module;
    } catch {
      const b = bytes;
      const memory = new WebAssembly.Memory({ initial: FIRST_BYTES / 65536 });
      ready = WebAssembly.instantiate(b, { env: { ...env, memory } }).then(
        (r) => {
          loaded = runtimeOf(r.instance, memory);
          linalgModule = r.module;
        },
        () => {},
      );
    }
  }
}

/**
 * Resolves when the WebAssembly kernels are loaded (at once in Node; browsers compile them asynchronously).
 *
 * @example
 * ```ts
 * import { linalgReady } from "ness/linalg";
 *
 * await linalgReady(); // in a browser, before timing the first solve
 * ```
 */
export function linalgReady(): Promise<void> {
  return ready;
}

let enabled = true;

/** The kernels, or null when the JavaScript path is in use. */
export function wasm(): WasmRuntime | null {
  return enabled ? loaded : null;
}

/**
 * Chooses the kernels of the linear algebra: "wasm" (the default where WebAssembly SIMD works) or "js".
 *
 * @example
 * ```ts
 * import { linalgBackend, setLinalgBackend } from "ness/linalg";
 *
 * const before = linalgBackend().backend;
 * setLinalgBackend("js");
 * console.log(linalgBackend().backend); // => js
 * setLinalgBackend(before);
 * ```
 */
export function setLinalgBackend(backend: "wasm" | "js"): void {
  if (backend !== "wasm" && backend !== "js")
    throw new MatrixArgumentError(`setLinalgBackend: the backend must be "wasm" or "js", got ${String(backend)}`);
  enabled = backend === "wasm";
}

/**
 * Which kernels run: "wasm" (with or without fused multiply-add) or "js".
 *
 * @example
 * ```ts
 * import { linalgBackend } from "ness/linalg";
 *
 * console.log(["wasm", "js"].includes(linalgBackend().backend)); // => true
 * ```
 */
export function linalgBackend(): { backend: "wasm" | "js"; fusedMultiplyAdd: boolean } {
  const rt = wasm();
  return { backend: rt ? "wasm" : "js", fusedMultiplyAdd: rt?.fma ?? false };
}

/** True when `a` is a view of the kernels' memory (so that kernels can take it by address). */
export function inMemory(rt: WasmRuntime, a: Float64Array): boolean {
  // Memory.buffer is an accessor call into the engine: compare with the buffer recorded when the memory was created or
  // last replaced (only withWorkspace replaces it; the kernels allocate nothing), asking the engine only if that
  // record is of another runtime
  if (bufferOf !== rt) {
    bufferOf = rt;
    currentBuffer = rt.memory.buffer;
  }
  return a.buffer === currentBuffer;
}
let bufferOf: WasmRuntime | null = null;
let currentBuffer: ArrayBufferLike | null = null;

/** Byte address of a[off] (a a view of the kernels' memory). */
export function addr(a: Float64Array, off = 0): number {
  return a.byteOffset + 8 * off;
}

/**
 * Views lent by withWorkspace: `doubles(n)` gives n zeroed doubles, 16-byte aligned; `doubles(n, false)` leaves
 * whatever an earlier workspace wrote there (for arrays the caller writes in full before reading).
 */
export interface Workspace {
  /** True when the views are in the kernels' memory. */
  readonly inWasm: boolean;
  doubles(n: number, zero?: boolean): Float64Array;
}

let top = 0; // next free byte while workspaces are open
let open = 0;
/** Workspaces that fell back to ordinary arrays (a nested request that did not fit). */
export let workspaceFallbacks = 0;

const heapWorkspace: Workspace = { inWasm: false, doubles: (n) => new Float64Array(n) };
let current: Workspace = heapWorkspace;

/**
 * n zeroed doubles from the innermost open workspace (an ordinary array when none is open): the scratch arrays of
 * kernels called inside withWorkspace, released with it. `zero = false` skips the clearing (Workspace.doubles).
 */
export function scratch(n: number, zero = true): Float64Array {
  return current.doubles(n, zero);
}

/**
 * Replaces the runtime's memory by one of at least `bytes` (and half as large again as the old, or where the engine
 * refuses that, exactly `bytes`), holding the old contents, and its instance by one over it (gemm's workspace
 * address set again): never Memory.grow, which detaches the old buffer and in V8 slows every typed array of the
 * process (lazyModule.ts, instanceWithMemory). The runtime object is updated in place, so callers that hold it see
 * the new instance; only when no workspace is open. Throws when not even `bytes` can be had (a browser's main thread
 * may also refuse the synchronous instantiation): the workspace is then ordinary arrays.
 */
function enlarge(rt: Runtime, bytes: number): void {
  const old = rt.memory;
  const ample = Math.max(bytes, 1.5 * old.buffer.byteLength);
  let made: { instance: WebAssembly.Instance; memory: WebAssembly.Memory };
  try {
    made = instanceWithMemory(linalgModule!, ample, old, env);
  } catch (e) {
    // the headroom refused (near the engine's limit for a memory): the size asked for, if that is fewer pages
    if (Math.ceil(ample / 65536) <= Math.ceil(bytes / 65536)) throw e;
    made = instanceWithMemory(linalgModule!, bytes, old, env);
  }
  rt.x = made.instance.exports as unknown as WasmExports;
  rt.memory = made.memory;
  rt.x.lyapSetGemmWork(rt.gemmWork);
}

/**
 * Runs fn with a workspace of at least `doubles` doubles (plus alignment) in the kernels' memory; what fn allocates
 * from it is released when fn returns. Without the kernels, the workspace gives ordinary arrays.
 */
export function withWorkspace<T>(doubles: number, fn: (ws: Workspace) => T, slots = 16): T {
  const rt = wasm();
  if (!rt || (open > 0 && !current.inWasm)) return run(heapWorkspace, fn);
  const bytes = 8 * doubles + 16 * slots;
  const start = open === 0 ? rt.heap : top;
  const end = start + bytes;
  if (end > rt.memory.buffer.byteLength) {
    if (open > 0) {
      workspaceFallbacks++;
      return run(heapWorkspace, fn);
    }
    try {
      enlarge(loaded!, end);
      bufferOf = null; // a new buffer: inMemory records it
    } catch {
      // the engine refuses the memory (beyond its limit for 32-bit WebAssembly): ordinary arrays instead
      workspaceFallbacks++;
      return run(heapWorkspace, fn);
    }
  }
  const saved = top;
  top = start;
  const buffer = rt.memory.buffer;
  const ws: Workspace = {
    inWasm: true,
    doubles(n: number, zero = true): Float64Array {
      const at = (top + 15) & ~15;
      if (at + 8 * n > end) {
        workspaceFallbacks++;
        return new Float64Array(n);
      }
      top = at + 8 * n;
      const v = new Float64Array(buffer, at, n);
      if (zero) v.fill(0);
      return v;
    },
  };
  try {
    return run(ws, fn);
  } finally {
    top = saved;
  }
}

function run<T>(ws: Workspace, fn: (ws: Workspace) => T): T {
  const outer = current;
  current = ws;
  open++;
  try {
    return fn(ws);
  } finally {
    open--;
    current = outer;
  }
}
