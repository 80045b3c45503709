/**
 * The flat pair list of the 2D one-law cell order (CellOrderList.buildPairs, lists.ts) and the force loops over it
 * (pairKernels.ts oneLawPairs, oneLawHeatPairs), run by the WebAssembly kernels of asm/particles/pairs.ts (compiled
 * by scripts/build-wasm.js into pairsWasm.ts): the same candidates in the same order with the same arithmetic, so
 * the same list pair for pair and the same forces, energies and pair heats to the bit; the build 1.6x faster than
 * the JavaScript loop at N = 10^4, the force loops 1.2-1.8x by their profile shares (docs/performance.md). Each
 * list owns an instance with a memory of its own (positions copied in at each build, the grid, the pairs, and the
 * cell-order positions, forces and displacements the list gathers into views of it): the arrays handed back are
 * views of that memory, made anew when a build needed more room (a new memory and instance holding the old
 * contents: never Memory.grow, which detaches the old buffer and in V8 slows every typed array of the process;
 * lazyModule.ts). Without WebAssembly, or for a list made with the "js" kernel (the tests' cross-check), the
 * JavaScript loops run instead. Browser-safe (the module is a few hundred bytes, compiled synchronously once).
 */
import { instanceWithMemory } from "../../linalg/wasm/lazyModule.js";
import { PAIRS_WASM_BASE64 } from "./pairsWasm.js";

interface PairsExports {
  buildPairs(
    xs: number,
    ys: number,
    start: number,
    triples: number,
    tripleStart: number,
    ncell: number,
    I: number,
    J: number,
    cap: number,
    Lx: number,
    Ly: number,
    reach2: number,
  ): number;
  softPairs(
    I: number,
    J: number,
    np: number,
    px: number,
    py: number,
    fx: number,
    fy: number,
    Lx: number,
    Ly: number,
    k: number,
    is: number,
    c2: number,
    keep: number,
  ): number;
  softPairsHeat(
    I: number,
    J: number,
    np: number,
    px: number,
    py: number,
    fx: number,
    fy: number,
    ux: number,
    uy: number,
    ss: number,
    S: number,
    share: number,
    out: number,
    invDt: number,
    Lx: number,
    Ly: number,
    k: number,
    is: number,
    c2: number,
    keep: number,
  ): number;
  gatherCells(
    N: number,
    order: number,
    ox: number,
    oy: number,
    w: number,
    x: number,
    x0: number,
    px: number,
    py: number,
    ux: number,
    uy: number,
    fx: number,
    fy: number,
  ): void;
  scatterCells(N: number, order: number, fx: number, fy: number, f: number): void;
}

/** The compiled module: undefined before the first use, null where WebAssembly is missing or refuses it. */
let compiled: WebAssembly.Module | null | undefined;

