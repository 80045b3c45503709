/**
 * The O(N) sweeps of a chain's tridiagonal pencil (ChainPencil in sparse.ts: countLanes, sweepLanes,
 * complexSweepLanes) run by the WebAssembly SIMD kernels of asm/chain/sweeps.ts (compiled by scripts/build-wasm.js
 * into chainSweepsWasm.ts): every lane does the arithmetic of the JavaScript kernels operation for operation (plain
 * SIMD, no fused multiply-add), so the results are the same to the bit (test/linalg/chainSweeps.test.ts compares
 * them). Each recurrence is bound by the latency of its division: the kernels run eight real shifts as four f64x2
 * vectors and eight complex frequencies as four pairs, measured ~3x faster per lane than the JavaScript loops.
 *
 * Each pencil owns an instance with a memory of its own (the pencil's diagonals and couplings copied in once).
 * Without WebAssembly SIMD, with the linear-algebra backend set to "js" (setLinalgBackend, NESS_LINALG=js), or where
 * a browser refuses to compile the module synchronously on its main thread (it is then compiled in the background
 * for the next pencil), the JavaScript kernels run instead. Browser-safe.
 */
import { CHAIN_SWEEPS_WASM_BASE64 } from "./chainSweepsWasm.js";
import { instanceWithMemory, lazyWasmModule } from "./wasm/lazyModule.js";
import { linalgBackend } from "./wasm/runtime.js";

interface ChainExports {
  memory: WebAssembly.Memory;
  countLanes(n: number, v: number, m: number, b2: number, tiny: number, lam: number, out: number): void;
  sweepLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    tiny: number,
    lam: number,
    reverse: number,
    out: number,
  ): void;
  complexSweepLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    bb: number,
    wr: number,
    wi: number,
    g0: number,
    g1: number,
    out: number,
  ): void;
  complexEndLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    bb: number,
    wr: number,
    wi: number,
    g0: number,
    g1: number,
    out: number,
  ): void;
  growthLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    b: number,
    tiny: number,
    lam: number,
    reverse: number,
    out: number,
  ): void;
  endWeightLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    tiny: number,
    lam: number,
    reverse: number,
    out: number,
  ): void;
  slopeLanes(
    n: number,
    v: number,
    m: number,
    b2: number,
    tiny: number,
    lam: number,
    reverse: number,
    out: number,
  ): void;
}

/** The compiled module, or null where WebAssembly (SIMD) is missing or refuses it (lazyModule.ts). */
const chainModule = lazyWasmModule(CHAIN_SWEEPS_WASM_BASE64);

/** Byte offsets (past anything the module itself might place low): lane inputs and outputs, the pencil's arrays. */
const LAM = 1024;
const WR = 1088;
const WI = 1152;
const OUT = 1216;
const ARRAYS = 2048;

/** The kernels of one ChainPencil (see the header). */
export class ChainSweepKernel {
  private readonly x: ChainExports;
  private readonly f: Float64Array;
  private readonly n: number;
  private readonly oV: number;
  private readonly oM: number;
  private readonly oB2: number;
  private readonly oB: number;
  private readonly tiny: number;

  private constructor(x: ChainExports, v: Float64Array, m: Float64Array, b2: Float64Array, tiny: number) {
    const n = v.length;
    this.x = x;
    this.n = n;
    this.tiny = tiny;
    this.oV = ARRAYS;
    this.oM = this.oV + 8 * n;
    // b2 padded by one unused double on either side (see asm/chain/sweeps.ts).
    this.oB2 = this.oM + 8 * n;
    this.oB = this.oB2 + 8 * (n + 1);
    this.f = new Float64Array(x.memory.buffer);
    const f = this.f;
    f.set(v, this.oV / 8);
    f.set(m, this.oM / 8);
    f[this.oB2 / 8] = 0;
    f.set(b2, this.oB2 / 8 + 1);
    f[this.oB2 / 8 + n] = 0;
    for (let k = 0; k + 1 < n; k++) f[this.oB / 8 + k] = Math.sqrt(b2[k]);
  }

  /** The kernels for a pencil, or undefined where the JavaScript kernels run (see the header). */
  static for(v: Float64Array, m: Float64Array, b2: Float64Array, tiny: number): ChainSweepKernel | undefined {
    if (v.length < 2 || linalgBackend().backend === "js") return undefined;
    const mod = chainModule();
    if (!mod) return undefined;
    try {
      // growthLanes' rare rescaling steps call JavaScript's log2 and power: the values of ChainPencil.growth. The
      // memory is made large enough at once (instanceWithMemory: growing one would detach a buffer).
      const { instance } = instanceWithMemory(mod, ARRAYS + 8 * (4 * v.length + 1), null, {
        abort: () => undefined,
        log2: Math.log2,
        pow2: (y: number) => 2 ** y,
      });
      return new ChainSweepKernel(instance.exports as unknown as ChainExports, v, m, b2, tiny);
    } catch {
      // Memory refused: the JavaScript kernels.
      return undefined;
    }
  }

