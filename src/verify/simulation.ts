/**
 * Exact vs simulated: a simulation result (src/stochastic) checked against the exact engine's answer (src/exact)
 * where both apply. For a linear model it attaches to every estimate its exact value and its deviation in error bars,
 * (value - exact) / error, computes the exact time-step bias of each estimator at the run's dt (bias.ts) and
 * re-applies the rules of "reliable" (src/stochastic/reliability.ts) from each estimate's statistical verdict: the
 * slowest-mode rule (attachExact), then the time-step rules with those biases: an estimate is reliable only when its
 * error bar covers its distance from the exact value (docs/stochastic.md, What "reliable" means). Before the run,
 * the exact stationary law is handed to the stochastic engine as data (the initial state of a network's replicas, the
 * default range of fields): the engine itself never solves a Lyapunov equation, in any worker.
 *
 * This is the one layer that imports both engines (besides the studies and the CLI).
 */
import { checkModel, type Model } from "../model/modelCheck.js";
import type { Scheme } from "../stochastic/integrators.js";
import { applyRelaxationRule, applyTimeStepRules, releaseCorrelationTimeRule } from "../stochastic/reliability.js";
import {
  simulate,
  simulateSync,
  type SimulationOptions,
  type SimulationResult,
  type SimulationRunOptions,
} from "../stochastic/run.js";
import type { Estimate } from "../stochastic/statistics.js";
import type { ParticlesModel } from "../model/particlesModel.js";
import { covariancePairs, linearBiases, ordinals } from "./bias.js";
import { particleQuadratics, quadraticKey } from "./particleQuadratics.js";
import { exactReference, type ExactReference } from "./reference.js";

/**
 * The exact value of each estimate (undefined where the exact engine has none), matched by the probes' order: the
 * k-th estimate of a group is the k-th spring, bath, site, species or coordinate pair (a <= b).
 */
export function exactValues(
  reference: ExactReference,
  estimates: readonly { group: string; name?: string }[],
): (number | undefined)[] {
  const ord = ordinals(estimates);
  const ss = reference.steadyState;
  if (!reference.particles) {
    const N = ss.covariance.rows;
    const pairs = covariancePairs(N);
    return estimates.map((e, i) => {
      const k = ord[i];
      switch (e.group) {
        case "mean":
        case "energy balance":
          return 0;
        case "covariance": {
          const [a, b] = pairs[k];
          return ss.covariance.data[a * N + b];
        }
        case "kinetic temperature":
          return ss.kineticTemperature?.[k];
        case "spring flux":
          return ss.springs[k].flux;
        case "bath flux":
          return ss.baths[k].flux;
        case "entropy production":
          return ss.entropyProduction;
        default:
          return undefined;
      }
    });
  }
  const ex = reference.particles;
  const Y = Math.round(Math.sqrt(ex.covariance.length));
  const pairs = covariancePairs(Y);
  const quadratic = particleQuadratics(reference.model as ParticlesModel, reference.network, ex.covariance, Y);
  return estimates.map((e, i) => {
    const k = ord[i];
    const q = e.name === undefined ? undefined : quadratic.get(quadraticKey(e.group, e.name));
    if (q !== undefined) return q;
    switch (e.group) {
      case "bath flux":
        return ex.heat[k];
      case "entropy production":
        return ex.entropyProduction;
      case "energy balance":
      case "drift velocity":
        return 0;
      case "kinetic temperature":
        return ex.kineticTemperature?.[k];
      case "covariance": {
        const [a, b] = pairs[k];
        return ex.covariance[a * Y + b];
      }
      default:
        return undefined;
    }
  });
}

/**
 * Sets on each estimate (in place) its exact value and, where value and error bar are finite, its deviation in error
 * bars, (value - exact) / error; and applies the slowest-mode rule of "reliable" (reliability.ts
 * applyRelaxationRule) with the reference's slowest relaxation rate: an estimate whose batches, `batchTime` time
 * units long, are shorter than 5 of its correlation times loses its reliable flag. It replaces the rule on each
 * estimate's own measured correlation time (reliability.ts releaseCorrelationTimeRule). Every path that shows a linear
 * model's estimates beside their exact values goes through here: verifySimulation on a finished run, the lab on live
 * estimates (batchTime = the plan's batch length times dt), the studies that verify their runs.
 */
