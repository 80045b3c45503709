/**
 * A relaxation time for NONLINEAR models, from the model itself (not from the run's data): what the slowest-mode rule
 * of "reliable" (reliability.ts applyRelaxationRule) needs where no exact engine gives the slowest rate. Computed once
 * per run, before it.
 *
 *  - Networks with quartic pinning or springs: the rate is the slowest of the effective harmonic network (the
 *    self-consistent harmonic approximation): each quartic term c x^4 / 4 (x = q_i, or q_i - q_j for a spring) is
 *    replaced by its curvature averaged over the Gaussian steady state of the effective network itself at the bath
 *    temperatures, 3 c <x^2>, added to the harmonic stiffness, and <x^2> is the effective network's stationary
 *    covariance (the linear engine's Lyapunov equation), iterated to self-consistency. Its slowest eigenvalue
 *    (problem/network.ts driftMatrix, the same matrix as the linear engine's) is the rate: exactly the linear engine's
 *    slowest rate when there are no quartic terms (or every bath is at T = 0). It is the mean curvature the run
 *    samples, not the curvature at the minimum q = 0 (which the quartic terms stiffen away from); it leaves out the
 *    mixing of modes by the quartic terms, which relaxes the real network faster still (measured: docs/stochastic.md),
 *    so it is an estimate, not a bound.
 *  - Overdamped particles that do not interact (no pairs, no bonds) in open space, in external potentials (harmonic
 *    traps, cosine and sawtooth fields): each particle's coordinate along each axis is a one-dimensional diffusion in
 *    the potential U(x) of that axis at its species' temperature T and friction gamma. Its slowest rate is the gap of
 *    the Smoluchowski operator, computed on a grid (a birth-death chain with rates (D/h^2) exp(-(U_j - U_i)/(2T)),
 *    D = T/gamma, whose symmetrised matrix is tridiagonal: its second eigenvalue by Sturm bisection). Where U has
 *    several wells the gap is the barrier-crossing rate (Kramers' exp(-barrier/T) law, without its approximations);
 *    in one well it is the relaxation within the well (a harmonic trap: exactly stiffness/gamma, up to the grid).
 *  - Underdamped particles of the same kind whose axes feel only harmonic traps: the damped oscillator's rate.
 * Every other model (interacting or bonded particles, periodic boxes, underdamped particles in cosine or sawtooth
 * fields, networks larger than MAX_LINEARISED_COORDINATES) gets no model relaxation time and keeps the rules that rest
 * on the batch means alone (docs/stochastic.md, What "reliable" means).
 */
import { eigenvalues } from "../linalg/eigen.js";
import { solveLyapunov } from "../linalg/lyapunov.js";
import * as portable from "../special/elementary.js";
import type { Model } from "../model/modelCheck.js";
import type { NetworkModel } from "../model/networkModel.js";
import type { ParticlesModel } from "../model/particlesModel.js";
import { diffusionMatrix, driftMatrix, siteTemperatures } from "../problem/network.js";

/** The slowest relaxation rate of a model, and how it was found. */
export interface ModelRelaxation {
  /** The slowest relaxation rate (1/time units). */
  rate: number;
  /**
   * "effective harmonic": the slowest eigenvalue of a network's effective harmonic drift (quartic terms replaced by
   * their mean curvature, self-consistently; products of two modes relax at twice the rate, as in a linear model);
   * "linearised": the slowest eigenvalue of the drift's Jacobian at the potential's minimum (underdamped particles in
   * harmonic traps; the same halving); "diffusion": the gap of the one-dimensional Smoluchowski operator
   * (barrier crossing included; no such halving, every estimate is given the full time 1/rate).
   */
  source: "effective harmonic" | "linearised" | "diffusion";
}

/** Largest network (state coordinates) whose effective harmonic drift is diagonalised for its slowest rate (dense). */
export const MAX_LINEARISED_COORDINATES = 200;

