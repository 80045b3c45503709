// The flat pair list of the 2D soft-disk cell order (src/stochastic/neighbours/lists.ts, CellOrderList.buildPairs) in
// AssemblyScript, compiled by scripts/build-wasm.js into src/stochastic/neighbours/pairsWasm.ts (base64, no SIMD: the
// loop is bound by its short inner loops, not by arithmetic) and run by src/stochastic/neighbours/wasmPairs.ts. The
// same candidates in the same order with the same arithmetic as the JavaScript build, so the same list, pair for
// pair (test/stochastic/neighbours.test.ts compares them); measured 1.6x faster than the JavaScript loop (no bounds
// checks, no deoptimisation guards in the inner loop). The module also holds the force loops over the list, the
// gathers into cell order and the scatter back (gatherCells, scatterCells), and the fast loop of the xoshiro Gaussian
// fill (xoshiroFill, src/stochastic/xoshiroWasm.ts): each the same arithmetic in the same order as its JavaScript loop.
//
// Memory is the caller's: every argument is a byte address or a count; no allocation here.

@inline function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + (<usize>k << 2));
}
@inline function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + (<usize>k << 3));
}

/**
 * Every pair of positions (i, j), i before j in the cell order, visited by the stencil (triples (c, first, last) of
 * cellGrid.ts: cell c against the contiguous cells first..last, j > i within c) whose minimum-image distance is below
 * sqrt(reach2), written to I, J; returns their count, or -1 when the list could hold more than `cap` pairs (the
 * caller grows it and calls again). xs, ys: wrapped positions in cell order (f64); start (ncell + 1), triples,
 * tripleStart (ncell + 1): the grid (i32); Lx, Ly: the box.
 */
export function buildPairs(
  xs: usize,
  ys: usize,
  start: usize,
  triples: usize,
  tripleStart: usize,
  ncell: i32,
  I: usize,
  J: usize,
  cap: i32,
  Lx: f64,
  Ly: f64,
  reach2: f64,
): i32 {
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  let np: i32 = 0;
  for (let c: i32 = 0; c < ncell; c++) {
    const e1 = i32At(start, c + 1),
      m0 = i32At(tripleStart, c),
      m1 = i32At(tripleStart, c + 1);
    for (let i = i32At(start, c); i < e1; i++) {
      const xi = f64At(xs, i),
        yi = f64At(ys, i);
      for (let m = m0; m < m1; m += 3) {
        const e2 = i32At(start, i32At(triples, m + 2) + 1);
        const first = i32At(triples, m + 1);
        let j = first == c ? i + 1 : i32At(start, first);
        if (np + (e2 - j) >= cap) return -1;
        for (; j < e2; j++) {
          let dx = xi - f64At(xs, j);
          if (dx > hx) dx -= Lx;
          else if (dx < -hx) dx += Lx;
          let dy = yi - f64At(ys, j);
          if (dy > hy) dy -= Ly;
          else if (dy < -hy) dy += Ly;
          store<i32>(I + (<usize>np << 2), i);
          store<i32>(J + (<usize>np << 2), j);
          np += i32(dx * dx + dy * dy < reach2); // 1: kept; 0: overwritten by the next candidate
        }
      }
    }
  }
  return np;
}

@inline function minImage(d: f64, L: f64, h: f64): f64 {
  if (d > h) return d - L;
  if (d < -h) return d + L;
  return d;
}

/** minImage without branches (the same value: d - L, d + L or d). */
@inline function minImageSel(d: f64, L: f64, h: f64): f64 {
  return select<f64>(d - L, select<f64>(d + L, d, d < -h), d > h);
}

/**
 * Pairs per block of the force loops: each block is first scanned without branches for the pairs that take part
 * (their indices into `keep`, i32, room for BLOCK), then those alone are summed in order: the same pairs in the same
 * order with the same arithmetic as one loop that skips the others, without its mispredicted branch (about three
 * listed pairs in four lie beyond the cutoff).
 */
const BLOCK: i32 = 256;

/**
 * Forces of one soft law over the flat list (pairKernels.ts oneLawPairs, the same arithmetic in the same order):
 * for each pair (I[p], J[p]) closer than the cutoff (c2 its square) at the positions px, py (minimum image), U = k h^2
 * / 2 with h = 1 - r2 (1/r) is and g = k is (1/r - is), g (x_i - x_j) added to fx, fy of i and subtracted from j's;
 * returns the sum of U. is = 1 / range. keep: scratch for BLOCK indices.
 */
