// The flat pair list of the 2D soft-disk cell order (src/stochastic/neighbours/lists.ts, CellOrderList.buildPairs) in
// AssemblyScript, compiled by scripts/build-wasm.js into src/stochastic/neighbours/pairsWasm.ts (base64, no SIMD: the
// loop is bound by its short inner loops, not by arithmetic) and run by src/stochastic/neighbours/wasmPairs.ts. The
// same candidates in the same order with the same arithmetic as the JavaScript build, so the same list, pair for
// pair (test/stochastic/neighbours.test.ts compares them); measured 1.6x faster than the JavaScript loop (no bounds
// checks, no deoptimisation guards in the inner loop).
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
