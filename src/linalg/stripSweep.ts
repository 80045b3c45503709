/**
 * The block sweep of StripGreen (stripGreen.ts) run by the WebAssembly SIMD kernel of asm/strip/sweep.ts (compiled
 * by scripts/build-wasm.js into stripSweepWasm.ts): the complex block products and the inverses (from
 * P S P^T = U^T D U with symmetric interchanges of diagonal pivots where needed, or Gauss-Jordan where a pivot is
 * too small; stripGreen.ts invertComplexSymmetric) two columns
 * at a time, every element with the arithmetic of the JavaScript loops operation for operation (plain SIMD, no fused
 * multiply-add), so the results are the same to the bit (test/linalg/stripGreen.test.ts compares them).
 *
 * Each StripGreen owns an instance with a memory of its own (the pencil's blocks, masses, frictions and couplings
 * copied in once). Only for pencils whose couplings have at most one nonzero per column (a strip's are diagonal);
 * without WebAssembly SIMD, with the linear-algebra backend set to "js" (setLinalgBackend, NESS_LINALG=js), or where a
 * browser refuses to compile the module synchronously on its main thread (it is then compiled in the background for
 * the next pencil), the JavaScript sweep runs instead. Browser-safe.
 */
import type { SlicedPencil } from "./slices.js";
import { STRIP_SWEEP_WASM_BASE64 } from "./stripSweepWasm.js";
import { instanceWithMemory, lazyWasmModule } from "./wasm/lazyModule.js";
import { linalgBackend } from "./wasm/runtime.js";

interface StripExports {
  memory: WebAssembly.Memory;
  stripSweep(h: number, zr: number, zi: number, derivative: number, keep: number, ends: number): void;
}

/** The compiled module, or null where WebAssembly (SIMD) is missing or refuses it (lazyModule.ts). */
const stripModule = lazyWasmModule(STRIP_SWEEP_WASM_BASE64);

/** Byte offset of the header (past anything the module itself might place low); the arrays follow it. */
const HEADER = 1024;
const FIELDS = 26;

/** Views of the scratch matrices in the module's memory (real and imaginary parts), after a sweep. */
export interface StripSweepViews {
  gRe: Float64Array;
  gIm: Float64Array;
  spRe: Float64Array;
  spIm: Float64Array;
  qRe: Float64Array;
  qIm: Float64Array;
  keepRe: Float64Array;
  keepIm: Float64Array;
  pRe: Float64Array;
  pIm: Float64Array;
}

/** The kernel of one StripGreen (see the header). */
export class StripSweepKernel {
  private readonly x: StripExports;
  readonly views: StripSweepViews;
  private readonly out: Float64Array;
  dRe = 0;
  dIm = 0;

  private constructor(
    mod: WebAssembly.Module,
    sliced: SlicedPencil,
    gamma: Float64Array,
    nz: { start: Int32Array; end: Int32Array; row: Int32Array; col: Int32Array; val: Float64Array },
  ) {
    const L = sliced.levels;
    const n = sliced.sites.length;
    const W = sliced.width;
    const w0 = sliced.widthOf(0);
    // Layout: header, then every array 16-byte aligned.
    let at = HEADER + 4 * FIELDS;
    const place = (bytes: number): number => {
      at = Math.ceil(at / 16) * 16;
      const o = at;
      at += bytes;
      return o;
    };
    const oStart = place(4 * (L + 1));
    const oAOff = place(4 * (L + 1));
    const oNzStart = place(4 * Math.max(L - 1, 1));
    const oNzEnd = place(4 * Math.max(L - 1, 1));
    const nnz = nz.row.length;
    const oNzRow = place(4 * Math.max(nnz, 1));
    const oNzCol = place(4 * Math.max(nnz, 1));
    const oNzVal = place(8 * Math.max(nnz, 1));
    const oV = place(8 * sliced.vBlock.length);
    const oMass = place(8 * n);
    const oGamma = place(8 * n);
    const ww = W * W;
    const pw = w0 * W;
    const oG = place(16 * ww);
    const oH = place(16 * ww);
    const oS = place(16 * ww);
    const oSp = place(16 * ww);
    const oU = place(16 * ww);
    const oP = place(16 * pw);
    const oQ = place(16 * pw);
    const oKeep = place(16 * ww);
    const oPerm = place(4 * W);
    const oOut = place(16);
    const oT = place(8 * W);
    const oTi = place(8 * W);
    // A memory of the layout's size at once (instanceWithMemory: growing one would detach a buffer).
    const x = instanceWithMemory(mod, at, null, { abort: () => undefined }).instance.exports as unknown as StripExports;
    this.x = x;
    const buf = x.memory.buffer;
    const i32 = new Int32Array(buf);
    const f64 = new Float64Array(buf);
    const header = [
      L,
      w0,
      oStart,
      oAOff,
      oNzStart,
      oNzEnd,
      oNzRow,
      oNzCol,
      oNzVal,
      oV,
      oMass,
      oGamma,
      oG,
      oH,
      oS,
      oSp,
      oU,
      oP,
      oQ,
      oKeep,
      oPerm,
      oOut,
      ww,
      pw,
      oT,
      oTi,
    ];
    i32.set(header, HEADER / 4);
    i32.set(sliced.start.subarray(0, L + 1), oStart / 4);
    i32.set(sliced.aOff.subarray(0, L + 1), oAOff / 4);
    i32.set(nz.start, oNzStart / 4);
    i32.set(nz.end, oNzEnd / 4);
    i32.set(nz.row, oNzRow / 4);
    i32.set(nz.col, oNzCol / 4);
    f64.set(nz.val, oNzVal / 8);
    f64.set(sliced.vBlock, oV / 8);
    f64.set(sliced.mass.subarray(0, n), oMass / 8);
    f64.set(gamma, oGamma / 8);
    const view = (o: number, len: number) => new Float64Array(buf, o, len);
    this.views = {
      gRe: view(oG, ww),
      gIm: view(oG + 8 * ww, ww),
      spRe: view(oSp, ww),
      spIm: view(oSp + 8 * ww, ww),
      qRe: view(oQ, pw),
      qIm: view(oQ + 8 * pw, pw),
      keepRe: view(oKeep, ww),
      keepIm: view(oKeep + 8 * ww, ww),
      pRe: view(oP, pw),
      pIm: view(oP + 8 * pw, pw),
    };
    this.out = view(oOut, 2);
  }

  /**
   * The kernel for a pencil whose couplings are all given by their nonzeros (nz.end[x] >= 0), or undefined where the
   * JavaScript sweep runs (see the header).
   */
  static for(
    sliced: SlicedPencil,
    gamma: Float64Array,
    nz: { start: Int32Array; end: Int32Array; row: Int32Array; col: Int32Array; val: Float64Array },
  ): StripSweepKernel | undefined {
    if (linalgBackend().backend === "js") return undefined;
    for (let x = 0; x < nz.end.length; x++) if (nz.end[x] < 0) return undefined;
    const mod = stripModule();
    if (!mod) return undefined;
    try {
      return new StripSweepKernel(mod, sliced, gamma, nz);
    } catch {
      // Memory refused: the JavaScript sweep.
      return undefined;
    }
  }

  /** One sweep (StripGreen.evaluate's flags; `keep`: the last level's S before its inverse). */
  sweep(zr: number, zi: number, derivative: boolean, keep: boolean, ends: boolean): void {
    this.x.stripSweep(HEADER, zr, zi, derivative ? 1 : 0, keep ? 1 : 0, ends ? 1 : 0);
    this.dRe = this.out[0];
    this.dIm = this.out[1];
  }
}
