// Kernels of the Schur reordering (src/linalg/schur.ts: swapBlocks, moveBlockUp, standardiseAt) in AssemblyScript,
// compiled into the same module as asm/linalg.ts (re-exported there). The 4x4 arithmetic of a swap (the Sylvester
// equation, the QR of [-X; I], the stability test) stays in TypeScript: it is O(1) per swap; these kernels apply the
// resulting rotation or 4x4 orthogonal transformation to the rows and columns of the quasi-triangular window t
// (m x m, row-major) and to the rows of its transposed Schur vectors vt (m x m): O(m) work per swap, which is what
// the deflation window's reordering spends its time on.
//
// Same arithmetic as the JavaScript loops they replace (plain multiply and add, in the same order), so both paths
// give identical numbers.

import { at, ld, st } from "./common";

/** Rows a, b (addresses) over len doubles: (a, b) <- (cs a + sn b, cs b - sn a). */
@inline function rotateRowPair(a: usize, b: usize, len: i32, cs: f64, sn: f64): void {
  const c = f64x2.splat(cs),
    s = f64x2.splat(sn);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const o = <usize>i << 3;
    const x = v128.load(a + o),
      y = v128.load(b + o);
    v128.store(a + o, f64x2.add(f64x2.mul(c, x), f64x2.mul(s, y)));
    v128.store(b + o, f64x2.sub(f64x2.mul(c, y), f64x2.mul(s, x)));
  }
  if (i < len) {
    const x = ld(a, i),
      y = ld(b, i);
    st(a, i, cs * x + sn * y);
    st(b, i, cs * y - sn * x);
  }
}

/**
 * The plane rotation (cs, sn) on rows j, j+1 of t over columns c0 .. m-1, then on columns j, j+1 of t over rows
 * 0 .. r1-1, then on rows j, j+1 of vt (all m columns).
 */
export function rotatePlane(m: i32, t: usize, vt: usize, j: i32, cs: f64, sn: f64, c0: i32, r1: i32): void {
  const r0 = at(t, j * m);
  if (c0 < m) rotateRowPair(at(r0, c0), at(r0, m + c0), m - c0, cs, sn);
  for (let r = 0; r < r1; r++) {
    const p = at(t, r * m + j);
    const x = load<f64>(p),
      y = load<f64>(p, 8);
    store<f64>(p, cs * x + sn * y);
    store<f64>(p, cs * y - sn * x, 8);
  }
  const v0 = at(vt, j * m);
  rotateRowPair(v0, at(v0, m), m, cs, sn);
}

/**
 * The p x p orthogonal q (row-major with leading dimension 4, p <= 4) applied to the block of rows/columns j1 ..
 * j1+p-1: rows of t over columns j1 .. m-1 <- q^T rows; columns of t over rows 0 .. j1+p-1 <- columns q; rows of
 * vt (all m columns) <- q^T rows.
 */
export function applyBlockSwap(m: i32, t: usize, vt: usize, j1: i32, p: i32, q: usize): void {
  transformRows(m, t, j1, p, q, j1, m);
  for (let r = 0; r < j1 + p; r++) {
    const base = at(t, r * m + j1);
    const x0 = ld(base, 0),
      x1 = ld(base, 1),
      x2 = p > 2 ? ld(base, 2) : 0,
      x3 = p > 3 ? ld(base, 3) : 0;
    for (let c = 0; c < p; c++) {
      let acc = x0 * ld(q, c) + x1 * ld(q, 4 + c);
      if (p > 2) acc += x2 * ld(q, 8 + c);
      if (p > 3) acc += x3 * ld(q, 12 + c);
      st(base, c, acc);
    }
  }
  transformRows(m, vt, j1, p, q, 0, m);
}

