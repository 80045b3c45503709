/**
 * The separated start of the demixing study (`start: "slab"`): the complementary test to the random start's criterion.
 *
 * The cold disks start in a stripe (slab) across the periodic box, x in [0, w) with w = (N_cold / N) L, the hot disks
 * in the rest, both at the mean density (the same N, phi and composition as the random start; the random start's
 * uniform positions mapped into the slab and its complement, so both starts draw the same numbers). Where the mixture
 * phase-separates the slab is a steady state: the hot gas compresses it (the cold disks carry almost no thermal
 * pressure) and stays out of it; where it is mixed, or merely correlated, the slab dissolves by interdiffusion and
 * the composition profile relaxes to the random start's flat one. A nearly frozen cold slab persisting proves nothing
 * by itself (arrest), so three things are measured in the fixed frame of the box, every sample, per replica:
 *  - the profile amplitude m = pi / sin(pi x) (1/N) sum_j (c_j - x) cos(q1 (x_j - x0)), q1 = 2 pi / L along the slab
 *    normal, x0 = w / 2 the slab's centre: its expectation is 1 for the stripe (any compression of the slab by a
 *    factor kappa changes it by a few percent: sin(pi u) / (4 u (1 - u)) for a slab of width u L, x = 1/2) and 0 for
 *    any state invariant under translation (the random start, a dissolved slab): a signed, unbiased measure, unlike
 *    S_cc >= 0 (it falls when the slab drifts);
 *  - the retention r = (S_n - x(1 - x)) / (S_stripe - x(1 - x)) of the same mode, S_n = (1/N)|sum_j (c_j - x)
 *    exp(i q1 x_j)|^2 and S_stripe its expectation at the start (stripeMode): 1 at the start, 0 in expectation once
 *    dissolved, blind to a drift; the slab test reads r;
 *  - the hot exclusion h: the hot disks' density in the slab's core (within SLAB_CORE w / 2 of the slab's present
 *    centre, the phase of the mode) over their mean density N_hot / L^2: 0 at the start, 1 when the hot disks have
 *    interdiffused (about 0.85 at N = 100-200: the core follows the mode's own fluctuation), small when kept out;
 *  - the compression kappa: the cold disks' density in the core over the start's N_cold / (w L): 1 at the start,
 *    x = N_cold / N once dissolved, above 1 when the hot gas has compressed the slab;
 * and the cold and hot disks per bin across the box (the composition profile). The late values are the mean over the
 * last quarter of each replica's production samples, one value per replica (error bars over replicas).
 *
 * The slab test (classifySlab): "persists" when r stays at least SLAB_BOUNDS.retention, h at most
 * SLAB_BOUNDS.hotExcluded and kappa above 1, each at the Student-t threshold of its replicas, with the late window
 * after the cold disks' interdiffusion time (L / 2 pi)^2 / T_cold: a mixed or correlated slab dissolves within one to
 * two of these (measured at T_hot / T_cold = 1, 3 and 10; at 10 the slab stays compressed with the hot disks kept
 * out for a few hot-disk interdiffusion times (L / 2 pi)^2 / T_hot and then dissolves). "dissolves" when r is at most
 * SLAB_BOUNDS.retention and the slab has expanded; otherwise "undecided".
 * Browser-safe, pure.
 */
import { ModelError } from "../../errors.js";
import { meanOfIndependent, type Measured } from "../../stochastic/statistics.js";
import { wavevectors } from "../../stochastic/structureFactor.js";
import { confidenceStandardErrors, resolvedStandardErrors } from "../../studentT.js";
import { SLAB_BOUNDS, type DemixingVerdict } from "./demixingBounds.js";
import * as portable from "../../special/elementary.js";

/** How a demixing run starts: uniformly random positions (a mixed state) or the cold disks in a slab. */
export type DemixingStart = "random" | "slab";

/** Bins of the composition profile across the box (along the slab normal). */
export const SLAB_BINS = 16;
/** The slab's core, where h and kappa are measured: the central SLAB_CORE of its width at the start. */
export const SLAB_CORE = 0.5;
/** The fraction of the production samples, at its end, over which the late values are averaged. */
export const SLAB_LATE_FRACTION = 0.25;

/** The slab test's bounds (defined beside the criterion's in demixingBounds.ts, which the figures can import). */
export { SLAB_BOUNDS } from "./demixingBounds.js";

