/**
 * Forces on particles: pair potentials (soft, harmonic, WCA) per species pair and external potentials (harmonic
 * trap, cosine, sawtooth ratchet), in open space or in a periodic box with the minimum-image convention.
 *
 * Pairs in a box: a Verlet neighbour list with a skin (as LAMMPS's `neighbor 0.3 bin`), built with a cell list in
 * O(N) and rebuilt only when some particle has moved more than half the skin since the last build. A build wraps the
 * coordinates into the box, counting-sorts the particles by cell (cells at least cutoff + skin wide), and lets each
 * cell meet itself and half of its 3^d - 1 neighbours, so every pair is listed once (Newton's third law); each listed
 * pair keeps its periodic image shift, so the force loop needs no minimum-image rounding. Coordinates handed in are
 * never modified (the integrators keep them unwrapped). Systems too small for three cells per axis, and open space,
 * use the all-pairs loop (minimum image in a box).
 *
 * 2D systems with soft pairs only (seed 004's hot/cold disks) work in cell order: the sort into cells is kept until a
 * particle has moved half the skin, and each particle's wrap offset is stored, so the list needs no regrouping and
 * no image rounding. When sorts come at nearly every call (hot, mobile particles outrun the skin: a list would serve
 * one or two evaluations), the pairs are summed straight from the cells, without a list; when they come seldom, a
 * Verlet list in cell order is built at each sort. Both modes are tested against a brute-force sum.
 */
import { checkParticlesModel, pairCutoff, type ParticlesModel } from "../model/particles.js";
import type { ForceField } from "./forceField.js";

// Pair types (0: no interaction).
const SOFT = 1, HARMONIC = 2, WCA = 3;

export class ParticleForceField implements ForceField {
  readonly dof: number;
  readonly count: number;
  readonly dim: number;
  private readonly S: number;
  private readonly speciesOf: Int32Array;
  private readonly ptype: Int32Array;
  private readonly pk: Float64Array; // soft/harmonic stiffness, WCA epsilon
  private readonly pl: Float64Array; // soft range, harmonic rest length, WCA sigma
  private readonly cut2: Float64Array;
  private readonly hasPairs: boolean;
  private readonly L: Float64Array; // box lengths per axis (Infinity where none / missing)
  private readonly useCells: boolean;
  /** Verlet list: skin, squared list radius, reference positions, pairs (particle indices, type, image shift). */
  readonly skin: number;
  private readonly rl2: number;
  private readonly xRef: Float64Array;
  private pairA = new Int32Array(0);
  private pairB = new Int32Array(0);
  private pairT = new Int32Array(0);
  private shiftX = new Float64Array(0);
  private shiftY = new Float64Array(0);
  private shiftZ = new Float64Array(0);
  private npairs = -1;
  /** 2D soft Verlet list in cell order (CSR): partners of sorted particle i are rows[i] .. rows[i + 1). */
  private rows = new Int32Array(0);
  private csrB = new Int32Array(0);
  private csrT = new Int32Array(0);
  private csrX = new Float64Array(0);
  private csrY = new Float64Array(0);
  /** Number of neighbour-list builds so far. */
  builds = 0;
  private readonly onlySoft: boolean;
  /** 2D soft-only systems with cells: list and force loop in cell order (sorted space). */
  private readonly sorted2: boolean;
  private tripleStart = new Int32Array(0);
  private px = new Float64Array(0);
  private py = new Float64Array(0);
  private pfx = new Float64Array(0);
  private pfy = new Float64Array(0);
  /** Wrap offsets (x - wrapped x) at the last sort, in cell order. */
  private ox = new Float64Array(0);
  private oy = new Float64Array(0);
  /** Force evaluations since the last sort, their running mean between sorts, and whether the list is current. */
  private sinceSort = 0;
  private meanInterval = 8;
  private listValid = false;
  // cell list
  private readonly nc = new Int32Array(3);
  private readonly cellPairs: Int32Array; // (c, c2) pairs to visit
  private readonly cellOf: Int32Array;
  private readonly cellStart: Int32Array;
  private readonly cellFill: Int32Array;
  private readonly order: Int32Array;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly zs: Float64Array;
  private readonly ss: Int32Array;
  private readonly fx: Float64Array;
  private readonly fy: Float64Array;
  private readonly fz: Float64Array;
  private readonly externals: ParticlesModel["external"];
  private readonly extMask: Uint8Array[];

