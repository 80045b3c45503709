/**
 * The time-step rules of "reliable" (docs/stochastic.md, What "reliable" means). An estimate leaves the batch-means
 * reduction (statistics.ts) flagged reliable when its error bar is statistically trustworthy; then:
 *  - a known time-step bias (linear models: computed exactly by src/verify from the scheme's discrete chain and the
 *    exact engine) larger than half the error bar makes it unreliable: a bias is not a statistical error;
 *  - where the bias is not known, a stated order of the bias (safety.ts biasOrder) of MAX_UNKNOWN_BIAS or more makes
 *    it unreliable;
 *  - a dt beyond an estimated stability limit makes every estimate unreliable.
 * The stochastic engine applies them with no known bias; src/verify applies them again, from each estimate's
 * statistical verdict, with the biases it computed.
 *
 * Three more statistical rules. The correlated-run rule (applyCorrelatedRunRule; the engine applies it to every run,
 * before the time-step rules): when one estimate's batches are correlated, no estimate of the run is trusted. The
 * split rule (applySplitRule; measured, not applied by the engine: docs/stochastic.md): when the halves of the
 * replicas of one estimate disagree beyond chance, no estimate of the run is trusted. The
 * slowest-mode rule needs the exact engine (src/verify applies it before the time-step rules): batches
 * shorter than a few correlation times of the slowest mode (applyRelaxationRule). The lag-1 batch correlation cannot
 * see them in a short run: over 32 batches of a run two relaxation times long it is biased low (0.43-0.54 measured
 * where the true value is near 0.9), and estimates 7-16 error bars from the exact value were flagged reliable.
 */
import { studentTwoSidedTail } from "../studentT.js";
import { MAX_UNKNOWN_BIAS } from "./safety.js";
import { MAX_BATCH_CORRELATION, type Estimate } from "./statistics.js";

/** What the time-step rules need to know about a run. */
export interface TimeStepFacts {
  dt: number;
  /** dt is beyond an estimated stability limit (exact limits are refused before the run). */
  unstable: boolean;
  /** The stated order of the relative time-step bias (safety.ts biasOrder). */
  biasOrder: number;
}

/** An estimate's verdict from the batch means alone (statistics.ts), before the time-step rules. */
export interface StatisticalVerdict {
  reliable: boolean;
  note?: string;
}

const g = (x: number) => Number(x.toPrecision(3));

function addNote(e: Estimate, note: string): void {
  e.note = e.note ? `${e.note}; ${note}` : note;
}

/**
 * Applies the time-step rules to estimates that carry their statistical verdict (reliable, note), in place; sets
 * `timeStepBias` where `bias[k]` is a finite number. Returns the warnings: estimates with too few effective samples,
 * with a bias beyond half their error bar, and with a bias of unknown size beyond MAX_UNKNOWN_BIAS.
 */