/** The slab's geometry in a box of side L: the cold disks in [0, width), centre width / 2. */
export interface SlabGeometry {
  L: number;
  width: number;
  centre: number;
  /** Cold fraction x = N_cold / N. */
  x: number;
  nCold: number;
  N: number;
  /**
   * The start's contrast c in (0, 1]: the fraction of each species placed in its region (the cold disks in the slab,
   * the hot ones outside); the others start uniformly anywhere. c = 1 is the pure stripe; a weaker stripe (c < 1)
   * starts with r = c^2 and sharpens where the mixture separates (uphill diffusion), fades where it mixes.
   */
  contrast: number;
}

export function slabGeometry(N: number, nCold: number, L: number, contrast = 1): SlabGeometry {
  if (!(nCold >= 1 && nCold < N && L > 0)) throw new ModelError("slab: need at least one hot and one cold disk");
  if (!(contrast > 0 && contrast <= 1)) throw new ModelError(`slab: the contrast must be in (0, 1], got ${contrast}`);
  const x = nCold / N;
  return { L, width: x * L, centre: (x * L) / 2, x, nCold, N, contrast };
}

/** How many disks of a species of n are placed in their region at contrast c (the rest start uniformly). */
export function placedCount(n: number, contrast: number): number {
  return n - Math.round((1 - contrast) * n);
}

/**
 * Maps uniformly random positions in [0, L)^2 into the separated start: a cold disk's first coordinate u goes to
 * u w / L (the slab [0, w)), a hot disk's to w + u (L - w) / L (the rest). Both stay uniform in their region, at the
 * mean density. In place; positions are row-major N x 2.
 */
export function slabStart(x: Float64Array, cold: ArrayLike<number>, g: SlabGeometry): void {
  const { L, width: w } = g;
  // At contrast c < 1 the first (1 - c) of each species (in index order) keep their uniform positions.
  const freeCold = g.nCold - placedCount(g.nCold, g.contrast),
    freeHot = g.N - g.nCold - placedCount(g.N - g.nCold, g.contrast);
  let seenCold = 0,
    seenHot = 0;
  for (let a = 0; a < cold.length; a++) {
    const u = x[2 * a] - L * Math.floor(x[2 * a] / L);
    if (cold[a]) {
      if (seenCold++ >= freeCold) x[2 * a] = (u * w) / L;
    } else if (seenHot++ >= freeHot) x[2 * a] = w + (u * (L - w)) / L;
  }
}

/** Numbers of one sample: m, hot in the core, cold in the core, S_n, then cold and hot per bin. */
export const SLAB_SAMPLE_SIZE = 4 + 2 * SLAB_BINS;
const BINS_AT = 4;

/**
 * The phase of a + ib in [-pi, pi] for a, b finite and not both 0, from the portable atan (Math.atan2's last bit
 * depends on the engine; exported for tests): atan(b/a) in the right half-plane, shifted by pi in the left, and
 * +-pi/2 - atan(a/b) where |b| > |a|.
 */
export function phaseOf(a: number, b: number): number {
  if (Math.abs(b) <= Math.abs(a)) {
    const t = portable.atan(b / a);
    return a > 0 ? t : b > 0 || (b === 0 && 1 / b > 0) ? t + Math.PI : t - Math.PI; // b = -0: -pi, as Math.atan2
  }
  const t = portable.atan(a / b);
  return b > 0 ? Math.PI / 2 - t : -Math.PI / 2 - t;
}

/** Samples the slab's measures of one configuration into out[0 .. SLAB_SAMPLE_SIZE) (see the header). */
export function slabSample(x: Float64Array, cold: ArrayLike<number>, g: SlabGeometry, out: Float64Array): void {
  const { L, centre, x: xf, N, width } = g;
  const q = (2 * Math.PI) / L,
    half = (SLAB_CORE * width) / 2,
    binWidth = L / SLAB_BINS;
  // The composition mode along the slab normal about the start's centre: its real part is m's sum, its phase the
  // slab's present centre (where the core is counted: the slab may drift).
  let a = 0,
    b = 0;
  for (let j = 0; j < cold.length; j++) {
    const w = (cold[j] ? 1 : 0) - xf,
      phase = q * (x[2 * j] - centre);
    a += w * portable.cos(phase);
    b += w * portable.sin(phase);
  }
  const now = centre + (a * a + b * b > 0 ? phaseOf(a, b) / q : 0);
  let hot = 0,
    cc = 0;
  out.fill(0, BINS_AT, SLAB_SAMPLE_SIZE);
  for (let j = 0; j < cold.length; j++) {
    const u = x[2 * j] - L * Math.floor(x[2 * j] / L);
    const c = cold[j] ? 1 : 0;
    let d = Math.abs(u - now);
    d -= L * Math.floor(d / L);
    if (d > L / 2) d = L - d;
    if (d < half) {
      if (c) cc++;
      else hot++;
    }
    const bin = Math.min(SLAB_BINS - 1, Math.floor(u / binWidth));
    out[BINS_AT + (c ? 0 : SLAB_BINS) + bin]++;
  }
  out[0] = ((a / N) * Math.PI) / portable.sin(Math.PI * xf);
  out[1] = hot;
  out[2] = cc;
  out[3] = (a * a + b * b) / N;
}

