/**
 * The cell grid of every pair search (the force field's Verlet lists and cell-order loops, the pair-heat ledger,
 * the demixing analysis), in 1, 2 or 3 dimensions: particles counting-sorted into cells at least `reach` wide, and
 * a stencil of cell pairs to visit such that every pair of particles closer than `reach` (minimum image) lies in
 * exactly one visited cell pair. An axis that is open (no box) or would have fewer than three cells keeps one cell:
 * all pairs along it. Grids are cached by their shape, so a reach that changes from call to call (the pair-heat
 * ledger's) costs nothing after the first of each grid.
 *
 * Few particles in a large box (a polymer of 20 monomers in a box of 40) would get a grid of the box's volume in
 * cells of `reach` (27 000 cells, each visited at every sort and pair loop, and a stencil kept per grid): the grid
 * is bounded to at most max(27, 2 N) cells by widening all cells alike (gridShape, the one choice of the grid's size
 * every user of the grid goes through). Wider cells only add pairs beyond `reach` to the visited cell pairs, which
 * every loop rejects by distance; memory and the work per sort stay O(N).
 *
 * The stencil is a list of triples (c, first, last): the particles of cell c meet those of cells first..last, which
 * are contiguous in the cell order (one loop over positions start[first] .. start[last + 1]); the triple (c, c, c)
 * pairs cell c with itself (each pair once: j > i). Triples of cell c are triples[tripleStart[c] ..
 * tripleStart[c + 1]). Two stencils:
 *   "half"   cell c itself first, then the cells at the lexicographically positive offsets (the half of the 3^d - 1
 *            neighbours Newton's third law needs, as LAMMPS's half neighbour lists), in increasing order with
 *            contiguous cells merged into one triple: the force loops;
 *   "upper"  cell c with each neighbouring cell of index c2 >= c, one triple each, in the order of the offsets
 *            (-1, 0, 1 per axis, x slowest): the pair-heat ledger, whose sums keep this order;
 *   "joined" the half stencil with cell c's own triple joined to the contiguous run that starts at c + 1: (c, c,
 *            last), the loops still starting at j > i there. Loops that take the particles of c one by one over all
 *            of c's triples (the 2D cell-order list) visit the same pairs in the same order, with one inner loop
 *            fewer per particle (two instead of three in 2D).
 * A sort refuses positions it cannot wrap (PositionBlowUp: a periodic coordinate that is not finite, or over 10^12
 * box lengths out, where every such particle would land in one cell and the pair loops would take all their pairs):
 * the pass keeps the largest |x / L| (NaN wins), one comparison per coordinate, and checks it once per sort.
 * Browser-safe.
 */

import { FAR_BOX_LENGTHS, refusePositions } from "../blowUp.js";

/** Which half of the neighbouring cells each cell visits (see the header). */
export type CellStencil = "half" | "upper" | "joined";

interface Layout {
  start: Int32Array;
  triples: Int32Array;
  tripleStart: Int32Array;
}

export class CellGrid {
  /** Cell order: order[i] is the particle at position i. */
  readonly order: Int32Array;
  /** Particles of cell c are order[start[c]] .. order[start[c + 1] - 1]. */
  start: Int32Array = new Int32Array(0);
  /** Triples (c, first, last) of the stencil (see the header). */
  triples: Int32Array = new Int32Array(0);
  /** Triples of cell c: triples[tripleStart[c]] .. triples[tripleStart[c + 1] - 1]. */
  tripleStart: Int32Array = new Int32Array(0);
  /** Cell of each particle at the last sort. */
  readonly cellOf: Int32Array;
  /**
   * Wrapped coordinates per axis in particle order after sort(x, reach, true): L s with s = x/L - floor(x/L); 0
   * beyond the dimension (never written).
   */
  readonly wx: Float64Array;
  readonly wy: Float64Array;
  readonly wz: Float64Array;
  /** Cells per axis of the current grid (1 beyond the dimension). */
  readonly shape = new Int32Array([0, 0, 0]);
  private fill = new Int32Array(0);
  private readonly L: Float64Array;
  private readonly invL: Float64Array;
  private readonly layouts = new Map<string, Layout>();
  /** The reach of the last sort and the shape chosen for it. */
  private lastReach = NaN;
  private readonly next = new Int32Array(3);