  constructor(readonly model: ParticlesModel) {
    checkParticlesModel(model, "ParticleForceField");
    const N = model.speciesOf.length;
    const d = model.dimension;
    this.count = N;
    this.dim = d;
    this.dof = N * d;
    const S = model.species.length;
    this.S = S;
    this.speciesOf = model.speciesOf;
    this.ptype = new Int32Array(S * S);
    this.pk = new Float64Array(S * S);
    this.pl = new Float64Array(S * S);
    this.cut2 = new Float64Array(S * S);
    let rc = 0;
    for (const r of model.pairs) {
      const t = r.pair.potential === "soft" ? SOFT : r.pair.potential === "harmonic" ? HARMONIC : WCA;
      const k = r.pair.potential === "wca" ? r.pair.epsilon : r.pair.stiffness;
      const l = r.pair.potential === "soft" ? r.pair.range : r.pair.potential === "harmonic" ? r.pair.length : r.pair.sigma;
      const cut = pairCutoff(r.pair);
      rc = Math.max(rc, cut);
      for (const [a, b] of [[r.a, r.b], [r.b, r.a]]) {
        this.ptype[a * S + b] = t;
        this.pk[a * S + b] = k;
        this.pl[a * S + b] = l;
        this.cut2[a * S + b] = cut * cut;
      }
    }
    this.hasPairs = model.pairs.length > 0;
    this.onlySoft = model.pairs.every((r) => r.pair.potential === "soft");
    this.L = new Float64Array([Infinity, Infinity, Infinity]);
    if (model.box) for (let k = 0; k < d; k++) this.L[k] = model.box[k];
    let cells = false;
    let skin = 0;
    if (model.box && this.hasPairs && Number.isFinite(rc)) {
      let halfBox = Infinity;
      for (let k = 0; k < d; k++) halfBox = Math.min(halfBox, model.box[k] / 2);
      skin = Math.max(0, Math.min(0.3 * rc, 0.99 * (halfBox - rc)));
      cells = true;
      for (let k = 0; k < 3; k++) {
        this.nc[k] = k < d ? Math.floor(model.box[k] / (rc + skin)) : 1;
        if (k < d && this.nc[k] < 3) cells = false;
      }
    }
    this.skin = cells ? skin : 0;
    this.rl2 = (rc + this.skin) ** 2;
    this.xRef = new Float64Array(cells ? N * d : 0);
    this.useCells = cells;
    this.sorted2 = cells && d === 2 && this.onlySoft;
    const ncell = cells ? this.nc[0] * this.nc[1] * this.nc[2] : 0;
    this.cellPairs = cells ? this.buildCellPairs() : new Int32Array(0);
    this.cellOf = new Int32Array(cells ? N : 0);
    this.cellStart = new Int32Array(ncell + 1);
    this.cellFill = new Int32Array(ncell);
    this.order = new Int32Array(N);
    this.xs = new Float64Array(N);
    this.ys = new Float64Array(N);
    this.zs = new Float64Array(N);
    this.ss = new Int32Array(N);
    this.fx = new Float64Array(N);
    this.fy = new Float64Array(N);
    this.fz = new Float64Array(N);
    if (this.sorted2) {
      this.px = new Float64Array(N);
      this.py = new Float64Array(N);
      this.pfx = new Float64Array(N);
      this.pfy = new Float64Array(N);
      this.ox = new Float64Array(N);
      this.oy = new Float64Array(N);
      this.rows = new Int32Array(N + 1);
      const cp = this.cellPairs;
      this.tripleStart = new Int32Array(ncell + 1);
      for (let m = 0; m < cp.length; m += 3) this.tripleStart[cp[m] + 1] += 3;
      for (let c = 0; c < ncell; c++) this.tripleStart[c + 1] += this.tripleStart[c];
    }
    this.externals = model.external;
    this.extMask = model.external.map((e) => {
      const m = new Uint8Array(S);
      for (const s of e.species) m[s] = 1;
      return m;
    });
  }

