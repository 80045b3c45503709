/**
 * The pair force loops: one per neighbour structure (src/stochastic/neighbours/lists.ts), each specialised on the
 * law code of pairLaws.ts with the law's arithmetic written inline on the packed parameters k and l (a call per
 * pair would cost the hot loop its speed). They compute, per pair closer than its cutoff, the energy U(r) and
 * g = -U'(r)/r, and add g (r_a - r_b) to particle a and its negative to b (Newton's third law):
 *   soft      h = 1 - r/l: U = k h^2 / 2, g = k h / (l r), in the Verlet and all-pairs loops; in the 2D cell-order
 *             loops with 1/r and 1/l: h = 1 - r2 (1/r)(1/l), g = k (1/l)(1/r - 1/l) (same law, other rounding)
 *   harmonic  U = k (r - l)^2 / 2, g = -k (r - l)/r (r0 = l = 0: U = k r^2 / 2, g = -k); open space only
 *   wca       s6 = (l^2/r^2)^3: U = 4 k (s6^2 - s6) + k, g = 24 k (2 s6^2 - s6) / r^2
 * Each loop's arithmetic is checked against the reference functions of pairLaws.ts in
 * test/stochastic/potentials.test.ts (energy, force, at distances across each law's range and at its cutoff).
 * Soft and harmonic pairs at r = 0 (a direction-less overlap) contribute nothing. The 2D soft cell-order loops also
 * take, at the end of a step, the step's exact pair-heat correction in the same pass (StepHeat: the ledger of
 * pairHeat.ts without its own loop; checked against the ledger in test/stochastic/particles.test.ts). With one soft
 * law between every pair of species (the hot/cold disks) the 2D loops run over the cell order's flat list of pairs
 * (oneLawPairs, oneLawHeatPairs at the end of this file; their WebAssembly twins in asm/particles/pairs.ts run where
 * the list was built there, neighbours/wasmPairs.ts). Browser-safe.
 */
import type { AllPairs, CellOrderList, VerletList } from "../neighbours/lists.js";
import { HARMONIC, SOFT, WCA, type PackedPairLaws } from "./pairLaws.js";