/** Self-consistency of the effective harmonic network: largest relative change of a stiffness between iterations
 * (the rate is compared with batch lengths: a relative 1e-6 is plenty). */
const EFFECTIVE_TOLERANCE = 1e-6;
/** At most this many Lyapunov solves for the effective harmonic network. */
const MAX_EFFECTIVE_ITERATIONS = 200;

/** The slowest relaxation rate of a drift (smallest real part of its eigenvalues), or undefined for a mode that does
 * not relax (relative to the fastest). */
function slowestOf(drift: ReturnType<typeof driftMatrix>): number | undefined {
  // y' = -A y: the rates are the real parts of A's eigenvalues.
  const { re, im } = eigenvalues(drift);
  let slowest = Infinity,
    scale = 0;
  for (let k = 0; k < re.length; k++) {
    slowest = Math.min(slowest, re[k]);
    scale = Math.max(scale, Math.sqrt(re[k] * re[k] + im[k] * im[k]));
  }
  return slowest > 1e-10 * scale ? slowest : undefined;
}

/** The network with the given harmonic pinning and spring stiffnesses and no quartic terms. */
function harmonicWith(model: NetworkModel, pinning: Float64Array, stiffness: Float64Array): NetworkModel {
  return {
    ...model,
    pinning,
    quarticPinning: new Float64Array(model.sites.length),
    springs: model.springs.map((s, k) => ({ ...s, stiffness: stiffness[k], quartic: 0 })),
  };
}

/**
 * The effective harmonic network of a network with quartic terms (self-consistent harmonic approximation): pinning
 * kappa_i + 3 c_i <q_i^2> and spring stiffnesses k_ij + 3 c_ij <(q_i - q_j)^2>, the second moments those of the
 * effective network's own Gaussian steady state at the bath temperatures (A S + S A^T = D), iterated (half steps) to
 * self-consistency. Undefined when the harmonic part has a mode that does not relax (no curvature at q = 0, or the
 * centre of mass free) or the iteration does not settle. Exported for tests.
 */
export function effectiveHarmonicNetwork(model: NetworkModel): NetworkModel | undefined {
  const n = model.sites.length;
  const pinning = Float64Array.from(model.pinning);
  const stiffness = Float64Array.from(model.springs, (s) => s.stiffness);
  let effective = harmonicWith(model, pinning, stiffness);
  if (slowestOf(driftMatrix(effective)) === undefined) return undefined;
  const quartic = model.springs.some((s) => s.quartic > 0) || model.quarticPinning.some((c) => c > 0);
  if (!quartic) return effective;
  const temperature = siteTemperatures(model);
  const nextPinning = new Float64Array(n),
    nextStiffness = new Float64Array(stiffness.length);
  for (let it = 0; it < MAX_EFFECTIVE_ITERATIONS; it++) {
    const drift = driftMatrix(effective);
    const S = solveLyapunov(drift, diffusionMatrix(effective, temperature)).X;
    const N = S.rows,
      s = S.data; // q_i is coordinate i in both dynamics
    let change = 0;
    for (let i = 0; i < n; i++) {
      nextPinning[i] = model.pinning[i] + 3 * model.quarticPinning[i] * s[i * N + i];
      const scale = Math.max(nextPinning[i], pinning[i]); // 0 for a site pinned by neither term
      if (scale > 0) change = Math.max(change, Math.abs(nextPinning[i] - pinning[i]) / scale);
    }
    model.springs.forEach((sp, k) => {
      const x2 = s[sp.i * N + sp.i] + s[sp.j * N + sp.j] - 2 * s[sp.i * N + sp.j];
      nextStiffness[k] = sp.stiffness + 3 * sp.quartic * Math.max(0, x2);
      const scale = Math.max(nextStiffness[k], stiffness[k]);
      if (scale > 0) change = Math.max(change, Math.abs(nextStiffness[k] - stiffness[k]) / scale);
    });
    if (!Number.isFinite(change)) return undefined;
    if (change < EFFECTIVE_TOLERANCE) return harmonicWith(model, nextPinning, nextStiffness);
    // the map lowers the stiffnesses it is given when they rise (stiffer: smaller <x^2>): half steps settle it
    for (let i = 0; i < n; i++) pinning[i] = (pinning[i] + nextPinning[i]) / 2;
    for (let k = 0; k < stiffness.length; k++) stiffness[k] = (stiffness[k] + nextStiffness[k]) / 2;
    effective = harmonicWith(model, pinning, stiffness);
  }
  return undefined;
}