  /** `box`: side per axis (Infinity for an open axis); `stencil`: see the header. */
  constructor(
    private readonly d: number,
    box: ArrayLike<number>,
    private readonly N: number,
    private readonly stencil: CellStencil = "half",
  ) {
    this.order = new Int32Array(N);
    this.cellOf = new Int32Array(N);
    this.wx = new Float64Array(N);
    this.wy = new Float64Array(N);
    this.wz = new Float64Array(N);
    this.L = Float64Array.from({ length: 3 }, (_, k) => (k < d ? box[k] : Infinity));
    this.invL = this.L.map((v) => 1 / v);
  }

  /** Cells along an axis of length L for cells at least `reach` wide: floor(L / reach) when that is >= 3, else 1. */
  static cellsAlong(L: number, reach: number): number {
    if (L === Infinity) return 1;
    const m = Math.floor(L / reach);
    return m >= 3 ? m : 1;
  }

  /**
   * Cells per axis (written into `out`, 1 beyond the dimension) of the grid for N particles in the box L (side per
   * axis, Infinity: open) with cells at least `reach` wide: cellsAlong(L[k], reach), unless that makes more than
   * maxCells(N) cells; then cellsAlong(L[k], w) for the narrowest common width w > reach that does not.
   */
  static gridShape(d: number, L: ArrayLike<number>, reach: number, N: number, out: Int32Array): Int32Array {
    const cells = (w: number) => {
      let n = 1;
      for (let k = 0; k < 3; k++) n *= out[k] = k < d ? CellGrid.cellsAlong(L[k], w) : 1;
      return n;
    };
    const cap = CellGrid.maxCells(N);
    if (cells(reach) <= cap) return out;
    // cells(w) does not increase with w and is 1 at the longest finite side: bisect for the narrowest w allowed.
    let lo = reach,
      hi = 0;
    for (let k = 0; k < d; k++) if (L[k] !== Infinity) hi = Math.max(hi, L[k]);
    for (let it = 0; it < 64 && hi - lo > 1e-12 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (cells(mid) <= cap) hi = mid;
      else lo = mid;
    }
    cells(hi);
    return out;
  }

  /** The most cells a grid of N particles has: max(27, 2 N) (every particle's cell and its neighbours, in 3D). */
  static maxCells(N: number): number {
    return Math.max(27, 2 * N);
  }

  /** Number of cells of the current grid. */
  get cellCount(): number {
    return this.shape[0] * this.shape[1] * this.shape[2];
  }

