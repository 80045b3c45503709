/**
 * Harmonic heat conduction by the frequency-domain engine (exact/transmission.ts): the length dependence of the
 * current through disordered mass chains with fixed and with free ends (Casher-Lebowitz, Rubin-Greer, Dhar), the
 * flat kinetic-temperature profile of the ordered chain (Rieder, Lebowitz, Lieb), the profile of a disordered chain,
 * a 2D strip between two baths, and transmission spectra. Units: k = <m> = kB = 1.
 */
import { solveNetworkTransmission, type TransmissionSteadyState } from "../../exact/transmission.js";
import { validateNetwork, type NetworkModel } from "../../model/network.js";
import { Rng } from "../../stochastic/rng.js";
import type { ConductionParams } from "./params.js";

export type Boundary = "fixed" | "free";

/**
 * A chain of N masses (uniform in [1 - d, 1 + d], drawn from `seed` and `sample`) joined by unit springs, Langevin
 * baths (friction gamma) on the two end sites. Fixed ends: the end sites are tied to walls by unit springs (pinning
 * 1, the Casher-Lebowitz chain); free ends: pinned by `freePin` only, which the engine needs for a confined chain and
 * which leaves the ends free at every frequency well above sqrt(freePin).
 */
export function chainModel(
  N: number,
  p: Pick<ConductionParams, "disorder" | "gamma" | "TL" | "TR" | "seed" | "freePin">,
  boundary: Boundary,
  sample = 0,
): NetworkModel {
  const rng = Rng.stream(p.seed, sample, N);
  const pin = boundary === "fixed" ? 1 : p.freePin;
  return validateNetwork({
    kind: "network",
    name: `${p.disorder > 0 ? "disordered" : "ordered"} chain, N = ${N}, ${boundary} ends`,
    sites: N,
    masses: Object.fromEntries(
      Array.from({ length: N }, (_, i) => [String(i + 1), 1 + p.disorder * (2 * rng.uniform() - 1)]),
    ),
    pinning: { "1": pin, [String(N)]: pin },
    springs: Array.from({ length: N - 1 }, (_, i) => ({
      between: [String(i + 1), String(i + 2)] as [string, string],
      stiffness: 1,
    })),
    baths: [
      { site: "1", friction: p.gamma, temperature: p.TL },
      { site: String(N), friction: p.gamma, temperature: p.TR },
    ],
  });
}

/** Chain lengths: powers of 2 from nMin to nMax (nMin rounded up to a power of 2). */
export function chainLengths(nMin: number, nMax: number): number[] {
  const out: number[] = [];
  for (let n = 2 ** Math.ceil(Math.log2(nMin)); n <= nMax; n *= 2) out.push(n);
  return out;
}

export interface PowerLaw {
  /** J = A N^-alpha. */
  A: number;
  alpha: number;
  /** Standard error of alpha from the scatter of the points about the line (least squares in log-log). */
  alphaError: number;
  /** Lengths used in the fit. */
  from: number;
  to: number;
}

/** Least-squares fit of log J = log A - alpha log N over the points with N >= from (at least three). */
export function powerLawFit(N: number[], J: number[], from = N[0]): PowerLaw {
  const used = N.filter((n, k) => n >= from && J[k] > 0);
  const pts = N.map((n, k) => [Math.log(n), Math.log(J[k])] as const).filter((_, k) => N[k] >= from && J[k] > 0);
  const m = pts.length;
  const mx = pts.reduce((s, [x]) => s + x, 0) / m;
  const my = pts.reduce((s, [, y]) => s + y, 0) / m;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const slope = sxy / sxx;
  let res = 0;
  for (const [x, y] of pts) res += (y - my - slope * (x - mx)) ** 2;
  const alphaError = m > 2 ? Math.sqrt(res / (m - 2) / sxx) : 0;
  return { A: Math.exp(my - slope * mx), alpha: -slope, alphaError, from: used[0], to: used[m - 1] };
}

export interface ScalingPoint {
  N: number;
  /** Mean current over the disorder realisations, from the left bath into the chain. */
  J: number;
  /** Standard error of the mean over realisations (the quadrature error when there is one realisation). */
  error: number;
  /** Largest quadrature error (relative) of the realisations. */
  quadratureError: number;
}

export interface ScalingResult {
  boundary: Boundary;
  points: ScalingPoint[];
  fit: PowerLaw;
  /** The known asymptotic exponent of J ~ N^-alpha for white-noise (Langevin) baths: 3/2 fixed, 1/2 free. */
  expected: number;
}

/** One disorder realisation of one length: the current from the left bath and the engine's errors (plain numbers). */
export interface ScalingSample {
  J: number;
  /** The run's quadrature error (relative). */
  quadratureError: number;
  /** The engine's error of J. */
  error: number;
}

/** The current through realisation `sample` of the N-site chain (one exact solve; a sweep point of the scaling). */
export function scalingSample(p: ConductionParams, boundary: Boundary, N: number, sample: number): ScalingSample {
  const ss = solveNetworkTransmission(chainModel(N, p, boundary, sample), {
    temperatures: false,
    tolerance: p.tolerance,
    bySource: false,
  });
  return { J: ss.baths[0].flux, quadratureError: ss.quadratureError, error: ss.baths[0].error };
}