/** The hot exclusion h and the compression kappa from core counts. */
export function coreDensities(hot: number, cold: number, g: SlabGeometry): { h: number; kappa: number } {
  const core = SLAB_CORE * g.width * g.L;
  const nHot = g.N - g.nCold;
  return { h: hot / core / (nHot / (g.L * g.L)), kappa: cold / core / (g.nCold / (g.width * g.L)) };
}

/**
 * The expectation of S_cc of the smallest shell of wavevectors for the separated start (independent uniform
 * positions in the slab and its complement): a mode with n_y != 0 has the ideal mixture's x(1 - x) (the positions are
 * uniform along y); the mode (n, 0) has (1/N)(|sum_j w_j f_j|^2 + sum_j w_j^2 (1 - |f_j|^2)), w_j = c_j - x and f_j
 * the characteristic function of disk j's position along x (sin(pi n w / L) / (pi n w / L) for a cold disk, the
 * complement's for a hot one). For x = 1/2 and large N: S_cc((2 pi / L, 0)) = N / pi^2 + (1 - 4 / pi^2) / 4; the
 * stripe's S_cc(q_min) grows like N.
 */
export function slabStartStructure(
  N: number,
  nCold: number,
  modes: { nx: ArrayLike<number>; ny: ArrayLike<number>; shell: ArrayLike<number> },
  shell = 0,
  contrast = 1,
): number {
  const x = nCold / N;
  let sum = 0,
    count = 0;
  for (let k = 0; k < modes.nx.length; k++) {
    if (modes.shell[k] !== shell) continue;
    count++;
    const n = modes.nx[k];
    sum += modes.ny[k] !== 0 || n === 0 ? x * (1 - x) : stripeMode(N, nCold, n, contrast);
  }
  if (count === 0) throw new ModelError(`slab: no wavevector in shell ${shell}`);
  return sum / count;
}

/**
 * The study's S_cc(q -> 0) (the smallest shell of wavevectors up to qMax = pi / range in a box of side L) expected at
 * the separated start: slabStartStructure over that shell.
 */
export function slabStartLowQ(N: number, nCold: number, L: number, range: number, contrast = 1): number {
  return slabStartStructure(N, nCold, wavevectors([L, L], Math.PI / range), 0, contrast);
}

/**
 * The expectation of S_cc of the mode (2 pi n / L, 0) across the slab at the separated start (slabStartStructure):
 * (1/N)(|sum_j w_j f_j|^2 + sum_j w_j^2 (1 - |f_j|^2)), f_j the characteristic function of disk j's position along x.
 */
export function stripeMode(N: number, nCold: number, n = 1, contrast = 1): number {
  const x = nCold / N,
    nHot = N - nCold;
  // Characteristic functions about the slab's centre x0 = w / 2 (real: both regions are symmetric about x0); a disk
  // left uniform (contrast < 1) has f = 0.
  const s = portable.sin(Math.PI * n * x);
  const fc = s / (Math.PI * n * x),
    fh = -s / (Math.PI * n * (1 - x));
  const pc = placedCount(nCold, contrast),
    ph = placedCount(nHot, contrast);
  const mean = pc * (1 - x) * fc - ph * x * fh;
  const variance = (1 - x) ** 2 * (pc * (1 - fc * fc) + (nCold - pc)) + x * x * (ph * (1 - fh * fh) + (nHot - ph));
  return (mean * mean + variance) / N;
}

