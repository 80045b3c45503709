/**
 * Time-step safety: the fastest frequency (underdamped) or relaxation rate (overdamped) of a model, the limit it
 * sets on dt, and the errors for runs that cannot work (unstable dt, a blow-up to non-finite numbers).
 *
 * Limits: BAOAB is a velocity-Verlet splitting and is unstable for omega dt >= 2 (omega the fastest harmonic
 * frequency), whatever the friction (its friction step is exact); Euler-Maruyama and Heun are unstable for
 * lambda dt >= 2 (lambda the largest curvature / friction). Those are refused. Above omega dt = 0.2 (BAOAB:
 * kinetic temperatures biased by up to (omega dt)^2/4) or lambda dt = 0.03 (overdamped: the Stratonovich heat and
 * entropy-production estimators carry an O(lambda dt) bias, measured at about 0.4 lambda dt) the time-step bias
 * reaches the percent level, and a warning says so. See docs/stochastic.md for the measured biases.
 */
import { NessError } from "../errors.js";
import { potentialMatrix, frictionVector } from "../exact/network.js";
import { symmetricEigen } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";
import type { NetworkModel } from "../model/network.js";
import type { ParticlesModel } from "../model/particles.js";
import type { SchemeName } from "./integrators.js";

/** A run that cannot go on: unstable time step, blow-up to non-finite numbers. */
export class SimulationError extends NessError {
  override name = "SimulationError";
}

/** The run was cancelled (Ctrl-C, an AbortSignal). */
export class CancelledError extends NessError {
  override name = "CancelledError";
  constructor() {
    super("cancelled");
  }
}

export interface TimeScale {
  /** "frequency" (underdamped: omega) or "rate" (overdamped: curvature / friction). */
  kind: "frequency" | "rate";
  /** The fastest one. */
  value: number;
  /** What sets it, for messages. */
  source: string;
  /** True when it is exact (linear part); false for estimates of nonlinear terms. */
  exact: boolean;
}

const g = (x: number) => Number(x.toPrecision(3));

/** Fastest time scale of a network: exact for the harmonic part, plus a thermal estimate of the quartic terms. */
export function networkTimeScale(model: NetworkModel): TimeScale {
  const n = model.sites.length;
  const V = potentialMatrix(model);
  const Tmax = Math.max(...model.baths.map((b) => b.temperature));
  // Quartic curvature at a thermal amplitude (potential c q^4/4 ~ 5 T): 3 c q^2 = 3 sqrt(20 T c).
  let quarticExtra = false;
  for (let i = 0; i < n; i++) {
    const c = model.quarticPinning[i];
    if (c > 0) {
      V.data[i * n + i] += 3 * Math.sqrt(20 * Tmax * c);
      quarticExtra = true;
    }
  }
  for (const s of model.springs) {
    if (s.quartic > 0) {
      const h = 3 * Math.sqrt(20 * Tmax * s.quartic);
      V.data[s.i * n + s.i] += h;
      V.data[s.j * n + s.j] += h;
      V.data[s.i * n + s.j] -= h;
      V.data[s.j * n + s.i] -= h;
      quarticExtra = true;
    }
  }
  const overdamped = model.dynamics === "overdamped";
  const scale = overdamped ? frictionVector(model) : model.mass;
  const W = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    W.data[i * n + j] = V.data[i * n + j] / Math.sqrt(scale[i] * scale[j]);
  }
  const lam = Math.max(0, ...symmetricEigen(W).values);
  return overdamped
    ? { kind: "rate", value: lam, source: "the largest curvature / friction of the network", exact: !quarticExtra }
    : { kind: "frequency", value: Math.sqrt(lam), source: "the fastest normal mode of the network", exact: !quarticExtra };
}

