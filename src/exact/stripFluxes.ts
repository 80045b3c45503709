/**
 * Bath fluxes of a network sliced between two groups of baths (a W x L strip with baths on its end columns), fluxes
 * only, from the end-to-end block of G and the damped poles (docs/studies/harmonic-conduction.md, "Bath fluxes of 2D
 * strips from their poles").
 *
 * With the first group's baths on level 0 (temperature T_A) and the second's on the last level (T_B), the flux into
 * bath a of level 0 is J_a = (2/pi) (T_A - T_B) int F_a, F_a(w) = w^2 gamma_a sum_c gamma_c |G_ac(w)|^2 over the
 * last level's baths c (and symmetrically for c): only G_(0,L-1), which the recursive Green's function gives in
 * O(N w^2) per frequency (StripGreen) without any full column. On the real axis |G_ac|^2 = G_ac(w) G_ac(-w), so F is
 * rational; each damped pole z of G (Im z < 0) with residue R of F contributes the singular part
 * S(w) = 2 Re[R (1/(w - z) - 1/(w + z))] (the poles z, -z and their conjugates), whose integral is closed-form. The
 * poles of all the located modes that carry current are found together: start estimates from the pencil projected on
 * each window of overlapping modes (windowPoles.ts: a broad and a narrow combination where two peaks overlap, which
 * the modes' first-order poles w - i h miss), then Aberth-Ehrlich steps on ln det Q (Newton deflated by every other
 * iterate's current estimate, so two iterates do not end on one pole). Each accepted pole gets its residue
 * R = z^2 gamma_a sum_c gamma_c Res G_ac(z) G_ac(-z) (the rank-one residue of StripGreen and one sweep at the mirror
 * point -z) and covers the mode whose estimate is nearest; the modes no pole covers, and those whose Breit-Wigner
 * share is negligible, get the Breit-Wigner Lorentzian of their first-order pole instead (subtracting any function
 * with a known integral is exact; a good one leaves a smooth remainder). The remainder F - sum S is integrated by
 * adaptive Gauss-Kronrod (7-15) on [0, cutoff], with breakpoints around the uncovered modes that are narrow by their
 * first-order or their projected estimate; each panel subtracts only the terms near it (NEAR) and adds back their
 * integrals over it, the far ones being smooth there.
 *
 * The error (an estimate, as the Lyapunov residual): QUAD_SAFETY times the summed |K15 - G7| of the final panels,
 * per pole the error of its position (4 eps |z| or the plain Newton step on ln det Q from it, over |Im z|, times its
 * content; where the eigenvalue's rounding eps max_i V_ii / m_i moves it by more, as beside a stiff part, that share,
 * poleRounding, also for the Breit-Wigner terms of the modes no pole covers) and of a 4-point residue, the
 * Breit-Wigner shares of the modes skipped as negligible (measured 60-1000 times above the actual effect of skipping
 * them on 4 x 100 and 2 x 200 strips), the screen's estimate of the frequencies left out, and on every panel a bound
 * on the far terms' share of its quadrature error (FAR_BOUND).
 */
import { ModelError } from "../errors.js";
import { QuadratureMonitor, type SolveControl } from "./solveControl.js";
import type { SlicedPencil } from "../linalg/slices.js";
import { StripGreen } from "../linalg/stripGreen.js";
import { WG7, WGK15, XGK15 } from "./kronrod15.js";
import { poleIntegral } from "./poleIntegral.js";
import { poleRounding, roundingWarning } from "./poleRounding.js";
import { projectedPoles } from "./windowPoles.js";
import type { NetworkModel } from "../model/networkModel.js";

/** The located modes below the screen's cutoff (transmission.ts ModeData). */
export interface StripModes {
  omega: Float64Array;
  halfWidth: Float64Array;
  /** u_b^2 at every bath (row per mode; NaN in a degenerate cluster). */
  bathAmp2: Float64Array;
  /** u_b with its sign (as bathAmp2): the projected pencil's start estimates (windowPoles.ts). */
  bathAmp?: Float64Array;
}

export interface StripFluxOptions {
  tolerance: number;
  /** Upper end of the integration (the screen's cutoff). Without one the whole band and a tail panel. */
  cutoff?: number;
  /** Modes skipped as negligible (Breit-Wigner share), and per bath the bound on their flux. */
  skip?: Uint8Array;
  skippedFlux?: Float64Array;
  /** Estimated flux of the frequencies above the cutoff (added to every bath's error). */
  screenFlux?: number;
  maxEvaluations?: number;
  /**
   * The largest rounding of an eigenvalue of the pencil (transmission.ts pencilRounding, eps max_i V_ii / m_i): where
   * it moves a pole (or a Breit-Wigner term's peak) by more of its width than 4 eps |z|, that share is its position
   * error (poleRounding).
   */
  rounding?: number;
  /** Progress, abort and time limit of the remainder quadrature (solveControl.ts; no stall rule on this path). */
  monitor?: QuadratureMonitor;
}

