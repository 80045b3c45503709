/**
 * Start estimates for the damped poles of a network's located modes, a window of overlapping peaks at a time, from
 * the pencil projected on the window's undamped modes (the strip path's pole search, stripFluxes.ts).
 *
 * The first-order pole of an isolated mode, w - i h with h = sum_b gamma_b u_b^2 / 2, is wrong wherever peaks
 * overlap: two modes closer than their widths mix through the baths into one broad combination that takes nearly
 * all the damping and one narrow combination that keeps almost none (their bath couplings nearly parallel), and
 * Newton from the first-order estimates then wanders between the poles, while the narrow one, its mode rated broad,
 * gets neither a pole nor quadrature breakpoints (a 4 x 100 strip at tolerance 1e-8: a peak 1e-5 wide at 2.0049,
 * 1e-6 high on a background 7e-4, the whole of the remainder's unexplained 5e-9 error). Degenerate perturbation
 * theory in the window instead: with the window's M-normalised modes U (columns u_k), Q(z) projected on them is
 *   Omega^2 - z^2 I - i z Gamma_p,  (Gamma_p)_kl = sum_b gamma_b u_kb u_lb,
 * whose 2m roots are those of the real linearisation s [y; v] = [[0, I], [-Omega^2, Gamma_p]] [y; v] with z = -i s
 * (Re z = Im s, Im z = -Re s). Windows are the runs of modes whose neighbours are closer than LINK times their
 * summed first-order half-widths, padded with PAD modes on each side (their off-resonant coupling), cut into cores
 * of at most CORE modes. The estimates are starting points only (the poles themselves come from Newton steps on
 * ln det Q of the whole network): a window whose roots cannot be matched to its modes one by one (an overdamped
 * root, amplitudes unknown in a degenerate cluster) keeps the isolated-mode roots. Roots go to modes greedily by
 * the smallest diagonal entry of the projected pencil at the root.
 */
import { eigenvalues } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";

/** Neighbouring modes closer than LINK times their summed first-order half-widths share a window. */
const LINK = 4;
/** Modes on each side of a window's core that enter its pencil but keep their own window's estimates. */
const PAD = 8;
/** Largest core of one projected pencil (2 (CORE + 2 PAD) real unknowns). */
const CORE = 64;

export interface PoleEstimates {
  re: Float64Array;
  im: Float64Array;
  /** Modes whose estimate came from a projected pencil of two modes or more. */
  projected: number;
  /** Largest core (modes). */
  largest: number;
}

/**
 * @param omega undamped frequencies, ascending; halfWidth first-order half-widths; bathAmp u_b (row per mode, B
 * columns; NaN in a degenerate cluster); gamma friction of every bath.
 */
export function projectedPoles(
  omega: Float64Array,
  halfWidth: Float64Array,
  bathAmp: Float64Array | undefined,
  gamma: Float64Array,
): PoleEstimates {
  const M = omega.length;
  const B = gamma.length;
  const re = new Float64Array(M);
  const im = new Float64Array(M);
  // Isolated-mode roots of w^2 - z^2 - 2 i h z: z = sqrt(w^2 - h^2) - i h.
  for (let k = 0; k < M; k++) {
    const w = omega[k];
    const h = halfWidth[k];
    re[k] = Math.sqrt(Math.max(w * w - h * h, 0));
    im[k] = -h;
  }
  let projected = 0;
  let largest = 0;
  if (!bathAmp || M < 2) return { re, im, projected, largest };
  let s = 0;
  while (s < M) {
    let e = s + 1;
    while (e < M && omega[e] - omega[e - 1] < LINK * (halfWidth[e] + halfWidth[e - 1])) e++;
    for (let c0 = s; e - s > 1 && c0 < e; c0 += CORE) {
      const c1 = Math.min(e, c0 + CORE);
      const j0 = Math.max(0, c0 - PAD);
      const j1 = Math.min(M, c1 + PAD);
      if (window(omega, bathAmp, gamma, B, j0, j1, c0, c1, re, im)) {
        projected += c1 - c0;
        largest = Math.max(largest, c1 - c0);
      }
    }
    s = e;
  }
  return { re, im, projected, largest };
}

