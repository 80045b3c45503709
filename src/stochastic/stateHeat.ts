/**
 * The state-function (Ito) form of the overdamped pair heat. For gamma_a r_a' = f_a + sqrt(2 gamma_a T_a) xi_a, the
 * Stratonovich heat that bath s gives its particles through the pair forces p_a (the total force f_a minus the
 * external one) has the expectation
 *     -sum_{a in s} <p_a o r_a'> = -sum_{a in s} (1/gamma_a) <p_a . f_a + T_a div_a p_a>,
 * a function of the state alone (the external part of the heat is the change of each particle's external energy,
 * zero on average in a steady state). Under exact stepping this is unbiased; under Heun its time-step bias is of
 * second order where the pair forces are continuous (smooth, or kinked at a cutoff as WCA), where the trapezoid sum
 * over each step has a first-order bias (docs/stochastic.md). Where a pair force jumps the divergence has a delta
 * function that a sum over states misses: the soft repulsion (its force is k/sigma at r -> 0 whatever the direction,
 * so it jumps where particles pass in 1D and its divergence has a 1/r singularity, of infinite variance in 2D) and a
 * harmonic pair with a rest length (the same at r = 0). `stateHeatApplies` says when this form is exact.
 *
 * For a pair law U(r): div_a p_a = -(U''(r) + (d - 1) U'(r)/r), the same for both particles. PairDivergence sums it
 * over the pairs within the cutoff (the model's pair visitor, neighbours/modelPairs.ts) and adds each particle's
 * share -(T_a/gamma_a) div_a p_a to the heat of its species. Browser-safe.
 */
import { checkParticlesModel, type PairPotential, type ParticlesModel } from "../model/particlesModel.js";
import { ModelPairs, type PairVisit } from "./neighbours/modelPairs.js";
import type { PairHeatRule } from "./pairHeat.js";
import { bondForceContinuous } from "./potentials/bonds.js";
import { pairCurvature, pairForceOverDistance } from "./potentials/pairLaws.js";
import * as portable from "../special/elementary.js";

/** True when a pair law's force is continuous at every separation the dynamics can reach. */
export function pairForceContinuous(p: PairPotential): boolean {
  if (p.potential === "wca") return true; // continuous (kinked) at the cutoff; r = 0 is never reached
  if (p.potential === "harmonic") return p.length === 0; // with a rest length the force jumps at r = 0
  return false; // soft: k/sigma at r -> 0 in every direction
}

/**
 * Why the state-function pair heat is not exact for a model (a sentence), or null when it is: overdamped, and every
 * pair force continuous.
 */
export function stateHeatProblem(model: ParticlesModel): string | null {
  if (model.dynamics !== "overdamped") return "the state-function pair heat is for overdamped dynamics";
  const bondJump = (model.bonds ?? []).find((b) => !bondForceContinuous(b.bond));
  if (bondJump)
    return `the harmonic bond ${bondJump.a}-${bondJump.b} has a rest length: its force jumps at r = 0, where a state function misses the heat`;
  const jump = model.pairs.find((r) => !pairForceContinuous(r.pair));
  if (!jump) return null;
  const p = jump.pair;
  return p.potential === "soft"
    ? "the soft pair force jumps at r = 0 (k/range in every direction), where a state function misses the heat"
    : "a harmonic pair with a rest length has a force that jumps at r = 0, where a state function misses the heat";
}

/** True when the state-function pair heat is exact in the limit dt -> 0 (see stateHeatProblem). */
export function stateHeatApplies(model: ParticlesModel): boolean {
  return stateHeatProblem(model) === null;
}

/** Sum over interacting pairs of each particle's share of the divergence term, per species. */
export class PairDivergence {
  private readonly pairs: ModelPairs;
  // The evaluation in progress (set by add for the visitor).
  private out: Float64Array = new Float64Array(0);
  private stride = 1;
  private total = 0;
  private readonly visitPair: PairVisit;

  constructor(model: ParticlesModel) {
    checkParticlesModel(model, "PairDivergence");
    this.pairs = new ModelPairs(model);
    this.visitPair = (a, b, t, _sx, _sy, _sz, q) => this.pair(a, b, t, q);
  }

  /**
   * Adds -(T_a/gamma_a) div_a p_a of every particle a to out[s_a * stride] (its species' heat per unit time) at the
   * state x; returns the sum over particles of div_a p_a.
   */
  add(x: Float64Array, out: Float64Array, stride: number): number {
    const p = this.pairs;
    if (p.N < 2 || p.cutoff === 0) return 0;
    this.out = out;
    this.stride = stride;
    this.total = 0;
    p.visit(x, p.cutoff, this.visitPair);
    return this.total;
  }

  private pair(a: number, b: number, t: number, q: number): void {
    const { d, cut2, rules, diffusivity, speciesOf } = this.pairs;
    if (q >= cut2[t]) return;
    const rule = rules[t]!;
    const r = Math.sqrt(q);
    // div_a p_a = -(U'' + (d - 1) U'/r) = -U'' + (d - 1) g with g = -U'/r.
    const div = -pairCurvature(rule, r) + (d - 1) * pairForceOverDistance(rule, r);
    this.out[speciesOf[a] * this.stride] -= diffusivity[a] * div;
    this.out[speciesOf[b] * this.stride] -= diffusivity[b] * div;
    this.total += 2 * div;
  }
}

/**
 * The default pair-heat rule of an overdamped particle model: the state function where every pair force is
 * continuous (second-order bias under Heun), the exact pair-energy ledger (pairHeat.ts) where one jumps.
 */
export function choosePairHeat(model: ParticlesModel): PairHeatRule {
  return stateHeatApplies(model) ? "state" : "exact";
}

/** One line saying how the pair heat is taken, for outputs. */
export function describePairHeat(rule: PairHeatRule): string {
  switch (rule) {
    case "state":
      return "state function -(1/gamma)<p.f + T div p> (second-order time-step bias under Heun)";
    case "exact":
      return "trapezoid rule with each pair's heats summing to its exact energy change (pair forces jump)";
    case "trapezoid":
      return "trapezoid rule (first-order time-step bias; errs at the kinks of pair forces)";
  }
}

/** True when every external force is continuous (harmonic traps, cosine fields; not the sawtooth). */
export function externalForcesContinuous(model: ParticlesModel): boolean {
  return model.external.every((e) => e.potential !== "sawtooth");
}

/**
 * Adds -(T_a/gamma_a) div_a g_a of the external forces g at x to out[s_a * stride]: harmonic traps
 * (div g = -lambda d) and cosine fields (div g = -V''(x) along their axis). Sawtooth fields are not handled (their
 * force jumps; the probe then keeps the external heat as the exact energy change).
 */
export function addExternalDivergence(
  model: ParticlesModel,
  x: Float64Array,
  diffusivity: Float64Array,
  out: Float64Array,
  stride: number,
): void {
  const d = model.dimension,
    N = model.speciesOf.length;
  for (const e of model.external) {
    const on = new Uint8Array(model.species.length);
    for (const s of e.species) on[s] = 1;
    for (let a = 0; a < N; a++) {
      const s = model.speciesOf[a];
      if (!on[s]) continue;
      let div = 0;
      if (e.potential === "harmonic") div = -e.stiffness * d;
      else if (e.potential === "cosine") {
        const q = (2 * Math.PI) / e.period;
        // V = A cos(q x + phase): g = A q sin(q x + phase), div g = A q^2 cos(q x + phase).
        div = e.amplitude * q * q * portable.cos(q * x[a * d + e.axis] + e.phase);
      }
      out[s * stride] -= diffusivity[a] * div;
    }
  }
}
