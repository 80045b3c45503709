/**
 * Linear (Ornstein-Uhlenbeck) networks seen by the stochastic engine:
 * - the exact transition y(t + dt) = e^{-A dt} y(t) + L xi with L L^T = S - e^{-A dt} S e^{-A^T dt}, the covariance
 *   accumulated over one step, computed without S by Van Loan's block exponential (accurate for any dt);
 * - each integrator written as its one-step linear map y' = M y + N xi, whose stationary covariance S_dt solves the
 *   discrete Lyapunov equation S_dt = M S_dt M^T + N N^T (Smith's doubling);
 * - the expectation of every estimator under that discrete chain, i.e. the exact time-step bias of each scheme and
 *   estimator, which the tests and docs/stochastic.md use to choose and document dt.
 */
import { driftMatrix, diffusionMatrix, frictionVector, potentialMatrix, siteTemperatures } from "../problem/network.js";
import { expm } from "../linalg/expm.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { ModelError, SteadyStateError } from "../errors.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import * as portable from "../special/elementary.js";

/** The Langevin schemes (integrators.ts SchemeName; spelled out here so this module does not import integrators.ts). */
type SchemeName = "baoab" | "euler-maruyama" | "heun" | "exact";
export type FluxEstimator = "stratonovich" | "state";

function mul(a: Matrix, b: Matrix): Matrix {
  const n = a.rows,
    m = b.cols,
    k = a.cols;
  const out = matrix(n, m);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < k; l++) {
      const x = a.data[i * k + l];
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out.data[i * m + j] += x * b.data[l * m + j];
    }
  return out;
}
function tr(a: Matrix): Matrix {
  const out = matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}
function add(a: Matrix, b: Matrix, cb = 1): Matrix {
  return matrix(
    a.rows,
    a.cols,
    a.data.map((x, k) => x + cb * b.data[k]),
  );
}
function eye(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Exact one-step transition of dy = -A y dt + B dW over dt: E = e^{-A dt} and the step covariance
 * Q = integral_0^dt e^{-A s} D e^{-A^T s} ds (= S - E S E^T when a stationary S exists), by Van Loan's method:
 * exp([[A, D], [0, -A^T]] dt) = [[., G], [0, F]] with E = F^T and Q = F^T G.
 */
export function exactTransition(drift: Matrix, diffusion: Matrix, dt: number): { E: Matrix; Q: Matrix } {
  const N = drift.rows;
  const C = matrix(2 * N, 2 * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      C.data[i * 2 * N + j] = drift.data[i * N + j] * dt;
      C.data[i * 2 * N + N + j] = diffusion.data[i * N + j] * dt;
      C.data[(N + i) * 2 * N + N + j] = -drift.data[j * N + i] * dt;
    }
  const X = expm(C);
  const G = matrix(N, N),
    F = matrix(N, N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      G.data[i * N + j] = X.data[i * 2 * N + N + j];
      F.data[i * N + j] = X.data[(N + i) * 2 * N + N + j];
    }
  const E = tr(F);
  const Q = mul(E, G);
  // Symmetrise (rounding).
  for (let i = 0; i < N; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (Q.data[i * N + j] + Q.data[j * N + i]);
      Q.data[i * N + j] = Q.data[j * N + i] = s;
    }
  return { E, Q };
}

/**
 * Lower-triangular L with L L^T = S for a symmetric positive semidefinite S: Cholesky in which a pivot below
 * n * eps * max diagonal counts as zero (its column is dropped), so singular covariances (sites without a bath,
 * decoupled noise) factor cleanly.
 */
export function semidefiniteCholesky(S: Matrix): Matrix {
  const n = S.rows;
  const L = matrix(n, n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(S.data[i * n + i]));
  const tol = n * 1e-14 * maxDiag;
  for (let j = 0; j < n; j++) {
    let d = S.data[j * n + j];
    for (let k = 0; k < j; k++) d -= L.data[j * n + k] ** 2;
    if (d <= tol) continue;
    const ljj = Math.sqrt(d);
    L.data[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = S.data[i * n + j];
      for (let k = 0; k < j; k++) s -= L.data[i * n + k] * L.data[j * n + k];
      L.data[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** One step of a scheme on a linear network as y' = M y + noise with covariance Qd (state order q..., p...). */
export function schemeMap(model: NetworkModel, scheme: SchemeName, dt: number): { M: Matrix; Qd: Matrix } {
  checkNetworkModel(model, "schemeMap");
  if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt))
    throw new ModelError(`schemeMap: dt must be a positive finite number, got ${String(dt)}`);
  const n = model.sites.length;
  const V = potentialMatrix(model);
  const gamma = frictionVector(model);
  const T = siteTemperatures(model);
  if (scheme === "exact") {
    const { E, Q } = exactTransition(driftMatrix(model), diffusionMatrix(model, T), dt);
    return { M: E, Qd: Q };
  }
  if (model.dynamics === "underdamped") {
    if (scheme !== "baoab")
      throw new ModelError(`scheme ${String(scheme)} does not integrate underdamped dynamics (use baoab or exact)`);
    const N = 2 * n;
    const Bm = eye(N),
      Am = eye(N),
      Om = eye(N),
      Qo = matrix(N, N);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) Bm.data[(n + i) * N + j] = -0.5 * dt * V.data[i * n + j];
      Am.data[i * N + n + i] = (0.5 * dt) / model.mass[i];
      const c1 = portable.exp((-gamma[i] * dt) / model.mass[i]);
      Om.data[(n + i) * N + n + i] = c1;
      Qo.data[(n + i) * N + n + i] = (1 - c1 * c1) * model.mass[i] * T[i];
    }
    const BA = mul(Bm, Am);
    const M = mul(mul(BA, Om), mul(Am, Bm));
    return { M, Qd: mul(mul(BA, Qo), tr(BA)) };
  }
  if (scheme !== "heun" && scheme !== "euler-maruyama")
    throw new ModelError(
      `scheme ${String(scheme)} does not integrate overdamped dynamics (use heun, euler-maruyama or exact)`,
    );
  const A = matrix(n, n);
  const Dw = matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) A.data[i * n + j] = (V.data[i * n + j] / gamma[i]) * dt;
    Dw.data[i * n + i] = (2 * T[i] * dt) / gamma[i];
  }
  if (scheme === "euler-maruyama") return { M: add(eye(n), A, -1), Qd: Dw };
  // Heun: x~ = x - A x + w; x' = x - (A x + A x~) / 2 + w = (I - A + A^2/2) x + (I - A/2) w.
  const M = add(add(eye(n), A, -1), mul(A, A), 0.5);
  const W = add(eye(n), A, -0.5);
  return { M, Qd: mul(mul(W, Dw), tr(W)) };
}