/** The projected pencil of modes j0..j1-1; writes the estimates of c0..c1-1. False where it keeps the first order. */
function window(
  omega: Float64Array,
  bathAmp: Float64Array,
  gamma: Float64Array,
  B: number,
  j0: number,
  j1: number,
  c0: number,
  c1: number,
  re: Float64Array,
  im: Float64Array,
): boolean {
  const m = j1 - j0;
  for (let j = j0 * B; j < j1 * B; j++) if (!Number.isFinite(bathAmp[j])) return false;
  const n = 2 * m;
  const A = matrix(n, n);
  const a = A.data;
  for (let i = 0; i < m; i++) {
    a[i * n + m + i] = 1;
    a[(m + i) * n + i] = -omega[j0 + i] * omega[j0 + i];
    for (let j = 0; j < m; j++) {
      let g = 0;
      for (let b = 0; b < B; b++) g += gamma[b] * bathAmp[(j0 + i) * B + b] * bathAmp[(j0 + j) * B + b];
      a[(m + i) * n + m + j] = g;
    }
  }
  let ev: { re: Float64Array; im: Float64Array };
  try {
    ev = eigenvalues(A);
  } catch {
    return false;
  }
  // Roots z = Im s - i Re s with Re z > 0, one per mode, matched in order of frequency.
  const zr: number[] = [];
  const zi: number[] = [];
  for (let k = 0; k < n; k++) {
    if (ev.im[k] > 0 && Number.isFinite(ev.re[k])) {
      zr.push(ev.im[k]);
      zi.push(-ev.re[k]);
    }
  }
  if (zr.length !== m) return false;
  // Root r to mode k: greedily by the smallest |(Omega^2 - z^2 - i z Gamma_p)_kk| at z_r (the mode whose own
  // projected pencil entry nearly vanishes there; a narrow combination goes to the weakly coupled mode, the broad one
  // to the strongly coupled one: frequency order would swap them where the broad root's real part moves past).
  const pairs: number[] = [];
  const cost = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    const z2r = zr[r] * zr[r] - zi[r] * zi[r];
    const z2i = 2 * zr[r] * zi[r];
    for (let k = 0; k < m; k++) {
      const g = a[(m + k) * n + m + k];
      // w^2 - z^2 - i z g
      cost[r * m + k] = Math.hypot(omega[j0 + k] ** 2 - z2r + zi[r] * g, -z2i - zr[r] * g);
      pairs.push(r * m + k);
    }
  }
  pairs.sort((p, q) => cost[p] - cost[q]);
  const rootOf = new Int32Array(m).fill(-1);
  const taken = new Uint8Array(m);
  for (const p of pairs) {
    const r = Math.floor(p / m);
    const k = p - r * m;
    if (taken[r] || rootOf[k] >= 0) continue;
    taken[r] = 1;
    rootOf[k] = r;
  }
  for (let k = c0; k < c1; k++) if (!(zi[rootOf[k - j0]] < 0)) return false;
  for (let k = c0; k < c1; k++) {
    re[k] = zr[rootOf[k - j0]];
    im[k] = zi[rootOf[k - j0]];
  }
  return true;
}

/** Unit roundoff. */
const EPS = 2 ** -53;
/** Newton steps on a pole of the whole pencil (pencilPoles), at most. */
const POLISH_STEPS = 8;
/** A polished pole is kept where its last step was at most this share of its half-width. */
const POLISHED = 1e-2;

export interface PencilPoles {
  /** Re z >= 0 (0: an overdamped pole z = -i kappa), one of each pair z, -conj(z). */
  re: Float64Array;
  /** Im z < 0. */
  im: Float64Array;
  /**
   * The rounding displacement of the pole's eigenvalue (in omega^2) from the rounding of V's diagonal, eps sum_i
   * |V_ii| / m_i |y_i|^2 over the pole's unit vector y (M^1/2-scaled), as peakRoundingShare in transmission.ts.
   */
  dl: Float64Array;
}

/**
 * Every pole of G(z) = (V - z^2 M - i z Gamma)^-1 in the lower half-plane (Gamma diagonal: gamma at the bath
 * sites), for small dense networks: the eigenvalues s of the linearisation [[0, I], [-W, -D]] (W = M^-1/2 V M^-1/2,
 * D = Gamma / M) with z = i s, each polished by inverse iteration and Newton steps on the n x n pencil itself, z <-
 * z - x^T Q(z) x / x^T Q'(z) x (Q complex symmetric, so x^T is its left null vector), until a step is below 4 eps
 * |z|. The linearisation's eigenvalues are accurate to ~eps times its norm only: beside a site of friction/mass 7.9e6
 * a pole at 21.36 of half-width 2.79e-9 came out 1.9e-4 of its width off (5e-13), polished within 1e-4 of it
 * (test/exact/window-poles.test.ts, against 50 digits). The residual x^T Q x is formed to ~eps |W| only, so the
 * steps can stall above 4 eps |z|: a polished pole is kept where its last step was at most POLISHED of its
 * half-width and it stayed within half the distance to every other start; otherwise its start is kept.
 * `V` dense row-major n x n; undefined where the eigenvalue solver fails.
 */