/** Forces from a Verlet list (overwrites force); returns the pair energy. */
export function verletForces(list: VerletList, laws: PackedPairLaws, x: Float64Array, force: Float64Array): number {
  force.fill(0);
  const d = list.cells.dim,
    np = list.count;
  const A = list.pairA,
    B = list.pairB,
    T = list.pairT,
    SX = list.shiftX,
    SY = list.shiftY,
    SZ = list.shiftZ;
  const code = laws.code,
    pk = laws.k,
    pl = laws.l,
    cut2 = laws.cut2;
  const soft = SOFT,
    wca = WCA;
  let u = 0;
  for (let p = 0; p < np; p++) {
    const a = A[p] * d,
      b = B[p] * d;
    const dx = x[a] - x[b] - SX[p];
    const dy = d > 1 ? x[a + 1] - x[b + 1] - SY[p] : 0;
    const dz = d > 2 ? x[a + 2] - x[b + 2] - SZ[p] : 0;
    const r2 = dx * dx + dy * dy + dz * dz;
    const t = T[p];
    if (r2 >= cut2[t]) continue;
    const ty = code[t];
    let g: number;
    if (ty === soft) {
      if (r2 === 0) continue;
      const r = Math.sqrt(r2);
      const sig = pl[t];
      const h = 1 - r / sig;
      u += 0.5 * pk[t] * h * h;
      g = (pk[t] * h) / (sig * r);
    } else if (ty === wca) {
      const s2r = (pl[t] * pl[t]) / r2;
      const s6 = s2r * s2r * s2r;
      const eps = pk[t];
      u += 4 * eps * (s6 * s6 - s6) + eps;
      g = (24 * eps * (2 * s6 * s6 - s6)) / r2;
    } else continue; // harmonic pairs never use a list (open space only)
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

/** Forces from every pair, minimum image in a box (overwrites force); returns the pair energy. */
export function allPairsForces(all: AllPairs, laws: PackedPairLaws, x: Float64Array, force: Float64Array): number {
  all.gather(x);
  const N = all.count;
  const xs = all.xs,
    ys = all.ys,
    zs = all.zs,
    ss = all.ss,
    fx = all.fx,
    fy = all.fy,
    fz = all.fz;
  const Lx = all.L[0],
    Ly = all.L[1],
    Lz = all.L[2];
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly,
    hz = 0.5 * Lz;
  const S = laws.species,
    code = laws.code,
    pk = laws.k,
    pl = laws.l,
    cut2 = laws.cut2;
  const soft = SOFT,
    harmonic = HARMONIC,
    wca = WCA;
  let u = 0;
  for (let i = 0; i < N; i++) {
    const xi = xs[i],
      yi = ys[i],
      zi = zs[i];
    const row = ss[i] * S;
    let fxi = 0,
      fyi = 0,
      fzi = 0;
    for (let j = i + 1; j < N; j++) {
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
      const t = code[pi];
      // g = -(1/r) dU/dr: the force on i is g * (dx, dy, dz).
      let g: number;
      if (t === soft) {
        if (r2 === 0) continue;
        const r = Math.sqrt(r2);
        const sig = pl[pi];
        const h = 1 - r / sig;
        u += 0.5 * pk[pi] * h * h;
        g = (pk[pi] * h) / (sig * r);
      } else if (t === harmonic) {
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
      } else if (t === wca) {
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
  all.scatter(force);
  return u;
}

/**
 * The pair-heat accounting of one step x0 -> x1 done in the force loop at x1 (the exact ledger of pairHeat.ts without
 * its own pass): for every pair closer than the cutoff at x0 or at x1, the trapezoid heat
 * -(F_ab(x0) + F_ab(x1))/2 . (dx_a - dx_b) is compared with the exact energy change U(r1) - U(r0), and the difference
 * per unit time goes to the two species in proportion to their diffusivities T/gamma.
 */
export interface StepHeat {
  /** Per species: the step's pair-heat correction per unit time (zeroed and filled by each accounted step). */
  readonly out: Float64Array;
  /** Per ordered species pair t = s_a * S + s_b: D_a / (D_a + D_b), the share of particle a (1/2 when both are 0). */
  readonly share: Float64Array;
  /** 1 / dt. */
  readonly invDt: number;
  /** Per ordered species pair: 1 / range (0 without a pair). */
  readonly invRange: Float64Array;
}

/**
 * Forces of 2D soft pairs in cell order (overwrites force); returns the pair energy. Every interacting pair must be
 * soft (PackedPairLaws.onlySoft): the loops do not look at the law code.
 */
export function cellOrderSoftForces(
  list: CellOrderList,
  laws: PackedPairLaws,
  x: Float64Array,
  force: Float64Array,
): number {
  const mode = list.prepare(x);
  const u =
    mode === "pairs"
      ? oneLawPairs(list, oneLaw(laws))
      : mode === "list"
        ? softFromList(list, laws, null)
        : softFromCells(list, laws, null);
  list.scatter(force);
  return u;
}

/**
 * The forces at the end x1 of a step x0 -> x1 (overwrites force; returns the pair energy) and, in the same loop with
 * `heat`, the step's pair-heat accounting into heat.out (StepHeat) when the neighbour structure reaches every pair
 * that interacts at x0 or x1 (CellOrderList.prepareStep); returns the energy and whether the heat was accounted.
 * `moved`: the check of both ends against the last sort when the caller made it (CellOrderList.prepareStep), or -1.
 */
export function cellOrderSoftStep(
  list: CellOrderList,
  laws: PackedPairLaws,
  x0: Float64Array,
  x1: Float64Array,
  force: Float64Array,
  heat: StepHeat | null,
  moved = -1,
): { energy: number; accounted: boolean } {
  const accounted = list.prepareStep(x0, x1, heat !== null, moved) && heat !== null;
  if (accounted) heat.out.fill(0);
  const h = accounted ? heat : null;
  const mode = list.lastMode;
  const energy =
    mode === "pairs"
      ? h === null
        ? oneLawPairs(list, oneLaw(laws))
        : oneLawHeatPairs(list, oneLaw(laws), h, laws.species)
      : mode === "list"
        ? softFromList(list, laws, h)
        : softFromCells(list, laws, h);
  list.scatter(force);
  return { energy, accounted };
}

/**
 * One pair's share of the step's pair-heat correction (StepHeat), given its separations s1 (at x1) and s0 (at x0) and
 * their squares q1, q0, one of them below the squared cutoff c2, for a soft law (k, 1/range): the exact energy change
 * minus the trapezoid heat, per unit time, shared into out by `share`.
 */
function softPairHeat(
  heat: StepHeat,
  si: number,
  sj: number,
  t: number,
  k: number,
  is: number,
  c2: number,
  s1x: number,
  s1y: number,
  q1: number,
  s0x: number,
  s0y: number,
  q0: number,
): void {
  const ux = s1x - s0x,
    uy = s1y - s0y;
  const u1 = softEnd(q1, c2, k, is),
    g1 = endG;
  const u0 = softEnd(q0, c2, k, is),
    g0 = endG;
  const error = (u1 - u0 + 0.5 * ((g0 * s0x + g1 * s1x) * ux + (g0 * s0y + g1 * s1y) * uy)) * heat.invDt;
  const w = heat.share[t];
  heat.out[si] += w * error;
  heat.out[sj] += (1 - w) * error;
}

/** g = -U'(r)/r of the last softEnd call (a second return value without an allocation). */
let endG = 0;

/**
 * The soft law at one end of a step, squared distance q: returns U = k h^2 / 2 (h = 1 - r/l) and leaves
 * g = k (1/l)(1/r - 1/l) in endG; U = k/2, g = 0 at r = 0 and both 0 beyond the cutoff (pairLaws.ts).
 */
function softEnd(q: number, c2: number, k: number, is: number): number {
  endG = 0;
  if (q >= c2) return 0;
  if (q === 0) return 0.5 * k;
  const ir = 1 / Math.sqrt(q);
  const h = 1 - q * ir * is;
  endG = k * is * (ir - is);
  return 0.5 * k * h * h;
}

/** The cell-order Verlet list: a local pair loop over gathered positions (and the step's pair heat with `heat`). */
function softFromList(list: CellOrderList, laws: PackedPairLaws, heat: StepHeat | null): number {
  const N = list.cells.count,
    rows = list.rows,
    ss = list.cells.ss;
  const px = list.px,
    py = list.py,
    fx = list.pfx,
    fy = list.pfy,
    ux = list.pdx,
    uy = list.pdy;
  const B = list.csrB,
    T = list.csrT,
    SX = list.csrX,
    SY = list.csrY;
  const pk = laws.k,
    pl = laws.l,
    cut2 = laws.cut2;
  let u = 0;
  for (let i = 0; i < N; i++) {
    const e = rows[i + 1];
    let p = rows[i];
    if (p === e) continue;
    const xa = px[i],
      ya = py[i],
      uxa = ux[i],
      uya = uy[i];
    let fxa = 0,
      fya = 0;
    for (; p < e; p++) {
      const j = B[p];
      const dx = xa - px[j] - SX[p];
      const dy = ya - py[j] - SY[p];
      const r2 = dx * dx + dy * dy;
      const t = T[p];
      if (heat !== null) {
        const s0x = dx - uxa + ux[j],
          s0y = dy - uya + uy[j];
        const q0 = s0x * s0x + s0y * s0y,
          c2 = cut2[t];
        if (r2 < c2 || q0 < c2)
          softPairHeat(heat, ss[i], ss[j], t, pk[t], heat.invRange[t], c2, dx, dy, r2, s0x, s0y, q0);
      }
      if (r2 >= cut2[t] || r2 === 0) continue;
      const ir = 1 / Math.sqrt(r2);
      const is = 1 / pl[t];
      const k = pk[t];
      const h = 1 - r2 * ir * is;
      u += 0.5 * k * h * h;
      const g = k * is * (ir - is);
      const gx = g * dx,
        gy = g * dy;
      fxa += gx;
      fya += gy;
      fx[j] -= gx;
      fy[j] -= gy;
    }
    fx[i] += fxa;
    fy[i] += fya;
  }
  return u;
}

/**
 * No list: the pairs straight from the cells (positions within half a skin of the box, minimum image), and the
 * step's pair heat with `heat`.
 */
function softFromCells(list: CellOrderList, laws: PackedPairLaws, heat: StepHeat | null): number {
  const cells = list.cells,
    S = laws.species;
  const grid = cells.grid,
    start = grid.start,
    ss = cells.ss,
    cp = grid.triples,
    ts = grid.tripleStart;
  const xs = list.px,
    ys = list.py,
    ux = list.pdx,
    uy = list.pdy;
  const fx = list.pfx,
    fy = list.pfy;
  const Lx = cells.L[0],
    Ly = cells.L[1];
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  const pk = laws.k,
    pl = laws.l,
    cut2 = laws.cut2;
  let u = 0;
  const ncell = ts.length - 1;
  for (let c = 0; c < ncell; c++) {
    const e1 = start[c + 1],
      m0 = ts[c],
      m1 = ts[c + 1];
    for (let i = start[c]; i < e1; i++) {
      const si = ss[i],
        row = si * S;
      const xi = xs[i],
        yi = ys[i],
        uxi = ux[i],
        uyi = uy[i];
      let fxa = 0,
        fya = 0;
      for (let m = m0; m < m1; m += 3) {
        const self = cp[m + 1] === c;
        const e2 = start[cp[m + 2] + 1];
        for (let j = self ? i + 1 : start[cp[m + 1]]; j < e2; j++) {
          let dx = xi - xs[j];
          if (dx > hx) dx -= Lx;
          else if (dx < -hx) dx += Lx;
          let dy = yi - ys[j];
          if (dy > hy) dy -= Ly;
          else if (dy < -hy) dy += Ly;
          const r2 = dx * dx + dy * dy;
          const t = row + ss[j];
          if (heat !== null) {
            const s0x = dx - uxi + ux[j],
              s0y = dy - uyi + uy[j];
            const q0 = s0x * s0x + s0y * s0y,
              c2 = cut2[t];
            if (r2 < c2 || q0 < c2)
              softPairHeat(heat, si, ss[j], t, pk[t], heat.invRange[t], c2, dx, dy, r2, s0x, s0y, q0);
          }
          if (r2 >= cut2[t] || r2 === 0) continue;
          const ir = 1 / Math.sqrt(r2);
          const is = 1 / pl[t];
          const k = pk[t];
          const h = 1 - r2 * ir * is;
          u += 0.5 * k * h * h;
          const g = k * is * (ir - is);
          const gx = g * dx,
            gy = g * dy;
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
  return u;
}

// ---------------------------------------------------------------------------------------------------------------
// One soft law for every species pair (PackedPairLaws.uniformSoft: Metzger's hot/cold disks), on the flat list of
// pairs of the one-law mode (CellOrderList "pairs"): one loop over the pairs, minimum image of the wrapped positions,
// no species in the force arithmetic (the heat reads them only for pairs within the cutoff at either end), and the
// loops with and without the step's pair heat written apart, so no inner loop tests for it. The law's arithmetic is
// that of the loops above.

type OneLaw = NonNullable<PackedPairLaws["uniformSoft"]>;

/** The one law of a list in the one-law mode (made only for laws that have one: particleForces.ts). */
function oneLaw(laws: PackedPairLaws): OneLaw {
  if (laws.uniformSoft === null) throw new Error("internal: a one-law pair list for laws that are not one");
  return laws.uniformSoft;
}

/** Forces from the flat list of pairs, one soft law. */
function oneLawPairs(list: CellOrderList, law: OneLaw): number {
  const w = list.wasmLoops;
  if (w !== null) return w.softPairs(list.pairCount, list.cells.L[0], list.cells.L[1], law.k, law.invRange, law.cut2);
  const np = list.pairCount,
    I = list.pairI,
    J = list.pairJ;
  const px = list.px,
    py = list.py,
    fx = list.pfx,
    fy = list.pfy;
  const Lx = list.cells.L[0],
    Ly = list.cells.L[1];
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  const k = law.k,
    is = law.invRange,
    c2 = law.cut2;
  let u = 0;
  for (let p = 0; p < np; p++) {
    const i = I[p],
      j = J[p];
    let dx = px[i] - px[j];
    if (dx > hx) dx -= Lx;
    else if (dx < -hx) dx += Lx;
    let dy = py[i] - py[j];
    if (dy > hy) dy -= Ly;
    else if (dy < -hy) dy += Ly;
    const r2 = dx * dx + dy * dy;
    if (r2 >= c2 || r2 === 0) continue;
    const ir = 1 / Math.sqrt(r2);
    const h = 1 - r2 * ir * is;
    u += 0.5 * k * h * h;
    const g = k * is * (ir - is);
    const gx = g * dx,
      gy = g * dy;
    fx[i] += gx;
    fy[i] += gy;
    fx[j] -= gx;
    fy[j] -= gy;
  }
  return u;
}

/**
 * One pair's share of the step's pair-heat correction with one soft law (softPairHeat's arithmetic): separations s1
 * (at x1, with U1 and g1 already known) and s0 (at x0, squared q0), species si, sj.
 */
function oneLawPairHeat(
  heat: StepHeat,
  S: number,
  si: number,
  sj: number,
  law: OneLaw,
  u1: number,
  g1: number,
  s1x: number,
  s1y: number,
  s0x: number,
  s0y: number,
  q0: number,
): void {
  const k = law.k,
    is = law.invRange;
  let u0 = 0,
    g0 = 0;
  if (q0 < law.cut2) {
    if (q0 === 0) u0 = 0.5 * k;
    else {
      const ir = 1 / Math.sqrt(q0);
      const h = 1 - q0 * ir * is;
      g0 = k * is * (ir - is);
      u0 = 0.5 * k * h * h;
    }
  }
  const ux = s1x - s0x,
    uy = s1y - s0y;
  const error = (u1 - u0 + 0.5 * ((g0 * s0x + g1 * s1x) * ux + (g0 * s0y + g1 * s1y) * uy)) * heat.invDt;
  const w = heat.share[si * S + sj];
  heat.out[si] += w * error;
  heat.out[sj] += (1 - w) * error;
}

/** Forces and the step's pair heat from the flat list of pairs, one soft law. */
function oneLawHeatPairs(list: CellOrderList, law: OneLaw, heat: StepHeat, S: number): number {
  const w = list.wasmLoops;
  if (w !== null)
    return w.softPairsHeat(
      list.pairCount,
      heat.share,
      heat.out,
      heat.invDt,
      list.cells.L[0],
      list.cells.L[1],
      law.k,
      law.invRange,
      law.cut2,
    );
  const np = list.pairCount,
    I = list.pairI,
    J = list.pairJ,
    ss = list.cells.ss;
  const px = list.px,
    py = list.py,
    fx = list.pfx,
    fy = list.pfy,
    ux = list.pdx,
    uy = list.pdy;
  const Lx = list.cells.L[0],
    Ly = list.cells.L[1];
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  const k = law.k,
    is = law.invRange,
    c2 = law.cut2;
  let u = 0;
  for (let p = 0; p < np; p++) {
    const i = I[p],
      j = J[p];
    let dx = px[i] - px[j];
    if (dx > hx) dx -= Lx;
    else if (dx < -hx) dx += Lx;
    let dy = py[i] - py[j];
    if (dy > hy) dy -= Ly;
    else if (dy < -hy) dy += Ly;
    const r2 = dx * dx + dy * dy;
    const s0x = dx - ux[i] + ux[j],
      s0y = dy - uy[i] + uy[j];
    const q0 = s0x * s0x + s0y * s0y;
    if (r2 >= c2) {
      if (q0 < c2) oneLawPairHeat(heat, S, ss[i], ss[j], law, 0, 0, dx, dy, s0x, s0y, q0);
      continue;
    }
    if (r2 === 0) {
      oneLawPairHeat(heat, S, ss[i], ss[j], law, 0.5 * k, 0, dx, dy, s0x, s0y, q0);
      continue;
    }
    const ir = 1 / Math.sqrt(r2);
    const h = 1 - r2 * ir * is;
    const en = 0.5 * k * h * h;
    const g = k * is * (ir - is);
    oneLawPairHeat(heat, S, ss[i], ss[j], law, en, g, dx, dy, s0x, s0y, q0);
    u += en;
    const gx = g * dx,
      gy = g * dy;
    fx[i] += gx;
    fy[i] += gy;
    fx[j] -= gx;
    fy[j] -= gy;
  }
  return u;
}
