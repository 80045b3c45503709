/**
 * A relaxation time for NONLINEAR models, from the model itself (not from the run's data): what the slowest-mode rule
 * of "reliable" (reliability.ts applyRelaxationRule) needs where no exact engine gives the slowest rate. Computed once
 * per run, before it.
 *
 *  - Networks with quartic pinning or springs: every potential term is convex with its minimum at q = 0 (harmonic
 *    and quartic coefficients are >= 0), so q = 0 is the one minimum of the potential and the drift's Jacobian there
 *    is that of the harmonic network without the quartic terms. Its slowest eigenvalue (problem/network.ts driftMatrix,
 *    the same matrix as the linear engine's) is the rate: exactly the linear engine's slowest rate when there are no
 *    quartic terms. The quartic terms stiffen the network away from 0; the rate is an estimate, not a bound.
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
import type { Model } from "../model/modelCheck.js";
import type { NetworkModel } from "../model/networkModel.js";
import type { ParticlesModel } from "../model/particlesModel.js";
import { driftMatrix } from "../problem/network.js";

/** The slowest relaxation rate of a model, and how it was found. */
export interface ModelRelaxation {
  /** The slowest relaxation rate (1/time units). */
  rate: number;
  /**
   * "linearised": the slowest eigenvalue of the drift's Jacobian at the potential's minimum (products of two modes
   * relax at twice the rate, as in a linear model); "diffusion": the gap of the one-dimensional Smoluchowski operator
   * (barrier crossing included; no such halving, every estimate is given the full time 1/rate).
   */
  source: "linearised" | "diffusion";
}

/** Largest network (state coordinates) whose linearised drift is diagonalised for its slowest rate (dense, ~10 ms). */
export const MAX_LINEARISED_COORDINATES = 200;

/** The slowest rate of a network's drift linearised at q = 0 (quartic terms dropped), or undefined. */
export function linearisedNetworkRate(model: NetworkModel): number | undefined {
  const n = model.sites.length;
  const N = model.dynamics === "underdamped" ? 2 * n : n;
  if (N > MAX_LINEARISED_COORDINATES) return undefined;
  const harmonic: NetworkModel = {
    ...model,
    quarticPinning: new Float64Array(n),
    springs: model.springs.map((s) => ({ ...s, quartic: 0 })),
  };
  // y' = -A y: the rates are the real parts of A's eigenvalues.
  const { re, im } = eigenvalues(driftMatrix(harmonic));
  let slowest = Infinity,
    scale = 0;
  for (let k = 0; k < re.length; k++) {
    slowest = Math.min(slowest, re[k]);
    scale = Math.max(scale, Math.hypot(re[k], im[k]));
  }
  // A mode that does not relax at the minimum (no pinning: the centre of mass diffuses; pure quartic pinning: no
  // curvature at 0): no linearised rate.
  return slowest > 1e-10 * scale ? slowest : undefined;
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
        terms.push((x) => A * Math.cos((2 * Math.PI * x) / L + phase));
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
    let v = (K * (x - u.centre) ** 2) / 2;
    for (const f of u.terms) v += f(x);
    U[i] = v;
  }
  const c = T / friction / (h * h);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) diag[i] += c * Math.exp(-(U[i - 1] - U[i]) / (2 * T));
    if (i + 1 < n) diag[i] += c * Math.exp(-(U[i + 1] - U[i]) / (2 * T));
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
    const rate = linearisedNetworkRate(model);
    return rate === undefined ? undefined : { rate, source: "linearised" };
  }
  const rate = particleRate(model);
  return rate === undefined
    ? undefined
    : { rate, source: model.dynamics === "overdamped" ? "diffusion" : "linearised" };
}