/**
 * The slowest rate of a network's effective harmonic network (effectiveHarmonicNetwork; quartic terms replaced by
 * their mean curvature), or undefined. Without quartic terms (or with every bath at T = 0): the harmonic network's
 * slowest rate, the linear engine's.
 */
export function effectiveNetworkRate(model: NetworkModel): number | undefined {
  const n = model.sites.length;
  const N = model.dynamics === "underdamped" ? 2 * n : n;
  if (N > MAX_LINEARISED_COORDINATES) return undefined;
  const effective = effectiveHarmonicNetwork(model);
  return effective === undefined ? undefined : slowestOf(driftMatrix(effective));
}

/** The slowest rate of a network's drift linearised at q = 0 (quartic terms dropped), or undefined. */
export function linearisedNetworkRate(model: NetworkModel): number | undefined {
  const n = model.sites.length;
  const N = model.dynamics === "underdamped" ? 2 * n : n;
  if (N > MAX_LINEARISED_COORDINATES) return undefined;
  // A mode that does not relax at the minimum (no pinning: the centre of mass diffuses; pure quartic pinning: no
  // curvature at 0): no linearised rate.
  return slowestOf(
    driftMatrix(
      harmonicWith(
        model,
        Float64Array.from(model.pinning),
        Float64Array.from(model.springs, (s) => s.stiffness),
      ),
    ),
  );
}

/** The one-dimensional potential of one axis for one species: harmonic traps, cosine and sawtooth fields. */
export interface AxisPotential {
  stiffness: number;
  centre: number;
  /** Non-harmonic terms: U(x) added. */
  terms: ((x: number) => number)[];
  /** Sum of the non-harmonic terms' amplitudes (a bound on |their sum|). */
  amplitude: number;
  /** Shortest period of the non-harmonic terms (Infinity: none). */
  period: number;
}

function axisPotential(model: ParticlesModel, species: number, axis: number): AxisPotential {
  let stiffness = 0,
    moment = 0,
    amplitude = 0,
    period = Infinity;
  const terms: ((x: number) => number)[] = [];
  for (const e of model.external) {
    if (!e.species.includes(species)) continue;
    if (e.potential === "harmonic") {
      stiffness += e.stiffness;
      moment += e.stiffness * e.center[axis];
    } else if (e.axis === axis) {
      amplitude += Math.abs(e.amplitude);
      period = Math.min(period, e.period);
      const { amplitude: A, period: L } = e;
      if (e.potential === "cosine") {
        const phase = e.phase;
        terms.push((x) => A * portable.cos((2 * Math.PI * x) / L + phase));
      } else {
        const a = e.asymmetry;
        terms.push((x) => {
          const s = (((x / L) % 1) + 1) % 1;
          return s < a ? (A * s) / a : (A * (1 - s)) / (1 - a);
        });
      }
    }
  }
  return { stiffness, centre: stiffness > 0 ? moment / stiffness : 0, terms, amplitude, period };
}

/** Grid points of the one-dimensional diffusion (at most). */
const MAX_GRID = 20001;

