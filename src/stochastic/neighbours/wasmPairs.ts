/**
 * The flat pair list of the 2D one-law cell order (CellOrderList.buildPairs, lists.ts) built by the WebAssembly
 * kernel of asm/particles/pairs.ts (compiled by scripts/build-wasm.js into pairsWasm.ts): the same candidates in the
 * same order with the same arithmetic, so the same list pair for pair, 1.6x faster than the JavaScript loop at
 * N = 10^4 (docs/performance.md). Each list owns an instance with a memory of its own (positions, the grid, the
 * pairs): the pair arrays handed back are views of that memory, valid until the next build. Without WebAssembly,
 * or for a list made with the "js" kernel (the tests' cross-check), the JavaScript loop runs instead. Browser-safe
 * (the module is a few hundred bytes, compiled synchronously once).
 */
import { PAIRS_WASM_BASE64 } from "./pairsWasm.js";

interface PairsExports {
  memory: WebAssembly.Memory;
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
}

/** The compiled module: undefined before the first use, null where WebAssembly is missing or refuses it. */
let compiled: WebAssembly.Module | null | undefined;

function pairsModule(): WebAssembly.Module | null {
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

/** Where the kernel's inputs start in its memory (past anything the module itself might place low). */
const BASE = 1024;

/** The grid and positions a build reads (CellSort's). */
export interface PairBuildInput {
  xs: Float64Array;
  ys: Float64Array;
  start: Int32Array;
  triples: Int32Array;
  tripleStart: Int32Array;
  Lx: number;
  Ly: number;
  reach2: number;
}

/** A WebAssembly pair-list builder for one list (see the header). */
export class WasmPairList {
  private readonly x: PairsExports;
  /** Byte offsets of the inputs and of the pair arrays, and the pairs they hold. */
  private oX = 0;
  private oY = 0;
  private oStart = 0;
  private oTriples = 0;
  private oTripleStart = 0;
  private oI = 0;
  private oJ = 0;
  private cap = 0;
  /** The grid arrays last copied into memory (copied again when the grid's layout changes or memory moves). */
  private triplesIn: Int32Array | null = null;
  /** The pairs of the last build: views of the memory. */
  I = new Int32Array(0);
  J = new Int32Array(0);

  private constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as PairsExports;
  }

  /** A builder, or null where WebAssembly is missing (the JavaScript loop is then used). */
  static create(): WasmPairList | null {
    const m = pairsModule();
    if (m === null) return null;
    try {
      return new WasmPairList(new WebAssembly.Instance(m, {}));
    } catch {
      return null;
    }
  }

  /** Lays out memory for N positions, the grid and `cap` pairs, growing it when needed; false when it cannot. */
  private layout(N: number, cells: number, triples: number, cap: number): boolean {
    const al = (n: number) => (n + 63) & ~63;
    this.oX = BASE;
    this.oY = this.oX + al(8 * N);
    this.oStart = this.oY + al(8 * N);
    this.oTripleStart = this.oStart + al(4 * (cells + 1));
    this.oTriples = this.oTripleStart + al(4 * (cells + 1));
    this.oI = this.oTriples + al(4 * triples);
    this.oJ = this.oI + al(4 * cap);
    const end = this.oJ + al(4 * cap);
    const mem = this.x.memory;
    const have = mem.buffer.byteLength;
    if (end > have) {
      try {
        mem.grow(Math.ceil((end - have) / 65536));
      } catch {
        return false;
      }
    }
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
    if (this.cap === 0 || this.oStart - this.oY < 8 * N || this.oTriples - this.oTripleStart < 4 * (ncell + 1)) {
      if (!this.layout(N, ncell, g.triples.length, Math.max(1024, 4 * N))) return -1;
    }
    for (;;) {
      const buf = this.x.memory.buffer;
      if (this.triplesIn !== g.triples || this.oI - this.oTriples < 4 * g.triples.length) {
        if (this.oI - this.oTriples < 4 * g.triples.length && !this.layout(N, ncell, g.triples.length, this.cap))
          return -1;
        new Int32Array(buf, this.oTriples, g.triples.length).set(g.triples);
        new Int32Array(buf, this.oTripleStart, ncell + 1).set(g.tripleStart);
        this.triplesIn = g.triples;
      }
      new Float64Array(buf, this.oX, N).set(g.xs);
      new Float64Array(buf, this.oY, N).set(g.ys);
      new Int32Array(buf, this.oStart, ncell + 1).set(g.start);
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
        const b = this.x.memory.buffer;
        if (this.I.buffer !== b || this.I.byteOffset !== this.oI || this.I.length !== this.cap) {
          this.I = new Int32Array(b, this.oI, this.cap);
          this.J = new Int32Array(b, this.oJ, this.cap);
        }
        return np;
      }
      if (!this.layout(N, ncell, g.triples.length, 2 * this.cap)) return -1;
    }
  }
}
