// The whole real Schur factorisation of a small matrix in one call (src/linalg/schur.ts's smallSchur): Householder
// reduction to Hessenberg form (unblocked, as reduceUnblocked/accumulateUnblocked there), then Francis double-shift
// QR with the deflation tests, exceptional shifts and 2x2 standardisation of LAPACK's dlahqr (francisIn there, without
// aggressive early deflation, which only large matrices use). No JavaScript runs between sweeps: for orders 12-160
// the driver's calls, its deflation loops and the first-call compiles of its JavaScript cost as much as a sweep.
// Compiled into the module of asm/linalg.ts (re-exported there).
//
// The sweep is qrSweep's (asm/linalg.ts) with the whole sweep as one chunk; the left-hand updates inside the active
// block run two columns at a time (f64x2) and the rows above it two rows at a time.

import { reflectLeft, reflectRight, reflectorsLeft } from "./linalg";
import { at, ld, norm3, signOf, st } from "./common";

const EPS: f64 = 2.220446049250313e-16; // 2^-52 (LAPACK dlamch('P'))
const SAFE_MIN: f64 = 2.2250738585072014e-308; // 2^-1022
const EXCEPTIONAL_SHIFT_PERIOD = 10; // dlahqr's KEXSH

/** sqrt(a^2 + b^2) without overflow or underflow. */
function hypot2(a: f64, b: f64): f64 {
  return norm3(a, b, 0);
}

/** Doubles of work smallSchur takes for order n. */
export function smallSchurWork(n: i32): i32 {
  return 6 * n + 8;
}

/**
 * Householder reduction of the n x n row-major h to upper Hessenberg form, zt (0: none) <- Q^T with A = Q H Q^T;
 * entries below the subdiagonal become exactly zero.
 */
