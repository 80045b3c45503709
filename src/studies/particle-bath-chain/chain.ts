/**
 * The effective chain (Section 4 of [Krekels et al. 2026] and Appendix B): N sites of mass m, springs k between neighbours,
 * site 1 with pinning k_eff(T_L) and friction gamma_L(T_L) at T_L (the particle bath, eliminated), site N with
 * pinning K and friction gamma_R at T_R. Its heat current, three independent ways:
 *  1. exactCurrent: the exact engine (Lyapunov equation) on the chain as a network; J = gamma_L (T_L - m <v1^2>) / m;
 *  2. frequencyIntegralCurrent: J = 2 gamma_L gamma_R (T_L - T_R) * integral over the whole real line of
 *     (d omega / 2 pi) omega^2 |G_1N(omega)|^2, G = [-m omega^2 + Phi - i omega Gamma]^-1 (the integrand is even; the
 *     integral is done as twice the half line, with panels split at the chain's normal-mode frequencies);
 *  3. longChainCurrent: the N -> infinity closed form
 *     J = 2 gamma_L gamma_R k^2 (T_L - T_R) / (m (D0 - D1 + sqrt(D0 (D0 - 2 D1)))),
 *     D0 = gamma_L K^2 + gamma_R k_eff^2,  D1 = 2k [gamma_L (K - k) + gamma_R (k_eff - k)] - (2k/m) gamma_L gamma_R (gamma_L + gamma_R).
 *     The paper prints 4 gamma_L gamma_R k^2 in the numerator: twice too large (docs/corrections.md). The factor of
 *     the last term of D1 is hard to read in the paper's text; 2k/m follows from the paper's own integral over q
 *     (denominator gamma_L Z_R + gamma_R Z_L + omega^2 gamma_L gamma_R (gamma_L + gamma_R), m omega^2 = 2k (1 - cos q))
 *     and agrees with long finite chains to 1e-12.
 * With `memory: true` the frequency integral uses the bath's full linear-response kernel chi(omega) instead of its
 * Markov limit (finite zeta, no time-scale separation): site 1 has G^-1_11 = k + K - m omega^2 - chi(omega) and the
 * friction gamma_L is replaced by Im chi(omega) / omega.
 */
import { SteadyStateError } from "../../errors.js";
import { solveNetwork } from "../../exact/network.js";
import { validateNetwork, type NetworkModel } from "../../model/network.js";
import { bathSusceptibility, effectiveBath, memoryFriction, type EffectiveBath } from "./effectiveBath.js";
import type { ParticleBathChainParams } from "./params.js";
import { integratePanels, type QuadratureOptions } from "./quadrature.js";

/** Why the effective chain has no steady state (k_eff <= 0), in one line. */
export function instabilityMessage(bath: EffectiveBath, p: Pick<ParticleBathChainParams, "TL" | "K">): string {
  return (
    `the effective chain is unstable at T_L = ${fmt(p.TL)}: k_eff = K - softening = ${fmt(bath.kEff)} <= 0 ` +
    `(the particle bath softens site 1 by ${fmt(bath.softening)} > K = ${fmt(p.K)}); the weak-coupling theory ` +
    `needs T_L > ${fmt(bath.criticalTemperature)}`
  );
}