/**
 * The slowest relaxation rate of the overdamped diffusion gamma dx = -U'(x) dt + sqrt(2 gamma T) dW in a confining
 * potential U (stiffness > 0): the second eigenvalue (the first is 0) of the birth-death chain on a grid over the
 * range where exp(-U/T) is not negligible, with rates (D/h^2) exp(-(U_j - U_i)/(2T)) to each neighbour (detailed
 * balance with exp(-U/T); D = T/gamma). Symmetrised, the chain's matrix is tridiagonal with off-diagonal -D/h^2; the
 * eigenvalue is found by bisection on Sturm counts. Exported for tests.
 */
export function diffusionGap(u: AxisPotential, temperature: number, friction: number): number {
  const T = temperature,
    K = u.stiffness;
  // exp(-U/T) < exp(-40) beyond the half-width (the periodic terms bounded by their amplitudes).
  const half = Math.sqrt((2 * (40 * T + 2 * u.amplitude)) / K);
  const h = Math.max(Math.min(Math.sqrt(T / K) / 40, u.period / 400), (2 * half) / (MAX_GRID - 1));
  const n = Math.max(3, Math.ceil((2 * half) / h) + 1);
  const x0 = u.centre - ((n - 1) * h) / 2;
  const U = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = x0 + i * h;
    let v = (K * (x - u.centre) * (x - u.centre)) / 2;
    for (const f of u.terms) v += f(x);
    U[i] = v;
  }
  const c = T / friction / (h * h);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) diag[i] += c * portable.exp(-(U[i - 1] - U[i]) / (2 * T));
    if (i + 1 < n) diag[i] += c * portable.exp(-(U[i + 1] - U[i]) / (2 * T));
  }
  let hi = 0;
  for (let i = 0; i < n; i++) hi = Math.max(hi, diag[i] + 2 * c);
  const below = (x: number): number => {
    let count = 0,
      q = 1;
    for (let i = 0; i < n; i++) {
      q = diag[i] - x - (i > 0 ? (c * c) / q : 0);
      if (q === 0) q = -1e-300;
      if (q < 0) count++;
    }
    return count;
  };
  let lo = 0;
  for (let it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
    const mid = lo + (hi - lo) / 2;
    if (below(mid) >= 2) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/** The slowest rate of non-interacting particles in open space, per species and axis (the smallest), or undefined. */
function particleRate(model: ParticlesModel): number | undefined {
  if (model.box || model.pairs.length > 0 || (model.bonds ?? []).length > 0) return undefined;
  let slowest = Infinity;
  for (let s = 0; s < model.species.length; s++) {
    if (!model.speciesOf.includes(s)) continue;
    const sp = model.species[s];
    for (let axis = 0; axis < model.dimension; axis++) {
      const u = axisPotential(model, s, axis);
      if (!(u.stiffness > 0)) return undefined;
      let rate: number;
      if (model.dynamics === "overdamped") rate = diffusionGap(u, sp.temperature, sp.friction);
      else {
        if (u.terms.length > 0) return undefined;
        // m x'' = -K x - gamma x' + noise: rates gamma/(2m) -+ sqrt((gamma/(2m))^2 - K/m), the slower one.
        const g = sp.friction / (2 * sp.mass);
        const disc = g * g - u.stiffness / sp.mass;
        rate = disc > 0 ? g - Math.sqrt(disc) : g;
      }
      slowest = Math.min(slowest, rate);
    }
  }
  return slowest > 0 && slowest < Infinity ? slowest : undefined;
}

/**
 * The slowest relaxation rate of a nonlinear model from the model itself (see the file header), or undefined when
 * none is estimated for this kind of model.
 */
export function modelRelaxation(model: Model): ModelRelaxation | undefined {
  if (model.kind === "network") {
    const rate = effectiveNetworkRate(model);
    return rate === undefined ? undefined : { rate, source: "effective harmonic" };
  }
  const rate = particleRate(model);
  return rate === undefined
    ? undefined
    : { rate, source: model.dynamics === "overdamped" ? "diffusion" : "linearised" };
}