function hessenbergSmall(n: i32, h: usize, zt: usize, v: usize, acc: usize, taus: usize): void {
  for (let k = 0; k < n - 2; k++) {
    const r0 = k + 1;
    const len = n - r0;
    const alpha = ld(h, r0 * n + k);
    let scale: f64 = 0;
    for (let i = 1; i < len; i++) scale = max(scale, abs(ld(h, (r0 + i) * n + k)));
    if (scale == 0) {
      st(taus, k, 0);
      continue;
    }
    let xnorm2: f64 = 0;
    for (let i = 1; i < len; i++) {
      const q = ld(h, (r0 + i) * n + k) / scale;
      xnorm2 += q * q;
    }
    const xnorm = scale * sqrt(xnorm2);
    const beta = -(alpha < 0 ? -1.0 : 1.0) * hypot2(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    st(v, 0, 1);
    for (let i = 1; i < len; i++) st(v, i, ld(h, (r0 + i) * n + k) * inv);
    st(taus, k, tau);
    st(h, r0 * n + k, beta);
    for (let i = 1; i < len; i++) st(h, (r0 + i) * n + k, zt != 0 ? ld(v, i) : 0);
    reflectLeft(h, n, r0, len, k + 1, n, tau, v, acc);
    reflectRight(h, n, 0, n, r0, len, tau, v);
  }
  if (zt == 0) return;
  // Zt = H_{n-3} ... H_0, built backwards: Zt[k+1.., k+1..] <- Zt[k+1.., k+1..] H_k.
  memory.fill(zt, 0, <usize>(n * n) << 3);
  for (let i = 0; i < n; i++) st(zt, i * n + i, 1);
  for (let k = n - 3; k >= 0; k--) {
    const tau = ld(taus, k);
    const r0 = k + 1;
    const len = n - r0;
    st(v, 0, 1);
    for (let i = 1; i < len; i++) {
      st(v, i, ld(h, (r0 + i) * n + k));
      st(h, (r0 + i) * n + k, 0);
    }
    if (tau != 0) reflectRight(zt, n, r0, n, r0, len, tau, v);
  }
}

/**
 * One Francis double-shift sweep on the active block [l, i] (qrSweep in asm/linalg.ts with the whole sweep as one
 * chunk; same reflectors): rows i1.. and columns ..i2 are updated, zt (0: none) accumulates the transformations.
 */
function sweep(
  n: i32, h: usize, zt: usize, l: i32, i: i32, i1: i32, i2: i32,
  refT: usize, refU1: usize, refU2: usize, rt1r: f64, rt1i: f64, rt2r: f64, rt2i: f64,
): void {
  // Look for two consecutive small subdiagonal elements; v = first column of (H - s1)(H - s2) / scale.
  let m = i - 2;
  let v0: f64 = 0, v1: f64 = 0, v2: f64 = 0;
  for (; m >= l; m--) {
    const hmm = ld(h, m * n + m);
    let h21s = ld(h, (m + 1) * n + m);
    let s = abs(hmm - rt2r) + abs(rt2i) + abs(h21s);
    h21s /= s;
    v0 = h21s * ld(h, m * n + m + 1) + (hmm - rt1r) * ((hmm - rt2r) / s) - rt1i * (rt2i / s);
    v1 = h21s * (hmm + ld(h, (m + 1) * n + m + 1) - rt1r - rt2r);
    v2 = h21s * ld(h, (m + 2) * n + m + 1);
    s = abs(v0) + abs(v1) + abs(v2);
    v0 /= s;
    v1 /= s;
    v2 /= s;
    if (m == l) break;
    const h00 = abs(ld(h, m * n + m - 1)) * (abs(v1) + abs(v2));
    const h11b = abs(v0) * (abs(ld(h, (m - 1) * n + m - 1)) + abs(hmm) + abs(ld(h, (m + 1) * n + m + 1)));
    if (h00 <= EPS * h11b) break;
  }

  // Chase the bulge from row m to row i. Reflector k (k = m .. i-1; index r = k - m in refT/refU1/refU2) acts on
  // rows/columns k .. k+2 (k, k+1 for the last). Inside the active block its updates run at once (rows m .. k+3 of
  // its columns, columns k .. i of its rows); the rest of the matrix and Zt wait until the end of the chase.
  for (let k = m; k < i; k++) {
    const nr = min(3, i - k + 1);
    if (k > m) {
      v0 = ld(h, k * n + k - 1);
      v1 = ld(h, (k + 1) * n + k - 1);
      v2 = nr == 3 ? ld(h, (k + 2) * n + k - 1) : 0;
    }
    const alpha = v0;
    if (nr != 3) v2 = 0;
    let t1: f64 = 0, u1: f64 = 0, u2: f64 = 0, beta = alpha;
    if (v1 != 0 || v2 != 0) {
      beta = -signOf(alpha) * norm3(alpha, v1, v2);
      t1 = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      u1 = v1 * inv;
      u2 = v2 * inv;
    }
    if (k > m) {
      st(h, k * n + k - 1, beta);
      st(h, (k + 1) * n + k - 1, 0);
      if (k < i - 1) st(h, (k + 2) * n + k - 1, 0);
    } else if (m > l) {
      // instead of h[k, k-1] = -h[k, k-1] (avoids trouble when u1, u2 underflow)
      st(h, k * n + k - 1, ld(h, k * n + k - 1) * (1 - t1));
    }
    const r = k - m;
    if (nr != 3) u2 = 0;
    st(refT, r, t1);
    st(refU1, r, u1);
    st(refU2, r, u2);
    if (t1 == 0) continue;
    const t2 = t1 * u1;
    const t3 = t1 * u2;
    const r0 = at(h, k * n);
    const r1 = at(r0, n);
    if (nr == 3) {
      const r2 = at(r1, n);
      const vu1 = f64x2.splat(u1), vu2 = f64x2.splat(u2);
      const vt1 = f64x2.splat(t1), vt2 = f64x2.splat(t2), vt3 = f64x2.splat(t3);
      let j = k;
      for (; j + 1 <= i; j += 2) {
        const o = <usize>j << 3;
        const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o), x2 = v128.load(r2 + o);
        const sum = f64x2.add(f64x2.add(x0, f64x2.mul(vu1, x1)), f64x2.mul(vu2, x2));
        v128.store(r0 + o, f64x2.sub(x0, f64x2.mul(sum, vt1)));
        v128.store(r1 + o, f64x2.sub(x1, f64x2.mul(sum, vt2)));
        v128.store(r2 + o, f64x2.sub(x2, f64x2.mul(sum, vt3)));
      }
      if (j <= i) {
        const sum = ld(r0, j) + u1 * ld(r1, j) + u2 * ld(r2, j);
        st(r0, j, ld(r0, j) - sum * t1);
        st(r1, j, ld(r1, j) - sum * t2);
        st(r2, j, ld(r2, j) - sum * t3);
      }
      const jmax = min(k + 3, i);
      // two rows per step, one in each lane (the same operations on each entry as one row at a time)
      const rowBytes = <usize>n << 3;
      let jr = m;
      for (; jr + 1 <= jmax; jr += 2) {
        const p = at(h, jr * n + k);
        const q = p + rowBytes;
        const x0 = v128.load64_lane(q, v128.load64_splat(p), 1);
        const x1 = v128.load64_lane(q, v128.load64_splat(p, 8), 1, 8);
        const x2 = v128.load64_lane(q, v128.load64_splat(p, 16), 1, 16);
        const sum = f64x2.add(f64x2.add(x0, f64x2.mul(vu1, x1)), f64x2.mul(vu2, x2));
        const y0 = f64x2.sub(x0, f64x2.mul(sum, vt1));
        const y1 = f64x2.sub(x1, f64x2.mul(sum, vt2));
        const y2 = f64x2.sub(x2, f64x2.mul(sum, vt3));
        v128.store64_lane(p, y0, 0);
        v128.store64_lane(q, y0, 1);
        v128.store64_lane(p, y1, 0, 8);
        v128.store64_lane(q, y1, 1, 8);
        v128.store64_lane(p, y2, 0, 16);
        v128.store64_lane(q, y2, 1, 16);
      }
      if (jr <= jmax) {
        const p = at(h, jr * n + k);
        const x0 = load<f64>(p), x1 = load<f64>(p, 8), x2 = load<f64>(p, 16);
        const sum = x0 + u1 * x1 + u2 * x2;
        store<f64>(p, x0 - sum * t1);
        store<f64>(p, x1 - sum * t2, 8);
        store<f64>(p, x2 - sum * t3, 16);
      }
    } else {
      for (let j = k; j <= i; j++) {
        const sum = ld(r0, j) + u1 * ld(r1, j);
        st(r0, j, ld(r0, j) - sum * t1);
        st(r1, j, ld(r1, j) - sum * t2);
      }
      for (let j = m; j <= i; j++) {
        const p = at(h, j * n + k);
        const x0 = load<f64>(p), x1 = load<f64>(p, 8);
        const sum = x0 + u1 * x1;
        store<f64>(p, x0 - sum * t1);
        store<f64>(p, x1 - sum * t2, 8);
      }
    }
  }
  const nref = i - m; // the last reflector (k = i - 1) acts on two rows/columns
  // Columns right of the active block (rows m .. i), then the Schur vectors: reflectors in pairs.
  if (i < i2) reflectorsLeft(h, n, m, nref, i, i + 1, i2, refT, refU1, refU2);
  if (zt != 0) reflectorsLeft(zt, n, m, nref, i, 0, n - 1, refT, refU1, refU2);
  // Rows i1 .. m-1 above the active block: every reflector, slid along the row with the two shared entries in
  // registers, two rows at a time (independent chains: the latency of one hides behind the other).
  const full = nref - 1;
  let row = i1;
  for (; row + 1 < m; row += 2) {
    const a = at(h, row * n + m);
    const b = at(a, n);
    let a1 = ld(a, 0), a2 = ld(a, 1), b1 = ld(b, 0), b2 = ld(b, 1);
    for (let r = 0; r < full; r++) {
      const t1 = ld(refT, r), u1 = ld(refU1, r), u2 = ld(refU2, r);
      const a3 = ld(a, r + 2), b3 = ld(b, r + 2);
      const sa = (a1 + u1 * a2 + u2 * a3) * t1;
      const sb = (b1 + u1 * b2 + u2 * b3) * t1;
      st(a, r, a1 - sa);
      st(b, r, b1 - sb);
      a1 = a2 - sa * u1;
      a2 = a3 - sa * u2;
      b1 = b2 - sb * u1;
      b2 = b3 - sb * u2;
    }
    const t1 = ld(refT, full), u1 = ld(refU1, full);
    const sa = (a1 + u1 * a2) * t1;
    const sb = (b1 + u1 * b2) * t1;
    st(a, full, a1 - sa);
    st(a, full + 1, a2 - sa * u1);
    st(b, full, b1 - sb);
    st(b, full + 1, b2 - sb * u1);
  }
  if (row < m) {
    const base = at(h, row * n + m);
    let x1 = ld(base, 0), x2 = ld(base, 1);
    for (let r = 0; r < full; r++) {
      const t1 = ld(refT, r), u1 = ld(refU1, r), u2 = ld(refU2, r);
      const x3 = ld(base, r + 2);
      const sum = (x1 + u1 * x2 + u2 * x3) * t1;
      st(base, r, x1 - sum);
      x1 = x2 - sum * u1;
      x2 = x3 - sum * u2;
    }
    const u1 = ld(refU1, full);
    const sum = (x1 + u1 * x2) * ld(refT, full);
    st(base, full, x1 - sum);
    st(base, full + 1, x2 - sum * u1);
  }
}