export function softPairs(
  I: usize,
  J: usize,
  np: i32,
  px: usize,
  py: usize,
  fx: usize,
  fy: usize,
  Lx: f64,
  Ly: f64,
  k: f64,
  is: f64,
  c2: f64,
  keep: usize,
): f64 {
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  let u: f64 = 0;
  for (let p0: i32 = 0; p0 < np; p0 += BLOCK) {
    const p1 = min(np, p0 + BLOCK);
    let m: i32 = 0;
    for (let p = p0; p < p1; p++) {
      const i = i32At(I, p),
        j = i32At(J, p);
      const dx = minImageSel(f64At(px, i) - f64At(px, j), Lx, hx);
      const dy = minImageSel(f64At(py, i) - f64At(py, j), Ly, hy);
      const r2 = dx * dx + dy * dy;
      store<i32>(keep + (<usize>m << 2), p);
      m += i32(!(r2 >= c2 || r2 == 0));
    }
    for (let q: i32 = 0; q < m; q++) {
      const p = i32At(keep, q);
      const i = i32At(I, p),
        j = i32At(J, p);
      const dx = minImage(f64At(px, i) - f64At(px, j), Lx, hx);
      const dy = minImage(f64At(py, i) - f64At(py, j), Ly, hy);
      const r2 = dx * dx + dy * dy;
      const ir = 1 / Math.sqrt(r2);
      const h = 1 - r2 * ir * is;
      u += 0.5 * k * h * h;
      const g = k * is * (ir - is);
      const gx = g * dx,
        gy = g * dy;
      const ai = <usize>i << 3,
        aj = <usize>j << 3;
      store<f64>(fx + ai, load<f64>(fx + ai) + gx);
      store<f64>(fy + ai, load<f64>(fy + ai) + gy);
      store<f64>(fx + aj, load<f64>(fx + aj) - gx);
      store<f64>(fy + aj, load<f64>(fy + aj) - gy);
    }
  }
  return u;
}

/**
 * softPairs with the step's pair heat (pairKernels.ts oneLawHeatPairs and oneLawPairHeat, the same arithmetic in
 * the same order): ux, uy the step's displacements in cell order, ss the species in cell order (i32), S species,
 * share (S x S) each pair's share of particle i, out (S) the heat per species (added to), invDt = 1/dt.
 */
export function softPairsHeat(
  I: usize,
  J: usize,
  np: i32,
  px: usize,
  py: usize,
  fx: usize,
  fy: usize,
  ux: usize,
  uy: usize,
  ss: usize,
  S: i32,
  share: usize,
  out: usize,
  invDt: f64,
  Lx: f64,
  Ly: f64,
  k: f64,
  is: f64,
  c2: f64,
  keep: usize,
): f64 {
  const hx = 0.5 * Lx,
    hy = 0.5 * Ly;
  let u: f64 = 0;
  for (let p0: i32 = 0; p0 < np; p0 += BLOCK) {
    const p1 = min(np, p0 + BLOCK);
    let m: i32 = 0;
    for (let p = p0; p < p1; p++) {
      const i = i32At(I, p),
        j = i32At(J, p);
      const dx = minImageSel(f64At(px, i) - f64At(px, j), Lx, hx);
      const dy = minImageSel(f64At(py, i) - f64At(py, j), Ly, hy);
      const r2 = dx * dx + dy * dy;
      const s0x = dx - f64At(ux, i) + f64At(ux, j),
        s0y = dy - f64At(uy, i) + f64At(uy, j);
      const q0 = s0x * s0x + s0y * s0y;
      store<i32>(keep + (<usize>m << 2), p);
      m += i32(!(r2 >= c2 && !(q0 < c2)));
    }
    for (let q: i32 = 0; q < m; q++) {
    const p = i32At(keep, q);
    const i = i32At(I, p),
      j = i32At(J, p);
    const dx = minImage(f64At(px, i) - f64At(px, j), Lx, hx);
    const dy = minImage(f64At(py, i) - f64At(py, j), Ly, hy);
    const r2 = dx * dx + dy * dy;
    const s0x = dx - f64At(ux, i) + f64At(ux, j),
      s0y = dy - f64At(uy, i) + f64At(uy, j);
    const q0 = s0x * s0x + s0y * s0y;
    let u1: f64 = 0,
      g1: f64 = 0;
    if (r2 >= c2) {
      // (the scan kept this pair: q0 < c2)
    } else if (r2 == 0) {
      u1 = 0.5 * k;
    } else {
      const ir = 1 / Math.sqrt(r2);
      const h = 1 - r2 * ir * is;
      u1 = 0.5 * k * h * h;
      g1 = k * is * (ir - is);
    }
    // The pair's share of the step's heat (oneLawPairHeat).
    let u0: f64 = 0,
      g0: f64 = 0;
    if (q0 < c2) {
      if (q0 == 0) u0 = 0.5 * k;
      else {
        const ir = 1 / Math.sqrt(q0);
        const h = 1 - q0 * ir * is;
        g0 = k * is * (ir - is);
        u0 = 0.5 * k * h * h;
      }
    }
    const wx = dx - s0x,
      wy = dy - s0y;
    const error = (u1 - u0 + 0.5 * ((g0 * s0x + g1 * dx) * wx + (g0 * s0y + g1 * dy) * wy)) * invDt;
    const si = i32At(ss, i),
      sj = i32At(ss, j);
    const w = f64At(share, si * S + sj);
    store<f64>(out + (<usize>si << 3), f64At(out, si) + w * error);
    store<f64>(out + (<usize>sj << 3), f64At(out, sj) + (1 - w) * error);
    if (r2 >= c2 || r2 == 0) continue;
    u += u1;
    const gx = g1 * dx,
      gy = g1 * dy;
    const ai = <usize>i << 3,
      aj = <usize>j << 3;
    store<f64>(fx + ai, load<f64>(fx + ai) + gx);
    store<f64>(fy + ai, load<f64>(fy + ai) + gy);
    store<f64>(fx + aj, load<f64>(fx + aj) - gx);
    store<f64>(fy + aj, load<f64>(fy + aj) - gy);
    }
  }
  return u;
}