/** The slab start's measurements, reduced over replicas. */
export interface DemixingSlab {
  /** The slab at the start: [0, width) in x; its centre; the box side. */
  width: number;
  centre: number;
  boxSide: number;
  /** The hot disks' interdiffusion time (L / 2 pi)^2 / T_hot. */
  hotTime: number;
  /**
   * The cold disks' interdiffusion time (L / 2 pi)^2 / T_cold: a mixed or correlated slab dissolves within one to two
   * of these (measured at T_hot / T_cold = 1, 3, 10, area fraction 0.4), so "persists" needs the late window to start
   * after it. In dense mixtures of stiff disks labels interdiffuse more slowly: slabMixingHorizon sets the run a
   * mixed slab needs there to read "dissolves".
   */
  coldTime: number;
  /** Sampling times (burn-in included) and, at each, m, h, kappa: mean over replicas and the standard error. */
  time: number[];
  amplitude: number[];
  amplitudeError: number[];
  /**
   * The retention r = (S_n - x(1 - x)) / (S_stripe - x(1 - x)) of the composition mode across the slab, S_n =
   * (1/N)|sum_j (c_j - x) exp(i q1 x_j)|^2, S_stripe its expectation at the start (stripeMode): 1 at the start, 0 in
   * expectation for any state invariant under translation, and blind to a drift of the slab (unlike m).
   */
  retention: number[];
  retentionError: number[];
  hotExclusion: number[];
  hotExclusionError: number[];
  compression: number[];
  compressionError: number[];
  /** Bin centres across the box (x from 0 to L) and the cold fraction per bin at each time (pooled over replicas). */
  binCentre: number[];
  profile: number[][];
  /** The late values (last SLAB_LATE_FRACTION of the production samples), one value per replica. */
  late: {
    amplitude: Measured & { batches: number };
    retention: Measured & { batches: number };
    hotExclusion: Measured & { batches: number };
    compression: Measured & { batches: number };
    /** S_cc of the smallest shell of wavevectors (the study's S_cc(q -> 0)) over the late window. */
    sccLowQ: Measured & { batches: number };
  };
  /** Start of the late window. */
  lateFrom: number;
}

/** The slab test's verdict. */
export type SlabVerdict = "persists" | "dissolves" | "undecided";

/**
 * The slab test (see the header): "persists", "dissolves" or "undecided", with one sentence per test. Every bound is
 * taken at the Student-t threshold of the replicas behind the error bar (resolvedStandardErrors). With `control`, the
 * relaxation rate per t_cold of a mixed slab at the same density (slabMixingRate of the equal-temperature run): where
 * its mixing horizon is over 1.4 t_cold, "persists" also needs the slab's own rate resolved below half of it, the
 * slab's upper end below half the control's lower end (slowerThanControl).
 */
export function classifySlab(
  s: DemixingSlab,
  control?: Pick<Measured, "value" | "error"> & { batches: number },
): { verdict: SlabVerdict; reasons: string[] } {
  const { retention: r, hotExclusion: h, compression: k } = s.late;
  const lo = (v: Measured & { batches: number }) => v.value - resolvedStandardErrors(v.batches) * v.error;
  const hi = (v: Measured & { batches: number }) => v.value + resolvedStandardErrors(v.batches) * v.error;
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
  const long = s.lateFrom >= s.coldTime;
  const finite = [r, h, k].every((v) => Number.isFinite(v.error) && v.error >= 0 && v.batches >= 2);
  const persists =
    finite &&
    long &&
    lo(r) >= SLAB_BOUNDS.retention &&
    hi(h) <= SLAB_BOUNDS.hotExcluded &&
    lo(k) > SLAB_BOUNDS.compressed;
  const dissolves = finite && hi(r) <= SLAB_BOUNDS.retention && hi(k) < SLAB_BOUNDS.compressed;
  const t = resolvedStandardErrors(r.batches);
  const slow = control ? slowerThanControl(s, control, t) : undefined;
  const verdict: SlabVerdict = persists && slow?.slower !== false ? "persists" : dissolves ? "dissolves" : "undecided";
  const reasons = [
    `slab start: the composition mode across the slab keeps r = ${f(r.value)} ± ${f(r.error)} of the stripe's (1 at the start, 0 once dissolved; bound ${SLAB_BOUNDS.retention}) over t = ${f(s.lateFrom)} to the end, at ${f(t)} error bars`,
    `hot disks in the slab's core at h = ${f(h.value)} ± ${f(h.error)} of their mean density (excluded: at most ${SLAB_BOUNDS.hotExcluded}); cold density kappa = ${f(k.value)} ± ${f(k.error)} of the start's (compressed above 1, expanded below)`,
    long
      ? `the late window starts after the cold disks' interdiffusion time (L/2 pi)^2/T_cold = ${f(s.coldTime)}`
      : `the late window starts at ${f(s.lateFrom)}, before the cold disks' interdiffusion time (L/2 pi)^2/T_cold = ${f(s.coldTime)} (a mixed slab dissolves within one to two of these): a persisting slab decides nothing yet`,
    ...(slow ? [slow.reason] : []),
  ];
  return { verdict, reasons };
}