/** Rows r0, r1 of x over columns c0 .. c1: [x_r0; x_r1] <- [cs sn; -sn cs] [x_r0; x_r1]. */
function rotateRowPair(x: usize, n: i32, r0: i32, r1: i32, c0: i32, c1: i32, cs: f64, sn: f64): void {
  const a = at(x, r0 * n), b = at(x, r1 * n);
  const vc = f64x2.splat(cs), vs = f64x2.splat(sn);
  let j = c0;
  for (; j + 1 <= c1; j += 2) {
    const o = <usize>j << 3;
    const p = v128.load(a + o), q = v128.load(b + o);
    v128.store(a + o, f64x2.add(f64x2.mul(vc, p), f64x2.mul(vs, q)));
    v128.store(b + o, f64x2.sub(f64x2.mul(vc, q), f64x2.mul(vs, p)));
  }
  if (j <= c1) {
    const p = ld(a, j), q = ld(b, j);
    st(a, j, cs * p + sn * q);
    st(b, j, cs * q - sn * p);
  }
}

// The standardised 2x2 block of the last standardise call (no allocation).
let outA: f64 = 0, outB: f64 = 0, outC: f64 = 0, outD: f64 = 0, outCs: f64 = 1, outSn: f64 = 0;

/** Schur factorisation of the 2x2 block [a b; c d] (standardise in src/linalg/schur.ts, after LAPACK's dlanv2). */
function standardise(a: f64, b: f64, c: f64, d: f64): void {
  let cs: f64 = 1, sn: f64 = 0;
  if (c == 0) {
    // already upper triangular
  } else if (b == 0) {
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d == 0 && signOf(b) != signOf(c)) {
    // already a standard complex block
  } else {
    const temp = a - d;
    let p = 0.5 * temp;
    const bcmax = max(abs(b), abs(c));
    const bcmis = min(abs(b), abs(c)) * signOf(b) * signOf(c);
    let scale = max(abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= 4 * EPS) {
      z = p + signOf(p) * sqrt(scale) * sqrt(z);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = hypot2(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      const sigma = b + c;
      scale = max(abs(temp), abs(sigma));
      const st_ = temp / scale;
      const ss = sigma / scale;
      p = 0.5 * st_;
      const tau = hypot2(ss, st_);
      cs = sqrt(0.5 * (1 + abs(ss) / tau));
      sn = -(p / (tau * cs)) * signOf(ss);
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      const mid = 0.5 * (a + d);
      a = mid;
      d = mid;
      if (c != 0) {
        if (b != 0) {
          if (signOf(b) == signOf(c)) {
            const sab = sqrt(abs(b));
            const sac = sqrt(abs(c));
            p = signOf(c) * sab * sac;
            const t = 1 / sqrt(abs(b + c));
            a = mid + p;
            d = mid - p;
            b = b - c;
            c = 0;
            const cs1 = sab * t;
            const sn1 = sac * t;
            const ncs = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = ncs;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  outA = a;
  outB = b;
  outC = c;
  outD = d;
  outCs = cs;
  outSn = sn;
}

/** standardise(a, b, c, d) into out[0 .. 5] = (a, b, c, d, cs, sn) (for asm/schurReorder.ts). */
export function standardiseInto(a: f64, b: f64, c: f64, d: f64, out: usize): void {
  standardise(a, b, c, d);
  st(out, 0, outA);
  st(out, 1, outB);
  st(out, 2, outC);
  st(out, 3, outD);
  st(out, 4, outCs);
  st(out, 5, outSn);
}

/**
 * Real Schur form of the n x n row-major h in place (zt: 0, or n x n receiving Z^T; wantT: 0 eigenvalues only, h
 * then left in an intermediate state), eigenvalues into wr/wi in diagonal order (pairs as (re, +im), (re, -im)).
 * work: smallSchurWork(n) doubles. Returns 0, or 1 when an eigenvalue did not deflate within 30 max(10, n)
 * iterations, 2 on a non-finite entry of the active block; then work[0] = the eigenvalue's index, work[1] = the
 * iterations spent on it.
 */
export function smallSchur(n: i32, h: usize, zt: usize, wr: usize, wi: usize, wantT: i32, work: usize): i32 {
  if (n == 0) return 0;
  if (n == 1) {
    st(wr, 0, ld(h, 0));
    st(wi, 0, 0);
    if (zt != 0) st(zt, 0, 1);
    return 0;
  }
  const v = at(work, 8);
  const acc = at(v, n);
  const taus = at(acc, n);
  const refT = at(taus, n);
  const refU1 = at(refT, n);
  const refU2 = at(refU1, n);
  hessenbergSmall(n, h, zt, v, acc, taus);
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) st(h, i * n + j, 0);

  const ulp = EPS;
  const smlnum = SAFE_MIN * (<f64>n / ulp);
  const itmax = 30 * max(10, n);
  let kdefl = 0;
  let i = n - 1;
  while (i >= 0) {
    let l = 0;
    let converged = false;
    for (let its = 0; its <= itmax; its++) {
      // A NaN or infinity in the active block never deflates: stop at once.
      let finite = ld(h, i * n + i) * 0;
      for (let k = l; k < i; k++) finite += ld(h, k * n + k) * 0 + ld(h, (k + 1) * n + k) * 0;
      if (finite != 0) {
        st(work, 0, <f64>i);
        st(work, 1, <f64>its);
        return 2;
      }
      // Look for a single small subdiagonal element (Ahues & Tisseur's conservative criterion).
      let k = i;
      for (; k > l; k--) {
        const hkk1 = abs(ld(h, k * n + k - 1));
        if (hkk1 <= smlnum) break;
        let tst = abs(ld(h, (k - 1) * n + k - 1)) + abs(ld(h, k * n + k));
        if (tst == 0) {
          if (k - 2 >= 0) tst += abs(ld(h, (k - 1) * n + k - 2));
          if (k + 1 <= n - 1) tst += abs(ld(h, (k + 1) * n + k));
        }
        if (hkk1 <= ulp * tst) {
          const hk1k = abs(ld(h, (k - 1) * n + k));
          const ab = max(hkk1, hk1k);
          const ba = min(hkk1, hk1k);
          const hkk = abs(ld(h, k * n + k));
          const diff = abs(ld(h, (k - 1) * n + k - 1) - ld(h, k * n + k));
          const aa = max(hkk, diff);
          const bb = min(hkk, diff);
          const s = aa + ab;
          if (ba * (ab / s) <= max(smlnum, ulp * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > 0) st(h, l * n + l - 1, 0);
      if (l >= i - 1) {
        converged = true;
        break;
      }
      kdefl++;
      const i1 = wantT ? 0 : l;
      const i2 = wantT ? n - 1 : i;

      // Shifts: the eigenvalues of the trailing 2x2 block, or exceptional ones.
      let h11: f64, h12: f64, h21: f64, h22: f64;
      if (kdefl % (2 * EXCEPTIONAL_SHIFT_PERIOD) == 0) {
        const s = abs(ld(h, i * n + i - 1)) + abs(ld(h, (i - 1) * n + i - 2));
        h11 = 0.75 * s + ld(h, i * n + i);
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else if (kdefl % EXCEPTIONAL_SHIFT_PERIOD == 0) {
        const s = abs(ld(h, (l + 1) * n + l)) + abs(ld(h, (l + 2) * n + l + 1));
        h11 = 0.75 * s + ld(h, l * n + l);
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = ld(h, (i - 1) * n + i - 1);
        h21 = ld(h, i * n + i - 1);
        h12 = ld(h, (i - 1) * n + i);
        h22 = ld(h, i * n + i);
      }
      let rt1r: f64, rt1i: f64, rt2r: f64, rt2i: f64;
      const s0 = abs(h11) + abs(h12) + abs(h21) + abs(h22);
      if (s0 == 0) {
        rt1r = 0;
        rt1i = 0;
        rt2r = 0;
        rt2i = 0;
      } else {
        h11 /= s0;
        h21 /= s0;
        h12 /= s0;
        h22 /= s0;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = sqrt(abs(det));
        if (det >= 0) {
          rt1r = tr * s0;
          rt2r = rt1r;
          rt1i = rtdisc * s0;
          rt2i = -rt1i;
        } else {
          // real shifts: the one closer to h22, twice
          rt1r = tr + rtdisc;
          rt2r = tr - rtdisc;
          if (abs(rt1r - h22) <= abs(rt2r - h22)) {
            rt1r *= s0;
            rt2r = rt1r;
          } else {
            rt2r *= s0;
            rt1r = rt2r;
          }
          rt1i = 0;
          rt2i = 0;
        }
      }
      sweep(n, h, zt, l, i, i1, i2, refT, refU1, refU2, rt1r, rt1i, rt2r, rt2i);
    }
    if (!converged) {
      st(work, 0, <f64>i);
      st(work, 1, <f64>itmax);
      return 1;
    }
    if (l == i) {
      st(wr, i, ld(h, i * n + i));
      st(wi, i, 0);
    } else {
      // l == i - 1: a 2x2 block; standardise it.
      standardise(ld(h, (i - 1) * n + i - 1), ld(h, (i - 1) * n + i), ld(h, i * n + i - 1), ld(h, i * n + i));
      st(h, (i - 1) * n + i - 1, outA);
      st(h, (i - 1) * n + i, outB);
      st(h, i * n + i - 1, outC);
      st(h, i * n + i, outD);
      st(wr, i - 1, outA);
      st(wr, i, outD);
      if (outC == 0) {
        st(wi, i - 1, 0);
        st(wi, i, 0);
      } else {
        const im = sqrt(abs(outB)) * sqrt(abs(outC));
        st(wi, i - 1, im);
        st(wi, i, -im);
      }
      if (wantT) {
        const cs = outCs, sn = outSn;
        if (i + 1 < n) rotateRowPair(h, n, i - 1, i, i + 1, n - 1, cs, sn);
        for (let j = 0; j <= i - 2; j++) {
          const p = at(h, j * n + i - 1);
          const x = load<f64>(p), y = load<f64>(p, 8);
          store<f64>(p, cs * x + sn * y);
          store<f64>(p, cs * y - sn * x, 8);
        }
        if (zt != 0) rotateRowPair(zt, n, i - 1, i, 0, n - 1, cs, sn);
      }
    }
    kdefl = 0;
    i = l - 1;
  }
  return 0;
}