/** Throws a SteadyStateError when the effective chain has no steady state (k_eff <= 0). */
export function assertStable(bath: EffectiveBath, p: Pick<ParticleBathChainParams, "TL" | "K">): void {
  if (!(bath.kEff > 0)) throw new SteadyStateError(instabilityMessage(bath, p));
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** The effective chain as a validated network model (temperatures T_L, and T_R or `rightTemperature`). */
export function effectiveChainModel(
  p: ParticleBathChainParams,
  bath: EffectiveBath = effectiveBath(p),
  rightTemperature = p.TR,
): NetworkModel {
  assertStable(bath, p);
  const sites = Array.from({ length: p.N }, (_, i) => String(i + 1));
  return validateNetwork({
    kind: "network",
    name: `effective chain, N = ${p.N}, T_L = ${fmt(p.TL)}, T_R = ${fmt(p.TR)}`,
    sites,
    masses: p.m,
    pinning: { "1": bath.kEff, [String(p.N)]: p.K },
    springs: sites.slice(1).map((s, i) => ({ between: [sites[i], s], stiffness: p.k })),
    baths: [
      { site: "1", friction: bath.gammaL, temperature: p.TL },
      { site: String(p.N), friction: p.gammaR, temperature: rightTemperature },
    ],
  });
}

export interface ExactChainCurrent {
  /** Heat current from the particle bath into the chain, gamma_L (T_L - m <v1^2>) / m. */
  current: number;
  /** Flux through every spring (equal to `current` in the steady state). */
  springFlux: number[];
  /** Heat current into the Langevin bath (minus its bath flux). */
  rightOutflow: number;
  gammaL: number;
  kEff: number;
  /** Relative residual of the Lyapunov solve. */
  residual: number;
}

/**
 * Current through the effective chain from the exact engine. T_R = 0 is allowed: the covariance is linear in the
 * temperatures, so the solve uses T_R = 1 and drops the right bath's share of every flux.
 */
export function exactCurrent(p: ParticleBathChainParams, bath: EffectiveBath = effectiveBath(p)): ExactChainCurrent {
  const TRmodel = p.TR > 0 ? p.TR : 1;
  const model = effectiveChainModel(p, bath, TRmodel);
  const ss = solveNetwork(model, { bySource: p.TR === 0 });
  const pick = (flux: number, bySource?: number[]) => (p.TR > 0 ? flux : bySource![0]);
  return {
    current: pick(ss.baths[0].flux, ss.baths[0].fluxBySource),
    springFlux: ss.springs.map((s) => pick(s.flux, s.fluxBySource)),
    rightOutflow: -pick(ss.baths[1].flux, ss.baths[1].fluxBySource),
    gammaL: bath.gammaL,
    kEff: bath.kEff,
    residual: ss.residual,
  };
}

/** Eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal d and off-diagonal e (Sturm bisection). */
export function tridiagonalEigenvalues(d: ArrayLike<number>, e: ArrayLike<number>): Float64Array {
  const n = d.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
  }
  const e2 = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => e[i] * e[i]);
  // Number of eigenvalues < x.
  const below = (x: number): number => {
    let count = 0;
    let q = d[0] - x;
    if (q < 0) count++;
    for (let i = 1; i < n; i++) {
      q = d[i] - x - e2[i - 1] / (q === 0 ? 1e-300 : q);
      if (q < 0) count++;
    }
    return count;
  };
  const out = new Float64Array(n);
  const span = hi - lo;
  for (let j = 0; j < n; j++) {
    let a = lo - 1e-12 * span;
    let b = hi + 1e-12 * span;
    for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(Math.abs(a), Math.abs(b), span * 1e-3); it++) {
      const m = 0.5 * (a + b);
      if (below(m) > j) b = m;
      else a = m;
    }
    out[j] = 0.5 * (a + b);
  }
  return out;
}

/** Normal-mode frequencies sqrt(lambda / m) of the undamped effective chain (lambda >= 0 eigenvalues of Phi). */
export function chainModeFrequencies(p: ParticleBathChainParams, kEff: number): Float64Array {
  const d = new Float64Array(p.N).fill(2 * p.k);
  d[0] = p.k + kEff;
  d[p.N - 1] = p.k + p.K;
  const e = new Float64Array(p.N - 1).fill(-p.k);
  return tridiagonalEigenvalues(d, e).map((l) => Math.sqrt(Math.max(0, l) / p.m));
}

/**
 * A function omega -> |G_1N(omega)|^2 for the effective chain (Markov bath, or the memory kernel). Evaluated by the
 * ratio form of the determinant recursion theta_l = a_l theta_(l-1) - k^2 theta_(l-2), |G_1N| = k^(N-1) / |theta_N|,
 * with no overflow for any N.
 */
export function greenEndToEnd(
  p: ParticleBathChainParams,
  bath: EffectiveBath,
  memory = false,
): (omega: number) => number {
  const { N, m, k, K, gammaR } = p;
  const k2 = k * k;
  return (omega: number): number => {
    const w2 = m * omega * omega;
    let a1re: number;
    let a1im: number;
    if (memory) {
      const [cre, cim] = bathSusceptibility(bath, p, omega);
      a1re = k + K - w2 - cre;
      a1im = -cim;
    } else {
      a1re = k + bath.kEff - w2;
      a1im = -omega * bath.gammaL;
    }
    // |G_1N|^2 = prod_{l<N} (k / |r_l|)^2 / |r_N|^2 with r_1 = a_1, r_l = a_l - k^2 / r_(l-1).
    let rre = a1re;
    let rim = a1im;
    let g = 1;
    let scale = 0; // g is stored as g * 2^scale
    const bulk = 2 * k - w2;
    for (let l = 2; l <= N; l++) {
      const mod2 = rre * rre + rim * rim;
      g *= k2 / mod2;
      // k^2 / r = k^2 conj(r) / |r|^2
      const qre = (k2 * rre) / mod2;
      const qim = (-k2 * rim) / mod2;
      if (l < N) {
        rre = bulk - qre;
        rim = -qim;
      } else {
        rre = k + K - w2 - qre;
        rim = -omega * gammaR - qim;
      }
      if (g < 1e-200 || g > 1e200) {
        const e = Math.round(Math.log2(g));
        g *= Math.pow(2, -e);
        scale += e;
      }
    }
    g /= rre * rre + rim * rim;
    return scale === 0 ? g : g * Math.pow(2, scale);
  };
}