export function pencilPoles(
  n: number,
  V: Float64Array,
  mass: Float64Array,
  gamma: Float64Array,
): PencilPoles | undefined {
  const N = 2 * n;
  const A = matrix(N, N);
  const a = A.data;
  const W = new Float64Array(n * n);
  const D = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i * N + n + i] = 1;
    D[i] = gamma[i] / mass[i];
    a[(n + i) * N + n + i] = -D[i];
    for (let j = 0; j < n; j++) {
      W[i * n + j] = V[i * n + j] / Math.sqrt(mass[i] * mass[j]);
      a[(n + i) * N + j] = -W[i * n + j];
    }
  }
  let ev: { re: Float64Array; im: Float64Array };
  try {
    ev = eigenvalues(A);
  } catch {
    return undefined;
  }
  const zr: number[] = [];
  const zi: number[] = [];
  for (let k = 0; k < N; k++) {
    // z = i s: Re z = -Im s, Im z = Re s; one of each pair (Re z > 0), every real s (overdamped).
    const r = -ev.im[k];
    const i = ev.re[k];
    if (!Number.isFinite(r) || !Number.isFinite(i) || !(i < 0) || r < 0) continue;
    zr.push(ev.im[k] === 0 ? 0 : r);
    zi.push(i);
  }
  const m = zr.length;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const dl = new Float64Array(m);
  const lu = new ComplexLu(n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let p = 0; p < m; p++) {
    let cr = zr[p];
    let ci = zi[p];
    const over = cr === 0;
    // Half the distance to the nearest other start: a polished pole beyond it went to another root.
    let reach = Infinity;
    for (let q = 0; q < m; q++) if (q !== p) reach = Math.min(reach, 0.5 * Math.hypot(zr[q] - zr[p], zi[q] - zi[p]));
    for (let i = 0; i < n; i++) {
      xr[i] = 1 + 0.1 * Math.sin(i + 1);
      xi[i] = 0;
    }
    let last = Infinity;
    for (let it = 0; it < POLISH_STEPS; it++) {
      lu.factor(W, D, cr, ci);
      lu.solve(xr, xi);
      let nrm = 0;
      for (let i = 0; i < n; i++) nrm += xr[i] * xr[i] + xi[i] * xi[i];
      nrm = Math.sqrt(nrm);
      if (!(nrm > 0 && Number.isFinite(nrm))) break;
      for (let i = 0; i < n; i++) {
        xr[i] /= nrm;
        xi[i] /= nrm;
      }
      // x^T Q(z) x and x^T Q'(z) x, Q = W - z^2 I - i z D, Q' = -2 z I - i D.
      const [qr, qi] = lu.form(W, D, cr, ci, xr, xi, false);
      const [dr, di] = lu.form(W, D, cr, ci, xr, xi, true);
      const den = dr * dr + di * di;
      if (!(den > 0)) break;
      let sr = (qr * dr + qi * di) / den;
      const si = (qi * dr - qr * di) / den;
      if (over) sr = 0;
      cr -= sr;
      ci -= si;
      last = Math.hypot(sr, si);
      if (!Number.isFinite(cr) || !Number.isFinite(ci)) break;
      if (last <= 4 * EPS * Math.hypot(cr, ci)) break;
    }
    // Kept where the last step moved it by at most POLISHED of its half-width (the residual x^T Q x is formed to
    // ~eps |W|, the steps stall there).
    const ok = last <= POLISHED * -ci;
    if (ok && ci < 0 && cr >= 0 && Math.hypot(cr - zr[p], ci - zi[p]) < reach) {
      re[p] = cr;
      im[p] = ci;
    } else {
      re[p] = zr[p];
      im[p] = zi[p];
    }
    // The rounding of the eigenvalue from the pole's vector (the last inverse-iteration iterate).
    let num = 0;
    let nrm = 0;
    for (let i = 0; i < n; i++) {
      const y2 = xr[i] * xr[i] + xi[i] * xi[i];
      num += (EPS * Math.abs(V[i * n + i]) * y2) / mass[i];
      nrm += y2;
    }
    dl[p] = nrm > 0 ? num / nrm : 0;
  }
  return { re, im, dl };
}

/** Dense complex LU with partial pivoting of Q(z) = W - z^2 I - i z D (pencilPoles). */
class ComplexLu {
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;
  private readonly piv: Int32Array;
  constructor(private readonly n: number) {
    this.ar = new Float64Array(n * n);
    this.ai = new Float64Array(n * n);
    this.piv = new Int32Array(n);
  }

