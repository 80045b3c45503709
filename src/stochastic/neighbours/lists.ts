/**
 * Neighbour structures of the particle force field, separate from the pair laws (the force loops over them are in
 * src/stochastic/potentials/pairKernels.ts); all are built on the one cell grid (cellGrid.ts):
 *
 * - VerletList: every interacting pair closer than cutoff + skin (as LAMMPS's `neighbor 0.3 bin`), built in O(N)
 *   from a grid of cells at least cutoff + skin wide and rebuilt only when some particle has moved more than half
 *   the skin since the last build. A build wraps the coordinates into the box, counting-sorts the particles by cell
 *   and lets each cell meet itself and half of its 3^d - 1 neighbours, so every pair is listed once (Newton's third
 *   law); each listed pair keeps its periodic image shift, so the force loop needs no minimum-image rounding.
 *   Coordinates handed in are never modified (the integrators keep them unwrapped).
 * - CellOrderList: 2D systems (Metzger's hot/cold disks) in cell order. The sort into cells is kept until a
 *   particle has moved half the skin, and each particle's wrap offset is stored, so a list needs no regrouping and
 *   no image rounding. When sorts come at nearly every evaluation (hot, mobile particles outrun the skin: a list
 *   would serve one or two evaluations), the pairs are summed straight from the cells, without a list; when they
 *   come seldom, a Verlet list in cell order (CSR, owner-major) is built at each sort. When one law acts between
 *   every pair of species (the hot/cold disks), a flat list of pairs (i, j) in cell order is built at each sort
 *   without looking at species, and always used: a pass over it costs less than a sweep of the cells, whose short
 *   inner loops (about one particle per cell) mispredict their exits, even when it serves one evaluation. That build
 *   runs in WebAssembly where available (wasmPairs.ts: the same list, 1.6x faster).
 * - AllPairs: systems too small for three cells per axis, and open space: every pair, minimum image in a box.
 *
 * Which pairs interact is given per ordered species pair (t = s_a * S + s_b, nonzero: interacts). Browser-safe.
 */
import { CellGrid } from "./cellGrid.js";
import { WasmPairList, type PairBuildInput } from "./wasmPairs.js";

/** Species of the particles and the ordered species pairs that interact (nonzero entries). */
export interface PairTable {
  /** Number of species S. */
  species: number;
  /** Species of each particle. */
  speciesOf: Int32Array;
  /** Per ordered species pair t = s_a * S + s_b: nonzero when the pair interacts. */
  interacts: Int32Array;
}

/**
 * Particles sorted into the cells of a fixed grid (cells at least `reach` wide), their wrapped positions and species
 * gathered in cell order, and the positions at the last sort, against which moves are measured.
 */
export class CellSort {
  readonly grid: CellGrid;
  /** Wrapped positions in cell order (0 beyond the dimension), species in cell order. */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly zs: Float64Array;
  readonly ss: Int32Array;
  /** Box lengths per axis (Infinity beyond the dimension). */
  readonly L: Float64Array;
  /** Positions at the last sort. */
  readonly xRef: Float64Array;
  /** Number of sorts so far. */
  sorts = 0;
  /** Number of cells of the grid. */
  readonly cellCount: number;

  /**
   * A grid of cells at least `reach` wide in the box; it must have at least three cells per axis (see fits).
   * `stencil`: "half", or "joined" for loops that take the particles of a cell one by one (cellGrid.ts).
   */
  constructor(
    readonly dim: number,
    readonly count: number,
    box: ArrayLike<number>,
    readonly reach: number,
    readonly skin: number,
    readonly pairs: PairTable,
    stencil: "half" | "joined" = "half",
  ) {
    if (!CellSort.fits(dim, box, reach)) throw new Error("internal: a cell sort needs at least three cells per axis");
    this.L = Float64Array.from({ length: 3 }, (_, k) => (k < dim ? box[k] : Infinity));
    const shape = CellGrid.gridShape(dim, this.L, reach, count, new Int32Array(3));
    this.cellCount = shape[0] * shape[1] * shape[2];
    this.grid = new CellGrid(dim, this.L, count, stencil);
    this.xs = new Float64Array(count);
    this.ys = new Float64Array(count);
    this.zs = new Float64Array(count);
    this.ss = new Int32Array(count);
    this.xRef = new Float64Array(count * dim);
  }

  /** True when a box has at least three cells at least `reach` wide along every axis. */
  static fits(dim: number, box: ArrayLike<number>, reach: number): boolean {
    for (let k = 0; k < dim; k++) if (!(Math.floor(box[k] / reach) >= 3)) return false;
    return true;
  }

