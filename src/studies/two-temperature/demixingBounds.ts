/**
 * The demixing criterion's bounds for "mixed" (classifyDemixing in demixing.ts), in a module of its own so that the
 * figures can quote them without reaching the simulation engine. Browser-safe.
 */

/**
 * How large a correlation a "mixed" verdict excludes: the confidence interval at the Student-t threshold (the
 * estimate ± resolvedStandardErrors(n) error bars) of psi must lie within ±MIXED_BOUNDS.psi and that of
 * S_cc(q -> 0) - x(1 - x) within ±MIXED_BOUNDS.sccExcess x(1 - x) (an equivalence test: each bound is crossed by chance
 * with the false-alarm rate of 4 normal standard errors). psi = 0.05 is about the weakest correlation measured (psi
 * = 0.04 to 0.065 at T_hot / T_cold = 3); S_cc(q -> 0) = 2 x(1 - x) is, for a regular solution, halfway to the spinodal,
 * where it diverges.
 */
export const MIXED_BOUNDS = Object.freeze({ psi: 0.05, sccExcess: 1 });

/**
 * The demixing criterion's verdict. "unresolved": the tests at 4 normal standard errors and at the Student-t
 * thresholds of their few values disagree (a difference of 4-32 error bars from 4 replicas, say): the data do not
 * decide between the verdicts.
 */
export type DemixingVerdict = "mixed" | "correlated" | "separating" | "unresolved";