/** Stationary covariance of y' = M y + noise(Qd), by Smith's doubling; throws if the map is not contracting. */
export function discreteStationaryCovariance(M: Matrix, Qd: Matrix): Matrix {
  let S = matrix(Qd.rows, Qd.cols, Qd.data.slice());
  let P = matrix(M.rows, M.cols, M.data.slice());
  for (let it = 0; it < 80; it++) {
    const next = add(S, mul(mul(P, S), tr(P)));
    P = mul(P, P);
    let pn = 0;
    for (const x of P.data) pn = Math.max(pn, Math.abs(x));
    S = next;
    if (!Number.isFinite(pn)) break;
    if (pn < 1e-18) return S;
  }
  throw new SteadyStateError(
    "the discrete scheme has no stationary state at this time step (unstable or not relaxing)",
  );
}

/** Expected values of the engine's estimators under a discrete linear chain (or the continuous process). */
export interface LinearExpectations {
  covariance: Matrix;
  springFlux: Float64Array;
  bathFlux: Float64Array;
  entropyProduction: number;
}

/**
 * What the engine's estimators converge to for a linear network simulated with `scheme` at time step dt: the
 * stationary covariance of the chain and the mean of each flux estimator over one step of it. The difference from
 * the exact engine is the time-step bias.
 */
export function schemeExpectations(
  model: NetworkModel,
  scheme: SchemeName,
  dt: number,
  fluxEstimator: FluxEstimator,
): LinearExpectations {
  const { M, Qd } = schemeMap(model, scheme, dt);
  const S = discreteStationaryCovariance(M, Qd);
  const n = model.sites.length;
  const N = S.rows;
  const T = siteTemperatures(model);
  const V = potentialMatrix(model);
  const gamma = frictionVector(model);
  const s = S.data;
  let springFlux: Float64Array, bathFlux: Float64Array;
  if (model.dynamics === "underdamped") {
    // spring: U'(r) p_j / m_j = k (q_i - q_j) p_j / m_j; bath: (gamma/m)(T - p^2/m).
    springFlux = Float64Array.from(
      model.springs,
      (sp) => (sp.stiffness * (s[sp.i * N + n + sp.j] - s[sp.j * N + n + sp.j])) / model.mass[sp.j],
    );
    bathFlux = Float64Array.from(model.baths, (b) => {
      const m = model.mass[b.site];
      return (b.friction / m) * (b.temperature - s[(n + b.site) * N + n + b.site] / m);
    });
  } else if (fluxEstimator === "state") {
    const SV = mul(S, V).data;
    const VSV = mul(V, mul(S, V)).data;
    springFlux = Float64Array.from(
      model.springs,
      (sp) => (sp.stiffness * (-SV[sp.i * n + sp.j] + SV[sp.j * n + sp.j] - T[sp.j])) / gamma[sp.j],
    );
    bathFlux = Float64Array.from(
      model.baths,
      (b) => (b.temperature * V.data[b.site * n + b.site] - VSV[b.site * n + b.site]) / b.friction,
    );
  } else {
    // Stratonovich (trapezoid) increments: K = S M^T - M S holds E[y0 y1^T] - E[y1 y0^T].
    const K = add(mul(S, tr(M)), mul(M, S), -1).data;
    const VK = mul(V, matrix(n, n, K)).data;
    springFlux = Float64Array.from(
      model.springs,
      (sp) => (0.5 * sp.stiffness * (K[sp.i * n + sp.j] - K[sp.j * n + sp.j])) / dt,
    );
    bathFlux = Float64Array.from(model.baths, (b) => (0.5 * VK[b.site * n + b.site]) / dt);
  }
  let entropyProduction = 0;
  model.baths.forEach((b, k) => (entropyProduction -= bathFlux[k] / b.temperature));
  return { covariance: S, springFlux, bathFlux, entropyProduction };
}