  /** Number of cells (0 when the all-pairs loop is used). */
  get cellCount(): number {
    return this.useCells ? this.nc[0] * this.nc[1] * this.nc[2] : 0;
  }

  private buildCellPairs(): Int32Array {
    const [nx, ny, nz] = this.nc;
    const d = this.dim;
    const offsets: number[][] = [];
    for (let ox = -1; ox <= 1; ox++) for (let oy = -1; oy <= 1; oy++) for (let oz = -1; oz <= 1; oz++) {
      if ((d < 2 && oy !== 0) || (d < 3 && oz !== 0)) continue;
      // half stencil: lexicographically positive offsets
      if (ox > 0 || (ox === 0 && (oy > 0 || (oy === 0 && oz > 0)))) offsets.push([ox, oy, oz]);
    }
    // Triples (c, first, last): cell c meets the cells first..last (contiguous in the sorted order); c itself first.
    const out: number[] = [];
    for (let cx = 0; cx < nx; cx++) for (let cy = 0; cy < ny; cy++) for (let cz = 0; cz < nz; cz++) {
      const c = (cx * ny + cy) * nz + cz;
      out.push(c, c, c);
      const nb = offsets
        .map(([ox, oy, oz]) => ((((cx + ox + nx) % nx) * ny + ((cy + oy + ny) % ny)) * nz) + ((cz + oz + nz) % nz))
        .sort((a, b) => a - b);
      for (let k = 0; k < nb.length; k++) {
        const first = nb[k];
        let last = first;
        while (k + 1 < nb.length && nb[k + 1] === last + 1) last = nb[++k];
        out.push(c, first, last);
      }
    }
    return Int32Array.from(out);
  }

  compute(x: Float64Array, force: Float64Array): number {
    let u = 0;
    if (this.sorted2) {
      u += this.sortedCompute2(x, force);
    } else if (this.useCells) {
      if (this.needsBuild(x)) this.build(x);
      u += this.listForces(x, force);
    } else if (this.hasPairs) {
      u += this.allPairsForces(x, force);
    } else {
      force.fill(0);
    }
    if (this.externals.length > 0) u += this.externalForces(x, force);
    return u;
  }

