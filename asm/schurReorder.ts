// Kernels of the Schur reordering (src/linalg/schur.ts: swapBlocks, moveBlockUp, standardiseAt and the deflation
// checks of aggressiveDeflation) in AssemblyScript, compiled into the same module as asm/linalg.ts (re-exported
// there): the application of a swap's rotation or 4x4 orthogonal transformation to the rows and columns of the
// quasi-triangular window t (m x m, row-major) and to the rows of its transposed Schur vectors vt (m x m), O(m) work
// per swap; and (below) the whole reordering loop of a deflation window with the swap's 4x4 arithmetic.
//
// The application uses the same arithmetic as the JavaScript loops it replaces (plain multiply and add, in the same
// order); the 4x4 arithmetic too, except the two-term hypotenuses (norm3 here, Math.hypot there: they may differ in
// the last bit).

import { at, ld, norm3, signOf, st } from "./common";
import { standardiseInto } from "./schurSmall";

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

// ---------------------------------------------------------------------------------------------------------------------
// The whole reordering of a deflation window in the kernels (src/linalg/schur.ts's aggressiveDeflation loop with
// moveBlockUp, swapBlocks and standardiseAt): the swap's 4x4 arithmetic (LAPACK dlaexc: the Sylvester equation
// T11 X - X T22 = T12 by complete pivoting, the QR of [-X; I], the stability test) as in the TypeScript, whose loop
// ran a few hundred swaps per window with a call into the kernels each.

const EPS: f64 = 2.220446049250313e-16; // 2^-52
const SAFE_MIN: f64 = 2.2250738585072014e-308; // 2^-1022

/** Doubles of work aedReorder takes. */
export function aedReorderWork(): i32 {
  return 96;
}

// work layout (doubles): D 0..15, Q 16..31, E 32..47, X 48..71, sol 72..75, u 76..79, col 80..83, perm 84..87,
// standardised block 88..93
const W_D = 0, W_Q = 16, W_E = 32, W_X = 48, W_SOL = 72, W_U = 76, W_COL = 80, W_PERM = 84, W_STD = 88;

let hhTau: f64 = 0;

/** Householder vector of x[0 .. len) into u (u[0] = 1); returns beta, tau in hhTau (householderVector there). */
function householder(x: usize, len: i32, u: usize): f64 {
  const alpha = ld(x, 0);
  let scale: f64 = 0;
  for (let i = 1; i < len; i++) scale = max(scale, abs(ld(x, i)));
  st(u, 0, 1);
  if (scale == 0) {
    for (let i = 1; i < len; i++) st(u, i, 0);
    hhTau = 0;
    return alpha;
  }
  let ss: f64 = 0;
  for (let i = 1; i < len; i++) {
    const q = ld(x, i) / scale;
    ss += q * q;
  }
  const beta = -signOf(alpha) * norm3(alpha, scale * sqrt(ss), 0);
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) st(u, i, ld(x, i) * inv);
  hhTau = (beta - alpha) / beta;
  return beta;
}

/** The 2x2 block at (j, j) of t standardised (standardiseAt there). */
function standardiseAt(m: i32, t: usize, vt: usize, j: i32, work: usize): void {
  const o = at(work, W_STD);
  const r0 = at(t, j * m),
    r1 = at(r0, m);
  standardiseInto(ld(r0, j), ld(r0, j + 1), ld(r1, j), ld(r1, j + 1), o);
  rotatePlane(m, t, vt, j, ld(o, 4), ld(o, 5), j + 2, j);
  st(r0, j, ld(o, 0));
  st(r0, j + 1, ld(o, 1));
  st(r1, j, ld(o, 2));
  st(r1, j + 1, ld(o, 3));
}

/**
 * Swaps the adjacent diagonal blocks of orders n1, n2 at j1 of the m x m quasi-triangular t (vt: its transposed
 * Schur vectors); 0 when the swap would be unstable (nothing changed), else 1 (swapBlocks there).
 */