/** Fastest time scale of a particle system (single pair in contact, traps, cosine potentials). */
export function particleTimeScale(model: ParticlesModel): TimeScale {
  let kappa = 0;
  let source = "";
  let exact = true;
  const consider = (k: number, what: string, isExact: boolean) => {
    if (k > kappa) {
      kappa = k;
      source = what;
      exact = isExact;
    }
  };
  for (const r of model.pairs) {
    const names = `${model.species[r.a].name}-${model.species[r.b].name}`;
    // The relative coordinate of a pair feels twice the curvature.
    if (r.pair.potential === "soft") consider((2 * r.pair.stiffness) / r.pair.range ** 2, `the soft repulsion ${names} (k / sigma^2)`, true);
    else if (r.pair.potential === "harmonic") consider(2 * r.pair.stiffness, `the harmonic pair ${names}`, true);
    else consider((2 * 57.1 * r.pair.epsilon) / r.pair.sigma ** 2, `the WCA repulsion ${names} at contact`, false);
  }
  for (const e of model.external) {
    if (e.potential === "harmonic") consider(e.stiffness, "the harmonic trap", true);
    else if (e.potential === "cosine") consider(Math.abs(e.amplitude) * ((2 * Math.PI) / e.period) ** 2, "the cosine potential", true);
  }
  const overdamped = model.dynamics === "overdamped";
  const minScale = Math.min(...model.species.map((s) => (overdamped ? s.friction : s.mass)));
  return overdamped
    ? { kind: "rate", value: kappa / minScale, source, exact }
    : { kind: "frequency", value: Math.sqrt(kappa / minScale), source, exact };
}

/** Checks dt against the fastest time scale: throws SimulationError when unstable, returns warnings otherwise. */
export function checkTimeStep(ts: TimeScale, scheme: SchemeName, dt: number, stratonovich: boolean): string[] {
  const warnings: string[] = [];
  if (!(ts.value > 0)) return warnings;
  const z = ts.value * dt;
  const name = ts.kind === "frequency" ? "omega" : "lambda";
  const what = `${ts.source} (${name} = ${g(ts.value)}${ts.exact ? "" : ", estimated"})`;
  if (scheme !== "exact" && z >= 2) {
    const msg = `time step too large: dt = ${dt} exceeds the stability limit dt < 2/${name} = ${g(2 / ts.value)} set by ${what}`;
    if (ts.exact) throw new SimulationError(msg);
    warnings.push(`${msg}; the run will probably blow up`);
    return warnings;
  }
  if (scheme === "exact") {
    if (stratonovich && ts.kind === "rate" && z > 0.03) {
      warnings.push(`the Stratonovich flux estimators carry an O(dt) bias even with exact stepping: dt = ${dt} is large for ${what} (${name} dt = ${g(z)}, bias of order ${g(40 * z)}%); keep dt below ${g(0.03 / ts.value)} or use the state estimators (--flux-estimator state)`);
    }
    return warnings;
  }
  if (ts.kind === "frequency" && z > 0.2) {
    warnings.push(`dt = ${dt} is large for ${what}: ${name} dt = ${g(z)}, expect a time-step bias of up to (${name} dt)^2/4 = ${g((100 * z * z) / 4)}% in kinetic temperatures; dt < ${g(0.2 / ts.value)} keeps it below 1% (stability limit ${g(2 / ts.value)})`);
  } else if (ts.kind === "rate" && z > 0.03) {
    warnings.push(`dt = ${dt} is large for ${what}: ${name} dt = ${g(z)}, expect a time-step bias of order ${g(40 * z)}% in heat fluxes and entropy production${scheme === "euler-maruyama" ? " and covariances" : ""}; dt < ${g(0.03 / ts.value)} keeps it near 1% (stability limit ${g(2 / ts.value)})`);
  }
  return warnings;
}

/** Warnings about hot particles jumping across a sizeable part of the interaction range in one step. */
export function particleStepWarnings(model: ParticlesModel, dt: number): string[] {
  const ranges = model.pairs.map((r) => (r.pair.potential === "soft" ? r.pair.range : r.pair.potential === "wca" ? r.pair.sigma : Infinity));
  const range = Math.min(...ranges, Infinity);
  if (!Number.isFinite(range)) return [];
  const out: string[] = [];
  for (const s of model.species) {
    const step = model.dynamics === "overdamped"
      ? Math.sqrt((2 * s.temperature * dt) / s.friction)
      : Math.sqrt(s.temperature / s.mass) * dt;
    if (step > 0.2 * range) {
      out.push(`species ${s.name} moves about ${g(step)} per step, ${g((100 * step) / range)}% of the interaction range ${g(range)}: collisions are poorly resolved, reduce dt`);
    }
  }
  return out;
}