/**
 * The mixed control's condition of classifySlab: where the control's rate k_ctl (slabMixingRate of the ratio-1 slab
 * at the same density, per t_cold), at its lower end k_ctl - t dk at the Student-t resolution threshold t of its
 * replicas, gives a mixing horizon over 1.4 t_cold, a mixed slab still keeps r >= 0.25 when a
 * 1.4 t_cold run's late window starts, and kappa > 1 can be a passing state of a dissolving slab; "persists" then also
 * needs the slab's own rate resolved below half the control's, both ends at their own resolution thresholds:
 * k + t dk < (k_ctl - t_ctl dk_ctl) / 2 (t, t_ctl the Student-t thresholds of the slab's and the control's replicas).
 * Not the control's point estimate k_ctl / 2: an unluckily low control estimate would make "persists" easier, a wrong
 * verdict rather than "undecided". A control whose lower end is not above 0 then asks the slab's rate to be resolved
 * below 0 (the slab sharpening). `slower` is undefined where the condition does not apply (the control's horizon is
 * 1.4 t_cold).
 */
function slowerThanControl(
  s: DemixingSlab,
  control: Pick<Measured, "value" | "error"> & { batches: number },
  t: number,
): { slower?: boolean; reason: string } {
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
  // The gate takes the control's rate at the resolution threshold, not the horizon's one-sided 95% bound: dropping the
  // condition lets a slab "persist" on the bounds alone, so it needs the control resolved fast (a mixed slab then has
  // r <= e^-3 by 1.05 t_cold), and a rate not resolved above 0 keeps the condition (its horizon is unbounded).
  const low = control.value - resolvedStandardErrors(control.batches) * control.error;
  const horizon =
    Number.isFinite(low) && low > 0 ? Math.max(1, SLAB_MIXING_DECAY / (low * (1 - SLAB_LATE_FRACTION))) : Infinity;
  const ctl = `the mixed control relaxes at k_ctl = ${f(control.value)} ± ${f(control.error)} per t_cold`;
  if (horizon <= 1.4) return { reason: `${ctl} (mixing horizon 1.4 t_cold): no condition on the slab's own rate` };
  let own: (Measured & { batches: number }) | undefined;
  try {
    own = slabMixingRate(s);
  } catch {
    own = undefined;
  }
  if (!own)
    return {
      slower: false,
      reason: `${ctl} (mixing horizon over 1.4 t_cold); the slab's own rate is not measured (late r not above 0): "persists" needs it below half the control's lower end`,
    };
  // Both ends at their own resolution thresholds: the slab's upper end below half the control's lower end. A point
  // estimate k_ctl / 2 would let an unluckily low control estimate pass a slab that relaxes as fast as a mixed one.
  const top = own.value + t * own.error;
  const half = low / 2;
  const slower = top < half;
  return {
    slower,
    reason: `${ctl} (mixing horizon over 1.4 t_cold); the slab's own rate k = ${f(own.value)} ± ${f(own.error)} ${slower ? "is" : "is not"} resolved below half the control's lower end, (k_ctl - t dk_ctl) / 2 = ${f(half)}, both at their Student-t thresholds (${f(t)} and ${f(resolvedStandardErrors(control.batches))} error bars)${slower ? "" : ': not "persists"'}`,
  };
}

/**
 * A run on the mixing horizon (slabMixingHorizon) starts its late window where a mixed slab's r would have fallen to
 * exp(-SLAB_MIXING_DECAY) = 0.05: SLAB_BOUNDS.retention = 0.25 leaves 0.2 for r's error bar at the Student-t
 * threshold of the replicas (at e^-2 = 0.14 a mixed control at N = 60, 8 replicas, read "undecided": r = 0.148 ±
 * 0.024, bound 0.35).
 */
export const SLAB_MIXING_DECAY = 3;