  /** True when some particle moved more than half the skin since the last build (or there was none). */
  private needsBuild(x: Float64Array): boolean {
    if (this.npairs < 0) return true;
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

  /** Wrapped coordinates of every particle into xs/ys/zs, sorted by cell (order[pos] = particle). */
  private sortIntoCells(x: Float64Array): void {
    const N = this.count, d = this.dim;
    const xs = this.xs, ys = this.ys, zs = this.zs, ss = this.ss, order = this.order;
    const Lx = this.L[0], Ly = this.L[1], Lz = this.L[2];
    const iLx = 1 / Lx, iLy = 1 / Ly, iLz = 1 / Lz;
    const [nx, ny, nz] = this.nc;
    const cellOf = this.cellOf, start = this.cellStart, fill = this.cellFill;
    start.fill(0);
    for (let a = 0; a < N; a++) {
      const o = a * d;
      // Wrapped coordinate in units of the box: s in [0, 1).
      const sx = x[o] * iLx - Math.floor(x[o] * iLx);
      let c = Math.min(nx - 1, Math.floor(sx * nx));
      xs[a] = sx * Lx;
      if (d > 1) {
        const sy = x[o + 1] * iLy - Math.floor(x[o + 1] * iLy);
        c = c * ny + Math.min(ny - 1, Math.floor(sy * ny));
        ys[a] = sy * Ly;
      } else {
        c *= ny;
        ys[a] = 0;
      }
      if (d > 2) {
        const sz = x[o + 2] * iLz - Math.floor(x[o + 2] * iLz);
        c = c * nz + Math.min(nz - 1, Math.floor(sz * nz));
        zs[a] = sz * Lz;
      } else {
        c *= nz;
        zs[a] = 0;
      }
      cellOf[a] = c;
      start[c + 1]++;
    }
    const ncell = fill.length;
    for (let c = 0; c < ncell; c++) {
      start[c + 1] += start[c];
      fill[c] = start[c];
    }
    for (let a = 0; a < N; a++) order[fill[cellOf[a]]++] = a;
    // Gather into cell order (fx/fy/fz serve as scratch here).
    const tx = this.fx, ty = this.fy, tz = this.fz;
    for (let pos = 0; pos < N; pos++) {
      const a = order[pos];
      tx[pos] = xs[a];
      ty[pos] = ys[a];
      tz[pos] = zs[a];
      ss[pos] = this.speciesOf[a];
    }
    xs.set(tx);
    ys.set(ty);
    zs.set(tz);
  }

  /** Builds the Verlet list: every interacting pair closer than cutoff + skin, with its periodic image shift. */
  private build(x: Float64Array): void {
    this.sortIntoCells(x);
    const d = this.dim, S = this.S;
    const xs = this.xs, ys = this.ys, zs = this.zs, ss = this.ss, order = this.order, start = this.cellStart;
    const Lx = this.L[0], Ly = this.L[1], Lz = this.L[2];
    const hx = 0.5 * Lx, hy = 0.5 * Ly, hz = 0.5 * Lz;
    const rl2 = this.rl2, ptype = this.ptype, cp = this.cellPairs;
    const iLx = 1 / Lx, iLy = 1 / Ly, iLz = 1 / Lz;
    let np = 0;
    let A = this.pairA, B = this.pairB, T = this.pairT, SX = this.shiftX, SY = this.shiftY, SZ = this.shiftZ;
    let cap = A.length;
    for (let m = 0; m < cp.length; m += 3) {
      const c = cp[m], self = cp[m + 1] === c;
      const e1 = start[c + 1], s2 = start[cp[m + 1]], e2 = start[cp[m + 2] + 1];
      if (s2 === e2) continue;
      for (let i = start[c]; i < e1; i++) {
        const row = ss[i] * S;
        const xi = xs[i], yi = ys[i], zi = zs[i];
        for (let j = self ? i + 1 : s2; j < e2; j++) {
          const t = row + ss[j];
          if (ptype[t] === 0) continue;
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
            this.growPairs();
            A = this.pairA; B = this.pairB; T = this.pairT; SX = this.shiftX; SY = this.shiftY; SZ = this.shiftZ;
            cap = A.length;
          }
          const a = order[i], b = order[j];
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
    this.npairs = np;
    this.xRef.set(x);
    this.builds++;
  }

  private growPairs(): void {
    const cap = Math.max(1024, 2 * this.pairA.length);
    const grow32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    const grow64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.pairA = grow32(this.pairA);
    this.pairB = grow32(this.pairB);
    this.pairT = grow32(this.pairT);
    this.shiftX = grow64(this.shiftX);
    this.shiftY = grow64(this.shiftY);
    this.shiftZ = grow64(this.shiftZ);
  }

  /**
   * 2D soft only. Particles are counting-sorted into cells of side >= cutoff + skin, and the sort is kept until some
   * particle has moved more than half the skin. When sorts come seldom (mean interval of 3 force evaluations or more)
   * the pairs closer than cutoff + skin are listed at each sort (Verlet list, in cell order) and the forces summed
   * over the list; when nearly every evaluation needs a new sort (hot, mobile particles: the list would be rebuilt
   * for one or two uses), the pairs are summed straight from the cells, with no list at all.
   */
  private sortedCompute2(x: Float64Array, force: Float64Array): number {
    if (this.needsBuild(x)) {
      if (this.npairs >= 0) this.meanInterval = 0.8 * this.meanInterval + 0.2 * this.sinceSort;
      this.sinceSort = 0;
      this.sortWithOffsets(x);
    }
    this.sinceSort++;
    if (Math.max(this.meanInterval, this.sinceSort) < 3) return this.directForces2(x, force);
    if (!this.listValid) this.buildSorted2();
    return this.sortedForces2(x, force);
  }

  /** Sorts into cells and keeps each particle's wrap offset (x - wrapped x), in cell order. */
  private sortWithOffsets(x: Float64Array): void {
    this.sortIntoCells(x);
    const N = this.count, order = this.order, xs = this.xs, ys = this.ys, ox = this.ox, oy = this.oy;
    for (let i = 0; i < N; i++) {
      const a = order[i] << 1;
      ox[i] = x[a] - xs[i];
      oy[i] = x[a + 1] - ys[i];
    }
    this.xRef.set(x);
    this.npairs = 0;
    this.listValid = false;
    this.builds++;
  }

  /**
   * 2D soft-only Verlet list in cell order: owner-major (pairs of sorted particle i are contiguous, no regrouping
   * pass), partners and owners as positions in the cell order, image shifts from per-particle wrap offsets (no
   * Math.round, no reads of x in particle order).
   */
  private buildSorted2(): void {
    const N = this.count, S = this.S;
    const xs = this.xs, ys = this.ys, ss = this.ss, start = this.cellStart;
    const ox = this.ox, oy = this.oy;
    const Lx = this.L[0], Ly = this.L[1];
    const hx = 0.5 * Lx, hy = 0.5 * Ly;
    const rl2 = this.rl2, ptype = this.ptype, cp = this.cellPairs, ts = this.tripleStart;
    const rows = this.rows;
    let B = this.csrB, T = this.csrT, SX = this.csrX, SY = this.csrY;
    let cap = B.length, np = 0;
    const ncell = ts.length - 1;
    for (let c = 0; c < ncell; c++) {
      const e1 = start[c + 1], m0 = ts[c], m1 = ts[c + 1];
      for (let i = start[c]; i < e1; i++) {
        rows[i] = np;
        const row = ss[i] * S;
        const xi = xs[i], yi = ys[i], oxi = ox[i], oyi = oy[i];
        for (let m = m0; m < m1; m += 3) {
          const self = cp[m + 1] === c;
          const e2 = start[cp[m + 2] + 1];
          for (let j = self ? i + 1 : start[cp[m + 1]]; j < e2; j++) {
            const t = row + ss[j];
            if (ptype[t] === 0) continue;
            let dx = xi - xs[j], wx = 0;
            if (dx > hx) { dx -= Lx; wx = -Lx; } else if (dx < -hx) { dx += Lx; wx = Lx; }
            let dy = yi - ys[j], wy = 0;
            if (dy > hy) { dy -= Ly; wy = -Ly; } else if (dy < -hy) { dy += Ly; wy = Ly; }
            if (dx * dx + dy * dy >= rl2) continue;
            if (np === cap) {
              cap = Math.max(1024, 2 * cap);
              const g32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
              const g64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
              B = this.csrB = g32(B); T = this.csrT = g32(T); SX = this.csrX = g64(SX); SY = this.csrY = g64(SY);
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
   * Positions in cell order into px, py (minus each particle's wrap offset at the last sort when `wrapped`: then
   * within half a skin of the box) and zero cell-order forces.
   */
  private gather2(x: Float64Array, wrapped: boolean): void {
    const N = this.count, order = this.order, px = this.px, py = this.py, fx = this.pfx, fy = this.pfy;
    const ox = this.ox, oy = this.oy;
    for (let i = 0; i < N; i++) {
      const a = order[i] << 1;
      px[i] = wrapped ? x[a] - ox[i] : x[a];
      py[i] = wrapped ? x[a + 1] - oy[i] : x[a + 1];
      fx[i] = 0;
      fy[i] = 0;
    }
  }

  /** The cell-order forces back into `force`, in particle order. */
  private scatter2(force: Float64Array): void {
    const N = this.count, order = this.order, fx = this.pfx, fy = this.pfy;
    for (let i = 0; i < N; i++) {
      const a = order[i] << 1;
      force[a] = fx[i];
      force[a + 1] = fy[i];
    }
  }

  /** Forces of the 2D soft list in cell order: gather positions, local pair loop, scatter forces. */
  private sortedForces2(x: Float64Array, force: Float64Array): number {
    const N = this.count, rows = this.rows;
    const px = this.px, py = this.py, fx = this.pfx, fy = this.pfy;
    this.gather2(x, false);
    const B = this.csrB, T = this.csrT, SX = this.csrX, SY = this.csrY;
    const pk = this.pk, pl = this.pl, cut2 = this.cut2;
    let u = 0;
    for (let i = 0; i < N; i++) {
      const e = rows[i + 1];
      let p = rows[i];
      if (p === e) continue;
      const xa = px[i], ya = py[i];
      let fxa = 0, fya = 0;
      for (; p < e; p++) {
        const j = B[p];
        const dx = xa - px[j] - SX[p];
        const dy = ya - py[j] - SY[p];
        const r2 = dx * dx + dy * dy;
        const t = T[p];
        if (r2 >= cut2[t] || r2 === 0) continue;
        const ir = 1 / Math.sqrt(r2);
        const is = 1 / pl[t];
        const k = pk[t];
        const h = 1 - r2 * ir * is;
        u += 0.5 * k * h * h;
        const g = k * is * (ir - is);
        const gx = g * dx, gy = g * dy;
        fxa += gx;
        fya += gy;
        fx[j] -= gx;
        fy[j] -= gy;
      }
      fx[i] += fxa;
      fy[i] += fya;
    }
    this.scatter2(force);
    return u;
  }

  /** 2D soft only, no Verlet list: sort into cells of side >= cutoff and sum the pairs straight from the cells. */
  private directForces2(x: Float64Array, force: Float64Array): number {
    const S = this.S;
    const start = this.cellStart, ss = this.ss;
    const xs = this.px, ys = this.py;
    const fx = this.pfx, fy = this.pfy;
    this.gather2(x, true);
    const Lx = this.L[0], Ly = this.L[1];
    const hx = 0.5 * Lx, hy = 0.5 * Ly;
    const pk = this.pk, pl = this.pl, cut2 = this.cut2, cp = this.cellPairs, ts = this.tripleStart;
    let u = 0;
    const ncell = ts.length - 1;
    for (let c = 0; c < ncell; c++) {
      const e1 = start[c + 1], m0 = ts[c], m1 = ts[c + 1];
      for (let i = start[c]; i < e1; i++) {
        const row = ss[i] * S;
        const xi = xs[i], yi = ys[i];
        let fxa = 0, fya = 0;
        for (let m = m0; m < m1; m += 3) {
          const self = cp[m + 1] === c;
          const e2 = start[cp[m + 2] + 1];
          for (let j = self ? i + 1 : start[cp[m + 1]]; j < e2; j++) {
            let dx = xi - xs[j];
            if (dx > hx) dx -= Lx; else if (dx < -hx) dx += Lx;
            let dy = yi - ys[j];
            if (dy > hy) dy -= Ly; else if (dy < -hy) dy += Ly;
            const r2 = dx * dx + dy * dy;
            const t = row + ss[j];
            if (r2 >= cut2[t] || r2 === 0) continue;
            const ir = 1 / Math.sqrt(r2);
            const is = 1 / pl[t];
            const k = pk[t];
            const h = 1 - r2 * ir * is;
            u += 0.5 * k * h * h;
            const g = k * is * (ir - is);
            const gx = g * dx, gy = g * dy;
            fxa += gx;
            fya += gy;
            fx[j] -= gx;
            fy[j] -= gy;
          }
        }
        fx[i] += fxa;
        fy[i] += fya;
      }
    }
    this.scatter2(force);
    return u;
  }

  /** Forces from the Verlet list (overwrites force). */
  private listForces(x: Float64Array, force: Float64Array): number {
    force.fill(0);
    const d = this.dim, np = this.npairs;
    const A = this.pairA, B = this.pairB, T = this.pairT, SX = this.shiftX, SY = this.shiftY, SZ = this.shiftZ;
    const ptype = this.ptype, pk = this.pk, pl = this.pl, cut2 = this.cut2;
    let u = 0;
    for (let p = 0; p < np; p++) {
      const a = A[p] * d, b = B[p] * d;
      const dx = x[a] - x[b] - SX[p];
      const dy = d > 1 ? x[a + 1] - x[b + 1] - SY[p] : 0;
      const dz = d > 2 ? x[a + 2] - x[b + 2] - SZ[p] : 0;
      const r2 = dx * dx + dy * dy + dz * dz;
      const t = T[p];
      if (r2 >= cut2[t]) continue;
      const ty = ptype[t];
      let g: number;
      if (ty === SOFT) {
        if (r2 === 0) continue;
        const r = Math.sqrt(r2);
        const sig = pl[t];
        const h = 1 - r / sig;
        u += 0.5 * pk[t] * h * h;
        g = (pk[t] * h) / (sig * r);
      } else if (ty === WCA) {
        const s2r = (pl[t] * pl[t]) / r2;
        const s6 = s2r * s2r * s2r;
        const eps = pk[t];
        u += 4 * eps * (s6 * s6 - s6) + eps;
        g = (24 * eps * (2 * s6 * s6 - s6)) / r2;
      } else continue; // harmonic pairs never use the list (open space only)
      force[a] += g * dx;
      force[b] -= g * dx;
      if (d > 1) {
        force[a + 1] += g * dy;
        force[b + 1] -= g * dy;
      }
      if (d > 2) {
        force[a + 2] += g * dz;
        force[b + 2] -= g * dz;
      }
    }
    return u;
  }

  /** All pairs (small systems, open space), minimum image in a box. */
  private allPairsForces(x: Float64Array, force: Float64Array): number {
    const N = this.count, d = this.dim;
    const xs = this.xs, ys = this.ys, zs = this.zs, ss = this.ss, fx = this.fx, fy = this.fy, fz = this.fz;
    const Lx = this.L[0], Ly = this.L[1], Lz = this.L[2];
    for (let a = 0; a < N; a++) {
      const o = a * d;
      xs[a] = Lx !== Infinity ? x[o] - Lx * Math.floor(x[o] / Lx) : x[o];
      ys[a] = d > 1 ? (Ly !== Infinity ? x[o + 1] - Ly * Math.floor(x[o + 1] / Ly) : x[o + 1]) : 0;
      zs[a] = d > 2 ? (Lz !== Infinity ? x[o + 2] - Lz * Math.floor(x[o + 2] / Lz) : x[o + 2]) : 0;
      ss[a] = this.speciesOf[a];
      fx[a] = 0;
      fy[a] = 0;
      fz[a] = 0;
    }
    const u = this.block(0, N, 0, N, true);
    for (let a = 0; a < N; a++) {
      const o = a * d;
      force[o] = fx[a];
      if (d > 1) force[o + 1] = fy[a];
      if (d > 2) force[o + 2] = fz[a];
    }
    return u;
  }

  /** Interactions between sorted particles [s1, e1) and [s2, e2) (same block: each pair once). */
  private block(s1: number, e1: number, s2: number, e2: number, same: boolean): number {
    const xs = this.xs, ys = this.ys, zs = this.zs, ss = this.ss, fx = this.fx, fy = this.fy, fz = this.fz;
    const Lx = this.L[0], Ly = this.L[1], Lz = this.L[2];
    const hx = 0.5 * Lx, hy = 0.5 * Ly, hz = 0.5 * Lz;
    const S = this.S, ptype = this.ptype, pk = this.pk, pl = this.pl, cut2 = this.cut2;
    let u = 0;
    for (let i = s1; i < e1; i++) {
      const xi = xs[i], yi = ys[i], zi = zs[i];
      const row = ss[i] * S;
      let fxi = 0, fyi = 0, fzi = 0;
      for (let j = same ? i + 1 : s2; j < e2; j++) {
        let dx = xi - xs[j];
        if (dx > hx) dx -= Lx;
        else if (dx < -hx) dx += Lx;
        let dy = yi - ys[j];
        if (dy > hy) dy -= Ly;
        else if (dy < -hy) dy += Ly;
        let dz = zi - zs[j];
        if (dz > hz) dz -= Lz;
        else if (dz < -hz) dz += Lz;
        const r2 = dx * dx + dy * dy + dz * dz;
        const pi = row + ss[j];
        if (r2 >= cut2[pi]) continue;
        const t = ptype[pi];
        // g = -(1/r) dU/dr: the force on i is g * (dx, dy, dz).
        let g: number;
        if (t === SOFT) {
          if (r2 === 0) continue;
          const r = Math.sqrt(r2);
          const sig = pl[pi];
          const h = 1 - r / sig;
          u += 0.5 * pk[pi] * h * h;
          g = (pk[pi] * h) / (sig * r);
        } else if (t === HARMONIC) {
          const r0 = pl[pi];
          if (r0 === 0) {
            u += 0.5 * pk[pi] * r2;
            g = -pk[pi];
          } else {
            if (r2 === 0) continue;
            const r = Math.sqrt(r2);
            u += 0.5 * pk[pi] * (r - r0) ** 2;
            g = (-pk[pi] * (r - r0)) / r;
          }
        } else if (t === WCA) {
          const s2r = (pl[pi] * pl[pi]) / r2;
          const s6 = s2r * s2r * s2r;
          const eps = pk[pi];
          u += 4 * eps * (s6 * s6 - s6) + eps;
          g = (24 * eps * (2 * s6 * s6 - s6)) / r2;
        } else continue;
        fxi += g * dx;
        fyi += g * dy;
        fzi += g * dz;
        fx[j] -= g * dx;
        fy[j] -= g * dy;
        fz[j] -= g * dz;
      }
      fx[i] += fxi;
      fy[i] += fyi;
      fz[i] += fzi;
    }
    return u;
  }

  /** True when external potentials act. */
  get hasExternal(): boolean {
    return this.externals.length > 0;
  }

  /**
   * External potentials alone: writes their forces into `force` (overwritten) and each particle's external energy
   * into `energy` (length N, overwritten). For the heat estimators: the external part of the heat is the exact
   * energy difference (the sawtooth force is discontinuous, where a trapezoid rule would be biased).
   */
  externalParts(x: Float64Array, force: Float64Array, energy: Float64Array): void {
    force.fill(0);
    energy.fill(0);
    this.externalForces(x, force, energy);
  }

  private externalForces(x: Float64Array, force: Float64Array, energy?: Float64Array): number {
    const N = this.count, d = this.dim, sp = this.speciesOf;
    let u = 0;
    for (let e = 0; e < this.externals.length; e++) {
      const ext = this.externals[e];
      const mask = this.extMask[e];
      if (ext.potential === "harmonic") {
        const lam = ext.stiffness, c = ext.center;
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          for (let k = 0; k < d; k++) {
            let dx = x[a * d + k] - c[k];
            const L = this.L[k];
            if (L !== Infinity) dx -= L * Math.round(dx / L);
            u += 0.5 * lam * dx * dx;
            if (energy) energy[a] += 0.5 * lam * dx * dx;
            force[a * d + k] -= lam * dx;
          }
        }
      } else if (ext.potential === "cosine") {
        const q = (2 * Math.PI) / ext.period, A = ext.amplitude, k = ext.axis, ph = ext.phase;
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          const arg = q * x[a * d + k] + ph;
          u += A * Math.cos(arg);
          if (energy) energy[a] += A * Math.cos(arg);
          force[a * d + k] += A * q * Math.sin(arg);
        }
      } else {
        const P = ext.period, A = ext.amplitude, k = ext.axis, as = ext.asymmetry;
        const up = -A / (as * P), down = A / ((1 - as) * P);
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          const s = x[a * d + k] / P;
          const w = s - Math.floor(s);
          if (w < as) {
            u += (A * w) / as;
            if (energy) energy[a] += (A * w) / as;
            force[a * d + k] += up;
          } else {
            u += (A * (1 - w)) / (1 - as);
            if (energy) energy[a] += (A * (1 - w)) / (1 - as);
            force[a * d + k] += down;
          }
        }
      }
    }
    return u;
  }
}