  /** The next moved() is true whatever the positions (a new run starts: see ForceField.reset). */
  private stale = true;

  /** Asks for a new sort at the next evaluation. */
  forget(): void {
    this.stale = true;
  }

  /** True when some particle moved more than half the skin since the last sort (or there was none). */
  moved(x: Float64Array): boolean {
    if (this.sorts === 0 || this.stale) return true;
    const ref = this.xRef;
    const lim = 0.25 * this.skin * this.skin;
    const d = this.dim;
    for (let a = 0; a < this.count; a++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const dx = x[a * d + k] - ref[a * d + k];
        r2 += dx * dx;
      }
      if (r2 > lim) return true;
    }
    return false;
  }

  /**
   * What movedStep compares against, for a caller that makes that comparison in a pass of its own (the overdamped
   * integrators' moves: SortCheck): the positions at the last sort and the squared half skin; null when the next
   * evaluation sorts whatever the positions (no sort yet, or forget()).
   */
  check(): SortCheck | null {
    if (this.sorts === 0 || this.stale) return null;
    const c = (this.checkOut ??= { ref: this.xRef, lim: 0, dim: this.dim });
    c.lim = 0.25 * this.skin * this.skin;
    return c;
  }
  private checkOut: SortCheck | null = null;

  /**
   * moved() for the two ends of a step in one pass: 2 when x1 moved more than half the skin since the last sort (or
   * there was none), else 1 when x0 did, else 0.
   */
  movedStep(x0: Float64Array, x1: Float64Array): number {
    if (this.sorts === 0 || this.stale) return 2;
    const ref = this.xRef;
    const lim = 0.25 * this.skin * this.skin;
    const n = this.count * this.dim,
      d = this.dim;
    let out = 0;
    if (d === 2) {
      for (let i = 0; i < n; i += 2) {
        const u = x1[i] - ref[i],
          v = x1[i + 1] - ref[i + 1];
        if (u * u + v * v > lim) return 2;
        const p = x0[i] - ref[i],
          q = x0[i + 1] - ref[i + 1];
        if (p * p + q * q > lim) out = 1;
      }
      return out;
    }
    for (let i = 0; i < n; i += d) {
      let r1 = 0,
        r0 = 0;
      for (let k = i; k < i + d; k++) {
        const u = x1[k] - ref[k],
          v = x0[k] - ref[k];
        r1 += u * u;
        r0 += v * v;
      }
      if (r1 > lim) return 2;
      if (r0 > lim) out = 1;
    }
    return out;
  }

  /**
   * Sorts into cells, gathers wrapped positions and species in cell order (with ox, oy: also each particle's wrap
   * offset x - wrapped x, in cell order, 2D), and remembers x.
   */
  sort(x: Float64Array, ox?: Float64Array, oy?: Float64Array, gather?: SortGather): void {
    const grid = this.grid,
      N = this.count;
    const fused = ox !== undefined && oy !== undefined;
    // With offsets (2D, at least three cells per axis), the grid leaves the placing to the gather below.
    grid.sort(x, this.reach, true, !fused);
    this.stale = false;
    const order = grid.order,
      wx = grid.wx,
      wy = grid.wy,
      wz = grid.wz,
      sp = this.pairs.speciesOf;
    const xs = this.xs,
      ys = this.ys,
      zs = this.zs,
      ss = this.ss;
    if (fused && gather !== undefined) {
      // The pass below, gathering the positions `gather.x` less the wrap offsets too (CellOrderList.gather's px, py).
      const cellOf = grid.cellOf,
        cursor = grid.cursor;
      const g = gather.x,
        px = gather.px,
        py = gather.py;
      for (let a = 0; a < N; a++) {
        const pos = cursor[cellOf[a]]++;
        order[pos] = a;
        const u = wx[a],
          v = wy[a];
        xs[pos] = u;
        ys[pos] = v;
        ss[pos] = sp[a];
        const oxa = x[2 * a] - u,
          oya = x[2 * a + 1] - v;
        ox[pos] = oxa;
        oy[pos] = oya;
        px[pos] = g[2 * a] - oxa;
        py[pos] = g[2 * a + 1] - oya;
      }
    } else if (fused) {
      // Places each particle and gathers it in one pass in particle order (reads in sequence, writes at pos).
      const cellOf = grid.cellOf,
        cursor = grid.cursor;
      for (let a = 0; a < N; a++) {
        const pos = cursor[cellOf[a]]++;
        order[pos] = a;
        const u = wx[a],
          v = wy[a];
        xs[pos] = u;
        ys[pos] = v;
        ss[pos] = sp[a];
        ox[pos] = x[2 * a] - u;
        oy[pos] = x[2 * a + 1] - v;
      }
    } else {
      // zs (and in 1D ys) stay 0 beyond the dimension, as the grid's wz (wy): not copied.
      const d = this.dim;
      for (let pos = 0; pos < N; pos++) {
        const a = order[pos];
        xs[pos] = wx[a];
        if (d > 1) ys[pos] = wy[a];
        if (d > 2) zs[pos] = wz[a];
        ss[pos] = sp[a];
      }
    }
    if (x !== this.xRef) this.xRef.set(x);
    this.sorts++;
  }
}