export interface StripFluxes {
  /** Flux into every bath (model order), and its error estimate. */
  flux: Float64Array;
  error: Float64Array;
  /** Real-axis evaluations of the end block (quadrature) and complex sweeps (Newton, residues). */
  evaluations: number;
  sweeps: number;
  /** Modes integrated from their accepted poles; modes whose pole was not accepted (Breit-Wigner, panels). */
  poles: number;
  /** Poles whose residue came from the 4-point average (the last Schur complement not singular there). */
  fallbacks: number;
  rejected: number;
  panels: number;
  converged: boolean;
  /**
   * Largest check of the end block against the defining equations Q(z) G = I (StripGreen.residual: backward error
   * of the whole columns, and the recursion's block against them, relative) at RESIDUAL_BAND frequencies across the
   * band and, for the RESIDUAL_POLES narrowest accepted poles z, at Re z and at Re z + i Im z / 2.
   */
  residual: number;
  /** Frequencies at which it was checked (not counted in sweeps). */
  checks: number;
  /** Wall time (performance.now) of the pole search and of the remainder's quadrature, in seconds. */
  seconds: { poles: number; quadrature: number };
  /** Parts of the error of the largest bath flux: quadrature, pole rounding, skipped modes, screen. */
  parts: { quadrature: number; poles: number; skipped: number; screen: number };
}

/**
 * Test hooks. `subtracted` is called once the pole and Breit-Wigner terms are set: slot k (of 2M) has the term at
 * zRe[k] + i zIm[k] with residues res[2 k K + 2 q], res[2 k K + 2 q + 1] of component q (K end positions), `terms`
 * the slots in use (slot k < M accepted when accepted[k]); `components` evaluates F at real w by a sweep (no term
 * subtracted): checks independent of the pole search (test/exact/strip-pole-residue.test.ts).
 */
export const stripFluxesTesting: {
  subtracted?: (info: {
    zRe: Float64Array;
    zIm: Float64Array;
    res: Float64Array;
    K: number;
    terms: Int32Array;
    accepted: Uint8Array;
    components: (w: number, out: Float64Array) => void;
  }) => void;
} = {};

const EPS = 2 ** -53;
/** Found poles of the neighbouring modes (by index) that deflate a Newton iteration. */
const DEFLATE = 32;
/**
 * Aberth-Ehrlich rounds (one sweep per active iterate each); the iterates still moving after them are left (their
 * modes keep Breit-Wigner terms and breakpoints). 4 x 100 strip, tolerance 1e-8: 12 rounds 262 poles, 1942 sweeps,
 * 2235 real-axis evaluations; 20 rounds 270, 2141, 1995 (a sweep costs ~1.5 evaluations).
 */
const ABERTH_ROUNDS = 12;
/** Newton on ln det Q stops at steps below this many eps |z| (its rounding floor). */
const NEWTON_FLOOR = 32;
const BASE_PANELS = 64;
/**
 * A converged pole is accepted only where the plain Newton step on ln det Q is at most STALL times the last
 * (deflated) step: the remaining error of its position is then that step (quadratic convergence).
 */
const STALL = 4;
/**
 * The remainder's summed |K15 - G7| times this is its reported error (and what must meet the tolerance): |K15 - G7|
 * estimates the 7-point rule's error, not a bound on the 15-point one where the remainder has structure the panel's
 * nodes do not see. Set to 4 when a 4 x 100 strip at tolerance 1e-8 came out 5.1e-9 off against a summed 4.8e-9; the
 * cause was a narrow peak left in the remainder (the narrow combination of two overlapping modes, see windowPoles.ts),
 * now subtracted by its pole: 4.2e-10 off against a reported 6.4e-9 (actual/reported 0.10; 8 x 128: see
 * docs/studies/harmonic-conduction.md). Kept as a margin.
 */
const QUAD_SAFETY = 4;
/**
 * A panel of [0, X] subtracts at its nodes only the pole and Breit-Wigner terms whose Re z lies within NEAR of its
 * half-widths h (then z and -z of every other term are at least NEAR h from it), and adds back their closed-form
 * integrals over it; the far terms stay in what its rule integrates (the cost of a node grows with the nearby terms,
 * not with all of them: ~6100 at the 10 x 1000 strip). They are analytic inside the Bernstein ellipse around the panel
 * whose minor semi-axis is NEAR h / 2 (parameter rho = NEAR / 2 + sqrt(NEAR^2 / 4 + 1)), at least NEAR h / 2 from it,
 * where |sum S| <= 8 sum |R| / (NEAR h); a rule with positive weights exact to degree n then errs by at most
 * 4 h 2 max|S| rho^-n / (rho - 1) (the Chebyshev truncation, Trefethen, Approximation Theory and Approximation
 * Practice, thm 8.2) = FAR_GK(n) sum |R|. With K15 (n = 22, one below its degree) and G7 (n = 13) the far terms add at
 * most FAR_BOUND sum |R| to the panel's error as estimated (QUAD_SAFETY |K15 - G7|, which they can reduce, plus the
 * K15 error itself): ~1e-16 of sum |R| per panel, added to every panel that leaves terms out.
 */
const NEAR = 16;
const RHO = NEAR / 2 + Math.sqrt((NEAR * NEAR) / 4 + 1);
const FAR_GK = (n: number) => (64 * RHO ** -n) / (NEAR * (RHO - 1));
const FAR_BOUND = (QUAD_SAFETY + 1) * FAR_GK(22) + QUAD_SAFETY * FAR_GK(13);
/** Residual checks: frequencies evenly across [0, X], and the narrowest accepted poles (two points each). */
const RESIDUAL_BAND = 4;
const RESIDUAL_POLES = 3;

/**
 * The bath fluxes (see the file comment). `sliced` has the first group's baths on level 0 and the second's on the
 * last level; `group` is every bath's group (0: level 0).
 */