export function applyTimeStepRules(
  estimates: Estimate[],
  facts: TimeStepFacts,
  bias: ArrayLike<number> | null = null,
): string[] {
  const statistical = estimates.filter((e) => !e.reliable);
  const biased: Estimate[] = [];
  estimates.forEach((e, k) => {
    const b = bias?.[k];
    if (b === undefined || !Number.isFinite(b)) return;
    e.timeStepBias = b;
    // Rounding in the bias (a difference of two solves) is not a bias.
    const tiny = 1e-9 * (Math.abs(e.exact ?? 0) + Math.abs(e.value));
    if (Math.abs(b) > 0.5 * e.error && Math.abs(b) > tiny) {
      if (e.reliable) biased.push(e);
      e.reliable = false;
      addNote(
        e,
        `time-step bias ${g(b)} (exact for this linear model at dt = ${facts.dt}) exceeds half the error bar: reduce dt`,
      );
    }
  });
  // Estimates whose bias is not known: not reliable once the stated order of the bias reaches MAX_UNKNOWN_BIAS.
  const order = facts.biasOrder;
  const unknown: Estimate[] = [];
  if (order >= MAX_UNKNOWN_BIAS && !facts.unstable) {
    for (const e of estimates) {
      if (e.timeStepBias !== undefined) continue;
      if (e.reliable) unknown.push(e);
      e.reliable = false;
      addNote(
        e,
        `a time-step bias of order ${g(100 * order)}% (estimated) is not included in the error bar: reduce dt`,
      );
    }
  }
  if (facts.unstable) {
    for (const e of estimates) {
      e.reliable = false;
      addNote(e, "dt exceeds the estimated stability limit");
    }
  }
  const warnings: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} estimate${n > 1 ? `s ${many}` : ` ${one}`}`;
  if (statistical.length > 0) {
    warnings.push(
      `${count(statistical.length, "has", "have")} too few effective samples for a trusted error bar (${statistical[0].note ?? "see notes"})`,
    );
  }
  if (biased.length > 0) {
    const e = biased[0];
    warnings.push(
      `${count(biased.length, "has", "have")} a time-step bias larger than half the error bar, so they are not flagged reliable ` +
        `(exact for this linear model; e.g. ${e.group}: ${e.name}, bias ${g(e.timeStepBias!)} against an error bar of ${g(e.error)}): reduce dt`,
    );
  }
  if (unknown.length > 0) {
    warnings.push(
      `${count(unknown.length, "is", "are")} not flagged reliable: at this dt their time-step bias, of order ${g(100 * order)}%, ` +
        `cannot be computed and is not in the error bars (above ${100 * MAX_UNKNOWN_BIAS}% no estimate of unknown bias is trusted): reduce dt`,
    );
  }
  return warnings;
}

/**
 * Batch length, in units of an estimator's correlation time, below which its batch-means error bar is not trusted.
 * With an exponential correlation of time tau, batches of length c tau have a lag-1 correlation
 * (1 - e^-c)^2 / (2 (c - 1 + e^-c)): 0.10 at c = 5, so that the error bar is about 9% small and "2 error bars"
 * covers about 93% instead of 95%; at c = 2.2 (the 0.3 of MAX_BATCH_CORRELATION) it covers about 89%.
 */
export const MIN_BATCH_CORRELATION_TIMES = 5;

/**
 * Groups of estimates that are linear in the state (their correlation time is the slowest relaxation time 1/rate);
 * every other estimate is quadratic (covariances, fluxes, temperatures: their correlations are products of two
 * linear ones, so their correlation time is at most 1/(2 rate)).
 */
const LINEAR_GROUPS = new Set(["mean", "drift velocity"]);

/**
 * Burn-in, in units of an estimator's correlation time, below which the model relaxation rule
 * (applyModelRelaxationRule) does not trust its estimate: a nonlinear run starts away from its steady state (at rest),
 * and after one relaxation time the offset has decayed to e^-1; averaged over a production of at least
 * 2 batches x MIN_BATCH_CORRELATION_TIMES correlation times, it is then at most e^-1 / 10 of the initial offset.
 */
export const MIN_BURN_IN_CORRELATION_TIMES = 1;

/**
 * Production per replica, in relaxation times 1/rate, below which the model relaxation rule does not trust any estimate
 * of a run whose slowest mode is a barrier crossing (source "diffusion"): a replica then crosses between the wells about
 * 10 times or fewer (the two wells' populations relax at twice the crossing rate), and a run that sits in one well
 * has uncorrelated batches and a small error bar around the wrong value.
 */
export const MIN_RUN_RELAXATION_TIMES = 20;

/** How the slowest rate was found: exactly (the linear engine), or estimated from a nonlinear model (relaxation.ts). */
export type RelaxationSource = "exact" | "effective harmonic" | "linearised" | "diffusion";

const SOURCE_TEXT: Record<RelaxationSource, string> = {
  exact: "exact for this linear model",
  "effective harmonic":
    "estimated from the model as the slowest rate of its effective harmonic network, each quartic term replaced by its mean curvature",
  linearised: "estimated from the model's drift linearised at its potential's minimum",
  diffusion: "estimated from the model's potential, barrier crossings included",
};

/**
 * The slowest-mode rule (linear models, whose slowest relaxation rate is known exactly, and nonlinear models with a
 * rate estimated from the model: `source` below): an estimate is not reliable
 * when its batches, `batchLength` time units long, are shorter than MIN_BATCH_CORRELATION_TIMES correlation times of
 * the slowest mode (1/rate for linear estimates, 1/(2 rate) for quadratic ones). Conservative: an estimate that does
 * not feel the slowest mode loses its flag too. Marks the estimates in place (reliable false, a note); their warning
 * comes with applyTimeStepRules' statistical one. Returns how many reliable estimates it marked.
 *
 * `source` says where the rate comes from (the note says it); with a rate estimated from a nonlinear model
 * (relaxation.ts), `burnIn` and `production` (times per replica) are given too. Then an estimate whose burn-in is
 * shorter than MIN_BURN_IN_CORRELATION_TIMES of its correlation times is not reliable either (a nonlinear run starts
 * at rest, away from its steady state). With "diffusion" (the gap of a one-dimensional diffusion, whose slowest mode
 * in several wells is the barrier crossing) the rule is on the run, not the batches: every estimate needs a
 * production of MIN_RUN_RELAXATION_TIMES relaxation times 1/rate per replica and a burn-in of one. A symmetric
 * observable (x^2, the potential energy in a symmetric double well) barely feels the crossings, and batches of a
 * few crossing times give it honest error bars (measured: docs/stochastic.md), while a run of few crossings is wrong
 * for all of them; the lag-1 check sees the observables whose batches do feel the crossings.
 *
 * `measured`: each estimate's own correlation time was measured (applyCorrelationTimeRule); then, with an effective
 * harmonic rate, only the burn-in is judged on the model's rate and the batches on the estimate's own time.
 */
export function applyRelaxationRule(
  estimates: Estimate[],
  batchLength: number,
  slowestRate: number,
  source: RelaxationSource = "exact",
  burnIn?: number,
  production?: number,
  measured = false,
): number {
  if (!(slowestRate > 0 && slowestRate < Infinity && batchLength > 0)) return 0;
  let marked = 0;
  for (const e of estimates) {
    if (!e.reliable) continue;
    const crossing = source === "diffusion";
    const tau = crossing || LINEAR_GROUPS.has(e.group) ? 1 / slowestRate : 1 / (2 * slowestRate);
    // (an effective harmonic rate's batch rule gives way to each estimate's own correlation time, where measured)
    const ownTime = measured && source === "effective harmonic";
    const shortBatches = !crossing && !ownTime && batchLength < MIN_BATCH_CORRELATION_TIMES * tau;
    const shortRun = crossing && production !== undefined && production < MIN_RUN_RELAXATION_TIMES * tau;
    const shortBurnIn = burnIn !== undefined && burnIn < MIN_BURN_IN_CORRELATION_TIMES * tau;
    if (!shortBatches && !shortRun && !shortBurnIn) continue;
    e.reliable = false;
    marked++;
    // (the exact rate's note as before; the estimated one without "; ", which separates notes)
    const why = source === "exact" ? `${g(tau)}; ${SOURCE_TEXT[source]}` : `${g(tau)}, ${SOURCE_TEXT[source]}`;
    addNote(
      e,
      shortBatches
        ? `batches of ${g(batchLength)} time units are shorter than ${MIN_BATCH_CORRELATION_TIMES} correlation times ` +
            `of this estimate's slowest mode (${why}), so the error bar is underestimated: ` +
            `run longer or with fewer batches (batches of at least ${g(MIN_BATCH_CORRELATION_TIMES * tau)})`
        : shortRun
          ? `a production of ${g(production!)} time units per replica is shorter than ${MIN_RUN_RELAXATION_TIMES} ` +
            `relaxation times of the model (${why}), so a replica crosses between the potential's wells too few ` +
            `times for its error bar to be trusted: run each replica for at least ${g(MIN_RUN_RELAXATION_TIMES * tau)}`
          : `a burn-in of ${g(burnIn!)} time units is shorter than ${MIN_BURN_IN_CORRELATION_TIMES} correlation time ` +
            `of this estimate's slowest mode (${why}), so the run may not have reached its ` +
            `steady state: give a burn-in of at least ${g(MIN_BURN_IN_CORRELATION_TIMES * tau)}`,
    );
  }
  return marked;
}