  /**
   * Sorts the particles at x (row-major N x d, any periodic image) into cells at least `reach` wide; with `wrap`,
   * also keeps their wrapped coordinates (wx, wy, wz; the coordinate itself along an open axis). With `place` false
   * (and more than one cell or `wrap`), the particles are counted into cells (cellOf, start) but not placed: the
   * caller places each particle a, in increasing a, at position cursor[cellOf[a]]++ of the order (order[pos] = a),
   * gathering what it needs in cell order in the same pass (CellSort.sort).
   */
  sort(x: Float64Array, reach: number, wrap = false, place = true): void {
    const d = this.d,
      N = this.N,
      L = this.L;
    if (reach !== this.lastReach) {
      CellGrid.gridShape(d, L, reach, N, this.next);
      this.lastReach = reach;
    }
    const nx = this.next[0],
      ny = this.next[1],
      nz = this.next[2];
    if (nx !== this.shape[0] || ny !== this.shape[1] || nz !== this.shape[2]) this.select(nx, ny, nz);
    const ncell = nx * ny * nz;
    const start = this.start,
      order = this.order,
      cellOf = this.cellOf;
    if (ncell === 1 && !wrap) {
      start[0] = 0;
      start[1] = N; // one cell: particles in their own order
      for (let a = 0; a < N; a++) order[a] = a;
      return;
    }
    const Lx = L[0],
      Ly = L[1],
      Lz = L[2];
    const iLx = this.invL[0],
      iLy = this.invL[1],
      iLz = this.invL[2];
    const openX = Lx === Infinity,
      openY = Ly === Infinity,
      openZ = Lz === Infinity;
    const wx = this.wx,
      wy = this.wy,
      wz = this.wz;
    start.fill(0);
    // The largest |x / L| along the periodic axes (NaN if any is NaN): see the header.
    let far = 0;
    if (d === 2 && !openX && !openY) {
      // 2D periodic (the hot/cold disks): the general loop below without its per-axis branches and without writing
      // wz, which stays 0 beyond the dimension (as wy in 1D): the same arithmetic, one store stream fewer.
      for (let a = 0; a < N; a++) {
        const o = 2 * a;
        const ux = x[o] * iLx,
          uy = x[o + 1] * iLy;
        far = Math.max(far, Math.abs(ux), Math.abs(uy));
        const sx = ux - Math.floor(ux),
          sy = uy - Math.floor(uy);
        const c = (Math.min(nx - 1, Math.floor(sx * nx)) * ny + Math.min(ny - 1, Math.floor(sy * ny))) * nz;
        wx[a] = sx * Lx;
        wy[a] = sy * Ly;
        cellOf[a] = c;
        start[c + 1]++;
      }
    } else {
      for (let a = 0; a < N; a++) {
        const o = a * d;
        // Wrapped coordinate in units of the box: s in [0, 1).
        let c = 0;
        if (openX) wx[a] = x[o];
        else {
          const ux = x[o] * iLx;
          far = Math.max(far, Math.abs(ux));
          const sx = ux - Math.floor(ux);
          c = Math.min(nx - 1, Math.floor(sx * nx));
          wx[a] = sx * Lx;
        }
        if (d > 1) {
          if (openY) {
            wy[a] = x[o + 1];
            c *= ny;
          } else {
            const uy = x[o + 1] * iLy;
            far = Math.max(far, Math.abs(uy));
            const sy = uy - Math.floor(uy);
            c = c * ny + Math.min(ny - 1, Math.floor(sy * ny));
            wy[a] = sy * Ly;
          }
        } else c *= ny; // wy stays 0 beyond the dimension (never written)
        if (d > 2) {
          if (openZ) {
            wz[a] = x[o + 2];
            c *= nz;
          } else {
            const uz = x[o + 2] * iLz;
            far = Math.max(far, Math.abs(uz));
            const sz = uz - Math.floor(uz);
            c = c * nz + Math.min(nz - 1, Math.floor(sz * nz));
            wz[a] = sz * Lz;
          }
        } else c *= nz; // wz stays 0 beyond the dimension (never written)
        cellOf[a] = c;
        start[c + 1]++;
      }
    }
    if (!(far < FAR_BOX_LENGTHS)) refusePositions(x, d, L);
    if (this.fill.length < ncell) this.fill = new Int32Array(ncell);
    const fill = this.fill;
    for (let c = 0; c < ncell; c++) {
      start[c + 1] += start[c];
      fill[c] = start[c];
    }
    if (place) for (let a = 0; a < N; a++) order[fill[cellOf[a]]++] = a;
  }

  /** Next free position of each cell after sort(x, reach, wrap, false) (see sort). */
  get cursor(): Int32Array {
    return this.fill;
  }