export interface FrequencyIntegralCurrent {
  current: number;
  /** Error estimate of the quadrature (on the current). */
  error: number;
  evaluations: number;
}

/**
 * Current as a frequency integral (Landauer form) over the whole real line:
 * J = 2 gamma_R (T_L - T_R) int (d omega / 2 pi) omega^2 gamma_L(omega) |G_1N(omega)|^2, gamma_L(omega) = gamma_L
 * for the Markov bath (memory = false) or Im chi(omega) / omega with the bath's memory kernel.
 */
export function frequencyIntegralCurrent(
  p: ParticleBathChainParams,
  options: QuadratureOptions & { memory?: boolean; bath?: EffectiveBath } = {},
): FrequencyIntegralCurrent {
  const bath = options.bath ?? effectiveBath(p);
  assertStable(bath, p);
  const memory = options.memory ?? false;
  const g2 = greenEndToEnd(p, bath, memory);
  const friction = memory ? (w: number) => memoryFriction(bath, p, w) : () => bath.gammaL;
  const integrand = (w: number) => w * w * friction(w) * g2(w);
  // Panels split at the normal-mode frequencies (the peaks), then a tail omega = top / u, u in (0, 1].
  const modes = chainModeFrequencies(p, bath.kEff);
  const top = 1.5 * Math.max(modes[modes.length - 1], 2 * Math.sqrt(p.k / p.m)) + 1e-300;
  const nodes = [0, ...Array.from(modes).filter((w) => w > 0 && w < top), top];
  // A peak narrower than ~1% of its panel would fall between the Gauss-Kronrod nodes nearest the panel's ends and be
  // missed (both rules would agree on the tails): grade every panel geometrically towards both ends, down to 1e-9 of
  // its width, so a peak of any width near a mode frequency is seen.
  const breaks: number[] = [0];
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i];
    const b = nodes[i + 1];
    const h = b - a;
    if (!(h > 0)) continue;
    const inner: number[] = [];
    for (let r = 1 / 8; r > 1e-9; r /= 8) inner.push(a + h * r, b - h * r);
    inner.push(a + h / 2);
    inner.sort((x, y) => x - y);
    for (const x of inner) if (x > breaks[breaks.length - 1] && x < b) breaks.push(x);
    breaks.push(b);
  }
  const opts = { relTol: options.relTol ?? 1e-13, absTol: options.absTol, maxPieces: options.maxPieces };
  const body = integratePanels(integrand, breaks, opts);
  const tail = integratePanels((u) => (u === 0 ? 0 : (integrand(top / u) * top) / (u * u)), [0, 0.25, 0.5, 1], opts);
  if (!body.converged || !tail.converged) {
    throw new SteadyStateError("the frequency integral of the chain's transmission did not converge (peaks too sharp)");
  }
  // Whole real line = 2 x half line (the integrand is even); times 2 gamma_R (T_L - T_R) / (2 pi).
  const pre = ((2 * p.gammaR * (p.TL - p.TR)) / (2 * Math.PI)) * 2;
  return {
    current: pre * (body.value + tail.value),
    error: Math.abs(pre) * (body.error + tail.error),
    evaluations: body.evaluations + tail.evaluations,
  };
}

/** The long-chain (N -> infinity) closed form, with the factor 2 of docs/corrections.md (the paper prints 4). */
export function longChainCurrent(
  p: Omit<ParticleBathChainParams, "N">,
  bath: EffectiveBath = effectiveBath(p),
): number {
  assertStable(bath, p);
  const { k, K, m, gammaR } = p;
  const gL = bath.gammaL;
  const kE = bath.kEff;
  const D0 = gL * K * K + gammaR * kE * kE;
  const D1 = 2 * k * (gL * (K - k) + gammaR * (kE - k)) - ((2 * k) / m) * gL * gammaR * (gL + gammaR);
  return (2 * gL * gammaR * k * k * (p.TL - p.TR)) / (m * (D0 - D1 + Math.sqrt(D0 * (D0 - 2 * D1))));
}
