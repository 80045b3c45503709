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
 */
import { MAX_UNKNOWN_BIAS } from "./safety.js";
import type { Estimate } from "./statistics.js";

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