export function swapBlocks(m: i32, t: usize, vt: usize, j1: i32, n1: i32, n2: i32, work: usize): i32 {
  if (n1 == 1 && n2 == 1) {
    const a = ld(t, j1 * m + j1),
      b = ld(t, j1 * m + j1 + 1),
      c = ld(t, (j1 + 1) * m + j1 + 1);
    if (a == c) return 1;
    const r = norm3(b, c - a, 0);
    rotatePlane(m, t, vt, j1, b / r, (c - a) / r, j1, j1 + 2);
    st(t, j1 * m + j1, c);
    st(t, (j1 + 1) * m + j1 + 1, a);
    st(t, (j1 + 1) * m + j1, 0);
    return 1;
  }
  const p = n1 + n2;
  const D = at(work, W_D),
    Q = at(work, W_Q),
    E = at(work, W_E),
    X = at(work, W_X),
    sol = at(work, W_SOL),
    u = at(work, W_U),
    col = at(work, W_COL),
    perm = at(work, W_PERM);
  let dnorm: f64 = 0;
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      const v = ld(t, (j1 + r) * m + j1 + c);
      st(D, r * 4 + c, v);
      dnorm = max(dnorm, abs(v));
    }
  }
  const smin = max(EPS * dnorm, SAFE_MIN / EPS);
  const thresh = max(10 * EPS * dnorm, SAFE_MIN / EPS);
  // Kronecker system for X (n1 x n2): unknown (k, c) at k n2 + c; equation (r, c) likewise; 4 x 5 augmented in X.
  const nu = n1 * n2;
  memory.fill(X, 0, 24 << 3);
  for (let r = 0; r < n1; r++) {
    for (let c = 0; c < n2; c++) {
      const row = (r * n2 + c) * 5;
      for (let k = 0; k < n1; k++) st(X, row + k * n2 + c, ld(X, row + k * n2 + c) + ld(D, r * 4 + k));
      for (let k = 0; k < n2; k++) st(X, row + r * n2 + k, ld(X, row + r * n2 + k) - ld(D, (n1 + k) * 4 + n1 + c));
      st(X, row + 4, ld(D, r * 4 + n1 + c));
    }
  }
  for (let q = 0; q < nu; q++) st(perm, q, <f64>q);
  for (let k = 0; k < nu; k++) {
    let br = k,
      bc = k;
    let best: f64 = -1;
    for (let r = k; r < nu; r++) {
      for (let c = k; c < nu; c++) {
        const v = abs(ld(X, r * 5 + c));
        if (v > best) {
          best = v;
          br = r;
          bc = c;
        }
      }
    }
    if (br != k) {
      for (let c = 0; c < 5; c++) {
        const tmp = ld(X, k * 5 + c);
        st(X, k * 5 + c, ld(X, br * 5 + c));
        st(X, br * 5 + c, tmp);
      }
    }
    if (bc != k) {
      for (let r = 0; r < nu; r++) {
        const tmp = ld(X, r * 5 + k);
        st(X, r * 5 + k, ld(X, r * 5 + bc));
        st(X, r * 5 + bc, tmp);
      }
      const tp = ld(perm, k);
      st(perm, k, ld(perm, bc));
      st(perm, bc, tp);
    }
    const piv = ld(X, k * 5 + k);
    if (abs(piv) < smin) st(X, k * 5 + k, piv < 0 ? -smin : smin);
    for (let r = k + 1; r < nu; r++) {
      const f = ld(X, r * 5 + k) / ld(X, k * 5 + k);
      if (f == 0) continue;
      for (let c = k + 1; c < 5; c++) st(X, r * 5 + c, ld(X, r * 5 + c) - f * ld(X, k * 5 + c));
    }
  }
  for (let k = nu - 1; k >= 0; k--) {
    let acc = ld(X, k * 5 + 4);
    for (let c = k + 1; c < nu; c++) acc -= ld(X, k * 5 + c) * ld(X, 20 + c);
    st(X, 20 + k, acc / ld(X, k * 5 + k));
  }
  for (let q = 0; q < nu; q++) st(sol, <i32>ld(perm, q), ld(X, 20 + q));
  // M = [-X; I] (p x n2) in E; Q = accumulated reflectors of its QR factorisation.
  memory.fill(E, 0, 16 << 3);
  for (let r = 0; r < n1; r++) for (let c = 0; c < n2; c++) st(E, r * 4 + c, -ld(sol, r * n2 + c));
  for (let k = 0; k < n2; k++) st(E, (n1 + k) * 4 + k, 1);
  memory.fill(Q, 0, 16 << 3);
  for (let r = 0; r < p; r++) st(Q, r * 4 + r, 1);
  for (let c = 0; c < n2; c++) {
    const len = p - c;
    for (let r = 0; r < len; r++) st(col, r, ld(E, (c + r) * 4 + c));
    householder(col, len, u);
    const tau = hhTau;
    if (tau == 0) continue;
    // E <- H E (rows c.., columns c..n2-1); Q <- Q H (columns c.., all rows)
    for (let cc = c; cc < n2; cc++) {
      let acc: f64 = 0;
      for (let r = 0; r < len; r++) acc += ld(u, r) * ld(E, (c + r) * 4 + cc);
      acc *= tau;
      for (let r = 0; r < len; r++) st(E, (c + r) * 4 + cc, ld(E, (c + r) * 4 + cc) - acc * ld(u, r));
    }
    for (let r = 0; r < p; r++) {
      let acc: f64 = 0;
      for (let k = 0; k < len; k++) acc += ld(Q, r * 4 + c + k) * ld(u, k);
      acc *= tau;
      for (let k = 0; k < len; k++) st(Q, r * 4 + c + k, ld(Q, r * 4 + c + k) - acc * ld(u, k));
    }
  }
  // Stability check on the local block: Q^T D Q must have a negligible (2,1) block.
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      let acc: f64 = 0;
      for (let k = 0; k < p; k++) acc += ld(D, r * 4 + k) * ld(Q, k * 4 + c);
      st(E, r * 4 + c, acc); // D Q
    }
  }
  for (let r = n2; r < p; r++) {
    for (let c = 0; c < n2; c++) {
      let acc: f64 = 0;
      for (let k = 0; k < p; k++) acc += ld(Q, k * 4 + r) * ld(E, k * 4 + c);
      if (!(abs(acc) <= thresh)) return 0;
    }
  }
  applyBlockSwap(m, t, vt, j1, p, Q);
  for (let r = 0; r < n1; r++) for (let c = 0; c < n2; c++) st(t, (j1 + n2 + r) * m + j1 + c, 0);
  if (n2 == 2) standardiseAt(m, t, vt, j1, work);
  if (n1 == 2) standardiseAt(m, t, vt, j1 + n2, work);
  return 1;
}