/**
 * The label-interdiffusion rate of a slab run, in units of its cold disks' interdiffusion time t_cold: k in
 * r(t) = exp(-k t / t_cold) (r = 1 at the start by construction: S_stripe normalises it), from the late retention r
 * (one value per replica, error over replicas) at the mean time t_late of the late window's samples:
 * k = ln(1 / r) t_cold / t_late, error (dr / r) t_cold / t_late. For a free random walk of labels at diffusion
 * coefficient D this is 2 D / T_cold (r goes as the contrast squared, exp(-2 D q1^2 t)). Read from a mixed control
 * (equal temperatures at the same density), it sets how long a mixed slab takes to dissolve there: at the stiff
 * stiffness's dense points labels interdiffuse at 0.2-0.4 of a free disk's rate, so t_cold is too short.
 * Throws ModelError when the late r is not above 0 (the run dissolved: its rate is only bounded below) or rests on
 * fewer than 2 replicas.
 */
export function slabMixingRate(
  s: Pick<DemixingSlab, "late" | "lateFrom" | "coldTime" | "time">,
): Measured & { batches: number; lateTime: number } {
  const r = s.late.retention;
  const times = s.time.filter((t) => t >= s.lateFrom);
  const lateTime = times.reduce((a, t) => a + t, 0) / Math.max(times.length, 1);
  if (!(times.length > 0 && lateTime > 0 && s.coldTime > 0))
    throw new ModelError("the slab run has no late samples after t = 0: no relaxation rate");
  if (!(Number.isFinite(r.value) && Number.isFinite(r.error) && r.batches >= 2 && r.value > 0))
    throw new ModelError(
      `the slab's late retention r = ${r.value} ± ${r.error} (${r.batches} replicas) is not above 0: the run dissolved, its relaxation rate is only bounded below`,
    );
  const scale = s.coldTime / lateTime;
  return {
    value: Math.log(1 / r.value) * scale,
    error: (r.error / r.value) * scale,
    reliable: r.reliable,
    batches: r.batches,
    lateTime,
  };
}

/**
 * The one-sided confidence of the mixing horizon's rate bound (slabMixingHorizon): the rate's lower end is
 * k - t95 dk, t95 = confidenceStandardErrors(n, 0.95) of the control's n replicas (2.353 for 4, 1.895 for 8).
 */
export const SLAB_MIXING_CONFIDENCE = 0.95;

/**
 * The production time of a slab run on the mixing horizon: long enough that a slab relaxing at the control's rate k
 * (slabMixingRate, per t_cold) has r below exp(-SLAB_MIXING_DECAY) when the late window (the last SLAB_LATE_FRACTION)
 * starts, t = SLAB_MIXING_DECAY / (k_low (1 - SLAB_LATE_FRACTION)) t_cold with k_low = k - t95 dk the rate's one-sided
 * 95% lower bound (Student's t of the control's replicas, SLAB_MIXING_CONFIDENCE), and never shorter than `minimum`
 * t_cold (1.4: the schedule on which "persists" may be called). A mixed slab at the control's density then reads
 * "dissolves"; a separated one still "persists".
 * Why a confidence bound and not the resolution threshold (resolvedStandardErrors): the horizon sets only the run
 * length, and no verdict depends on it. "Dissolves" needs r + t dk <= 0.25 and kappa < 1 from the run's own late
 * window, "persists" the late window after t_cold, the bounds and the slab's own rate resolved below half the
 * control's (classifySlab, whose gate keeps the resolution threshold); a run shorter than a mixed slab needs leaves r
 * above the bound, "undecided", never a wrong "dissolves" or "persists". A too-long run costs only CPU time. So the
 * bound sets how often a run is long enough (at least 95% of the time, for a mixed slab relaxing at the control's
 * true rate), not a false-alarm rate.
 * Throws ModelError when the bound is not above 0 (k_low <= 0, or not finite) or t_cold is not positive.
 */
export function slabMixingHorizon(
  rate: Pick<Measured, "value" | "error"> & { batches: number },
  coldTime: number,
  minimum = 1.4,
): number {
  const t = confidenceStandardErrors(rate.batches, SLAB_MIXING_CONFIDENCE);
  const low = rate.value - t * rate.error;
  if (!(Number.isFinite(low) && low > 0))
    throw new ModelError(
      `the mixed control's relaxation rate k = ${rate.value} ± ${rate.error} (${rate.batches} replicas) has no positive one-sided 95% lower bound (k - ${t.toPrecision(4)} dk <= 0): no mixing horizon`,
    );
  if (!(Number.isFinite(coldTime) && coldTime > 0)) throw new ModelError(`t_cold must be > 0, got ${coldTime}`);
  return Math.max(minimum, SLAB_MIXING_DECAY / (low * (1 - SLAB_LATE_FRACTION))) * coldTime;
}