/**
 * The midpoint (x0 + x1)/2 of a 2D step into mid; returns the largest squared displacement |x1 - x0|^2 of a particle.
 * Its own function so that Node 20's V8 optimises the loop with its caller's code after it (see predictorMove in
 * integrators.ts).
 */
function midpoint2(x0: Float64Array, x1: Float64Array, mid: Float64Array): number {
  let maxStep2 = 0;
  for (let i = 0; i < x1.length; i += 2) {
    const a0 = x0[i],
      a1 = x1[i],
      b0 = x0[i + 1],
      b1 = x1[i + 1];
    const ux = a1 - a0,
      uy = b1 - b0;
    const s2 = ux * ux + uy * uy;
    if (s2 > maxStep2) maxStep2 = s2;
    mid[i] = 0.5 * (a0 + a1);
    mid[i + 1] = 0.5 * (b0 + b1);
  }
  return maxStep2;
}

/**
 * The comparison of CellSort.movedStep, handed to a caller that makes it in its own pass over the positions (the
 * overdamped integrators' moves): particle a has moved when sum_k (x[a d + k] - ref[a d + k])^2 > lim. The numbers
 * are the sort's own (read, never written, by the caller).
 */
export interface SortCheck {
  readonly ref: Float64Array;
  lim: number;
  readonly dim: number;
}

/** Positions x (N x 2) that a 2D sort gathers in cell order less the wrap offsets, into px, py. */
export interface SortGather {
  x: Float64Array;
  px: Float64Array;
  py: Float64Array;
}

/** A Verlet list with image shifts, in any dimension (see the header). */
export class VerletList {
  /** Pairs: particle indices, ordered species pair t, periodic image shift (x_a - x_b) - (minimum-image separation). */
  pairA = new Int32Array(0);
  pairB = new Int32Array(0);
  pairT = new Int32Array(0);
  shiftX = new Float64Array(0);
  shiftY = new Float64Array(0);
  shiftZ = new Float64Array(0);
  /** Number of listed pairs (-1 before the first build). */
  count = -1;
  private readonly reach2: number;

  constructor(readonly cells: CellSort) {
    this.reach2 = cells.reach ** 2;
  }

  /** Forgets the list: the next update rebuilds it. */
  reset(): void {
    this.count = -1;
    this.cells.forget();
  }

  /** What the list carries between evaluations, as numbers: [built (0/1), positions at the last build...]. */
  saveState(): Float64Array {
    const s = new Float64Array(1 + this.cells.xRef.length);
    if (this.count >= 0) {
      s[0] = 1;
      s.set(this.cells.xRef, 1);
    }
    return s;
  }

  /** Restores saveState's numbers: the list is rebuilt from the same positions, so it is the same list. */
  restoreState(s: Float64Array): void {
    this.reset();
    if (s.length !== 1 + this.cells.xRef.length) throw new Error("internal: a Verlet list state of the wrong size");
    if (s[0] === 1) this.build(s.subarray(1));
  }

  /** Rebuilds the list when some particle has moved more than half the skin since the last build. */
  update(x: Float64Array): void {
    if (this.count < 0 || this.cells.moved(x)) this.build(x);
  }

