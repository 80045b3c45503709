/**
 * Estimators for oscillator networks, with the exact engine's definitions (src/exact/network.ts; src/verify attaches
 * the exact values):
 *   means <q_i>, covariance of y = (q, p) (underdamped) or q (overdamped), kinetic temperature <p_i^2> / m_i;
 *   underdamped (state functions): spring flux i -> j = <U'_ij(r) p_j / m_j> (r = q_i - q_j; = k_ij <q_i p_j> / m_j
 *   for a harmonic spring, the power the spring delivers to j), bath flux into i = (gamma_i / m_i)(T_i - <p_i^2> / m_i);
 *   overdamped, Stratonovich increments with the trapezoid (midpoint) rule over each step:
 *   spring flux i -> j = <U'_ij(r) o q_j'>, bath flux into i = <dU/dq_i o q_i'>;
 *   or overdamped, "state" form (their Ito equivalents, unbiased under exact stepping):
 *   spring flux = <U'(r) F_j - T_j U''(r)> / gamma_j, bath flux = <T_i d^2U/dq_i^2 - F_i^2> / gamma_i;
 *   entropy production rate = -sum_i (bath flux into i) / T_i.
 */
import { ModelError } from "../errors.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import type { LangevinState } from "./integrators.js";
import type { FluxEstimator } from "./linear.js";
import { NetworkForceField } from "./networkForces.js";
import { linear, type EstimandSpec } from "./statistics.js";

export interface Probe {
  /** Number of scalars written per sample. */
  readonly size: number;
  /** True when the probe reads xPrev/fPrev (Stratonovich increments). */
  readonly needsPrevious: boolean;
  /** Writes `size` scalars for the state after the last step. */
  sample(st: LangevinState, out: Float64Array): void;
}

export class NetworkProbe implements Probe {
  readonly size: number;
  readonly needsPrevious: boolean;
  readonly N: number;
  readonly offProducts: number;
  readonly offSpring: number;
  readonly offBath: number;
  private readonly n: number;
  private readonly invMass: Float64Array;
  private readonly bathSite: Int32Array;
  private readonly bathFriction: Float64Array;
  private readonly bathTemperature: Float64Array;
  private readonly curv: Float64Array;
  private readonly yScratch: Float64Array;
  private readonly siteBath: Int32Array;