/** Reduces the per-replica slab samples (R replicas, S samples of SLAB_SAMPLE_SIZE each, at offset `at` of each replica's P outputs). */
export function reduceSlab(
  all: Float64Array,
  R: number,
  P: number,
  at: number,
  S: number,
  times: readonly number[],
  firstProduction: number,
  g: SlabGeometry,
  temperatures: { Thot: number; Tcold: number },
  lowQ: (replica: number, sample: number) => number,
): DemixingSlab {
  const amplitude: number[] = [],
    amplitudeError: number[] = [],
    retention: number[] = [],
    retentionError: number[] = [],
    hotExclusion: number[] = [],
    hotExclusionError: number[] = [],
    compression: number[] = [],
    compressionError: number[] = [],
    profile: number[][] = [];
  const m = new Float64Array(R),
    rr = new Float64Array(R),
    sq = new Float64Array(R),
    h = new Float64Array(R),
    k = new Float64Array(R);
  const ideal = g.x * (1 - g.x),
    stripe = stripeMode(g.N, g.nCold) - ideal;
  const read = (r: number, s: number) => {
    const o = r * P + at + s * SLAB_SAMPLE_SIZE;
    const d = coreDensities(all[o + 1], all[o + 2], g);
    return { m: all[o], h: d.h, k: d.kappa, r: (all[o + 3] - ideal) / stripe, o };
  };
  const errorOf = (e: number) => (Number.isFinite(e) ? e : 0);
  for (let s = 0; s < S; s++) {
    const cold = new Float64Array(SLAB_BINS),
      hot = new Float64Array(SLAB_BINS);
    for (let r = 0; r < R; r++) {
      const v = read(r, s);
      m[r] = v.m;
      rr[r] = v.r;
      h[r] = v.h;
      k[r] = v.k;
      for (let b = 0; b < SLAB_BINS; b++) {
        cold[b] += all[v.o + BINS_AT + b];
        hot[b] += all[v.o + BINS_AT + SLAB_BINS + b];
      }
    }
    const [mm, rm, hh, kk] = [m, rr, h, k].map((v) => meanOfIndependent(v));
    amplitude.push(mm.value);
    amplitudeError.push(errorOf(mm.error));
    retention.push(rm.value);
    retentionError.push(errorOf(rm.error));
    hotExclusion.push(hh.value);
    hotExclusionError.push(errorOf(hh.error));
    compression.push(kk.value);
    compressionError.push(errorOf(kk.error));
    profile.push(Array.from(cold, (c, b) => (c + hot[b] > 0 ? c / (c + hot[b]) : g.x)));
  }
  const nProd = S - firstProduction;
  const nLate = Math.max(1, Math.round(SLAB_LATE_FRACTION * nProd));
  const from = S - nLate;
  for (let r = 0; r < R; r++) {
    let a = 0,
      b = 0,
      c = 0,
      d = 0,
      e = 0;
    for (let s = from; s < S; s++) {
      const v = read(r, s);
      e += lowQ(r, s) / nLate;
      a += v.m / nLate;
      b += v.h / nLate;
      c += v.k / nLate;
      d += v.r / nLate;
    }
    m[r] = a;
    h[r] = b;
    k[r] = c;
    rr[r] = d;
    sq[r] = e;
  }
  const late = (v: Float64Array) => {
    const e = meanOfIndependent(v);
    return { ...e, error: errorOf(e.error), batches: R };
  };
  const binWidth = g.L / SLAB_BINS;
  return {
    width: g.width,
    centre: g.centre,
    boxSide: g.L,
    hotTime: (g.L / (2 * Math.PI)) ** 2 / temperatures.Thot,
    coldTime: (g.L / (2 * Math.PI)) ** 2 / temperatures.Tcold,
    time: [...times],
    amplitude,
    amplitudeError,
    retention,
    retentionError,
    hotExclusion,
    hotExclusionError,
    compression,
    compressionError,
    binCentre: Array.from({ length: SLAB_BINS }, (_, b) => (b + 0.5) * binWidth),
    profile,
    late: { amplitude: late(m), retention: late(rr), hotExclusion: late(h), compression: late(k), sccLowQ: late(sq) },
    lateFrom: times[from],
  };
}

