/**
 * Which overdamped pair heat a run reports when the model leaves it open (`pairHeat` unset) and the state-function
 * form applies (every pair and bond force continuous, stateHeat.ts) with no kinked pair force (WCA: the trapezoid
 * errs at each crossing of its cutoff, a bias the estimate below does not cover, so the state function stays): the
 * one with the smaller estimated mean squared error of the entropy production, weighed with the run's own error
 * bars. Smooth models qualify: harmonic pairs without rest length, FENE and harmonic bonds, traps, cosine fields.
 *
 * The probe samples both estimators in the same run (particleProbe.ts, group PAIR_HEAT_CHECK): the state function
 * -(1/gamma)<p.f + T div p>, whose time-step bias under Heun is of second order, and the trapezoid (Stratonovich)
 * sum, whose bias is of first order with a model-dependent coefficient (harmonic pair: -(k + lambda) dt relative;
 * docs/stochastic.md) but whose error bar is often smaller (about a third of the state function's on the harmonic
 * pair). With z = lambda dt (lambda the model's relaxation rate at typical contacts, safety.ts `bias`) and sigma the
 * state function's entropy production:
 *     MSE(state)     = err(state)^2     + (z^2 |sigma|)^2
 *     MSE(trapezoid) = err(trapezoid)^2 + b^2,   b = max(z |sigma|, |D| where resolved, else 0)
 * where D = trapezoid - state is measured in the run with its own batch error bar: the standard error of the mean of
 * its n batch values (replicas x batches per replica, the batch means taken as independent as for every estimate),
 * so "resolved" is the project's Student-t rule for n values (src/studentT.ts isResolved: |D| beyond
 * resolvedStandardErrors(n) error bars, 4.62 for 32 values, 8.47 for 8, towards 4), not a fixed 4 (crossed by chance
 * 0.5% of the time with 8 values instead of 6e-5: a noisy D counted as a bias would then hand the state function
 * runs the trapezoid should win). The first-order term z |sigma|
 * is a deliberate over-estimate of the trapezoid's bias (the harmonic pair's is 2/3 of it: (k + lambda) / (2k +
 * lambda) with k = lambda); D alone cannot stand in for it, as its error bar is about the state function's (the two
 * estimators' noises hardly cancel): a bias of that size would go unseen, and an unresolved D is noise (counting it
 * made the rule pick the state function on the harmonic pair at dt = 0.002, where the trapezoid's bias is 0.4% and
 * its error bar a third). A resolved D (a trapezoid erring at a kink, or a large dt) counts in full. The run reports
 * the smaller; with an error bar that is not finite (too few batches) the state function is kept. Browser-safe.
 */

import { isResolved, resolvedStandardErrors } from "../studentT.js";

/** The estimand group of the probe's trapezoid rows, removed from the results once the rule has chosen. */
export const PAIR_HEAT_CHECK = "pair heat check";

/** A value with its standard error. */
export interface ValueWithError {
  value: number;
  error: number;
}

/** A value with the standard error of the mean of `batches` values (the Student-t rule's n). */
export interface BatchValue extends ValueWithError {
  batches: number;
}

/** The rule's choice and what it weighed (entropy production rates). */
export interface PairHeatChoice {
  rule: "state" | "trapezoid";
  /** The entropy production by each estimator, with its error bar. */
  state: ValueWithError;
  trapezoid: ValueWithError;
  /** Estimated mean squared errors of the entropy production under each estimator. */
  stateMse: number;
  trapezoidMse: number;
  /** The trapezoid's estimated bias b (the larger of z |sigma| and the measured difference, see the header). */
  trapezoidBias: number;
  /** Trapezoid minus state entropy production, measured in the run, with the number of batch values behind it. */
  difference: BatchValue;
}

/** The estimator with the smaller estimated mean squared error (see the header); z = lambda dt. */
export function choosePairHeatByError(
  state: ValueWithError,
  trapezoid: ValueWithError,
  difference: BatchValue,
  z: number,
): PairHeatChoice {
  const scale = Math.abs(state.value);
  const measured = isResolved(difference.value, difference.error, difference.batches) ? Math.abs(difference.value) : 0;
  const trapezoidBias = Math.max(z * scale, measured);
  const stateMse = state.error ** 2 + (z * z * scale) ** 2;
  const trapezoidMse = trapezoid.error ** 2 + trapezoidBias ** 2;
  const finite = [stateMse, trapezoidMse].every(Number.isFinite);
  return {
    rule: finite && trapezoidMse < stateMse ? "trapezoid" : "state",
    state: { value: state.value, error: state.error },
    trapezoid: { value: trapezoid.value, error: trapezoid.error },
    stateMse,
    trapezoidMse,
    trapezoidBias,
    difference: { value: difference.value, error: difference.error, batches: difference.batches },
  };
}

/** One line for outputs: what the choice weighed. */
export function describePairHeatChoice(choice: PairHeatChoice): string {
  const g = (v: number) => Number(v.toPrecision(3)).toString();
  const d = choice.difference;
  return (
    `chosen by the estimated mean squared error of the entropy production (pairHeat unset): ` +
    `state ${g(choice.stateMse)}, trapezoid ${g(choice.trapezoidMse)} ` +
    `(its bias taken as ${g(choice.trapezoidBias)}; trapezoid minus state measured ${g(d.value)} ± ${g(d.error)}, ` +
    `counted where beyond ${g(resolvedStandardErrors(d.batches))} error bars: Student's t, ${d.batches} batch values)`
  );
}
