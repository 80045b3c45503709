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