/** Moves the diagonal block at `from` up to `to` by adjacent swaps; 0 when a swap was refused (moveBlockUp there). */
export function moveBlockUp(m: i32, t: usize, vt: usize, from: i32, to: i32, work: usize): i32 {
  const nbf = from + 1 < m && ld(t, (from + 1) * m + from) != 0 ? 2 : 1;
  let here = from;
  while (here > to) {
    const nbp = here >= 2 && ld(t, (here - 1) * m + here - 2) != 0 ? 2 : 1;
    if (!swapBlocks(m, t, vt, here - nbp, nbp, nbf, work)) return 0;
    here -= nbp;
    if (nbf == 2 && ld(t, (here + 1) * m + here) == 0) return 0;
  }
  return 1;
}

/**
 * The deflation checks of a window in Schur form (s: nw x nw quasi-triangular, vt: its transposed Schur vectors,
 * spike: the subdiagonal entry left of the window) from the bottom, undeflatable blocks moved to the top (LAPACK
 * dlaqr3). Returns the number of undeflated rows ns: rows ns .. nw-1 deflate.
 */
export function aedReorder(nw: i32, s: usize, vt: usize, spike: f64, smlnum: f64, work: usize): i32 {
  let ns = nw;
  let ilst = 0;
  while (ilst < ns) {
    const two = ns >= 2 && ld(s, (ns - 1) * nw + ns - 2) != 0;
    if (!two) {
      let foo = abs(ld(s, (ns - 1) * nw + ns - 1));
      if (foo == 0) foo = abs(spike);
      if (abs(spike * ld(vt, (ns - 1) * nw)) <= max(smlnum, EPS * foo)) {
        ns -= 1;
      } else {
        if (ns - 1 > ilst && !moveBlockUp(nw, s, vt, ns - 1, ilst, work)) break;
        ilst += 1;
      }
    } else {
      let foo =
        abs(ld(s, (ns - 1) * nw + ns - 1)) +
        sqrt(abs(ld(s, (ns - 1) * nw + ns - 2))) * sqrt(abs(ld(s, (ns - 2) * nw + ns - 1)));
      if (foo == 0) foo = abs(spike);
      if (max(abs(spike * ld(vt, (ns - 1) * nw)), abs(spike * ld(vt, (ns - 2) * nw))) <= max(smlnum, EPS * foo)) {
        ns -= 2;
      } else {
        if (ns - 2 > ilst && !moveBlockUp(nw, s, vt, ns - 2, ilst, work)) break;
        ilst += 2;
      }
    }
  }
  return ns;
}
