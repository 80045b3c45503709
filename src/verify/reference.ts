/**
 * The exact engine's answer for a model a simulation compares with: linear networks and linear particle models
 * (harmonic pairs, harmonic bonds of rest length 0 and traps at the origin in open space, mapped onto a network by
 * src/problem: one spring per pair or bond per axis), up to
 * COMPARISON_MAX_COORDINATES coordinates. Its stationary covariance, in the simulation's coordinate order, is also the
 * initial law of a network's replicas (the stochastic engine takes it as data: SimulationOptions.stationaryCovariance).
 */
import { SteadyStateError } from "../errors.js";
import { EXACT_MAX_COORDINATES, exactCostText, solveNetwork, type NetworkSteadyState } from "../exact/network.js";
import { checkModel, type Model } from "../model/modelCheck.js";
import { checkNetworkModel, isLinearNetwork, type NetworkModel } from "../model/networkModel.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";
import { checkNetworkSolvable } from "../problem/diagnose.js";
import { particleConfinementProblem } from "../problem/particleConfinement.js";
import { networkStateSize } from "../problem/network.js";
import { isLinearParticles, particlesAsNetwork, particleStateSize } from "../problem/particles.js";

/** Largest linear model (coordinates) a simulation compares with the exact engine unasked (about 20 s of solve). */
export const COMPARISON_MAX_COORDINATES = 1000;

/** Exact values for linear particle systems (harmonic pairs, bonds and traps in open space), by species. */
export interface ParticleExact {
  /** Covariance of the state (Y x Y, coordinates x:0, ..., px:0, ...). */
  covariance: Float64Array;
  /** Heat flux from each species' bath into the system. */
  heat: Float64Array;
  /** Kinetic temperature per species (underdamped). */
  kineticTemperature?: Float64Array;
  entropyProduction: number;
}

/** The exact steady state a simulation of `model` is compared with. */
export interface ExactReference {
  model: Model;
  /** The network solved: the model itself, or the network equivalent to a linear particle model. */
  network: NetworkModel;
  steadyState: NetworkSteadyState;
  /** Linear particle models: the exact values by species. */
  particles?: ParticleExact;
  /** The stationary covariance in the simulation's coordinate order (positions, then momenta), N x N row-major. */
  covariance: Float64Array;
}

/**
 * The exact steady state of a linear network, for comparison with a simulation; undefined for a nonlinear network, one
 * larger than COMPARISON_MAX_COORDINATES, or one whose exact solve fails numerically (time scales too far apart), each
 * reason added to `warnings`. A linear network without a (unique) steady state throws the diagnosis's
 * SteadyStateError: it is never simulated as if it had one.
 */
export function exactNetwork(
  model: NetworkModel,
  warnings?: string[],
  subject = "the network",
): NetworkSteadyState | undefined {
  checkNetworkModel(model, "exactNetwork");
  if (!isLinearNetwork(model)) return undefined;
  const N = networkStateSize(model);
  if (N > COMPARISON_MAX_COORDINATES) {
    warnings?.push(
      `no exact values to compare with: the exact solve of ${N} coordinates would need ${exactCostText(N)}${N <= EXACT_MAX_COORDINATES ? " (ness solve does it)" : ""}; the simulation compares up to ${COMPARISON_MAX_COORDINATES}`,
    );
    return undefined;
  }
  checkNetworkSolvable(model);
  try {
    return solveNetwork(model, { bySource: false });
  } catch (err) {
    // The diagnosis passed, so a steady state exists: a numerical failure of the exact solve only removes the
    // comparison, it does not stop the simulation.
    if (!(err instanceof SteadyStateError)) throw err;
    // subject: what the user wrote (a particle model is solved as the network it maps onto).
    const message = err.message
      .replace(model.source ? `${model.source}: ` : "", "")
      .replace("the network is confined", `${subject} is confined`);
    warnings?.push(`no exact values to compare with: ${message}`);
    return undefined;
  }
}

/**
 * Exact values for a linear particle model, by species, or undefined (a nonlinear or too large model). Particles that
 * nothing holds throw the particles' SteadyStateError (the same as the stochastic engine's), not that of the network
 * they map onto.
 */
export function exactParticles(
  model: ParticlesModel,
  warnings?: string[],
): { network: NetworkModel; steadyState: NetworkSteadyState; exact: ParticleExact } | undefined {
  checkParticlesModel(model, "exactParticles");
  const unconfined = particleConfinementProblem(model);
  if (unconfined) throw new SteadyStateError(unconfined, model.source);
  if (!isLinearParticles(model)) return undefined;
  const network = particlesAsNetwork(model);
  if (!network || particleStateSize(model) > COMPARISON_MAX_COORDINATES) {
    const N = particleStateSize(model);
    warnings?.push(
      `no exact values to compare with: the exact solve of ${N} coordinates would need ${exactCostText(N)}; the simulation compares up to ${COMPARISON_MAX_COORDINATES}`,
    );
    return undefined;
  }
  const ss = exactNetwork(network, warnings, "the particle model");
  if (!ss) return undefined;
  const S = model.species.length,
    d = model.dimension;
  const heat = new Float64Array(S);
  ss.baths.forEach((b) => (heat[model.speciesOf[Math.floor(b.index / d)]] += b.flux));
  let kineticTemperature: Float64Array | undefined;
  if (ss.kineticTemperature) {
    kineticTemperature = new Float64Array(S);
    ss.kineticTemperature.forEach((t, i) => (kineticTemperature![model.speciesOf[Math.floor(i / d)]] += t));
    model.species.forEach((s, k) => (kineticTemperature![k] /= s.count * d));
  }
  return {
    network,
    steadyState: ss,
    exact: { covariance: ss.covariance.data, heat, kineticTemperature, entropyProduction: ss.entropyProduction },
  };
}

/**
 * The exact reference of a model, or undefined (nonlinear, too large, or a failed solve: the reason is added to
 * `warnings`). Throws the diagnosis's SteadyStateError for a linear model without a unique steady state.
 */
export function exactReference(model: Model, warnings?: string[]): ExactReference | undefined {
  checkModel(model, "exactReference");
  if (model.kind === "network") {
    const ss = exactNetwork(model, warnings);
    return ss ? { model, network: model, steadyState: ss, covariance: ss.covariance.data } : undefined;
  }
  const ex = exactParticles(model, warnings);
  return ex
    ? { model, network: ex.network, steadyState: ex.steadyState, particles: ex.exact, covariance: ex.exact.covariance }
    : undefined;
}