/**
 * The positions of particle order (x: N x 2, f64) in cell order (CellOrderList.gather, lists.ts, the same arithmetic):
 * px[i] = x[2a] - w ox[i], py[i] = x[2a + 1] - w oy[i] with a = order[i] (i32) and w 1 (less the wrap offsets of the
 * last sort) or 0; the cell-order forces fx, fy zeroed. With x0 nonzero (a byte address), the step's displacements
 * x - x0 of each particle into ux, uy too.
 */
export function gatherCells(
  N: i32,
  order: usize,
  ox: usize,
  oy: usize,
  w: f64,
  x: usize,
  x0: usize,
  px: usize,
  py: usize,
  ux: usize,
  uy: usize,
  fx: usize,
  fy: usize,
): void {
  if (x0 == 0) {
    for (let i: i32 = 0; i < N; i++) {
      const a = <usize>i32At(order, i) << 4;
      const o = <usize>i << 3;
      store<f64>(px + o, load<f64>(x + a) - w * load<f64>(ox + o));
      store<f64>(py + o, load<f64>(x + a + 8) - w * load<f64>(oy + o));
      store<f64>(fx + o, 0);
      store<f64>(fy + o, 0);
    }
    return;
  }
  for (let i: i32 = 0; i < N; i++) {
    const a = <usize>i32At(order, i) << 4;
    const o = <usize>i << 3;
    const xa = load<f64>(x + a),
      ya = load<f64>(x + a + 8);
    store<f64>(px + o, xa - w * load<f64>(ox + o));
    store<f64>(py + o, ya - w * load<f64>(oy + o));
    store<f64>(ux + o, xa - load<f64>(x0 + a));
    store<f64>(uy + o, ya - load<f64>(x0 + a + 8));
    store<f64>(fx + o, 0);
    store<f64>(fy + o, 0);
  }
}

/** The cell-order forces fx, fy into f (N x 2, f64) in particle order: f[2a], f[2a + 1] with a = order[i] (CellOrderList.scatter). */
export function scatterCells(N: i32, order: usize, fx: usize, fy: usize, f: usize): void {
  for (let i: i32 = 0; i < N; i++) {
    const a = <usize>i32At(order, i) << 4;
    const o = <usize>i << 3;
    store<f64>(f + a, load<f64>(fx + o));
    store<f64>(f + a + 8, load<f64>(fy + o));
  }
}

/**
 * The fast loop of Rng.fillNormal (src/stochastic/rng.ts): `count` draws of xoshiro128** from the state at `state`
 * (four i32 words, written back), each through the ziggurat's fast path with the JavaScript loop's arithmetic in the
 * same order (j * WN[i] * (+-1)) into out (f64), so the same numbers to the bit; wn (f64), kn (i32): the ziggurat's
 * 128 widths and thresholds. Writes (k << 7) | i of every draw the fast path rejects to pend (i32; room for count + 1)
 * and returns their number: the caller completes them in order, as fillNormal does.
 */
export function xoshiroFill(out: usize, count: i32, state: usize, wn: usize, kn: usize, pend: usize): i32 {
  let s0 = load<i32>(state),
    s1 = load<i32>(state + 4),
    s2 = load<i32>(state + 8),
    s3 = load<i32>(state + 12);
  let np: i32 = 0;
  for (let k: i32 = 0; k < count; k++) {
    const v = s1 * 5;
    const u = ((v << 7) | (<u32>v >>> 25)) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (<u32>s3 >>> 21);
    const i = u & 127;
    const j = <i32>(<u32>u >>> 8);
    store<f64>(out + (<usize>k << 3), <f64>j * load<f64>(wn + (<usize>i << 3)) * <f64>(1 - <i32>((<u32>u >>> 6) & 2)));
    store<i32>(pend + (<usize>np << 2), (k << 7) | i);
    np += i32(j >= load<i32>(kn + (<usize>i << 2)));
  }
  store<i32>(state, s0);
  store<i32>(state + 4, s1);
  store<i32>(state + 8, s2);
  store<i32>(state + 12, s3);
  return np;
}
