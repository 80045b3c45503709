/**
 * Harmonic oscillators coupled to heat baths as a linear SDE: the one definition of the drift and the diffusion that
 * networks (network.ts), linear particle models (particles.ts) and studies with their own oscillators (the two
 * oscillators of the variance resonance) share. For n positions q with stiffness matrix V (the potential's Hessian,
 * U = q^T V q / 2), masses m, frictions gamma and bath temperatures T (kB = 1):
 *
 *   underdamped, y = (q, p), p = m q':  dq = M^-1 p dt,  dp = -V q dt - Gamma M^-1 p dt + sqrt(2 Gamma T) dW
 *     A = [[0, -M^-1], [V, Gamma M^-1]],  D = diag(0, 2 gamma_i T_i)
 *   overdamped, y = q:  Gamma dq = -V q dt + sqrt(2 Gamma T) dW  (gamma is the inverse mobility)
 *     A = Gamma^-1 V,  D = diag(2 T_i / gamma_i)
 *
 * gamma_i = 0 means no bath on coordinate i (underdamped only; its temperature is then ignored). The writers below
 * fill preallocated row-major arrays without allocating, so a sweep can rebuild a small problem at every point.
 */
import { matrix } from "../linalg/matrix.js";
import type { LinearSdeProblem } from "./linearSde.js";

/** Harmonic oscillators with baths: the data of harmonicProblem. */
export interface HarmonicSystem {
  dynamics: "underdamped" | "overdamped";
  /** Stiffness matrix V (n x n, row-major, symmetric). */
  stiffness: Float64Array;
  /** Mass per position (underdamped; ignored overdamped). */
  mass: Float64Array;
  /** Friction per position (gamma in -gamma q', or the inverse mobility overdamped); 0 = no bath (underdamped). */
  friction: Float64Array;
  /** Bath temperature per position (kB = 1). */
  temperature: Float64Array;
  /** Names of the positions; the state names are q:name (and p:name). Default 1, 2, ... */
  names?: string[];
  source?: string;
}

/** Size of the state: 2n underdamped, n overdamped. */
export function harmonicStateSize(dynamics: "underdamped" | "overdamped", n: number): number {
  return dynamics === "underdamped" ? 2 * n : n;
}

/** Writes the drift A of n oscillators (see the file header) into `out` (N x N row-major, overwritten). */
export function harmonicDriftInto(
  dynamics: "underdamped" | "overdamped",
  n: number,
  V: Float64Array,
  mass: Float64Array,
  friction: Float64Array,
  out: Float64Array,
): Float64Array {
  if (dynamics === "overdamped") {
    for (let i = 0; i < n; i++) {
      const g = friction[i];
      for (let j = 0; j < n; j++) out[i * n + j] = V[i * n + j] / g;
    }
    return out;
  }
  const N = 2 * n;
  out.fill(0, 0, N * N);
  for (let i = 0; i < n; i++) {
    out[i * N + (n + i)] = -1 / mass[i];
    for (let j = 0; j < n; j++) out[(n + i) * N + j] = V[i * n + j];
    out[(n + i) * N + (n + i)] = friction[i] / mass[i];
  }
  return out;
}

/** Writes the diffusion D = B B^T of n oscillators into `out` (N x N row-major, overwritten). */
export function harmonicDiffusionInto(
  dynamics: "underdamped" | "overdamped",
  n: number,
  friction: Float64Array,
  temperature: Float64Array,
  out: Float64Array,
): Float64Array {
  const N = harmonicStateSize(dynamics, n);
  out.fill(0, 0, N * N);
  if (dynamics === "overdamped") {
    for (let i = 0; i < n; i++) if (friction[i] > 0) out[i * n + i] = (2 * temperature[i]) / friction[i];
    return out;
  }
  for (let i = 0; i < n; i++) if (friction[i] > 0) out[(n + i) * N + (n + i)] = 2 * friction[i] * temperature[i];
  return out;
}

/** State names q:a, ..., then p:a, ... (underdamped). */
export function harmonicStateNames(dynamics: "underdamped" | "overdamped", names: readonly string[]): string[] {
  const q = names.map((s) => `q:${s}`);
  return dynamics === "underdamped" ? [...q, ...names.map((s) => `p:${s}`)] : q;
}

/**
 * Harmonic oscillators as a linear SDE problem. The arrays are not checked here beyond their lengths: callers build
 * them from validated models or parameters (networkProblem, particlesProblem, a study's validated parameters); the
 * exact engine checks the matrices it is given.
 */
export function harmonicProblem(h: HarmonicSystem): LinearSdeProblem {
  const n = h.friction.length;
  const N = harmonicStateSize(h.dynamics, n);
  const drift = matrix(N, N),
    diffusion = matrix(N, N);
  harmonicDriftInto(h.dynamics, n, h.stiffness, h.mass, h.friction, drift.data);
  harmonicDiffusionInto(h.dynamics, n, h.friction, h.temperature, diffusion.data);
  const names = h.names ?? Array.from({ length: n }, (_, k) => String(k + 1));
  return {
    kind: "linear-sde",
    drift,
    diffusion,
    stateNames: harmonicStateNames(h.dynamics, names),
    dynamics: h.dynamics,
    ...(h.dynamics === "underdamped" ? { masses: Float64Array.from(h.mass) } : {}),
    ...(h.source !== undefined ? { source: h.source } : {}),
  };
}