export function attachExact(estimates: Estimate[], reference: ExactReference, batchTime: number): void {
  // the exact slowest rate judges the batches, in place of each estimate's own measured correlation time
  releaseCorrelationTimeRule(estimates);
  applyRelaxationRule(estimates, batchTime, reference.steadyState.slowestRate);
  const exact = exactValues(reference, estimates);
  estimates.forEach((e, k) => {
    const x = exact[k];
    if (x === undefined) return;
    e.exact = x;
    if (Number.isFinite(e.error) && Number.isFinite(e.value)) {
      if (e.error > 0) e.deviation = (e.value - x) / e.error;
      else if (e.value === x) e.deviation = 0;
    }
  });
}

/**
 * The simulation checked against the exact reference (undefined: no exact answer; then only the reference's
 * `warnings` are added): exact values, deviations, time-step biases and the reliability they imply, and the
 * warnings. Returns a new result; the simulation's own result is not changed.
 */
export function verifySimulation(
  result: SimulationResult,
  reference: ExactReference | undefined,
  warnings: readonly string[] = [],
): SimulationResult {
  const estimates: Estimate[] = result.estimates.map((e, k) => {
    const out: Estimate = { ...e, reliable: result.statistical[k].reliable };
    delete out.note;
    delete out.exact;
    delete out.deviation;
    delete out.timeStepBias;
    if (result.statistical[k].note !== undefined) out.note = result.statistical[k].note;
    return out;
  });
  let biases: Float64Array | null = null;
  const batchTime = result.time / result.batchesPerReplica;
  if (reference) {
    attachExact(estimates, reference, batchTime);
    if (!result.timeStep.unstable) {
      const particles = reference.model.kind === "particles" ? reference.model : null;
      biases = linearBiases(
        reference.network,
        particles,
        result.scheme,
        result.dt,
        // Particles: the state-function pair heat equals the state flux estimator on linear models (stateHeat.ts).
        result.fluxEstimator ?? (result.pairHeat === "state" ? "state" : "stratonovich"),
        estimates,
      );
    }
  }
  const tail = applyTimeStepRules(estimates, result.timeStep, biases);
  return {
    ...result,
    estimates,
    exact: reference !== undefined,
    warnings: [...result.planWarnings, ...warnings, ...tail],
  };
}

/** The options with the reference's stationary covariance as the replicas' initial law (unless they have one). */
export function withStationaryLaw(
  options: SimulationOptions,
  reference: ExactReference | undefined,
): SimulationOptions {
  if (!reference || options === null || typeof options !== "object" || options.stationaryCovariance !== undefined)
    return options;
  return { ...options, stationaryCovariance: reference.covariance };
}

/** The exact reference of a problem (undefined for a problem the stochastic engine will refuse with its own message). */
function referenceOf(problem: Model, warnings: string[]): ExactReference | undefined {
  try {
    checkModel(problem, "simulate");
  } catch {
    return undefined;
  }
  return exactReference(problem, warnings);
}

/**
 * Simulates the problem with the scheme (src/stochastic simulate, on any block runner) and verifies the result against
 * the exact engine: what `ness simulate` prints.
 *
 * @example
 * ```ts
 * import { baoab, loadModel, simulateAndVerify } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const result = await simulateAndVerify(model, baoab({ dt: 0.05 }), { time: 400, seed: 1, replicas: 2 });
 * const flux = result.estimates.find((e) => e.group === "spring flux")!;
 * console.log(flux.exact! > 0, Math.abs(flux.deviation!) < 5); // => true true: within 5 error bars of the exact value
 * ```
 */
export async function simulateAndVerify(
  problem: Model,
  scheme: Scheme | { dt: number },
  options: SimulationOptions,
  run: SimulationRunOptions = {},
): Promise<SimulationResult> {
  const warnings: string[] = [];
  const reference = referenceOf(problem, warnings);
  const result = await simulate(problem, scheme, withStationaryLaw(options, reference), run);
  return verifySimulation(result, reference, warnings);
}

/**
 * simulateAndVerify in the calling thread (tests, small runs, studies).
 *
 * @example
 * ```ts
 * import { loadModel, simulateAndVerifySync } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const result = simulateAndVerifySync(model, { dt: 0.05 }, { time: 200, seed: 2 });
 * console.log(result.exact); // => true: a linear model, so every estimate carries its exact value
 * ```
 */
export function simulateAndVerifySync(
  problem: Model,
  scheme: Scheme | { dt: number },
  options: SimulationOptions,
): SimulationResult {
  const warnings: string[] = [];
  const reference = referenceOf(problem, warnings);
  return verifySimulation(simulateSync(problem, scheme, withStationaryLaw(options, reference)), reference, warnings);
}
