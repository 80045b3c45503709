/**
 * The mean steady state of a chain (eq. 5 generalised to M subsystems): the states x_1..x_M at which every link
 * carries the same mean current, A_{i-1,i}(x_{i-1}, x_i) = A_{i,i+1}(x_i, x_{i+1}), found by Newton's method with
 * a backtracking line search that keeps every state admissible, and pseudo-transient continuation (implicit time
 * steps of the mean dynamics C(x) dx/dt = F(x)) as the safeguard when a Newton step cannot be made to decrease |F|.
 */
import { ModelError, SteadyStateError } from "../../errors.js";
import type { ChainModel } from "./models.js";

/** A chain of M subsystems between a left bath (node 0) and a right bath (node M + 1). */
export interface Chain {
  model: ChainModel;
  /** Number of subsystems, M >= 1 (M = 1: a single subsystem between the two baths). */
  M: number;
  /** State of the left bath (node 0): a temperature, a density for the exclusion process, an energy for custom models. */
  left: number;
  /** State of the right bath (node M + 1). */
  right: number;
}

/** Largest chain the study accepts (the dense solves grow as M^3). */
export const MAX_SUBSYSTEMS = 400;

/** Validates M and the bath states; throws ModelError with a message naming the bad input. */
export function validateChain(chain: Chain): void {
  const { M, model } = chain;
  if (!Number.isInteger(M) || M < 1) {
    throw new ModelError(`M (the number of subsystems) must be an integer >= 1, got ${M}`);
  }
  if (M > MAX_SUBSYSTEMS) throw new ModelError(`M must be at most ${MAX_SUBSYSTEMS}, got ${M}`);
  const name = model.variable === "density" ? "density" : model.variable === "energy" ? "energy" : "temperature";
  model.checkBath(chain.left, `the left bath ${name} (node 0)`);
  model.checkBath(chain.right, `the right bath ${name} (node ${M + 1})`);
}

export interface MeanSteadyState {
  /** x_1..x_M. */
  states: Float64Array;
  /** max_i |F_i| / (current scale): the relative imbalance of the currents at the solution. */
  residual: number;
  iterations: number;
  /** How the solve ended: plain Newton, or with pseudo-transient steps along the way. */
  method: "newton" | "newton+continuation";
}

/** Node state k = 0..M+1 (baths at both ends). */
function node(chain: Chain, x: Float64Array, k: number): number {
  return k === 0 ? chain.left : k === chain.M + 1 ? chain.right : x[k - 1];
}

/** F_i = A_{i-1,i} - A_{i,i+1} (i = 1..M) into f; returns the scale max_b (|A_b| + |dA/dx_i x_i| + |dA/dx_j x_j|). */
function imbalance(chain: Chain, x: Float64Array, f: Float64Array, jac?: Float64Array): number {
  const { model, M } = chain;
  const g = new Float64Array(2);
  let scale = 0;
  let prev = 0;
  for (let b = 0; b <= M; b++) {
    const xi = node(chain, x, b);
    const xj = node(chain, x, b + 1);
    const a = model.current(xi, xj, b);
    model.currentGradient(xi, xj, b, g);
    scale = Math.max(scale, Math.abs(a) + Math.abs(g[0] * xi) + Math.abs(g[1] * xj));
    if (b >= 1) f[b - 1] = prev - a; // F_b for subsystem b: A_{b-1,b} - A_{b,b+1}
    prev = a;
    if (jac) {
      // subsystem i = b (row b-1) loses A_b; subsystem i = b+1 (row b) gains it.
      if (b >= 1) {
        jac[(b - 1) * M + (b - 1)] -= g[0];
        if (b + 1 <= M) jac[(b - 1) * M + b] -= g[1];
      }
      if (b + 1 <= M) {
        jac[b * M + b] += g[1];
        if (b >= 1) jac[b * M + (b - 1)] += g[0];
      }
    }
  }
  return scale;
}