  constructor(
    private readonly model: NetworkModel,
    private readonly field: NetworkForceField,
    private readonly dt: number,
    readonly covariance: boolean,
    readonly fluxEstimator: FluxEstimator,
  ) {
    checkNetworkModel(model, "NetworkProbe");
    if (!(field instanceof NetworkForceField) || field.dof !== model.sites.length)
      throw new ModelError("NetworkProbe: field must be the model's NetworkForceField");
    if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt))
      throw new ModelError(`NetworkProbe: dt must be a positive finite number, got ${String(dt)}`);
    const n = model.sites.length;
    this.n = n;
    const N = model.dynamics === "underdamped" ? 2 * n : n;
    this.N = N;
    this.offProducts = N;
    this.offSpring = N + (covariance ? (N * (N + 1)) / 2 : 0);
    this.offBath = this.offSpring + model.springs.length;
    this.size = this.offBath + model.baths.length;
    this.needsPrevious = model.dynamics === "overdamped" && fluxEstimator === "stratonovich";
    this.invMass = model.mass.map((m) => 1 / m);
    this.bathSite = Int32Array.from(model.baths, (b) => b.site);
    this.bathFriction = Float64Array.from(model.baths, (b) => b.friction);
    this.bathTemperature = Float64Array.from(model.baths, (b) => b.temperature);
    this.curv = new Float64Array(n);
    this.yScratch = new Float64Array(N);
    this.siteBath = new Int32Array(n).fill(-1);
    this.bathSite.forEach((s, b) => (this.siteBath[s] = b));
  }

  sample(st: LangevinState, out: Float64Array): void {
    const n = this.n,
      N = this.N;
    const x = st.x,
      p = st.p;
    const y = this.yScratch;
    for (let i = 0; i < n; i++) y[i] = x[i];
    if (p) for (let i = 0; i < n; i++) y[n + i] = p[i];
    for (let a = 0; a < N; a++) out[a] = y[a];
    if (this.covariance) {
      let k = this.offProducts;
      for (let a = 0; a < N; a++) {
        const ya = y[a];
        for (let b = a; b < N; b++) out[k++] = ya * y[b];
      }
    }
    const fld = this.field;
    const I = fld.springI,
      J = fld.springJ,
      ks = fld.stiffness,
      cs = fld.quartic;
    const S = I.length;
    const os = this.offSpring,
      ob = this.offBath;
    const nb = this.bathSite.length;
    if (p) {
      const im = this.invMass;
      for (let s = 0; s < S; s++) {
        const r = x[I[s]] - x[J[s]];
        out[os + s] = (ks[s] + cs[s] * r * r) * r * p[J[s]] * im[J[s]];
      }
      for (let b = 0; b < nb; b++) {
        const i = this.bathSite[b];
        out[ob + b] = this.bathFriction[b] * im[i] * (this.bathTemperature[b] - p[i] * p[i] * im[i]);
      }
      return;
    }
    const f = st.f;
    if (this.fluxEstimator === "stratonovich") {
      const x0 = st.xPrev,
        f0 = st.fPrev;
      const invDt = 1 / this.dt;
      for (let s = 0; s < S; s++) {
        const i = I[s],
          j = J[s];
        const r0 = x0[i] - x0[j],
          r1 = x[i] - x[j];
        const g = 0.5 * ((ks[s] + cs[s] * r0 * r0) * r0 + (ks[s] + cs[s] * r1 * r1) * r1);
        out[os + s] = g * (x[j] - x0[j]) * invDt;
      }
      for (let b = 0; b < nb; b++) {
        const i = this.bathSite[b];
        out[ob + b] = -0.5 * (f0[i] + f[i]) * (x[i] - x0[i]) * invDt;
      }
      return;
    }
    // State (Ito) form.
    fld.siteCurvatures(x, this.curv);
    const T = this.bathTemperature,
      g = this.bathFriction;
    for (let s = 0; s < S; s++) {
      const i = I[s],
        j = J[s];
      const r = x[i] - x[j];
      const r2 = r * r;
      // the bath on j: index of j in baths = j (overdamped: every site has a bath, baths may be listed in any order)
      const bj = this.bathOfSite(j);
      out[os + s] = ((ks[s] + cs[s] * r2) * r * f[j] - T[bj] * (ks[s] + 3 * cs[s] * r2)) / g[bj];
    }
    for (let b = 0; b < nb; b++) {
      const i = this.bathSite[b];
      out[ob + b] = (T[b] * this.curv[i] - f[i] * f[i]) / g[b];
    }
  }

  private bathOfSite(site: number): number {
    return this.siteBath[site];
  }

  /** Names of the state coordinates (as the exact engine's covariance order). */
  coordinateNames(): string[] {
    const q = this.model.sites.map((s) => `q:${s}`);
    return this.N > this.n ? [...q, ...this.model.sites.map((s) => `p:${s}`)] : q;
  }

  /**
   * The estimands, in this order (src/verify relies on it): means and covariances of the coordinates, kinetic
   * temperatures (underdamped, with the covariance), spring fluxes and bath fluxes in the model's order, entropy
   * production, energy balance.
   */
  estimands(): EstimandSpec[] {
    const m = this.model;
    const n = this.n,
      N = this.N;
    const names = this.coordinateNames();
    const specs: EstimandSpec[] = [];
    for (let i = 0; i < n; i++) specs.push({ group: "mean", name: names[i], estimand: linear([[i, 1]]) });
    const prodIndex = (a: number, b: number) => {
      if (a > b) [a, b] = [b, a];
      return this.offProducts + a * N - (a * (a - 1)) / 2 + (b - a);
    };
    if (this.covariance) {
      for (let a = 0; a < N; a++)
        for (let b = a; b < N; b++) {
          specs.push({
            group: "covariance",
            name: `${names[a]} ${names[b]}`,
            estimand: { kind: "covariance", a, b, ab: prodIndex(a, b) },
          });
        }
      if (N > n) {
        for (let i = 0; i < n; i++) {
          specs.push({
            group: "kinetic temperature",
            name: m.sites[i],
            estimand: linear([[prodIndex(n + i, n + i), 1 / m.mass[i]]]),
          });
        }
      }
    }
    m.springs.forEach((s, k) =>
      specs.push({
        group: "spring flux",
        name: `${m.sites[s.i]} -> ${m.sites[s.j]}`,
        estimand: linear([[this.offSpring + k, 1]]),
      }),
    );
    m.baths.forEach((b, k) =>
      specs.push({
        group: "bath flux",
        name: `into ${m.sites[b.site]}`,
        estimand: linear([[this.offBath + k, 1]]),
      }),
    );
    specs.push({
      group: "entropy production",
      name: "rate",
      estimand: linear(m.baths.map((b, k) => [this.offBath + k, -1 / b.temperature] as [number, number])),
    });
    // Zero in a steady state (d<H>/dt = 0): a check of stationarity and of the time step.
    specs.push({
      group: "energy balance",
      name: "sum of bath fluxes",
      estimand: linear(m.baths.map((_, k) => [this.offBath + k, 1] as [number, number])),
    });
    return specs;
  }
}