  /** Lists every interacting pair closer than cutoff + skin, with its periodic image shift. */
  build(x: Float64Array): void {
    const cells = this.cells;
    cells.sort(x);
    const d = cells.dim,
      S = cells.pairs.species,
      interacts = cells.pairs.interacts;
    const xs = cells.xs,
      ys = cells.ys,
      zs = cells.zs,
      ss = cells.ss;
    const grid = cells.grid,
      order = grid.order,
      start = grid.start,
      cp = grid.triples;
    const Lx = cells.L[0],
      Ly = cells.L[1],
      Lz = cells.L[2];
    const hx = 0.5 * Lx,
      hy = 0.5 * Ly,
      hz = 0.5 * Lz;
    const rl2 = this.reach2;
    const iLx = 1 / Lx,
      iLy = 1 / Ly,
      iLz = 1 / Lz;
    let np = 0;
    let A = this.pairA,
      B = this.pairB,
      T = this.pairT,
      SX = this.shiftX,
      SY = this.shiftY,
      SZ = this.shiftZ;
    let cap = A.length;
    for (let m = 0; m < cp.length; m += 3) {
      const c = cp[m],
        self = cp[m + 1] === c;
      const e1 = start[c + 1],
        s2 = start[cp[m + 1]],
        e2 = start[cp[m + 2] + 1];
      if (s2 === e2) continue;
      for (let i = start[c]; i < e1; i++) {
        const row = ss[i] * S;
        const xi = xs[i],
          yi = ys[i],
          zi = zs[i];
        for (let j = self ? i + 1 : s2; j < e2; j++) {
          const t = row + ss[j];
          if (interacts[t] === 0) continue;
          let dx = xi - xs[j];
          if (dx > hx) dx -= Lx;
          else if (dx < -hx) dx += Lx;
          let dy = yi - ys[j];
          if (dy > hy) dy -= Ly;
          else if (dy < -hy) dy += Ly;
          let dz = zi - zs[j];
          if (dz > hz) dz -= Lz;
          else if (dz < -hz) dz += Lz;
          if (dx * dx + dy * dy + dz * dz >= rl2) continue;
          if (np === cap) {
            this.grow();
            A = this.pairA;
            B = this.pairB;
            T = this.pairT;
            SX = this.shiftX;
            SY = this.shiftY;
            SZ = this.shiftZ;
            cap = A.length;
          }
          const a = order[i],
            b = order[j];
          A[np] = a;
          B[np] = b;
          T[np] = t;
          // Image shift: (x_a - x_b) - minimum-image displacement, a whole number of box lengths.
          SX[np] = Lx * Math.round((x[a * d] - x[b * d] - dx) * iLx);
          SY[np] = d > 1 ? Ly * Math.round((x[a * d + 1] - x[b * d + 1] - dy) * iLy) : 0;
          SZ[np] = d > 2 ? Lz * Math.round((x[a * d + 2] - x[b * d + 2] - dz) * iLz) : 0;
          np++;
        }
      }
    }
    this.count = np;
  }

  private grow(): void {
    const cap = Math.max(1024, 2 * this.pairA.length);
    this.pairA = grow32(this.pairA, cap);
    this.pairB = grow32(this.pairB, cap);
    this.pairT = grow32(this.pairT, cap);
    this.shiftX = grow64(this.shiftX, cap);
    this.shiftY = grow64(this.shiftY, cap);
    this.shiftZ = grow64(this.shiftZ, cap);
  }
}

