/**
 * The exact time-step bias of every estimate of a linear model: each integrator is a linear map on a linear model,
 * whose stationary law and estimator means follow exactly (schemeExpectations, src/stochastic/linear.ts); the bias of
 * an estimate is that mean minus the exact engine's value. simulation.ts reports it with each estimate, and the
 * stochastic engine's time-step rules (src/stochastic/reliability.ts) flag an estimate reliable only when its bias is
 * below half its error bar: a time-step bias is not a statistical error, and an error bar that does not cover the
 * distance to the right answer must not be trusted.
 */
import type { NetworkModel } from "../model/network.js";
import type { ParticlesModel } from "../model/particles.js";
import type { SchemeName } from "../stochastic/integrators.js";
import { schemeExpectations, type FluxEstimator, type LinearExpectations } from "../stochastic/linear.js";
import { particleQuadratics, quadraticKey } from "./particleQuadratics.js";

/** An estimate's place in the probes' lists (group and order within it) and its exact value, if any. */
export interface Estimated {
  group: string;
  name?: string;
  exact?: number;
}

/** Largest state (coordinates, and momenta when underdamped) for which the biases are computed: O(N^3) per doubling step. */
export const MAX_BIAS_STATE = 120;

/**
 * The k-th estimate of a group, in the order the probes list them: covariances over coordinate pairs a <= b (a
 * outer), spring and bath fluxes in the model's order, per-site and per-species quantities in order.
 */
export function ordinals(specs: readonly { group: string }[]): number[] {
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const k = seen.get(spec.group) ?? 0;
    seen.set(spec.group, k + 1);
    return k;
  });
}

/** The (a, b) coordinate pair of the k-th covariance estimate of Y coordinates. */
export function covariancePairs(Y: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < Y; a++) for (let b = a; b < Y; b++) out.push([a, b]);
  return out;
}

/** The scheme's expectation of each network estimate, or NaN when unknown. */
function networkExpectations(model: NetworkModel, d: LinearExpectations, specs: readonly Estimated[]): Float64Array {
  const N = d.covariance.rows,
    n = model.sites.length;
  const ord = ordinals(specs);
  const pairs = covariancePairs(N);
  const bathSum = d.bathFlux.reduce((a, b) => a + b, 0);
  return Float64Array.from(specs, (spec, i) => {
    const k = ord[i];
    switch (spec.group) {
      case "mean":
        return 0;
      case "covariance": {
        const [a, b] = pairs[k];
        return d.covariance.data[a * N + b];
      }
      case "kinetic temperature":
        return d.covariance.data[(n + k) * N + n + k] / model.mass[k];
      case "spring flux":
        return d.springFlux[k];
      case "bath flux":
        return d.bathFlux[k];
      case "entropy production":
        return d.entropyProduction;
      case "energy balance":
        return bathSum;
      default:
        return NaN;
    }
  });
}

/** The same for a linear particle model mapped onto a network (one site per coordinate, a bath per coordinate). */
function particleExpectations(
  model: ParticlesModel,
  network: NetworkModel,
  d: LinearExpectations,
  specs: readonly Estimated[],
): Float64Array {
  const quadratic = particleQuadratics(model, network, d.covariance.data, d.covariance.rows);
  const N = d.covariance.rows,
    dim = model.dimension,
    P = model.speciesOf.length * dim;
  const ord = ordinals(specs);
  const pairs = covariancePairs(N);
  const heat = new Float64Array(model.species.length);
  const kinetic = new Float64Array(model.species.length);
  for (let i = 0; i < P; i++) {
    const s = model.speciesOf[Math.floor(i / dim)];
    heat[s] += d.bathFlux[i];
    if (N > P)
      kinetic[s] += d.covariance.data[(P + i) * N + P + i] / (model.species[s].mass * model.species[s].count * dim);
  }
  return Float64Array.from(specs, (spec, i) => {
    const k = ord[i];
    const q = spec.name === undefined ? undefined : quadratic.get(quadraticKey(spec.group, spec.name));
    if (q !== undefined) return q;
    switch (spec.group) {
      case "bath flux":
        return heat[k];
      case "entropy production":
        return d.entropyProduction;
      case "energy balance":
        return heat.reduce((a, b) => a + b, 0);
      case "drift velocity":
        return 0;
      case "kinetic temperature":
        return kinetic[k];
      case "covariance": {
        const [a, b] = pairs[k];
        return d.covariance.data[a * N + b];
      }
      default:
        return NaN;
    }
  });
}

/**
 * Exact time-step bias of each estimate with an exact value (NaN where unknown), or null when the state is too
 * large or the scheme's chain has no stationary state at this dt.
 */
export function linearBiases(
  network: NetworkModel,
  particles: ParticlesModel | null,
  scheme: SchemeName,
  dt: number,
  fluxEstimator: FluxEstimator,
  specs: readonly Estimated[],
): Float64Array | null {
  const state = network.dynamics === "underdamped" ? 2 * network.sites.length : network.sites.length;
  if (state > MAX_BIAS_STATE) return null;
  let d: LinearExpectations;
  try {
    d = schemeExpectations(network, scheme, dt, fluxEstimator);
  } catch {
    return null;
  }
  const expected = particles
    ? particleExpectations(particles, network, d, specs)
    : networkExpectations(network, d, specs);
  return Float64Array.from(specs, (spec, k) => (spec.exact === undefined ? NaN : expected[k] - spec.exact));
}