/**
 * The chance, with uncorrelated batches, that the correlated-run rule (applyCorrelatedRunRule) marks a run: it is
 * spread over the run's estimates, so that a run of 20 estimates is judged at 3 standard deviations, as each
 * estimate is on its own (statistics.ts), and one of 1000 at 4.0.
 */
export const CORRELATED_RUN_FALSE_ALARM = 0.027;

/** The normal one-sided tail's quantile: z with P(Z > z) = p (bisection on Student's t with 1000 degrees). */
function normalQuantile(p: number): number {
  let lo = 0,
    hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (studentTwoSidedTail(mid, 1000) / 2 > p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The correlated-run rule (every model, from the batch means alone): when the batches of one estimate of a run are
 * correlated, the run is short compared with a correlation time it shows, and every estimate of that run loses its
 * flag: in a short run the lag-1 correlation of an estimate that feels the slow time only through a product or a
 * sum with fast noise (a flux, a temperature, a covariance) is diluted and passes, while its error bar is too small
 * all the same. The evidence is the largest lag-1 batch correlation of the run, counted when it exceeds
 * MAX_BATCH_CORRELATION and c/sqrt(pairs), with c the normal quantile of CORRELATED_RUN_FALSE_ALARM / (number of
 * estimates), at least 3 (the per-estimate threshold of statistics.ts). Conservative, like the slowest-mode rule of
 * linear models: an estimate that does not feel the slow time loses its flag too. `pairs` is the number of pairs of
 * consecutive batches within replicas (replicas x (batches per replica - 1)). Marks the estimates in place (reliable
 * false, a note) and returns how many reliable ones it marked.
 */
export function applyCorrelatedRunRule(estimates: Estimate[], pairs: number): number {
  const measuredCount = estimates.filter((e) => e.batchCorrelation !== undefined).length;
  if (measuredCount === 0 || !(pairs > 0)) return 0;
  const c = Math.max(3, normalQuantile(CORRELATED_RUN_FALSE_ALARM / measuredCount));
  const threshold = Math.max(MAX_BATCH_CORRELATION, c / Math.sqrt(pairs));
  return markRun(
    estimates,
    (e) => (e.batchCorrelation !== undefined && e.batchCorrelation > threshold ? e.batchCorrelation : undefined),
    true,
    (worst) =>
      `the batches of "${worst.group}: ${worst.name}" in this run are correlated (${worst.batchCorrelation!.toFixed(2)}): ` +
      `the run is short compared with a correlation time it shows, so no error bar of the run is trusted ` +
      `(a short run hides the correlation of most estimates): run longer or with fewer batches per replica`,
  );
}

/**
 * The body of a run-level rule: the estimate with the strongest evidence (the largest `evidence`, the first of
 * equals; undefined: below the rule's threshold) names the problem, and every reliable estimate of the run (but that
 * one where `spareWorst`) loses its flag with `note(worst)`. Returns how many it marked (0 when none is beyond).
 */
function markRun(
  estimates: Estimate[],
  evidence: (e: Estimate) => number | undefined,
  spareWorst: boolean,
  note: (worst: Estimate) => string,
): number {
  let worst: Estimate | undefined;
  let strongest = 0;
  for (const e of estimates) {
    const v = evidence(e);
    if (v !== undefined && (worst === undefined || v > strongest)) {
      worst = e;
      strongest = v;
    }
  }
  if (worst === undefined) return 0;
  const text = note(worst);
  let marked = 0;
  for (const e of estimates) {
    if (!e.reliable || (spareWorst && e === worst)) continue;
    e.reliable = false;
    marked++;
    addNote(e, text);
  }
  return marked;
}

/** The per-estimate threshold of a run-level rule over `count` estimates: CORRELATED_RUN_FALSE_ALARM / count, at most
 * the one-sided normal tail at 3 standard deviations (the per-estimate threshold of statistics.ts). */
function perEstimateTail(count: number): number {
  return Math.min(studentTwoSidedTail(3, 1000) / 2, CORRELATED_RUN_FALSE_ALARM / count);
}

/**
 * The split rule (every model, from the batch means alone): each estimate's batches, cut into the halves of every
 * replica, are compared by a one-way analysis of variance (statistics.ts, Estimate.splitTail: the chance that the
 * halves of a stationary run of uncorrelated batches spread at least as much). Between the replicas it sees
 * replicas that sit in different states (a double well whose replicas have not hopped); between the halves of one
 * replica it sees a run that is still drifting to its steady state (a short burn-in). Either way the batch means of
 * one replica are not samples of the steady state and no estimate of the run is trusted. A run is marked when the
 * smallest splitTail of its estimates is below CORRELATED_RUN_FALSE_ALARM / (number of estimates), at most the
 * normal tail of 3 standard deviations: with uncorrelated batches of a steady state (and normal batch means) a run
 * is marked by chance at most that often. Marks the reliable estimates in place (reliable false, a note) and returns
 * how many it marked.
 */
export function applySplitRule(estimates: Estimate[]): number {
  const measured = estimates.filter((e) => e.splitTail !== undefined);
  if (measured.length === 0) return 0;
  const threshold = perEstimateTail(measured.length);
  return markRun(
    estimates,
    (e) => (e.splitTail !== undefined && e.splitTail < threshold ? -e.splitTail : undefined),
    false,
    (worst) =>
      `the halves of the replicas disagree on "${worst.group}: ${worst.name}" (split test: a spread this large ` +
      `comes by chance with probability ${worst.splitTail!.toExponential(1)} in a steady run): the run drifts, ` +
      `or its replicas sit in different states, so no error bar of the run is trusted: run longer, with a longer ` +
      `burn-in, or with more replicas`,
  );
}

/**
 * The correlation time tau of an exponential correlation that gives sub-batches `subLength` long the integrated
 * autocorrelation g (statistics.ts integratedAutocorrelation): with c = subLength / tau, consecutive sub-batch means
 * of such a process have g = c / (c - 1 + e^-c) (2/c for short sub-batches, where tau = g subLength / 2 as in Sokal's
 * units; 1 for long ones). 0 for g <= 1 (no correlation seen), NaN for NaN.
 */
export function correlationTimeOf(g: number, subLength: number): number {
  if (Number.isNaN(g)) return NaN;
  if (!(g > 1)) return 0;
  // g(c) decreases from infinity (c -> 0) to 1 (c -> infinity): bisection on log c
  const gOf = (c: number) => c / (c < 1e-4 ? (c * c) / 2 - (c * c * c) / 6 : c - 1 + Math.exp(-c));
  let lo = -40,
    hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (gOf(Math.exp(mid)) > g) lo = mid;
    else hi = mid;
  }
  return subLength / Math.exp((lo + hi) / 2);
}

/**
 * The correlation-time rule (every model whose run keeps sub-batches: run.ts Plan.subBatches): an estimate is not
 * reliable when its batches, `batchLength` time units long, are shorter than MIN_BATCH_CORRELATION_TIMES of its own
 * correlation time (correlationTimeOf: the exponential correlation time that gives its series of sub-batch values
 * their integrated autocorrelation `ownG[k]`, statistics.ts integratedAutocorrelation: Sokal's window, or where it closes on
 * g < 1 the larger of it and Geyer's initial monotone sequence), or when that time cannot be measured (NaN: the window is
 * not reached within half a replica's sub-batches). With 5
 * sub-batches a batch the rule asks g <= e: the variance of the mean of the sub-batch values at most e times what it
 * would be for independent values. The time is each estimate's own: an estimate that barely feels the slowest mode
 * keeps its flag on batches shorter than that mode's time, and one that feels a time no other rule knows loses it.
 * Marks the estimates in place (reliable false, a note) and returns how many reliable ones it marked.
 */
export function applyCorrelationTimeRule(
  estimates: Estimate[],
  ownG: ArrayLike<number>,
  batchLength: number,
  subBatches: number,
  subLength = batchLength / subBatches,
): number {
  if (!(subBatches > 1 && batchLength > 0)) return 0;
  let marked = 0;
  estimates.forEach((e, k) => {
    if (!e.reliable) return;
    const tau = correlationTimeOf(ownG[k], subLength);
    if (batchLength >= MIN_BATCH_CORRELATION_TIMES * tau) return;
    e.reliable = false;
    marked++;
    addNote(
      e,
      Number.isNaN(tau)
        ? `${OWN_TIME_NOTE_UNMEASURED} from its ${subBatches} sub-batches a batch (the replicas are too ` +
            `short for it), so the error bar is not trusted: run longer or with fewer, longer batches`
        : `batches of ${g(batchLength)} time units are shorter than ${MIN_BATCH_CORRELATION_TIMES} times this ` +
            `estimate's own correlation time (${g(tau)}, ${OWN_TIME_NOTE}), so the error bar is ` +
            `underestimated: run longer or with fewer batches (batches of at least ${g(MIN_BATCH_CORRELATION_TIMES * tau)})`,
    );
  });
  return marked;
}

const OWN_TIME_NOTE = "measured from its sub-batches";
const OWN_TIME_NOTE_UNMEASURED = "its correlation time cannot be measured";

/**
 * Gives back the flags that only the correlation-time rule took (applyCorrelationTimeRule: every note of the
 * estimate is one of its notes, and the error bar is finite), in place, and returns how many. For linear models,
 * where the exact slowest-mode rule judges the batches instead (src/verify attachExact). Measured
 * (scripts/errorbar-coverage.js, 100 seeds a row): with both rules the long linear runs kept 87-99% of their flags
 * where the exact rule alone keeps 89-100%, and two rows covered a point less (94% to 93%, 92% to 91%).
 */
export function releaseCorrelationTimeRule(estimates: Estimate[]): number {
  let released = 0;
  for (const e of estimates) {
    if (e.reliable || e.note === undefined || !Number.isFinite(e.error)) continue;
    const notes = e.note.split("; ");
    if (!notes.every((n) => n.includes(OWN_TIME_NOTE) || n.startsWith(OWN_TIME_NOTE_UNMEASURED))) continue;
    e.reliable = true;
    delete e.note;
    released++;
  }
  return released;
}