function grow32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function grow64(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * How a CellOrderList sums its pairs at an evaluation: from its Verlet list, straight from the cells, or from the
 * flat list of pairs of the one-law mode.
 */
export type CellOrderMode = "list" | "cells" | "pairs";

/**
 * 2D pairs in cell order (see the header): positions gathered in cell order (px, py), forces accumulated in cell
 * order (pfx, pfy) and scattered back; a Verlet list in cell order when sorts come seldom.
 */
export class CellOrderList {
  /** Positions and forces in cell order. */
  px: Float64Array;
  py: Float64Array;
  pfx: Float64Array;
  pfy: Float64Array;
  /** Wrap offsets (x - wrapped x) at the last sort, in cell order. */
  readonly ox: Float64Array;
  readonly oy: Float64Array;
  /** Verlet list in cell order (CSR): partners of sorted particle i are rows[i] .. rows[i + 1). */
  readonly rows: Int32Array;
  csrB = new Int32Array(0);
  csrT = new Int32Array(0);
  csrX = new Float64Array(0);
  csrY = new Float64Array(0);
  /**
   * One-law mode: the pairs closer than the reach at the last sort, as positions in the cell order (pairI[p] <
   * pairJ[p] for pairs within a cell), pairCount of them; the loops take the minimum image of wrapped positions.
   */
  pairI = new Int32Array(0);
  pairJ = new Int32Array(0);
  pairCount = 0;
  /**
   * The WebAssembly kernels holding the current flat list and the cell-order arrays above (px ... pdy are then views
   * of its memory: the force loops run there too, pairKernels.ts), or null (the JavaScript loops).
   */
  wasmLoops: WasmPairList | null = null;
  /** Displacements over the step in cell order (prepareStep). */
  pdx: Float64Array;
  pdy: Float64Array;
  /** How the pairs were summed at the last evaluation. */
  lastMode: CellOrderMode = "list";
  /** Force evaluations since the last sort, their running mean between sorts, and whether the list is current. */
  private sinceSort = 0;
  private meanInterval = 8;
  private listValid = false;
  /** No sort yet (since construction or reset): the first sort does not count as an interval. */
  private unsorted = true;
  private readonly reach2: number;

  /**
   * `oneLaw`: one law acts between every pair of species (PackedPairLaws.uniformSoft): the flat list of pairs
   * ("pairs" mode, see the header), built by the WebAssembly kernel (wasmPairs.ts) where it runs, or with `kernel`
   * "js" by the JavaScript loop (the same list).
   */
  constructor(
    readonly cells: CellSort,
    readonly oneLaw = false,
    kernel: "wasm" | "js" = "wasm",
  ) {
    if (cells.dim !== 2) throw new Error("internal: CellOrderList is two-dimensional");
    const N = cells.count;
    this.px = new Float64Array(N);
    this.py = new Float64Array(N);
    this.pfx = new Float64Array(N);
    this.pfy = new Float64Array(N);
    this.ox = new Float64Array(N);
    this.oy = new Float64Array(N);
    this.rows = new Int32Array(N + 1);
    this.pdx = new Float64Array(N);
    this.pdy = new Float64Array(N);
    this.reach2 = cells.reach ** 2;
    this.wasm = oneLaw && kernel === "wasm" ? WasmPairList.create() : null;
  }

  /** The WebAssembly build of the flat list (wasmPairs.ts), or null (the JavaScript loop), and what it reads. */
  private readonly wasm: WasmPairList | null;
  private wasmInput: PairBuildInput | null = null;

  /** Forgets the sort, the list and the mean interval between sorts (the choice of mode): as newly made. */
  reset(): void {
    this.cells.forget();
    this.sinceSort = 0;
    this.meanInterval = 8;
    this.listValid = false;
    this.unsorted = true;
    this.lastMode = this.oneLaw ? "pairs" : "list";
  }

  /**
   * What the list carries between evaluations, as numbers: [sorted (0/1), evaluations since the sort, their mean
   * interval, list current (0/1), no sort yet (0/1), last mode (1: cells, 2: pairs), positions at the last sort...].
   */
  saveState(): Float64Array {
    const ref = this.cells.xRef;
    const s = new Float64Array(6 + ref.length);
    s[0] = this.unsorted ? 0 : 1;
    s[1] = this.sinceSort;
    s[2] = this.meanInterval;
    s[3] = this.listValid ? 1 : 0;
    s[4] = this.unsorted ? 1 : 0;
    s[5] = this.lastMode === "cells" ? 1 : this.lastMode === "pairs" ? 2 : 0;
    if (!this.unsorted) s.set(ref, 6);
    return s;
  }

  /** Restores saveState's numbers: the sort (and list) are redone from the same positions, so they are the same. */
  restoreState(s: Float64Array): void {
    this.reset();
    if (s.length !== 6 + this.cells.xRef.length) throw new Error("internal: a cell-order list state of the wrong size");
    if (s[0] === 1) {
      this.sortWithOffsets(s.subarray(6));
      if (s[3] === 1) {
        if (this.oneLaw) this.buildPairs();
        else this.build();
      }
    }
    this.sinceSort = s[1];
    this.meanInterval = s[2];
    this.listValid = s[3] === 1;
    this.unsorted = s[4] === 1;
    this.lastMode = s[5] === 1 ? "cells" : s[5] === 2 ? "pairs" : "list";
  }

  /**
   * Prepares an evaluation at x: a new sort when some particle has moved more than half the skin; then the pairs
   * are summed from the cells when sorts come at nearly every evaluation (mean interval below 3), else from the
   * list (built at the first evaluation after a sort). Gathers the positions for that mode and zeroes the forces.
   */
  prepare(x: Float64Array): CellOrderMode {
    if (this.cells.moved(x)) this.resort(x, this.oneLaw ? x : null);
    return this.choose(x, null);
  }

  /**
   * Prepares the evaluation at the end of a step x0 -> x1 so that the pairs visited are every pair closer than the
   * cutoff at x0 or at x1, as the pair-heat accounting of the step needs (pairKernels.ts cellOrderSoftStep): true
   * when they are (with `gatherSteps`, the step's displacements are then gathered in cell order), false when not (a
   * particle outran the skin: forces only).
   * A new sort is made at the step's midpoint, so that both ends lie within half a skin of it when no particle moved
   * more than the skin; without a new sort, x0 must lie within half a skin of the last sort as x1 does. The forces at
   * x1 are those of prepare(x1) with the sort made elsewhere (the same pairs, summed in another order).
   * `moved` (when not -1): the value of cells.movedStep(x0, x1), made by the caller in its own pass (SortCheck).
   */
  prepareStep(x0: Float64Array, x1: Float64Array, gatherSteps: boolean, moved = -1): boolean {
    const cells = this.cells,
      skin = cells.skin;
    let covered: boolean;
    // `moved`: movedStep(x0, x1) as the caller made it against cells.check() since the last sort, or -1.
    if (moved < 0) moved = cells.movedStep(x0, x1);
    if (moved === 2) {
      // The largest squared displacement of a particle over the step, and the step's midpoint in the same pass,
      // written where the sort keeps its positions (no copy; replaced by x1 when the midpoint is not used).
      const mid = cells.xRef;
      const maxStep2 = midpoint2(x0, x1, mid);
      // 0.98: |x1 - (x0 + x1)/2| <= skin/2 in floating point too.
      covered = maxStep2 <= 0.98 * skin * skin;
      // The one-law mode's positions at x1 are gathered by the sort when no displacements are wanted.
      const at1 = this.oneLaw && !gatherSteps ? x1 : null;
      if (covered) this.resort(mid, at1);
      else this.resort(x1, at1);
    } else covered = moved === 0;
    this.choose(x1, covered && gatherSteps ? x0 : null);
    return covered;
  }

  /** A new sort at `at`, counting the evaluations since the last one into their mean interval. */
  private resort(at: Float64Array, gatherOf: Float64Array | null = null): void {
    if (!this.unsorted) this.meanInterval = 0.8 * this.meanInterval + 0.2 * this.sinceSort;
    this.unsorted = false;
    this.sinceSort = 0;
    this.sortWithOffsets(at, gatherOf);
  }

  /**
   * The positions the last sort gathered into px, py (resort's `gatherOf`), until the evaluation right after it
   * (choose) uses them instead of its gather; null when none or when a build moved px, py.
   */
  private preGathered: Float64Array | null = null;

  /**
   * Chooses how the pairs are summed at x (see prepare) and gathers the positions (and, with x0, the displacements
   * x - x0 of a step into pdx, pdy).
   */
  private choose(x: Float64Array, x0: Float64Array | null): CellOrderMode {
    this.sinceSort++;
    let mode: CellOrderMode;
    if (this.oneLaw) {
      if (!this.listValid) this.buildPairs();
      mode = "pairs";
    } else if (Math.max(this.meanInterval, this.sinceSort) < 3) mode = "cells";
    else {
      if (!this.listValid) this.build();
      mode = "list";
    }
    if (this.preGathered === x && x0 === null && mode === "pairs") {
      // The sort gathered x already (px, py: the same numbers as gather's); only the forces are zeroed.
      this.pfx.fill(0);
      this.pfy.fill(0);
    } else this.gather(x, mode !== "list", x0);
    this.preGathered = null;
    return (this.lastMode = mode);
  }

  /** Sorts into cells and keeps each particle's wrap offset (x - wrapped x), in cell order. */
  private sortWithOffsets(x: Float64Array, gatherOf: Float64Array | null = null): void {
    this.cells.sort(x, this.ox, this.oy, gatherOf !== null ? { x: gatherOf, px: this.px, py: this.py } : undefined);
    this.preGathered = gatherOf;
    this.listValid = false;
  }

  /**
   * The Verlet list in cell order: owner-major (pairs of sorted particle i are contiguous, no regrouping pass),
   * partners and owners as positions in the cell order, image shifts from per-particle wrap offsets (no
   * Math.round, no reads of x in particle order).
   */
  private build(): void {
    const cells = this.cells;
    const N = cells.count,
      S = cells.pairs.species,
      interacts = cells.pairs.interacts;
    const xs = cells.xs,
      ys = cells.ys,
      ss = cells.ss;
    const grid = cells.grid,
      start = grid.start,
      cp = grid.triples,
      ts = grid.tripleStart;
    const ox = this.ox,
      oy = this.oy;
    const Lx = cells.L[0],
      Ly = cells.L[1];
    const hx = 0.5 * Lx,
      hy = 0.5 * Ly;
    const rl2 = this.reach2;
    const rows = this.rows;
    let B = this.csrB,
      T = this.csrT,
      SX = this.csrX,
      SY = this.csrY;
    let cap = B.length,
      np = 0;
    const ncell = ts.length - 1;
    for (let c = 0; c < ncell; c++) {
      const e1 = start[c + 1],
        m0 = ts[c],
        m1 = ts[c + 1];
      for (let i = start[c]; i < e1; i++) {
        rows[i] = np;
        const row = ss[i] * S;
        const xi = xs[i],
          yi = ys[i],
          oxi = ox[i],
          oyi = oy[i];
        for (let m = m0; m < m1; m += 3) {
          const self = cp[m + 1] === c;
          const e2 = start[cp[m + 2] + 1];
          for (let j = self ? i + 1 : start[cp[m + 1]]; j < e2; j++) {
            const t = row + ss[j];
            if (interacts[t] === 0) continue;
            let dx = xi - xs[j],
              wx = 0;
            if (dx > hx) {
              dx -= Lx;
              wx = -Lx;
            } else if (dx < -hx) {
              dx += Lx;
              wx = Lx;
            }
            let dy = yi - ys[j],
              wy = 0;
            if (dy > hy) {
              dy -= Ly;
              wy = -Ly;
            } else if (dy < -hy) {
              dy += Ly;
              wy = Ly;
            }
            if (dx * dx + dy * dy >= rl2) continue;
            if (np === cap) {
              cap = Math.max(1024, 2 * cap);
              B = this.csrB = grow32(B, cap);
              T = this.csrT = grow32(T, cap);
              SX = this.csrX = grow64(SX, cap);
              SY = this.csrY = grow64(SY, cap);
            }
            B[np] = j;
            T[np] = t;
            // (x_a - x_b) - (minimum-image displacement) = ox_i - ox_j - w.
            SX[np] = oxi - ox[j] - wx;
            SY[np] = oyi - oy[j] - wy;
            np++;
          }
        }
      }
    }
    rows[N] = np;
    this.listValid = true;
  }

  /**
   * The flat list of the one-law mode: every pair closer than the reach at the last sort, once. Each candidate is
   * written at the end of the list and kept by advancing the count when it lies within the reach: no branch on the
   * distance (about every other candidate is kept, so such a branch is mispredicted at random).
   */
  private buildPairs(): void {
    const cells = this.cells;
    if (this.wasm !== null) {
      const grid = cells.grid;
      const g = (this.wasmInput ??= {
        xs: cells.xs,
        ys: cells.ys,
        start: grid.start,
        triples: grid.triples,
        tripleStart: grid.tripleStart,
        Lx: cells.L[0],
        Ly: cells.L[1],
        reach2: this.reach2,
        ss: cells.ss,
        species: cells.pairs.species,
        order: grid.order,
        ox: this.ox,
        oy: this.oy,
      });
      g.start = grid.start;
      g.triples = grid.triples;
      g.tripleStart = grid.tripleStart;
      g.order = grid.order;
      const w = this.wasm;
      const np = w.build(g);
      if (np >= 0) {
        this.pairI = w.I;
        this.pairJ = w.J;
        if (this.px !== w.px) this.preGathered = null; // gathered into arrays the list no longer uses
        // The cell-order arrays move into the kernel's memory (their contents are gathered anew at every evaluation).
        this.px = w.px;
        this.py = w.py;
        this.pfx = w.fx;
        this.pfy = w.fy;
        this.pdx = w.ux;
        this.pdy = w.uy;
        this.wasmLoops = w;
        this.pairCount = np;
        this.listValid = true;
        return;
      }
      this.wasmLoops = null;
    }
    const xs = cells.xs,
      ys = cells.ys;
    const grid = cells.grid,
      start = grid.start,
      cp = grid.triples,
      ts = grid.tripleStart;
    const Lx = cells.L[0],
      Ly = cells.L[1];
    const hx = 0.5 * Lx,
      hy = 0.5 * Ly;
    const rl2 = this.reach2;
    let I = this.pairI,
      J = this.pairJ;
    let cap = I.length,
      np = 0;
    const ncell = ts.length - 1;
    for (let c = 0; c < ncell; c++) {
      const e1 = start[c + 1],
        m0 = ts[c],
        m1 = ts[c + 1];
      for (let i = start[c]; i < e1; i++) {
        const xi = xs[i],
          yi = ys[i];
        for (let m = m0; m < m1; m += 3) {
          const e2 = start[cp[m + 2] + 1];
          let j = cp[m + 1] === c ? i + 1 : start[cp[m + 1]];
          if (np + (e2 - j) >= cap) {
            cap = Math.max(1024, 2 * cap, np + (e2 - j) + 1);
            I = this.pairI = grow32(I, cap);
            J = this.pairJ = grow32(J, cap);
          }
          for (; j < e2; j++) {
            let dx = xi - xs[j];
            if (dx > hx) dx -= Lx;
            else if (dx < -hx) dx += Lx;
            let dy = yi - ys[j];
            if (dy > hy) dy -= Ly;
            else if (dy < -hy) dy += Ly;
            I[np] = i;
            J[np] = j;
            np += +(dx * dx + dy * dy < rl2); // 1: kept; 0: overwritten by the next candidate
          }
        }
      }
    }
    this.pairCount = np;
    this.listValid = true;
  }

  /**
   * Positions in cell order into px, py (minus each particle's wrap offset at the last sort when `wrapped`: then
   * within half a skin of the box), zero cell-order forces, and with x0 the displacements x - x0 into pdx, pdy.
   */
  private gather(x: Float64Array, wrapped: boolean, x0: Float64Array | null): void {
    if (this.wasmLoops !== null) return this.wasmLoops.gather(x, wrapped, x0);
    const N = this.cells.count,
      order = this.cells.grid.order,
      px = this.px,
      py = this.py,
      fx = this.pfx,
      fy = this.pfy;
    const ox = this.ox,
      oy = this.oy;
    const w = wrapped ? 1 : 0;
    if (x0 === null) {
      for (let i = 0; i < N; i++) {
        const a = order[i] << 1;
        px[i] = x[a] - w * ox[i];
        py[i] = x[a + 1] - w * oy[i];
        fx[i] = 0;
        fy[i] = 0;
      }
      return;
    }
    const ux = this.pdx,
      uy = this.pdy;
    for (let i = 0; i < N; i++) {
      const a = order[i] << 1;
      const xa = x[a],
        ya = x[a + 1];
      px[i] = xa - w * ox[i];
      py[i] = ya - w * oy[i];
      ux[i] = xa - x0[a];
      uy[i] = ya - x0[a + 1];
      fx[i] = 0;
      fy[i] = 0;
    }
  }

  /** The cell-order forces into `force`, in particle order. */
  scatter(force: Float64Array): void {
    if (this.wasmLoops !== null) return this.wasmLoops.scatter(force);
    const N = this.cells.count,
      order = this.cells.grid.order,
      fx = this.pfx,
      fy = this.pfy;
    for (let i = 0; i < N; i++) {
      const a = order[i] << 1;
      force[a] = fx[i];
      force[a + 1] = fy[i];
    }
  }
}

/** Every pair (small systems, open space): positions wrapped into the box in particle order, forces per axis. */
export class AllPairs {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly zs: Float64Array;
  readonly ss: Int32Array;
  readonly fx: Float64Array;
  readonly fy: Float64Array;
  readonly fz: Float64Array;
  /** Box lengths per axis (Infinity where open or beyond the dimension). */
  readonly L: Float64Array;

  constructor(
    readonly dim: number,
    readonly count: number,
    box: ArrayLike<number> | null,
    readonly pairs: PairTable,
  ) {
    this.L = Float64Array.from({ length: 3 }, (_, k) => (box && k < dim ? box[k] : Infinity));
    this.xs = new Float64Array(count);
    this.ys = new Float64Array(count);
    this.zs = new Float64Array(count);
    this.ss = new Int32Array(count);
    this.fx = new Float64Array(count);
    this.fy = new Float64Array(count);
    this.fz = new Float64Array(count);
  }

  /** Wrapped positions and species into xs, ys, zs, ss and zero forces. */
  gather(x: Float64Array): void {
    const N = this.count,
      d = this.dim;
    const xs = this.xs,
      ys = this.ys,
      zs = this.zs,
      ss = this.ss,
      fx = this.fx,
      fy = this.fy,
      fz = this.fz;
    const Lx = this.L[0],
      Ly = this.L[1],
      Lz = this.L[2],
      sp = this.pairs.speciesOf;
    for (let a = 0; a < N; a++) {
      const o = a * d;
      xs[a] = Lx !== Infinity ? x[o] - Lx * Math.floor(x[o] / Lx) : x[o];
      ys[a] = d > 1 ? (Ly !== Infinity ? x[o + 1] - Ly * Math.floor(x[o + 1] / Ly) : x[o + 1]) : 0;
      zs[a] = d > 2 ? (Lz !== Infinity ? x[o + 2] - Lz * Math.floor(x[o + 2] / Lz) : x[o + 2]) : 0;
      ss[a] = sp[a];
      fx[a] = 0;
      fy[a] = 0;
      fz[a] = 0;
    }
  }

  /** The forces into `force` (row-major N x d). */
  scatter(force: Float64Array): void {
    const N = this.count,
      d = this.dim,
      fx = this.fx,
      fy = this.fy,
      fz = this.fz;
    for (let a = 0; a < N; a++) {
      const o = a * d;
      force[o] = fx[a];
      if (d > 1) force[o + 1] = fy[a];
      if (d > 2) force[o + 2] = fz[a];
    }
  }
}