/** Rows j1 .. j1+p-1 of x (m columns per row), columns c0 .. c1-1: row r <- sum_k q[k, r] row k. */
function transformRows(m: i32, x: usize, j1: i32, p: i32, q: usize, c0: i32, c1: i32): void {
  const a0 = at(x, j1 * m),
    a1 = at(a0, m),
    a2 = at(a1, m),
    a3 = at(a2, m);
  if (p == 2) {
    const q00 = f64x2.splat(ld(q, 0)),
      q01 = f64x2.splat(ld(q, 1)),
      q10 = f64x2.splat(ld(q, 4)),
      q11 = f64x2.splat(ld(q, 5));
    let c = c0;
    for (; c + 2 <= c1; c += 2) {
      const o = <usize>c << 3;
      const x0 = v128.load(a0 + o),
        x1 = v128.load(a1 + o);
      v128.store(a0 + o, f64x2.add(f64x2.mul(q00, x0), f64x2.mul(q10, x1)));
      v128.store(a1 + o, f64x2.add(f64x2.mul(q01, x0), f64x2.mul(q11, x1)));
    }
    if (c < c1) {
      const x0 = ld(a0, c),
        x1 = ld(a1, c);
      st(a0, c, ld(q, 0) * x0 + ld(q, 4) * x1);
      st(a1, c, ld(q, 1) * x0 + ld(q, 5) * x1);
    }
    return;
  }
  if (p == 3) {
    const q00 = f64x2.splat(ld(q, 0)),
      q01 = f64x2.splat(ld(q, 1)),
      q02 = f64x2.splat(ld(q, 2)),
      q10 = f64x2.splat(ld(q, 4)),
      q11 = f64x2.splat(ld(q, 5)),
      q12 = f64x2.splat(ld(q, 6)),
      q20 = f64x2.splat(ld(q, 8)),
      q21 = f64x2.splat(ld(q, 9)),
      q22 = f64x2.splat(ld(q, 10));
    let c = c0;
    for (; c + 2 <= c1; c += 2) {
      const o = <usize>c << 3;
      const x0 = v128.load(a0 + o),
        x1 = v128.load(a1 + o),
        x2 = v128.load(a2 + o);
      v128.store(a0 + o, f64x2.add(f64x2.add(f64x2.mul(q00, x0), f64x2.mul(q10, x1)), f64x2.mul(q20, x2)));
      v128.store(a1 + o, f64x2.add(f64x2.add(f64x2.mul(q01, x0), f64x2.mul(q11, x1)), f64x2.mul(q21, x2)));
      v128.store(a2 + o, f64x2.add(f64x2.add(f64x2.mul(q02, x0), f64x2.mul(q12, x1)), f64x2.mul(q22, x2)));
    }
    if (c < c1) {
      const x0 = ld(a0, c),
        x1 = ld(a1, c),
        x2 = ld(a2, c);
      st(a0, c, ld(q, 0) * x0 + ld(q, 4) * x1 + ld(q, 8) * x2);
      st(a1, c, ld(q, 1) * x0 + ld(q, 5) * x1 + ld(q, 9) * x2);
      st(a2, c, ld(q, 2) * x0 + ld(q, 6) * x1 + ld(q, 10) * x2);
    }
    return;
  }
  // p == 4
  const q00 = f64x2.splat(ld(q, 0)),
    q01 = f64x2.splat(ld(q, 1)),
    q02 = f64x2.splat(ld(q, 2)),
    q03 = f64x2.splat(ld(q, 3)),
    q10 = f64x2.splat(ld(q, 4)),
    q11 = f64x2.splat(ld(q, 5)),
    q12 = f64x2.splat(ld(q, 6)),
    q13 = f64x2.splat(ld(q, 7)),
    q20 = f64x2.splat(ld(q, 8)),
    q21 = f64x2.splat(ld(q, 9)),
    q22 = f64x2.splat(ld(q, 10)),
    q23 = f64x2.splat(ld(q, 11)),
    q30 = f64x2.splat(ld(q, 12)),
    q31 = f64x2.splat(ld(q, 13)),
    q32 = f64x2.splat(ld(q, 14)),
    q33 = f64x2.splat(ld(q, 15));
  let c = c0;
  for (; c + 2 <= c1; c += 2) {
    const o = <usize>c << 3;
    const x0 = v128.load(a0 + o),
      x1 = v128.load(a1 + o),
      x2 = v128.load(a2 + o),
      x3 = v128.load(a3 + o);
    v128.store(
      a0 + o,
      f64x2.add(f64x2.add(f64x2.add(f64x2.mul(q00, x0), f64x2.mul(q10, x1)), f64x2.mul(q20, x2)), f64x2.mul(q30, x3)),
    );
    v128.store(
      a1 + o,
      f64x2.add(f64x2.add(f64x2.add(f64x2.mul(q01, x0), f64x2.mul(q11, x1)), f64x2.mul(q21, x2)), f64x2.mul(q31, x3)),
    );
    v128.store(
      a2 + o,
      f64x2.add(f64x2.add(f64x2.add(f64x2.mul(q02, x0), f64x2.mul(q12, x1)), f64x2.mul(q22, x2)), f64x2.mul(q32, x3)),
    );
    v128.store(
      a3 + o,
      f64x2.add(f64x2.add(f64x2.add(f64x2.mul(q03, x0), f64x2.mul(q13, x1)), f64x2.mul(q23, x2)), f64x2.mul(q33, x3)),
    );
  }
  if (c < c1) {
    const x0 = ld(a0, c),
      x1 = ld(a1, c),
      x2 = ld(a2, c),
      x3 = ld(a3, c);
    st(a0, c, ld(q, 0) * x0 + ld(q, 4) * x1 + ld(q, 8) * x2 + ld(q, 12) * x3);
    st(a1, c, ld(q, 1) * x0 + ld(q, 5) * x1 + ld(q, 9) * x2 + ld(q, 13) * x3);
    st(a2, c, ld(q, 2) * x0 + ld(q, 6) * x1 + ld(q, 10) * x2 + ld(q, 14) * x3);
    st(a3, c, ld(q, 3) * x0 + ld(q, 7) * x1 + ld(q, 11) * x2 + ld(q, 15) * x3);
  }
}