/** The compiled module of asm/particles/pairs.ts (also the xoshiro fill's, xoshiroWasm.ts), or null without WebAssembly. */
export function pairsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== "object") return null;
  try {
    const s = atob(PAIRS_WASM_BASE64);
    const bytes = new Uint8Array(new ArrayBuffer(s.length));
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Room of the force loops' scratch: the kernel's block of pairs (asm/particles/pairs.ts BLOCK). */
const KEEP = 256;

/** Where the kernel's inputs start in its memory (past anything the module itself might place low). */
const BASE = 1024;

/** The grid and positions a build reads (CellSort's). */
export interface PairBuildInput {
  xs: Float64Array;
  ys: Float64Array;
  /** Species in cell order (copied for the heat loop), and their number. */
  ss: Int32Array;
  species: number;
  start: Int32Array;
  triples: Int32Array;
  tripleStart: Int32Array;
  Lx: number;
  Ly: number;
  reach2: number;
  /** The particle at each cell-order position, and the wrap offsets of the last sort in cell order (copied for the gathers). */
  order: Int32Array;
  ox: Float64Array;
  oy: Float64Array;
}

/** A WebAssembly pair-list builder for one list (see the header). */
export class WasmPairList {
  private x: PairsExports;
  /** The instance's memory (imported; the instance's own export is the same object): the one source of buffers. */
  private memory: WebAssembly.Memory;
  /**
   * The fewest bytes the engine refused a memory of: a layout needing as much or more fails at once (the caller
   * builds in JavaScript, the same list), without asking again at every rebuild.
   */
  private refused = Infinity;
  /** Byte offsets of the inputs and of the pair arrays, and the pairs they hold. */
  private oX = 0;
  private oY = 0;
  private oStart = 0;
  private oTriples = 0;
  private oTripleStart = 0;
  private oI = 0;
  private oJ = 0;
  private cap = 0;
  /** Per particle in cell order (see the views below), and the heat's share (S x S) and sums (S). */
  private oPx = 0;
  private oPy = 0;
  private oFx = 0;
  private oFy = 0;
  private oUx = 0;
  private oUy = 0;
  private oSs = 0;
  /** The sort's order and wrap offsets (cell order), positions in particle order (x, x0: N x 2) and forces out. */
  private oOrder = 0;
  private oOx = 0;
  private oOy = 0;
  private oXin = 0;
  private oX0in = 0;
  private oFout = 0;
  private N = 0;
  private oShare = 0;
  private oOut = 0;
  /** Scratch of the force loops (the indices of one block's pairs that take part: asm/particles/pairs.ts BLOCK). */
  private oKeep = 0;
  private S = 0;
  /** The grid arrays last copied into memory (copied again when the grid's layout changes or memory moves). */
  private triplesIn: Int32Array | null = null;
  /** The pairs of the last build: views of the memory. */
  I = new Int32Array(0);
  J = new Int32Array(0);
  /**
   * Views of the memory that the force loops (softPairs, softPairsHeat) read and write: positions, forces and the
   * step's displacements in cell order, made anew when a build moved the memory (CellOrderList takes them after
   * each build as its own px, py, pfx, pfy, pdx, pdy).
   */
  px = new Float64Array(0);
  py = new Float64Array(0);
  fx = new Float64Array(0);
  fy = new Float64Array(0);
  ux = new Float64Array(0);
  uy = new Float64Array(0);
  private xin = new Float64Array(0);
  private x0in = new Float64Array(0);
  private fout = new Float64Array(0);
  private shareView = new Float64Array(0);
  private outView = new Float64Array(0);

  private constructor(
    private readonly module: WebAssembly.Module,
    made: { instance: WebAssembly.Instance; memory: WebAssembly.Memory },
  ) {
    this.x = made.instance.exports as unknown as PairsExports;
    this.memory = made.memory;
  }

  /** A builder, or null where WebAssembly is missing (the JavaScript loop is then used). */
  static create(): WasmPairList | null {
    const m = pairsModule();
    if (m === null) return null;
    try {
      return new WasmPairList(m, instanceWithMemory(m, BASE));
    } catch {
      return null;
    }
  }

  /**
   * Lays out memory for N positions, the grid and `cap` pairs, in a new memory when needed (twice the old, or where the
   * engine refuses that, exactly the layout's size); false, with the layout and memory unchanged, when even that is
   * refused (remembered: a layout as large or larger is not asked for again).
   */
  private layout(N: number, cells: number, triples: number, cap: number, S: number): boolean {
    const al = (n: number) => (n + 63) & ~63;
    const oX = BASE;
    const oY = oX + al(8 * N);
    const oPx = oY + al(8 * N);
    const oPy = oPx + al(8 * N);
    const oFx = oPy + al(8 * N);
    const oFy = oFx + al(8 * N);
    const oUx = oFy + al(8 * N);
    const oUy = oUx + al(8 * N);
    const oSs = oUy + al(8 * N);
    const oOrder = oSs + al(4 * N);
    const oOx = oOrder + al(4 * N);
    const oOy = oOx + al(8 * N);
    const oXin = oOy + al(8 * N);
    const oX0in = oXin + al(16 * N);
    const oFout = oX0in + al(16 * N);
    const oShare = oFout + al(16 * N);
    const oOut = oShare + al(8 * S * S);
    const oKeep = oOut + al(8 * S);
    const oStart = oKeep + al(4 * KEEP);
    const oTripleStart = oStart + al(4 * (cells + 1));
    const oTriples = oTripleStart + al(4 * (cells + 1));
    const oI = oTriples + al(4 * triples);
    const oJ = oI + al(4 * cap);
    const end = oJ + al(4 * cap);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      if (end >= this.refused) return false;
      // A new memory and instance holding the old contents (instanceWithMemory: growing would detach a buffer).
      const ample = Math.max(end, 2 * have);
      let made: { instance: WebAssembly.Instance; memory: WebAssembly.Memory } | null = null;
      try {
        made = instanceWithMemory(this.module, ample, this.memory);
      } catch {
        // the headroom refused (near the engine's limit for a memory): the size asked for, if that is fewer pages
        if (Math.ceil(end / 65536) < Math.ceil(ample / 65536)) {
          try {
            made = instanceWithMemory(this.module, end, this.memory);
          } catch {
            made = null;
          }
        }
      }
      if (made === null) {
        this.refused = end;
        return false;
      }
      this.x = made.instance.exports as unknown as PairsExports;
      this.memory = made.memory;
    }
    this.oX = oX;
    this.oY = oY;
    this.oPx = oPx;
    this.oPy = oPy;
    this.oFx = oFx;
    this.oFy = oFy;
    this.oUx = oUx;
    this.oUy = oUy;
    this.oSs = oSs;
    this.oOrder = oOrder;
    this.oOx = oOx;
    this.oOy = oOy;
    this.oXin = oXin;
    this.oX0in = oX0in;
    this.oFout = oFout;
    this.oShare = oShare;
    this.oOut = oOut;
    this.oKeep = oKeep;
    this.oStart = oStart;
    this.oTripleStart = oTripleStart;
    this.oTriples = oTriples;
    this.oI = oI;
    this.oJ = oJ;
    this.N = N;
    this.S = S;
    this.cap = cap;
    this.triplesIn = null;
    return true;
  }

  /**
   * Builds the list from `g` into this.I, this.J (views of the memory) and returns the number of pairs, or -1 when
   * memory could not be had (the caller builds in JavaScript).
   */
  build(g: PairBuildInput): number {
    const N = g.xs.length,
      ncell = g.tripleStart.length - 1;
    const S = g.species;
    if (
      this.cap === 0 ||
      this.oPx - this.oY < 8 * N ||
      this.S !== S ||
      this.oTriples - this.oTripleStart < 4 * (ncell + 1)
    ) {
      if (!this.layout(N, ncell, g.triples.length, Math.max(1024, 4 * N), S)) return -1;
    }
    for (;;) {
      if (this.triplesIn !== g.triples || this.oI - this.oTriples < 4 * g.triples.length) {
        if (this.oI - this.oTriples < 4 * g.triples.length && !this.layout(N, ncell, g.triples.length, this.cap, S))
          return -1;
        const buf = this.memory.buffer; // after layout: it may have made a new memory
        new Int32Array(buf, this.oTriples, g.triples.length).set(g.triples);
        new Int32Array(buf, this.oTripleStart, ncell + 1).set(g.tripleStart);
        this.triplesIn = g.triples;
      }
      const buf = this.memory.buffer;
      new Float64Array(buf, this.oX, N).set(g.xs);
      new Float64Array(buf, this.oY, N).set(g.ys);
      new Int32Array(buf, this.oStart, ncell + 1).set(g.start);
      new Int32Array(buf, this.oSs, N).set(g.ss);
      new Int32Array(buf, this.oOrder, N).set(g.order);
      new Float64Array(buf, this.oOx, N).set(g.ox);
      new Float64Array(buf, this.oOy, N).set(g.oy);
      const np = this.x.buildPairs(
        this.oX,
        this.oY,
        this.oStart,
        this.oTriples,
        this.oTripleStart,
        ncell,
        this.oI,
        this.oJ,
        this.cap,
        g.Lx,
        g.Ly,
        g.reach2,
      );
      if (np >= 0) {
        const b = this.memory.buffer;
        if (this.I.buffer !== b || this.I.byteOffset !== this.oI || this.I.length !== this.cap) {
          this.I = new Int32Array(b, this.oI, this.cap);
          this.J = new Int32Array(b, this.oJ, this.cap);
          this.px = new Float64Array(b, this.oPx, N);
          this.py = new Float64Array(b, this.oPy, N);
          this.fx = new Float64Array(b, this.oFx, N);
          this.fy = new Float64Array(b, this.oFy, N);
          this.ux = new Float64Array(b, this.oUx, N);
          this.uy = new Float64Array(b, this.oUy, N);
          this.xin = new Float64Array(b, this.oXin, 2 * N);
          this.x0in = new Float64Array(b, this.oX0in, 2 * N);
          this.fout = new Float64Array(b, this.oFout, 2 * N);
          this.shareView = new Float64Array(b, this.oShare, S * S);
          this.outView = new Float64Array(b, this.oOut, S);
        }
        return np;
      }
      if (!this.layout(N, ncell, g.triples.length, 2 * this.cap, S)) return -1;
    }
  }

  /**
   * Forces of one soft law (k, is = 1/range, c2 = cutoff^2) over the first np pairs of the last build, from px, py
   * into fx, fy (the views above); returns the energy (pairKernels.ts oneLawPairs's arithmetic and order).
   */
  softPairs(np: number, Lx: number, Ly: number, k: number, is: number, c2: number): number {
    return this.x.softPairs(
      this.oI,
      this.oJ,
      np,
      this.oPx,
      this.oPy,
      this.oFx,
      this.oFy,
      Lx,
      Ly,
      k,
      is,
      c2,
      this.oKeep,
    );
  }

  /**
   * softPairs with the step's pair heat (displacements in ux, uy): each pair's share (S x S `share`) added to `out`
   * (S), as pairKernels.ts oneLawHeatPairs does.
   */
  softPairsHeat(
    np: number,
    share: Float64Array,
    out: Float64Array,
    invDt: number,
    Lx: number,
    Ly: number,
    k: number,
    is: number,
    c2: number,
  ): number {
    this.shareView.set(share);
    this.outView.set(out);
    const u = this.x.softPairsHeat(
      this.oI,
      this.oJ,
      np,
      this.oPx,
      this.oPy,
      this.oFx,
      this.oFy,
      this.oUx,
      this.oUy,
      this.oSs,
      this.S,
      this.oShare,
      this.oOut,
      invDt,
      Lx,
      Ly,
      k,
      is,
      c2,
      this.oKeep,
    );
    out.set(this.outView);
    return u;
  }

  /**
   * The positions x (N x 2, particle order) in cell order into px, py (less the last sort's wrap offsets when
   * `wrapped`), the forces fx, fy zeroed, and with x0 the step's displacements x - x0 into ux, uy (CellOrderList's
   * gather, the same arithmetic), with the order and offsets of the last build.
   */
  gather(x: Float64Array, wrapped: boolean, x0: Float64Array | null): void {
    this.xin.set(x);
    if (x0 !== null) this.x0in.set(x0);
    this.x.gatherCells(
      this.N,
      this.oOrder,
      this.oOx,
      this.oOy,
      wrapped ? 1 : 0,
      this.oXin,
      x0 !== null ? this.oX0in : 0,
      this.oPx,
      this.oPy,
      this.oUx,
      this.oUy,
      this.oFx,
      this.oFy,
    );
  }

  /** The cell-order forces fx, fy into `force` (N x 2) in particle order (CellOrderList.scatter). */
  scatter(force: Float64Array): void {
    this.x.scatterCells(this.N, this.oOrder, this.oFx, this.oFy, this.oFout);
    force.set(this.fout);
  }
}