/** What a slab-start run contributes to the combined verdict. */
export interface SlabCriterionRun {
  parameters: { N: number };
  slab: DemixingSlab;
}

/** The random start's verdict (classifyDemixing) and its psi at the largest size. */
export interface RandomStartVerdict {
  verdict: DemixingVerdict;
  psi: Measured & { batches: number };
}

/**
 * The verdict of both starts (docs/studies/two-temperature.md, "The separated start"): the slab test at the largest
 * size decides where it is not "undecided", the random start's criterion (classifyDemixing) elsewhere:
 *  - the slab persists (and its S_cc(q_min) / N does not fall with N, resolved, over the sizes run): "separating";
 *    but "unresolved" when the random start says "mixed" (the tests disagree);
 *  - the slab dissolves: the random start's "mixed" or "correlated" stands; its "separating" or "unresolved" becomes
 *    "correlated" when its psi > 0 is resolved (the cold-cold correlation is real, the separated state is not stable:
 *    a growth of L or psi in time was settling, not coarsening), else "unresolved";
 *  - the slab test undecided (too short a run, or a slab between the bounds): the random start's verdict.
 * `control`: the mixed control's relaxation rate at the same density, passed to classifySlab.
 * Throws ModelError without slab runs.
 */
export function combineDemixing(
  random: RandomStartVerdict,
  slabRuns: readonly SlabCriterionRun[],
  control?: Pick<Measured, "value" | "error"> & { batches: number },
): { verdict: DemixingVerdict; slab: SlabVerdict; reasons: string[] } {
  if (slabRuns.length === 0) throw new ModelError("the slab test needs at least one run from the separated start");
  const sorted = [...slabRuns].sort((a, b) => a.parameters.N - b.parameters.N);
  const small = sorted[0],
    large = sorted[sorted.length - 1];
  const test = classifySlab(large.slab, control);
  const f = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
  const reasons = [...test.reasons.map((r) => `N = ${large.parameters.N}: ${r}`)];
  // S_cc(q_min) / N over the sizes: a separated state keeps it (S_cc(q_min) proportional to N); a fall with N,
  // resolved, says the slab holds less of its contrast in larger boxes.
  let falls = false;
  if (sorted.length > 1) {
    const a = small.slab.late.sccLowQ,
      b = large.slab.late.sccLowQ;
    const na = small.parameters.N,
      nb = large.parameters.N;
    const diff = b.value / nb - a.value / na,
      err = Math.hypot(b.error / nb, a.error / na);
    const t = resolvedStandardErrors(Math.min(a.batches, b.batches));
    falls = diff + t * err < 0;
    reasons.push(
      `slab start: S_cc(q_min)/N = ${f(a.value / na)} ± ${f(a.error / na)} at N = ${na}, ${f(b.value / nb)} ± ${f(b.error / nb)} at N = ${nb} (${falls ? "falls with N" : "does not fall with N"})`,
    );
  }
  const slab: SlabVerdict = test.verdict === "persists" && falls ? "undecided" : test.verdict;
  const psiResolved = random.psi.value - resolvedStandardErrors(random.psi.batches) * random.psi.error > 0;
  let verdict: DemixingVerdict;
  if (slab === "persists") {
    verdict = random.verdict === "mixed" ? "unresolved" : "separating";
    reasons.push(
      random.verdict === "mixed"
        ? `unresolved: the slab persists but the random start says "mixed"`
        : `separating: the separated start is stable (random start: "${random.verdict}")`,
    );
  } else if (slab === "dissolves") {
    verdict =
      random.verdict === "mixed" || random.verdict === "correlated"
        ? random.verdict
        : psiResolved
          ? "correlated"
          : "unresolved";
    reasons.push(
      `${verdict}: the slab dissolves, the separated state is not stable at N = ${large.parameters.N} (random start: "${random.verdict}"${random.verdict === verdict ? "" : `, psi = ${f(random.psi.value)} ± ${f(random.psi.error)}`})`,
    );
  } else {
    verdict = random.verdict;
    reasons.push(`${verdict}: the slab test does not decide; the random start's criterion stands`);
  }
  return { verdict, slab, reasons };
}