  /** Selects the grid nx x ny x nz and its stencil, cached by shape. */
  private select(nx: number, ny: number, nz: number): void {
    this.shape[0] = nx;
    this.shape[1] = ny;
    this.shape[2] = nz;
    const key = `${nx},${ny},${nz}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.stencil === "upper" ? upperStencil(nx, ny, nz) : halfStencil(nx, ny, nz, this.stencil === "joined");
      this.layouts.set(key, layout);
    }
    this.start = layout.start;
    this.triples = layout.triples;
    this.tripleStart = layout.tripleStart;
  }
}

/** The cell at offset (ox, oy, oz) from (cx, cy, cz), periodic. */
function neighbourCell(n: Int32Array, cx: number, cy: number, cz: number, ox: number, oy: number, oz: number): number {
  return (((cx + ox + n[0]) % n[0]) * n[1] + ((cy + oy + n[1]) % n[1])) * n[2] + ((cz + oz + n[2]) % n[2]);
}

function layoutOf(n: Int32Array, out: number[]): Layout {
  const ncell = n[0] * n[1] * n[2];
  const triples = Int32Array.from(out);
  const tripleStart = new Int32Array(ncell + 1);
  for (let m = 0; m < triples.length; m += 3) tripleStart[triples[m] + 1] += 3;
  for (let c = 0; c < ncell; c++) tripleStart[c + 1] += tripleStart[c];
  return { start: new Int32Array(ncell + 1), triples, tripleStart };
}

/**
 * Each cell with itself, then with the cells at lexicographically positive offsets, merged into contiguous runs;
 * with `joined`, the run that starts at c + 1 joins the cell's own triple.
 */
function halfStencil(nx: number, ny: number, nz: number, joined: boolean): Layout {
  const n = Int32Array.of(nx, ny, nz);
  // Along an axis of one cell every offset lands on the same cell: keep only offsets that are 0 there, so each
  // neighbour comes once and never c itself (grids have 1 or at least 3 cells per axis).
  const offsets: number[] = [];
  for (let ox = -1; ox <= 1; ox++)
    for (let oy = -1; oy <= 1; oy++)
      for (let oz = -1; oz <= 1; oz++) {
        if ((nx === 1 && ox !== 0) || (ny === 1 && oy !== 0) || (nz === 1 && oz !== 0)) continue;
        if (ox > 0 || (ox === 0 && (oy > 0 || (oy === 0 && oz > 0)))) offsets.push(ox, oy, oz);
      }
  const nb = new Int32Array(offsets.length / 3);
  const out: number[] = [],
    runs: number[] = [];
  for (let cx = 0; cx < nx; cx++)
    for (let cy = 0; cy < ny; cy++)
      for (let cz = 0; cz < nz; cz++) {
        const c = (cx * ny + cy) * nz + cz;
        for (let q = 0; q < nb.length; q++)
          nb[q] = neighbourCell(n, cx, cy, cz, offsets[3 * q], offsets[3 * q + 1], offsets[3 * q + 2]);
        nb.sort();
        runs.length = 0;
        for (let k = 0; k < nb.length; k++) {
          const first = nb[k];
          let last = first;
          while (k + 1 < nb.length && nb[k + 1] === last + 1) last = nb[++k];
          runs.push(first, last);
        }
        let own = -1;
        if (joined) for (let r = 0; r < runs.length && own < 0; r += 2) if (runs[r] === c + 1) own = r;
        out.push(c, c, own >= 0 ? runs[own + 1] : c);
        for (let r = 0; r < runs.length; r += 2) if (r !== own) out.push(c, runs[r], runs[r + 1]);
      }
  return layoutOf(n, out);
}

/** Each cell with each neighbouring cell of index >= its own, once, in the order of the offsets. */
function upperStencil(nx: number, ny: number, nz: number): Layout {
  const n = Int32Array.of(nx, ny, nz);
  const out: number[] = [];
  const seen = new Int32Array(27);
  for (let cx = 0; cx < nx; cx++)
    for (let cy = 0; cy < ny; cy++)
      for (let cz = 0; cz < nz; cz++) {
        const c = (cx * ny + cy) * nz + cz;
        let m = 0;
        for (let ox = -1; ox <= 1; ox++)
          for (let oy = -1; oy <= 1; oy++)
            for (let oz = -1; oz <= 1; oz++) {
              const c2 = neighbourCell(n, cx, cy, cz, ox, oy, oz);
              if (c2 < c) continue;
              let q = 0;
              while (q < m && seen[q] !== c2) q++;
              if (q < m) continue; // grids of one cell along an axis repeat cells
              seen[m++] = c2;
              out.push(c, c2, c2);
            }
      }
  return layoutOf(n, out);
}
