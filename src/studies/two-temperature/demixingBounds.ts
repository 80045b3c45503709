/**
 * The demixing criterion's bounds for "mixed" (classifyDemixing in demixing.ts) and the slab test's (classifySlab in
 * demixingSlab.ts), in a module of its own so that the figures can quote them without reaching the simulation engine.
 * Browser-safe.
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
 * Bounds of the slab test, each to be met at the Student-t threshold of the replicas. "persists": the retention r of
 * the composition mode at least 0.25 (a composition contrast across the slab of at least half the pure stripe's: r
 * goes as the contrast squared), the hot disks' density in the slab's core at most half their mean (h <= 0.5), and
 * the slab compressed (kappa > 1): a mixture whose cold disks were merely arrested keeps kappa at 1 and lets the hot
 * disks fill the core (h -> 1); neither is enough on its own before the cold disks' interdiffusion time (a slab at
 * T_hot / T_cold = 10 shows both and dissolves later). "dissolves": r at most 0.25 and the slab
 * expanded (kappa < 1: its cold disks spread out, as they do in a mixture, where kappa -> x).
 */
export const SLAB_BOUNDS = Object.freeze({ retention: 0.25, hotExcluded: 0.5, compressed: 1 });

/**
 * The demixing criterion's verdict. "unresolved": the tests at 4 normal standard errors and at the Student-t
 * thresholds of their few values disagree (a difference of 4-32 error bars from 4 replicas, say): the data do not
 * decide between the verdicts.
 */
export type DemixingVerdict = "mixed" | "correlated" | "separating" | "unresolved";