/** Solves the dense n x n system a y = r in place (r <- y) by LU with partial pivoting; false if singular. */
export function solveDense(n: number, a: Float64Array, r: Float64Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    const piv = a[p * n + k];
    if (!(Math.abs(piv) > 0) || !Number.isFinite(piv)) return false;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = r[k];
      r[k] = r[p];
      r[p] = t;
    }
    for (let i = k + 1; i < n; i++) {
      const m = a[i * n + k] / piv;
      if (m === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= m * a[k * n + j];
      r[i] -= m * r[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = r[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * r[j];
    r[i] = s / a[i * n + i];
  }
  return r.every(Number.isFinite);
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return s;
}

/**
 * Mean steady state of eq. 5 for M subsystems. Starts from the linear interpolation of the bath states (or
 * `initial`), takes Newton steps with backtracking (every trial state admissible, |F|^2 decreasing), and falls back to
 * a pseudo-transient step when the line search stalls.
 */
export function solveMeanSteadyState(
  chain: Chain,
  options: { tolerance?: number; maxIterations?: number; initial?: ArrayLike<number> } = {},
): MeanSteadyState {
  validateChain(chain);
  const { model, M } = chain;
  const tol = options.tolerance ?? 1e-13;
  const maxIt = options.maxIterations ?? 200;
  const x = new Float64Array(M);
  for (let i = 0; i < M; i++)
    x[i] = options.initial ? options.initial[i] : chain.left + ((chain.right - chain.left) * (i + 1)) / (M + 1);
  if (!x.every((v) => model.admissible(v))) {
    throw new ModelError("the initial guess of the steady state is not admissible for this model");
  }
  const f = new Float64Array(M);
  const fTrial = new Float64Array(M);
  const jac = new Float64Array(M * M);
  const step = new Float64Array(M);
  const trial = new Float64Array(M);
  let usedContinuation = false;
  let dtPseudo = 0; // pseudo-time step, set on first use
  for (let it = 0; it <= maxIt; it++) {
    jac.fill(0);
    const scale = imbalance(chain, x, f, jac);
    let fmax = 0;
    for (const v of f) fmax = Math.max(fmax, Math.abs(v));
    if (fmax <= tol * scale || scale === 0) {
      return {
        states: x,
        residual: scale === 0 ? 0 : fmax / scale,
        iterations: it,
        method: usedContinuation ? "newton+continuation" : "newton",
      };
    }
    if (it === maxIt) break;
    const phi = norm2(f);
    // Newton step: J dx = -F.
    const a = jac.slice();
    for (let i = 0; i < M; i++) step[i] = -f[i];
    let accepted = false;
    if (solveDense(M, a, step)) {
      let alpha = 1;
      for (let k = 0; k < 40; k++, alpha *= 0.5) {
        for (let i = 0; i < M; i++) trial[i] = x[i] + alpha * step[i];
        if (!trial.every((v) => model.admissible(v))) continue;
        imbalance(chain, trial, fTrial);
        const phiT = norm2(fTrial);
        if (Number.isFinite(phiT) && phiT <= (1 - 1e-4 * alpha) * phi) {
          x.set(trial);
          accepted = true;
          break;
        }
      }
    }
    if (accepted) continue;
    // Safeguard: implicit (backward Euler, linearised) step of C(x) dx/dt = F(x): (C/dt - J) dx = F.
    usedContinuation = true;
    if (dtPseudo === 0) {
      let cmax = 0;
      for (let i = 0; i < M; i++) cmax = Math.max(cmax, Math.abs(jac[i * M + i]) / model.capacity(x[i]));
      dtPseudo = cmax > 0 ? 0.1 / cmax : 1;
    }
    let moved = false;
    for (let k = 0; k < 60 && !moved; k++) {
      for (let i = 0; i < M * M; i++) a[i] = -jac[i];
      for (let i = 0; i < M; i++) {
        a[i * M + i] += model.capacity(x[i]) / dtPseudo;
        step[i] = f[i];
      }
      if (solveDense(M, a, step)) {
        for (let i = 0; i < M; i++) trial[i] = x[i] + step[i];
        if (trial.every((v) => model.admissible(v))) {
          x.set(trial);
          moved = true;
          dtPseudo *= 2;
          break;
        }
      }
      dtPseudo *= 0.25;
    }
    if (!moved) break;
  }
  throw new SteadyStateError(
    `no steady state found for ${model.label} with M = ${M} between ${chain.left} and ${chain.right}: ` +
      "Newton's method and its pseudo-transient safeguard did not converge (are the mean currents monotone?)",
  );
}