export function stripBathFluxes(
  model: NetworkModel,
  sliced: SlicedPencil,
  gammaSite: Float64Array,
  group: Uint8Array,
  modes: StripModes,
  options: StripFluxOptions,
): StripFluxes {
  const B = model.baths.length;
  const green = new StripGreen(sliced, gammaSite);
  const w0 = green.w0;
  const wL = green.wL;
  const K = w0 + wL;
  const L = sliced.levels;
  // Friction of every end position, and the bath of each (-1: no bath).
  const gam = new Float64Array(K);
  const bathAt = new Int32Array(K).fill(-1);
  const bathOfSite = new Map<number, number>();
  model.baths.forEach((b, k) => bathOfSite.set(b.site, k));
  for (let a = 0; a < w0; a++) {
    const site = sliced.sites[a];
    gam[a] = gammaSite[site];
    bathAt[a] = bathOfSite.get(site) ?? -1;
  }
  for (let c = 0; c < wL; c++) {
    const site = sliced.sites[sliced.start[L - 1] + c];
    gam[w0 + c] = gammaSite[site];
    bathAt[w0 + c] = bathOfSite.get(site) ?? -1;
  }
  let tA = 0;
  let tB = 0;
  model.baths.forEach((b, k) => (group[k] === 0 ? (tA = b.temperature) : (tB = b.temperature)));
  const dT = tA - tB;
  const tol = options.tolerance;
  let sweeps = 0;

  /** The components F at real w into out (before subtracting poles). */
  const components = (w: number, out: Float64Array): void => {
    green.evaluate(w, 0);
    const { eRe, eIm } = green;
    out.fill(0);
    const w2 = w * w;
    for (let a = 0; a < w0; a++) {
      if (gam[a] === 0) continue;
      for (let c = 0; c < wL; c++) {
        if (gam[w0 + c] === 0) continue;
        const p = gam[a] * gam[w0 + c] * w2 * (eRe[a * wL + c] ** 2 + eIm[a * wL + c] ** 2);
        out[a] += p;
        out[w0 + c] += p;
      }
    }
  };

  const t0 = performance.now();
  // --- Poles: every located mode's pole at once (Aberth-Ehrlich steps on ln det Q from the projected pencil's
  // estimates, windowPoles.ts). (A second pass of plain Newton from w - i h / 2 for the modes still uncovered, the
  // old search's, found 1 pole for 342 sweeps on a 4 x 100 strip: dropped.)
  const M = modes.omega.length;
  // Slot k: the pole found from mode k; slot M + k: mode k's Breit-Wigner term (see below).
  const zRe = new Float64Array(2 * M);
  const zIm = new Float64Array(2 * M);
  const res = new Float64Array(4 * M * K);
  const accepted = new Uint8Array(M);
  const hasTerm = new Uint8Array(2 * M);
  const poleErr = new Float64Array(K);
  const gapOf = (k: number) => {
    let g = Infinity;
    if (k > 0) g = Math.min(g, modes.omega[k] - modes.omega[k - 1]);
    if (k + 1 < M) g = Math.min(g, modes.omega[k + 1] - modes.omega[k]);
    return Number.isFinite(g) ? g : modes.omega[k];
  };
  const order = Array.from({ length: M }, (_, k) => k)
    .filter((k) => !options.skip || !options.skip[k])
    .sort((a, b) => modes.halfWidth[a] - modes.halfWidth[b]);
  const found = new Uint8Array(M);
  const eMirRe = new Float64Array(w0 * wL);
  const eMirIm = new Float64Array(w0 * wL);
  const rRe = new Float64Array(w0 * wL);
  const rIm = new Float64Array(w0 * wL);
  let poles = 0;
  let fallbacks = 0;
  /**
   * The modes whose peak an accepted pole covers: the one whose estimate (projected pencil, else first order) is
   * nearest to the pole in the complex plane (an iteration may have ended on a neighbour's pole, a skipped mode's
   * among them; then its own peak stays uncovered and gets a Breit-Wigner term and breakpoints).
   */
  const coverage = (): Uint8Array => {
    const covered = new Uint8Array(M);
    for (let k = 0; k < M; k++) {
      if (!accepted[k]) continue;
      let best = k;
      let dmin = Infinity;
      for (let j = Math.max(0, k - 4 * DEFLATE); j <= Math.min(M - 1, k + 4 * DEFLATE); j++) {
        const d = Math.hypot(zRe[k] - est.re[j], zIm[k] - est.im[j]);
        if (d < dmin) {
          dmin = d;
          best = j;
        }
      }
      covered[best] = 1;
    }
    return covered;
  };
  const est = projectedPoles(
    modes.omega,
    modes.halfWidth,
    modes.bathAmp,
    Float64Array.from(model.baths, (b) => b.friction),
  );
  /**
   * Accepts the converged pole z of mode k (its last Newton step `last`): distinct from every pole found, its
   * residue finite. Adds its error share.
   */
  const accept = (k: number, zr: number, zi: number, last: number): boolean => {
    const h = modes.halfWidth[k];
    const gap = gapOf(k);
    // Any zero of det Q in the lower half plane will do (subtracting a true pole with its residue is exact), once:
    // an iteration that reached a pole already found is not accepted (its mode's peak stays in the remainder).
    for (let j = 0; j < M; j++)
      if (found[j] && Math.hypot(zr - zRe[j], zi - zIm[j]) <= 1e-9 * Math.hypot(zr, zi)) return false;
    // Residue of G_(0,L-1) at z: rank one from the last Schur complement; where that is not singular (the mode has
    // no weight on the last level to rounding: the pole is one of levels 0..L-2 too), R = lim G / (d ln det Q/dz)
    // averaged over 4 points z + eta i^k (exact to O(eta^4); the 2-point average's difference is its error).
    green.evaluate(zr, zi, true, true);
    sweeps++;
    // The plain Newton step on ln det Q from z (no deflation): at a pole it is z's remaining error; a deflated
    // iteration can also stall beside another iterate's estimate, where it is not small (not a pole: refused).
    const n2 = green.dRe ** 2 + green.dIm ** 2;
    const step = 1 / Math.sqrt(n2);
    if (!(step <= STALL * Math.max(last, NEWTON_FLOOR * EPS * Math.hypot(zr, zi)))) return false;
    let rErr = 0;
    if (green.residueCheck <= 1e-8) {
      rRe.set(green.rRe);
      rIm.set(green.rIm);
    } else {
      const eta = Math.min(1e-3 * gap, 0.25 * Math.max(gap, h));
      rRe.fill(0);
      rIm.fill(0);
      const half = new Float64Array(2 * w0 * wL);
      let ok = true;
      for (let q = 0; q < 4; q++) {
        const er = q === 0 ? eta : q === 2 ? -eta : 0;
        const ei = q === 1 ? eta : q === 3 ? -eta : 0;
        green.evaluate(zr + er, zi + ei, true, false, true);
        sweeps++;
        const d2 = green.dRe ** 2 + green.dIm ** 2;
        if (!(d2 > 0) || !Number.isFinite(d2)) ok = false;
        const ir = green.dRe / d2;
        const ii = -green.dIm / d2;
        for (let j = 0; j < w0 * wL; j++) {
          const vr = (green.eRe[j] * ir - green.eIm[j] * ii) / 4;
          const vi = (green.eRe[j] * ii + green.eIm[j] * ir) / 4;
          rRe[j] += vr;
          rIm[j] += vi;
          if (q % 2 === 0) {
            half[2 * j] += 2 * vr;
            half[2 * j + 1] += 2 * vi;
          }
        }
      }
      if (!ok) return false;
      let dmax = 0;
      let rmax = 0;
      for (let j = 0; j < w0 * wL; j++) {
        dmax = Math.max(dmax, Math.hypot(half[2 * j] - rRe[j], half[2 * j + 1] - rIm[j]));
        rmax = Math.max(rmax, Math.hypot(rRe[j], rIm[j]));
      }
      rErr = rmax > 0 ? dmax / rmax : 0;
      fallbacks++;
    }
    green.evaluate(-zr, -zi);
    sweeps++;
    eMirRe.set(green.eRe);
    eMirIm.set(green.eIm);
    // R_a = z^2 gamma_a sum_c gamma_c Res_ac(z) G_ac(-z), and symmetrically.
    const z2r = zr * zr - zi * zi;
    const z2i = 2 * zr * zi;
    const o = 2 * k * K;
    for (let a = 0; a < w0; a++) {
      for (let c = 0; c < wL; c++) {
        const q = a * wL + c;
        const g = gam[a] * gam[w0 + c];
        if (g === 0) continue;
        const pr = rRe[q] * eMirRe[q] - rIm[q] * eMirIm[q];
        const pi = rRe[q] * eMirIm[q] + rIm[q] * eMirRe[q];
        const vr = g * (z2r * pr - z2i * pi);
        const vi = g * (z2r * pi + z2i * pr);
        res[o + 2 * a] += vr;
        res[o + 2 * a + 1] += vi;
        res[o + 2 * (w0 + c)] += vr;
        res[o + 2 * (w0 + c) + 1] += vi;
      }
    }
    for (let q = 0; q < 2 * K; q++) {
      if (!Number.isFinite(res[o + q])) {
        res.fill(0, o, o + 2 * K);
        return false;
      }
    }
    zRe[k] = zr;
    zIm[k] = zi;
    found[k] = 1;
    accepted[k] = 1;
    hasTerm[k] = 1;
    poles++;
    const move = Math.max(
      Math.max(4 * EPS * Math.hypot(zr, zi), Math.min(step, Math.abs(zi))) / Math.abs(zi) + rErr,
      poleRounding(zr, zi, 0, options.rounding ?? 0),
    );
    for (let q = 0; q < K; q++) poleErr[q] += 2 * Math.PI * Math.hypot(res[o + 2 * q], res[o + 2 * q + 1]) * move;
    return true;
  };
  /** Converged at the rounding floor of ln det (~eps |z| times a few), or once the next step is below 1e-11 of the
   * peak's width: near a pole ln det Q = ln(z - p) + b(z) with |b'| ~ 1/gap, so Newton's error after a step s is
   * ~ s^2 / gap (quadratic convergence; Aberth's correction is cubic). */
  const done = (size: number, zr: number, zi: number, gap: number) =>
    size <= Math.max(NEWTON_FLOOR * EPS * Math.hypot(zr, zi), Math.sqrt(1e-11 * Math.abs(zi) * gap));
  // Aberth-Ehrlich: every iterate at once, each step Newton's on ln det Q minus sum 1/(z - z_j) over the other
  // iterates' current estimates (the DEFLATE neighbours on each side by frequency): the iterates repel one
  // another, so two of them do not end on one pole, which plain Newton from overlapping peaks did.
  const cr = Float64Array.from(est.re);
  const ci = Float64Array.from(est.im);
  /** 0: not iterated, 1: active, 2: converged, 3: given up. */
  const state = new Uint8Array(M);
  const lastStep = new Float64Array(M).fill(Infinity);
  for (const k of order) if (modes.omega[k] > 0 && modes.halfWidth[k] > 0 && ci[k] < 0 && cr[k] > 0) state[k] = 1;
  for (let round = 0; round < ABERTH_ROUNDS; round++) {
    let active = 0;
    for (const k of order) {
      if (state[k] !== 1) continue;
      active++;
      const zr = cr[k];
      const zi = ci[k];
      green.evaluate(zr, zi, true, false, false);
      sweeps++;
      let dr = green.dRe;
      let di = green.dIm;
      for (let j = Math.max(0, k - DEFLATE); j <= Math.min(M - 1, k + DEFLATE); j++) {
        if (j === k || state[j] === 0 || state[j] === 3) continue;
        const ar = zr - cr[j];
        const ai = zi - ci[j];
        const m2 = ar * ar + ai * ai;
        if (!(m2 > 0)) continue;
        dr -= ar / m2;
        di += ai / m2;
      }
      const d2 = dr * dr + di * di;
      if (!(d2 > 0) || !Number.isFinite(d2)) {
        state[k] = 3;
        continue;
      }
      let sr = -dr / d2;
      let si = di / d2;
      const size = Math.hypot(sr, si);
      const gap = gapOf(k);
      const cap = 0.5 * Math.max(gap, modes.halfWidth[k], Math.abs(zi));
      if (size > cap) {
        sr *= cap / size;
        si *= cap / size;
      }
      cr[k] = zr + sr;
      ci[k] = zi + si;
      lastStep[k] = Math.min(size, cap);
      if (!(ci[k] < 0) || !(cr[k] > 0)) state[k] = 3;
      else if (done(size, cr[k], ci[k], gap)) state[k] = 2;
    }
    if (active === 0) break;
  }
  for (const k of [...order].sort((a, b) => Math.abs(ci[a]) - Math.abs(ci[b]))) {
    if (state[k] === 2) accept(k, cr[k], ci[k], lastStep[k]);
  }
  // Which peaks did the poles take? A pole covers the mode of the nearest undamped frequency (Newton may have
  // wandered from its own mode's peak to a neighbour's). Breit-Wigner Lorentzians for every mode not covered (with
  // bath amplitudes): first-order pole w - i h, residue i rho with rho_a = gamma_a u_a^2 g_B / (8 h) (and
  // symmetrically), the leading-order peak of an isolated resonance; subtracting it is exact whatever its accuracy
  // (its integral is added back), and leaves a remainder smoother than the peak.
  const covered = coverage();
  let rejected = 0;
  const bp: number[] = [];
  for (let k = 0; k < M; k++) {
    if (covered[k]) continue;
    const w = modes.omega[k];
    const h = modes.halfWidth[k];
    const skipped = options.skip !== undefined && options.skip[k] === 1;
    if (!skipped) {
      rejected++;
      // Breakpoints at a narrow peak (broad ones, overlapping their neighbours, are smooth on the panels' scale).
      if (h < 0.5 * gapOf(k)) for (const s of [0, 0.5, 1, 4, 16, 64]) bp.push(w - s * h, w + s * h);
      // and at the projected pencil's estimate where that is narrow (a narrow combination of overlapping modes).
      const he = -est.im[k];
      if (he > 0 && he < 0.5 * gapOf(k) && Math.abs(est.re[k] - w) + Math.abs(he - h) > 0.1 * he)
        for (const s of [0, 0.5, 1, 4, 16, 64]) bp.push(est.re[k] - s * he, est.re[k] + s * he);
    }
    if (!(w > 0) || !(h > 0)) continue;
    let gA = 0;
    let gB = 0;
    const amp = new Float64Array(K);
    for (let q = 0; q < K; q++) {
      if (bathAt[q] < 0) continue;
      amp[q] = gam[q] * modes.bathAmp2[k * B + bathAt[q]];
      if (q < w0) gA += amp[q];
      else gB += amp[q];
    }
    if (!Number.isFinite(gA + gB)) continue;
    const o = 2 * (M + k) * K;
    for (let q = 0; q < K; q++) res[o + 2 * q + 1] = (amp[q] * (q < w0 ? gB : gA)) / (8 * h);
    // Where the eigenvalue's rounding moves this peak by much of its width (poleRounding above its 4 eps |z| / h),
    // that share of its content (the Lorentzian's 2 pi |R|) is uncertain: the remainder's panels do not see it.
    const share = poleRounding(w, -h, 0, options.rounding ?? 0);
    if (share > (4 * EPS * Math.hypot(w, h)) / h)
      for (let q = 0; q < K; q++) poleErr[q] += 2 * Math.PI * Math.abs(res[o + 2 * q + 1]) * share;
    zRe[M + k] = w;
    zIm[M + k] = -h;
    hasTerm[M + k] = 1;
  }
  const terms = Int32Array.from(
    Array.from({ length: 2 * M }, (_, k) => k).filter((k) => hasTerm[k]),
    (k) => k,
  );

  const t1 = performance.now();
  // --- Closed-form integrals of the subtracted parts, up to X (to infinity where a tail panel integrates the rest).
  let top = M > 0 ? modes.omega[M - 1] : 0;
  for (const b of model.baths) top = Math.max(top, b.friction / model.mass[b.site]);
  const X = options.cutoff ?? 1.5 * top;
  const tail = options.cutoff === undefined;
  // --- The recursion against the defining equations at a few frequencies, where the peaks are narrowest above all.
  let residual = 0;
  let checks = 0;
  const checkAt = (zr: number, zi: number) => {
    const r = green.residual(zr, zi);
    checks++;
    if (!(r <= residual)) residual = Number.isNaN(r) ? Infinity : Math.max(residual, r);
  };
  for (let j = 0; j < RESIDUAL_BAND; j++) checkAt((X * (j + 0.5)) / RESIDUAL_BAND, 0);
  const narrow = Array.from({ length: M }, (_, k) => k)
    .filter((k) => accepted[k])
    .sort((a, b) => zIm[b] - zIm[a])
    .slice(0, RESIDUAL_POLES);
  for (const k of narrow) {
    checkAt(zRe[k], 0);
    checkAt(zRe[k], 0.5 * zIm[k]);
  }
  stripFluxesTesting.subtracted?.({
    zRe,
    zIm,
    res,
    K,
    terms,
    accepted,
    components: (w, out) => components(w, out),
  });
  // The terms ordered by Re z: a panel subtracts at its nodes only those within NEAR of its half-widths (the rest are
  // smooth on it and stay in what its rule integrates, see FAR_* below), and adds back their closed-form integrals
  // over it. Per component, the sum of |R| over all terms bounds the far terms' share of any panel's error.
  const byRe = Int32Array.from(terms).sort((a, b) => zRe[a] - zRe[b]);
  const reSorted = Float64Array.from(byRe, (k) => zRe[k]);
  const absR = new Float64Array(K);
  for (const k of terms) {
    const o = 2 * k * K;
    for (let q = 0; q < K; q++) absR[q] += Math.hypot(res[o + 2 * q], res[o + 2 * q + 1]);
  }
  /** First index of reSorted at or above v. */
  const lowerBound = (v: number): number => {
    let lo = 0;
    let hi = reSorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (reSorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // --- The remainder F - sum S on [0, X] (and [X, inf) without a cutoff) by adaptive Gauss-Kronrod 7-15.
  const f = new Float64Array(K);
  let evaluations = 0;
  /** F minus the terms byRe[i0..i1) at real w. */
  const remainder = (w: number, out: Float64Array, i0: number, i1: number): void => {
    components(w, out);
    evaluations++;
    for (let i = i0; i < i1; i++) {
      const k = byRe[i];
      const zr = zRe[k];
      const zi = zIm[k];
      // a = 1/(w - z) - 1/(w + z)
      let dr = w - zr;
      let di = -zi;
      let m = dr * dr + di * di;
      let ar = dr / m;
      let ai = -di / m;
      dr = w + zr;
      di = zi;
      m = dr * dr + di * di;
      ar -= dr / m;
      ai += di / m;
      const o = 2 * k * K;
      for (let q = 0; q < K; q++) out[q] -= 2 * (res[o + 2 * q] * ar - res[o + 2 * q + 1] * ai);
    }
  };
  interface Panel {
    a: number;
    b: number;
    tail: boolean;
    value: Float64Array;
    err: Float64Array;
    score: number;
  }
  const weight = (2 / Math.PI) * Math.abs(dT);
  const integrate = (a: number, b: number, isTail: boolean): Panel => {
    const value = new Float64Array(K);
    const gauss = new Float64Array(K);
    const half = 0.5 * (b - a);
    const mid = 0.5 * (a + b);
    // The terms subtracted at this panel's nodes: on a panel of [0, X] those with Re z within NEAR half-widths of it
    // (the others, and their mirror points -z, are farther than that from it); on the tail panel all of them.
    let i0 = 0;
    let i1 = byRe.length;
    if (!isTail) {
      i0 = a <= NEAR * half ? 0 : lowerBound(a - NEAR * half);
      i1 = lowerBound(b + NEAR * half);
    }
    for (let j = 0; j < XGK15.length; j++) {
      for (const sgn of j === XGK15.length - 1 ? [1] : [-1, 1]) {
        const t = mid + sgn * half * XGK15[j];
        let w = t;
        let jac = half;
        if (isTail) {
          // w = X / (1 - t), t in [0, 1).
          w = X / (1 - t);
          jac = (half * X) / ((1 - t) * (1 - t));
        }
        remainder(w, f, i0, i1);
        const gw = j % 2 === 1 ? WG7[(j - 1) / 2] : j === XGK15.length - 1 ? WG7[3] : 0;
        for (let q = 0; q < K; q++) {
          value[q] += WGK15[j] * jac * f[q];
          gauss[q] += gw * jac * f[q];
        }
      }
    }
    const err = new Float64Array(K);
    let score = 0;
    const far = i1 - i0 < byRe.length;
    for (let q = 0; q < K; q++) {
      err[q] = QUAD_SAFETY * Math.abs(value[q] - gauss[q]) + (far ? FAR_BOUND * absR[q] : 0);
      score = Math.max(score, weight * err[q]);
    }
    // The subtracted terms' integrals over the panel, in closed form.
    for (let i = i0; i < i1; i++) {
      const k = byRe[i];
      const o = 2 * k * K;
      const zr = zRe[k];
      const zi = zIm[k];
      let lr: number;
      let li: number;
      if (isTail) {
        // int_X^inf = int_0^inf - int_0^X (poleIntegral with R = 1 and R = i).
        lr = 0.5 * (poleIntegral(1, 0, zr, zi, Infinity) - poleIntegral(1, 0, zr, zi, X));
        li = -0.5 * (poleIntegral(0, 1, zr, zi, Infinity) - poleIntegral(0, 1, zr, zi, X));
      } else {
        // Log((b - z)/(a - z)) - Log((b + z)/(a + z)): both ratios of points in one half plane.
        lr =
          Math.log(Math.hypot(b - zr, zi)) -
          Math.log(Math.hypot(a - zr, zi)) -
          Math.log(Math.hypot(b + zr, zi)) +
          Math.log(Math.hypot(a + zr, zi));
        li = Math.atan2(-zi, b - zr) - Math.atan2(-zi, a - zr) - Math.atan2(zi, b + zr) + Math.atan2(zi, a + zr);
      }
      for (let q = 0; q < K; q++) value[q] += 2 * (res[o + 2 * q] * lr - res[o + 2 * q + 1] * li);
    }
    return { a, b, tail: isTail, value, err, score };
  };
  const cuts = new Set<number>();
  for (let j = 0; j <= BASE_PANELS; j++) cuts.add((X * j) / BASE_PANELS);
  for (const p of bp) if (p > 0 && p < X) cuts.add(p);
  const sorted = [...cuts].sort((a, b) => a - b);
  const budget = options.maxEvaluations ?? 200000;
  // The first pass evaluates every initial panel once (15 points): a budget below it is refused, not overrun.
  if (options.maxEvaluations !== undefined) {
    let first = tail ? XGK15.length * 2 - 1 : 0;
    for (let j = 0; j + 1 < sorted.length; j++)
      if (sorted[j + 1] - sorted[j] > 1e-15 * X) first += XGK15.length * 2 - 1;
    if (first > budget)
      throw new ModelError(
        `the evaluation budget (maxEvaluations, --max-evaluations) of ${budget} is below the ${first} evaluations of the frequency quadrature's first pass over its initial panels: give at least ${first}`,
      );
  }
  const panels: Panel[] = [];
  for (let j = 0; j + 1 < sorted.length; j++) {
    if (sorted[j + 1] - sorted[j] > 1e-15 * X) panels.push(integrate(sorted[j], sorted[j + 1], false));
  }
  if (tail) panels.push(integrate(0, 1, true));
  const fluxes = () => {
    const J = new Float64Array(B);
    const v = new Float64Array(K);
    for (const p of panels) for (let q = 0; q < K; q++) v[q] += p.value[q];
    for (let q = 0; q < K; q++) if (bathAt[q] >= 0) J[bathAt[q]] = (2 / Math.PI) * (q < w0 ? dT : -dT) * v[q];
    return J;
  };
  let converged = false;
  for (;;) {
    let sum = 0;
    let worst = -1;
    for (let j = 0; j < panels.length; j++) {
      sum += panels[j].score;
      if (worst < 0 || panels[j].score > panels[worst].score) worst = j;
    }
    let jmax = 0;
    for (const x of fluxes()) jmax = Math.max(jmax, Math.abs(x));
    if (sum <= tol * jmax || worst < 0) {
      converged = true;
      break;
    }
    if (evaluations + 30 > budget) break;
    if (options.monitor?.step(evaluations, sum / Math.max(tol * jmax, 1e-300))) break;
    const p = panels[worst];
    const m = 0.5 * (p.a + p.b);
    if (!(m > p.a && m < p.b) || (!p.tail && p.b - p.a <= 1e-14 * X)) {
      p.score = 0; // at the floating-point grid: keep its error, stop splitting it
      converged = false;
      continue;
    }
    panels[worst] = integrate(p.a, m, p.tail);
    panels.push(integrate(m, p.b, p.tail));
  }
  const flux = fluxes();
  const t2 = performance.now();
  const quadErr = new Float64Array(K);
  for (const p of panels) for (let q = 0; q < K; q++) quadErr[q] += p.err[q];
  const error = new Float64Array(B);
  const screen = options.screenFlux ?? 0;
  let parts = { quadrature: 0, poles: 0, skipped: 0, screen };
  let jmax = 0;
  let bmax = 0;
  flux.forEach((x, b) => {
    if (Math.abs(x) > jmax) {
      jmax = Math.abs(x);
      bmax = b;
    }
  });
  for (let q = 0; q < K; q++) {
    const b = bathAt[q];
    if (b < 0) continue;
    const skipped = options.skippedFlux ? options.skippedFlux[b] : 0;
    error[b] = weight * (quadErr[q] + poleErr[q]) + skipped + screen;
    if (b === bmax) parts = { quadrature: weight * quadErr[q], poles: weight * poleErr[q], skipped, screen };
  }
  return {
    flux,
    error,
    evaluations,
    sweeps,
    poles,
    fallbacks,
    rejected,
    panels: panels.length,
    converged,
    residual,
    checks,
    seconds: { poles: (t1 - t0) / 1e3, quadrature: (t2 - t1) / 1e3 },
    parts,
  };
}

/**
 * The transmission result of a strip's bath fluxes (solveNetworkTransmission with springs: false): no spring fluxes,
 * no kinetic temperatures; energyBalanceResidual holds the global balance |sum_b J_b| (relative to the largest bath
 * flux) at the bath sites (the only sites with a computed flux) and 0 elsewhere; solveResidual the largest check of
 * the recursion's end block against Q(z) G = I at a few sampled frequencies (StripFluxes.residual).
 */
export function stripFluxState(
  model: NetworkModel,
  gammaSite: Float64Array,
  sliced: SlicedPencil,
  group: Uint8Array,
  modes: StripModes & {
    /** Real factorisations of V - lambda M that located the modes (inertia counts and inverse iteration). */
    counts?: number;
    screen?: { cutoff: number; skippedModes: number; flux: number };
    unresolved: number;
    /** Per mode, the share of its width that rounding can move its peak by (transmission.ts ModeData). */
    roundingShare?: Float64Array;
  },
  skipped: { mode: Uint8Array; flux: Float64Array },
  o: {
    tolerance: number;
    maxEvaluations?: number;
    rounding?: number;
    warnings: string[];
    notes: string[];
    control?: SolveControl;
  },
) {
  const monitor = o.control
    ? new QuadratureMonitor({ ...o.control, stopWhenStalled: false }, o.maxEvaluations ?? 200000)
    : undefined;
  const n = model.sites.length;
  const r = stripBathFluxes(model, sliced, gammaSite, group, modes, {
    tolerance: o.tolerance,
    cutoff: modes.screen && modes.screen.cutoff > 0 ? modes.screen.cutoff : undefined,
    skip: skipped.mode,
    skippedFlux: skipped.flux,
    screenFlux: modes.screen?.flux,
    maxEvaluations: o.maxEvaluations,
    rounding: o.rounding,
    monitor,
  });
  const warnings = [...o.warnings];
  const notes = [...o.notes];
  notes.push(
    `bath fluxes only (springs: false): G between the end levels by the recursive Green's function, ${r.poles} resonances from their complex poles (${r.sweeps} complex sweeps, ${r.fallbacks} residues by the 4-point average; ${r.rejected} not accepted, integrated on the real axis), the remainder by quadrature (${r.evaluations} evaluations, ${r.panels} panels); the recursion checked against Q(z) G = I at ${r.checks} frequencies (largest residual ${r.residual.toExponential(2)})`,
  );
  if (modes.screen && modes.screen.cutoff > 0) {
    notes.push(
      `frequencies above ${modes.screen.cutoff.toPrecision(4)} left out: their ${modes.screen.skippedModes} normal modes are localised away from a bath (estimated current ${modes.screen.flux.toExponential(2)}, added to the flux errors)`,
    );
  }
  let jmax = 0;
  let sum = 0;
  r.flux.forEach((x) => {
    jmax = Math.max(jmax, Math.abs(x));
    sum += x;
  });
  const jScale = Math.max(jmax, 1e-300);
  let quadratureError = 0;
  r.error.forEach((e) => (quadratureError = Math.max(quadratureError, e / jScale)));
  if (monitor?.stopped === "time") {
    warnings.push(
      `the frequency quadrature of the remainder stopped at its time limit of ${o.control!.maxSeconds} s before reaching the tolerance ${o.tolerance}: quadratureError ${quadratureError.toExponential(2)}`,
    );
  } else if (!r.converged) {
    warnings.push(
      `the frequency quadrature of the remainder stopped short of the tolerance ${o.tolerance}: quadratureError ${quadratureError.toExponential(2)}`,
    );
  }
  // As on the chain and network paths: the mode whose peak rounding moves by the largest share of its width.
  const rounding = roundingWarning(modes.omega, modes.roundingShare, quadratureError);
  if (rounding) warnings.push(rounding);
  if (r.residual > 1e-8)
    warnings.push(
      `the largest residual of the recursive Green's function against the defining equations is ${r.residual.toExponential(2)}: results may be inaccurate`,
    );
  if (quadratureError > Math.max(100 * o.tolerance, 1e-6)) {
    warnings.push(
      `the estimated error ${quadratureError.toExponential(2)} exceeds the tolerance: see the per-bath errors`,
    );
  }
  const energyBalanceResidual = new Float64Array(n);
  for (const b of model.baths) energyBalanceResidual[b.site] = Math.abs(sum) / jScale;
  let entropyProduction = 0;
  model.baths.forEach((b, k) => (entropyProduction -= r.flux[k] / b.temperature));
  let narrowest = Infinity;
  for (let k = 0; k < modes.omega.length; k++)
    if (modes.omega[k] > 0) narrowest = Math.min(narrowest, (2 * modes.halfWidth[k]) / modes.omega[k]);
  return {
    method: "transmission" as const,
    dynamics: model.dynamics,
    sites: model.sites,
    springs: [] as never[],
    baths: model.baths.map((b, k) => ({
      site: model.sites[b.site],
      index: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: r.flux[k],
      error: r.error[k],
    })),
    entropyProduction,
    energyBalanceResidual,
    quadratureError,
    solveResidual: r.residual,
    evaluations: r.evaluations + r.sweeps,
    panels: r.panels,
    modes: {
      count: modes.omega.length,
      located: true,
      narrowest: Number.isFinite(narrowest) ? narrowest : 0,
      unresolved: modes.unresolved,
      poles: r.poles,
      factorisations: modes.counts,
    },
    warnings,
    notes,
    screen: modes.screen,
  };
}