/** The mean current of one length over its realisations (in their order), with its standard error. */
export function scalingPoint(N: number, samples: readonly ScalingSample[]): ScalingPoint {
  let qe = 0;
  let quadError = 0;
  for (const s of samples) {
    qe = Math.max(qe, s.quadratureError);
    quadError = Math.max(quadError, s.error);
  }
  const J = samples.map((s) => s.J);
  const mean = J.reduce((a, b) => a + b, 0) / J.length;
  const sd = J.length > 1 ? Math.sqrt(J.reduce((a, b) => a + (b - mean) ** 2, 0) / (J.length - 1)) : 0;
  return { N, J: mean, error: J.length > 1 ? sd / Math.sqrt(J.length) : quadError, quadratureError: qe };
}

/** One boundary's points (in order of N) and the power law fitted over the longest half of the lengths. */
export function scalingOf(boundary: Boundary, points: ScalingPoint[]): ScalingResult {
  // The asymptotic regime needs long chains: fit the longest half of the lengths (at least three).
  const Ns = points.map((q) => q.N);
  const from = Ns[Math.max(0, Math.min(Ns.length - 3, Math.floor(Ns.length / 2)))];
  return {
    boundary,
    points,
    fit: powerLawFit(
      Ns,
      points.map((q) => q.J),
      from,
    ),
    expected: boundary === "fixed" ? 1.5 : 0.5,
  };
}

/**
 * The current against N for one boundary condition, averaged over disorder realisations, and its power law (in this
 * thread, one solve after another; `ness reproduce` runs the same solves as sweep points on its worker threads).
 */
export function scalingStudy(
  p: ConductionParams,
  boundary: Boundary,
  log: (line: string) => void = () => {},
): ScalingResult {
  const points: ScalingPoint[] = [];
  for (const N of chainLengths(p.nMin, p.nMax)) {
    const t0 = performance.now();
    const samples: ScalingSample[] = [];
    for (let s = 0; s < p.samples; s++) samples.push(scalingSample(p, boundary, N, s));
    const point = scalingPoint(N, samples);
    points.push(point);
    const seconds = (performance.now() - t0) / 1000;
    log(
      `  ${boundary} ends, N = ${N}: J = ${point.J.toPrecision(5)} (${p.samples} realisation${p.samples > 1 ? "s" : ""}, ${seconds.toFixed(1)} s)`,
    );
  }
  return scalingOf(boundary, points);
}

export interface Profile {
  name: string;
  /** Site index (chain) or column (strip), from 1. */
  x: number[];
  temperature: number[];
  error: number[];
  /** Current from the left bath(s). */
  J: number;
  quadratureError: number;
}

/** Kinetic-temperature profile of a chain (any masses) with its errors. */
export function chainProfile(model: NetworkModel, name: string, tolerance: number): Profile {
  const ss = solveNetworkTransmission(model, { tolerance, bySource: false });
  return {
    name,
    x: ss.sites.map((_, i) => i + 1),
    temperature: Array.from(ss.kineticTemperature!),
    error: Array.from(ss.kineticTemperatureError!),
    J: ss.baths[0].flux,
    quadratureError: ss.quadratureError,
  };
}

/**
 * A W x L square-lattice strip (unit springs, masses 1 +- disorder, pinning `pin` on every site) with a bath on
 * every site of the first column (T_L) and of the last column (T_R).
 */
export function stripModel(
  W: number,
  L: number,
  p: Pick<ConductionParams, "disorder" | "gamma" | "TL" | "TR" | "seed">,
  pin = 0.01,
): NetworkModel {
  const rng = Rng.stream(p.seed, 0, 1_000_000 + W * 100_000 + L);
  const id = (x: number, y: number) => `${x + 1}:${y + 1}`;
  const sites: string[] = [];
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (let x = 0; x < L; x++) {
    for (let y = 0; y < W; y++) {
      sites.push(id(x, y));
      if (x > 0) springs.push({ between: [id(x - 1, y), id(x, y)], stiffness: 1 });
      if (y > 0) springs.push({ between: [id(x, y - 1), id(x, y)], stiffness: 1 });
    }
  }
  const baths: { site: string; friction: number; temperature: number }[] = [];
  for (let y = 0; y < W; y++) {
    baths.push({ site: id(0, y), friction: p.gamma, temperature: p.TL });
    baths.push({ site: id(L - 1, y), friction: p.gamma, temperature: p.TR });
  }
  return validateNetwork({
    kind: "network",
    name: `${W} x ${L} strip`,
    sites,
    masses: Object.fromEntries(sites.map((s) => [s, 1 + p.disorder * (2 * rng.uniform() - 1)])),
    pinning: pin,
    springs,
    baths,
  });
}

/** Column-averaged kinetic temperature of a strip (error: the largest site error in the column) and its current. */
export function stripProfile(
  W: number,
  L: number,
  p: ConductionParams,
  name: string,
): Profile & { ss: TransmissionSteadyState } {
  const model = stripModel(W, L, p);
  const ss = solveNetworkTransmission(model, { tolerance: p.tolerance, bySource: false });
  const T = new Array<number>(L).fill(0);
  const E = new Array<number>(L).fill(0);
  for (let x = 0; x < L; x++) {
    for (let y = 0; y < W; y++) {
      T[x] += ss.kineticTemperature![x * W + y] / W;
      E[x] = Math.max(E[x], ss.kineticTemperatureError![x * W + y]);
    }
  }
  let J = 0;
  ss.baths.forEach((b) => (J += b.temperature === p.TL ? b.flux : 0));
  return { name, x: T.map((_, k) => k + 1), temperature: T, error: E, J, quadratureError: ss.quadratureError, ss };
}