  factor(W: Float64Array, D: Float64Array, zr: number, zi: number): void {
    const { n, ar, ai, piv } = this;
    const z2r = zr * zr - zi * zi;
    const z2i = 2 * zr * zi;
    ar.set(W);
    ai.fill(0);
    for (let i = 0; i < n; i++) {
      // - z^2 - i z d = -(z2r + i z2i) - i (zr + i zi) d
      ar[i * n + i] += -z2r + zi * D[i];
      ai[i * n + i] += -z2i - zr * D[i];
    }
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = -1;
      for (let i = k; i < n; i++) {
        const v = Math.hypot(ar[i * n + k], ai[i * n + k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      piv[k] = p;
      if (p !== k)
        for (let j = 0; j < n; j++) {
          let t = ar[k * n + j];
          ar[k * n + j] = ar[p * n + j];
          ar[p * n + j] = t;
          t = ai[k * n + j];
          ai[k * n + j] = ai[p * n + j];
          ai[p * n + j] = t;
        }
      let pr = ar[k * n + k];
      const pi = ai[k * n + k];
      // An exactly singular pivot (z is the pole to rounding): a tiny one keeps inverse iteration going.
      if (pr === 0 && pi === 0) pr = EPS * (Math.abs(W[k * n + k]) + Math.abs(D[k]) + 1e-300);
      ar[k * n + k] = pr;
      ai[k * n + k] = pi;
      const den = pr * pr + pi * pi;
      for (let i = k + 1; i < n; i++) {
        const lr = (ar[i * n + k] * pr + ai[i * n + k] * pi) / den;
        const li = (ai[i * n + k] * pr - ar[i * n + k] * pi) / den;
        ar[i * n + k] = lr;
        ai[i * n + k] = li;
        if (lr === 0 && li === 0) continue;
        for (let j = k + 1; j < n; j++) {
          ar[i * n + j] -= lr * ar[k * n + j] - li * ai[k * n + j];
          ai[i * n + j] -= lr * ai[k * n + j] + li * ar[k * n + j];
        }
      }
    }
  }

  /** Overwrites (br, bi) with Q^-1 b. */
  solve(br: Float64Array, bi: Float64Array): void {
    const { n, ar, ai, piv } = this;
    for (let k = 0; k < n; k++) {
      const p = piv[k];
      if (p !== k) {
        let t = br[k];
        br[k] = br[p];
        br[p] = t;
        t = bi[k];
        bi[k] = bi[p];
        bi[p] = t;
      }
      for (let i = k + 1; i < n; i++) {
        const lr = ar[i * n + k];
        const li = ai[i * n + k];
        br[i] -= lr * br[k] - li * bi[k];
        bi[i] -= lr * bi[k] + li * br[k];
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      let sr = br[k];
      let si = bi[k];
      for (let j = k + 1; j < n; j++) {
        sr -= ar[k * n + j] * br[j] - ai[k * n + j] * bi[j];
        si -= ar[k * n + j] * bi[j] + ai[k * n + j] * br[j];
      }
      const pr = ar[k * n + k];
      const pi = ai[k * n + k];
      const den = pr * pr + pi * pi;
      br[k] = (sr * pr + si * pi) / den;
      bi[k] = (si * pr - sr * pi) / den;
    }
  }

  /** x^T Q(z) x, or x^T Q'(z) x (derivative), Q = W - z^2 I - i z D. */
  form(
    W: Float64Array,
    D: Float64Array,
    zr: number,
    zi: number,
    xr: Float64Array,
    xi: Float64Array,
    derivative: boolean,
  ): [number, number] {
    const n = this.n;
    let sr = 0;
    let si = 0;
    for (let i = 0; i < n; i++) {
      // x_i^2
      const x2r = xr[i] * xr[i] - xi[i] * xi[i];
      const x2i = 2 * xr[i] * xi[i];
      let cr: number;
      let ci: number;
      if (derivative) {
        // -2 z - i d
        cr = -2 * zr;
        ci = -2 * zi - D[i];
      } else {
        // -z^2 - i z d, and W_ii below with the off-diagonal terms
        cr = -(zr * zr - zi * zi) + zi * D[i];
        ci = -2 * zr * zi - zr * D[i];
      }
      sr += cr * x2r - ci * x2i;
      si += cr * x2i + ci * x2r;
      if (derivative) continue;
      // W_i. x times x_i
      let wr = 0;
      let wi = 0;
      for (let j = 0; j < n; j++) {
        wr += W[i * n + j] * xr[j];
        wi += W[i * n + j] * xi[j];
      }
      sr += wr * xr[i] - wi * xi[i];
      si += wr * xi[i] + wi * xr[i];
    }
    return [sr, si];
  }
}