  /** The counts into `negative`; ln |det| into `logDet` (ChainPencil.countLanes: exponent sum and mantissa). */
  countLanes(lambdas: Float64Array, negative: Int32Array, logDet: Float64Array): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) f[LAM / 8 + l] = lambdas[l];
    this.x.countLanes(this.n, this.oV, this.oM, this.oB2, this.tiny, LAM, OUT);
    for (let l = 0; l < 8; l++) {
      negative[l] = f[OUT / 8 + l];
      logDet[l] = (f[OUT / 8 + 8 + l] + Math.log2(f[OUT / 8 + 16 + l])) * Math.LN2;
    }
  }

  sweepLanes(
    lambdas: Float64Array,
    reverse: boolean,
    out: {
      negative: Int32Array;
      logDerivative: Float64Array;
      logCurvature: Float64Array;
      endWeight: Float64Array;
      endCurvature: Float64Array;
    },
  ): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) f[LAM / 8 + l] = lambdas[l];
    this.x.sweepLanes(this.n, this.oV, this.oM, this.oB2, this.tiny, LAM, reverse ? 1 : 0, OUT);
    const o = OUT / 8;
    for (let l = 0; l < 8; l++) {
      out.logDerivative[l] = f[o + l];
      out.logCurvature[l] = f[o + 8 + l];
      out.endWeight[l] = f[o + 16 + l];
      out.negative[l] = f[o + 24 + l];
      out.endCurvature[l] = f[o + 32 + l];
    }
  }

  /**
   * ChainPencil.growth at eight shifts: the negative pivots into `negative`, ln max |psi| into `growth` (from the
   * kernel's last maximum, p 2^e, as the JavaScript kernel takes it: (e + log2 p) ln 2).
   */
  growthLanes(lambdas: Float64Array, reverse: boolean, negative: Int32Array, growth: Float64Array): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) f[LAM / 8 + l] = lambdas[l];
    this.x.growthLanes(this.n, this.oV, this.oM, this.oB2, this.oB, this.tiny, LAM, reverse ? 1 : 0, OUT);
    const o = OUT / 8;
    for (let l = 0; l < 8; l++) {
      negative[l] = f[o + l];
      growth[l] = (f[o + 16 + l] + Math.log2(f[o + 8 + l])) * Math.LN2;
    }
  }

  /** The end weights, last pivots' r'' and end slopes of sweepLanes only (the other lane results are left as they were). */
  endWeightLanes(
    lambdas: Float64Array,
    reverse: boolean,
    endWeight: Float64Array,
    endCurvature: Float64Array,
    endSlope: Float64Array,
  ): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) f[LAM / 8 + l] = lambdas[l];
    this.x.endWeightLanes(this.n, this.oV, this.oM, this.oB2, this.tiny, LAM, reverse ? 1 : 0, OUT);
    for (let l = 0; l < 8; l++) {
      endWeight[l] = f[OUT / 8 + 16 + l];
      endCurvature[l] = f[OUT / 8 + 32 + l];
      endSlope[l] = f[OUT / 8 + l];
    }
  }

  /** The counts and end slopes of sweepLanes only (the other lane results are left as they were). */
  slopeLanes(lambdas: Float64Array, reverse: boolean, negative: Int32Array, endSlope: Float64Array): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) f[LAM / 8 + l] = lambdas[l];
    this.x.slopeLanes(this.n, this.oV, this.oM, this.oB2, this.tiny, LAM, reverse ? 1 : 0, OUT);
    for (let l = 0; l < 8; l++) {
      endSlope[l] = f[OUT / 8 + l];
      negative[l] = f[OUT / 8 + 24 + l];
    }
  }

  /** The last pivots and p of complexSweepLanes only (the other lane results are left as they were). */
  complexEndLanes(
    wRe: Float64Array,
    wIm: Float64Array,
    g0: number,
    g1: number,
    z: { lastRe: Float64Array; lastIm: Float64Array; pRe: Float64Array; pIm: Float64Array; pLog2: Float64Array },
  ): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) {
      f[WR / 8 + l] = wRe[l];
      f[WI / 8 + l] = wIm[l];
    }
    this.x.complexEndLanes(this.n, this.oV, this.oM, this.oB2, this.oB, WR, WI, g0, g1, OUT);
    const o = OUT / 8;
    for (let l = 0; l < 8; l++) {
      z.lastRe[l] = f[o + 16 + l];
      z.lastIm[l] = f[o + 24 + l];
      z.pRe[l] = f[o + 48 + l];
      z.pIm[l] = f[o + 56 + l];
      z.pLog2[l] = f[o + 64 + l];
    }
  }

  complexSweepLanes(
    wRe: Float64Array,
    wIm: Float64Array,
    g0: number,
    g1: number,
    z: {
      logDerRe: Float64Array;
      logDerIm: Float64Array;
      lastRe: Float64Array;
      lastIm: Float64Array;
      lastDerRe: Float64Array;
      lastDerIm: Float64Array;
      pRe: Float64Array;
      pIm: Float64Array;
      pLog2: Float64Array;
    },
  ): void {
    const f = this.f;
    for (let l = 0; l < 8; l++) {
      f[WR / 8 + l] = wRe[l];
      f[WI / 8 + l] = wIm[l];
    }
    this.x.complexSweepLanes(this.n, this.oV, this.oM, this.oB2, this.oB, WR, WI, g0, g1, OUT);
    const o = OUT / 8;
    for (let l = 0; l < 8; l++) {
      z.logDerRe[l] = f[o + l];
      z.logDerIm[l] = f[o + 8 + l];
      z.lastRe[l] = f[o + 16 + l];
      z.lastIm[l] = f[o + 24 + l];
      z.lastDerRe[l] = f[o + 32 + l];
      z.lastDerIm[l] = f[o + 40 + l];
      z.pRe[l] = f[o + 48 + l];
      z.pIm[l] = f[o + 56 + l];
      z.pLog2[l] = f[o + 64 + l];
    }
  }
}
