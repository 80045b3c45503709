/**
 * The coarsening of the cold domains from a random start (docs/studies/two-temperature.md, "Coarsening at the stiff
 * point"): the domain size L(t) of the replica-mean S_cc(q, t) (the first moment of its excess over the ideal
 * mixture, as the study's L), its jackknife error over the replicas, and the growth exponent alpha of L ~ t^alpha
 * fitted in ln L against ln t (each point weighted by its share of ln t, so that the linearly spaced samples do not
 * weight the late times more), over the whole fit window and over successive windows of a factor `windowFactor` in t
 * (the effective exponent, which is constant in a scaling regime: 1/3 for a conserved composition, Lifshitz and
 * Slyozov). Error bars: jackknife over the replicas (one value per replica left out), resolved at the Student-t
 * threshold of the replicas. A pure computation on the study's S_cc(q) time series (one run per replica, so that each
 * replica's S_cc(q, t) is known); the figure draws what it returns. Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { linePanel, panelFigure, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import { firstMomentLength } from "../../stochastic/structureFactor.js";
import { resolvedStandardErrors } from "../../studentT.js";

/** One replica's S_cc(q) time series (the study's series.structure of a one-replica run). */
export interface CoarseningReplica {
  seed: number;
  /** Sampling times from the random start. */
  time: readonly number[];
  /** S_cc(q) of every shell at each time: structure[time][shell]. */
  structure: readonly (readonly number[])[];
}

export interface CoarseningInput {
  /** Mean |q| and wavevector count of each shell (the study's structure.q and structure.count), and x(1 - x). */
  q: readonly number[];
  count: readonly number[];
  ideal: number;
  replicas: readonly CoarseningReplica[];
  /** The fit window: times t >= fitFrom (and t > 0) up to the last sample. */
  fitFrom: number;
  /** The effective exponent's windows: [t, windowFactor t] from fitFrom on (default 2). */
  windowFactor?: number;
}

export interface CoarseningExponent {
  value: number;
  /** Jackknife standard error over the replicas. */
  error: number;
  /** Replicas behind the error bar. */
  batches: number;
  from: number;
  to: number;
  /** Samples in the window that were fitted (L defined for the mean and for every leave-one-out mean). */
  points: number;
}

export interface CoarseningFit {
  /** The sampling times where L is defined (for the mean, every leave-one-out mean and every replica). */
  time: number[];
  /** Sampling times left out of the series above: S_cc(q) there holds no excess over x(1 - x), so L is undefined. */
  leftOut: number[];
  /** L(t) of the replica-mean S_cc(q, t), its jackknife error, and each replica's own L(t) (noisier, for display). */
  length: number[];
  lengthError: number[];
  replicaLength: number[][];
  /** alpha of L ~ t^alpha over [fitFrom, end] with the prefactor (ln L = ln A + alpha ln t). */
  exponent: CoarseningExponent & { prefactor: number };
  /** alpha over successive windows [t, windowFactor t]. */
  effective: CoarseningExponent[];
  /** (alpha - 1/3) / error over the fit window (absent when the replicas give no spread: error 0), and the
   * Student-t threshold of the replicas. */
  lifshitzSlyozovZ?: number;
  threshold: number;
}

function meanStructure(reps: readonly CoarseningReplica[], k: number, shells: number): Float64Array {
  const S = new Float64Array(shells);
  for (const r of reps) for (let s = 0; s < shells; s++) S[s] += r.structure[k][s] / reps.length;
  return S;
}

/** Weighted least-squares slope and intercept of y on x (NaN with fewer than 3 points). */
function slope(x: number[], y: number[], w: number[]): { a: number; b: number } {
  let W = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++) {
    W += w[i];
    sx += w[i] * x[i];
    sy += w[i] * y[i];
  }
  if (x.length < 3 || !(W > 0)) return { a: NaN, b: NaN };
  const mx = sx / W,
    my = sy / W;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    sxx += w[i] * (x[i] - mx) ** 2;
    sxy += w[i] * (x[i] - mx) * (y[i] - my);
  }
  const a = sxy / sxx;
  return { a, b: my - a * mx };
}

/** Each sample's share of ln t (half the gaps in ln t to its neighbours inside the window). */
function logWeights(t: number[]): number[] {
  const l = t.map(Math.log);
  return l.map((_, i) => ((i + 1 < l.length ? l[i + 1] : l[i]) - (i > 0 ? l[i - 1] : l[i])) / 2);
}

/** The fit of L ~ t^alpha over the samples with from <= t <= to, for the replica-mean of `reps`. */
function fitWindow(
  input: CoarseningInput,
  reps: readonly CoarseningReplica[],
  ks: number[],
): { a: number; b: number; L: number[] } {
  const shells = input.q.length;
  const t = ks.map((k) => reps[0].time[k]);
  // The caller passes only samples whose L is defined for every replica set it fits (the same samples in each).
  const L = ks.map((k) => firstMomentLength(input.q, meanStructure(reps, k, shells), input.count, input.ideal));
  const x = t.map((v) => Math.log(v)),
    y = L.map((v) => Math.log(v));
  return { ...slope(x, y, logWeights(t)), L };
}

/** Jackknife standard error of an estimate from its n leave-one-out values. */
function jackknife(n: number, leaveOut: (i: number) => number): number {
  let m = 0;
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    v.push(leaveOut(i));
    m += v[i] / n;
  }
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(((n - 1) / n) * s);
}

/** L(t), its jackknife errors and the growth exponents (see the module's header). Throws ModelError on bad input. */
export function coarseningFit(input: CoarseningInput): CoarseningFit {
  const reps = input.replicas;
  const R = reps.length;
  if (R < 2) throw new ModelError(`the coarsening fit needs at least 2 replicas for its error bars, got ${R}`);
  const shells = input.q.length;
  const time = [...reps[0].time];
  for (const r of reps) {
    if (r.time.length !== time.length || r.time.some((t, k) => t !== time[k]))
      throw new ModelError(
        `the coarsening fit needs the same sampling times in every replica (seed ${r.seed} differs)`,
      );
    if (r.structure.length !== time.length || r.structure.some((row) => row.length !== shells))
      throw new ModelError(`replica ${r.seed}: S_cc(q) needs one row of ${shells} shells per sampling time`);
  }
  const factor = input.windowFactor ?? 2;
  if (!(factor > 1)) throw new ModelError(`the window factor must be above 1, got ${factor}`);
  if (!Number.isFinite(input.fitFrom))
    throw new ModelError(`the fit window's start must be a finite time, got ${input.fitFrom}`);
  const end = time[time.length - 1];
  const without = (i: number) => reps.filter((_, j) => j !== i);

  const lengthAt = (rs: readonly CoarseningReplica[], k: number) =>
    firstMomentLength(input.q, meanStructure(rs, k, shells), input.count, input.ideal);
  const defined = (L: number) => L > 0 && Number.isFinite(L);
  const length = time.map((_, k) => lengthAt(reps, k));
  const leaveOut = reps.map((_, i) => time.map((_, k) => lengthAt(without(i), k)));
  const replicaLength = reps.map((r) =>
    time.map((_, k) => firstMomentLength(input.q, r.structure[k], input.count, input.ideal)),
  );
  // Fitted samples: t > 0 with L defined for the mean and every leave-one-out mean (the same samples in every fit).
  const fitted = time.map((t, k) => t > 0 && defined(length[k]) && leaveOut.every((l) => defined(l[k])));
  const inWindow = (from: number, to: number) =>
    time.map((t, k) => k).filter((k) => fitted[k] && time[k] >= from && time[k] <= to * (1 + 1e-12));

  const exponentOver = (from: number, to: number): CoarseningExponent & { prefactor: number } => {
    const ks = inWindow(from, to);
    const all = fitWindow(input, reps, ks);
    const error = jackknife(R, (i) => fitWindow(input, without(i), ks).a);
    return { value: all.a, error, batches: R, from, to, points: ks.length, prefactor: Math.exp(all.b) };
  };
  // The windows start at the first fitted sample at or after fitFrom (a start at t <= 0 would never grow).
  const first = time.findIndex((t, k) => fitted[k] && t >= input.fitFrom);
  if (first < 0) throw new ModelError(`the fit window t >= ${input.fitFrom} holds fewer than 3 samples with L defined`);
  const start = time[first];
  const exponent = exponentOver(start, end);
  if (!(exponent.points >= 3))
    throw new ModelError(`the fit window t >= ${input.fitFrom} holds fewer than 3 samples with L defined`);
  const effective: CoarseningExponent[] = [];
  for (let a = start; a * factor <= end * (1 + 1e-12); a *= factor) {
    const e = exponentOver(a, a * factor);
    if (e.points >= 3)
      effective.push({ value: e.value, error: e.error, batches: e.batches, from: e.from, to: e.to, points: e.points });
  }
  // The series: samples where every L is defined (nothing made up where S_cc(q) holds no excess).
  const shown = time
    .map((_, k) => k)
    .filter((k) => fitted[k] || (time[k] <= 0 && defined(length[k]) && leaveOut.every((l) => defined(l[k]))));
  const keep = shown.filter((k) => replicaLength.every((l) => defined(l[k])));
  const lengthError = keep.map((k) => jackknife(R, (i) => leaveOut[i][k]));
  if (!(Number.isFinite(exponent.value) && Number.isFinite(exponent.error) && lengthError.every(Number.isFinite)))
    throw new ModelError("the coarsening fit is not finite: the samples do not determine the exponent");
  return {
    time: keep.map((k) => time[k]),
    leftOut: time.filter((_, k) => !keep.includes(k)),
    length: keep.map((k) => length[k]),
    lengthError,
    replicaLength: replicaLength.map((l) => keep.map((k) => l[k])),
    exponent,
    effective,
    ...(exponent.error > 0 ? { lifshitzSlyozovZ: (exponent.value - 1 / 3) / exponent.error } : {}),
    threshold: resolvedStandardErrors(R),
  };
}

/** What the coarsening figure reads: the stored results of scripts/demixing-coarsening.js. */
export interface CoarseningResults {
  version: string;
  parameters: {
    N: number;
    phi: number;
    Thot: number;
    Tcold: number;
    stiffness: number;
    range: number;
    dt: number;
    time: number;
    sampleInterval: number;
  };
  seeds: number[];
  boxSide: number;
  coldTime: number;
  fit: CoarseningFit;
}

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();

/**
 * L(t) against t (log-log) with the fitted power law and t^(1/3) (Lifshitz-Slyozov), and the effective exponent
 * over successive windows against 1/3. Pure: draws the stored results.
 */
export function demixingCoarseningFitFigure(results: CoarseningResults): Figure {
  const { fit, parameters: p } = results;
  if (fit.time.length === 0) throw new ModelError("the coarsening results have no samples");
  const ks = fit.time.map((t, k) => k).filter((k) => fit.time[k] > 0);
  const e = fit.exponent;
  const mid = Math.sqrt(e.from * e.to);
  const Lmid = e.prefactor * mid ** e.value;
  const replicas: Series[] = fit.replicaLength.map((L, i) => ({
    name: `replica ${i + 1} (its own L)`,
    x: ks.map((k) => fit.time[k]),
    y: ks.map((k) => L[k]),
    color: "lightgray",
    strokeWidth: 1,
  }));
  const width = 460,
    height = 340;
  const t = fit.threshold;
  const z = fit.lifshitzSlyozovZ;
  const verdict =
    z === undefined
      ? "without an error bar (the replicas agree exactly)"
      : Math.abs(z) > t
        ? `resolved from 1/3 (${fmt(z, 2)} error bars, threshold ${fmt(t, 3)})`
        : `not resolved from 1/3 (${fmt(z, 2)} error bars, threshold ${fmt(t, 3)})`;
  return panelFigure({
    name: "demixing-coarsening",
    title: `Coarsening of the cold domains at T_hot/T_cold = ${fmt(p.Thot / p.Tcold)}, phi = ${p.phi}, T_hot/k = ${fmt(p.Thot / p.stiffness)} (N = ${p.N})`,
    caption:
      `Random start, ${results.seeds.length} replicas (seeds ${results.seeds.join(", ")}) sampled to t = ${fmt(fit.time[fit.time.length - 1])}, N = ${p.N} soft disks (half cold), ` +
      `box side ${fmt(results.boxSide)}, T_hot = ${fmt(p.Thot)}, T_cold = ${fmt(p.Tcold)}, k = ${fmt(p.stiffness)}, range ${fmt(p.range)}, Heun, dt = ${fmt(p.dt)}, ` +
      `samples every ${fmt(p.sampleInterval)}; ness ${results.version}. (a) L(t) = 2π Σ D(q) / Σ |q| D(q), D = max(S_cc − x(1 − x), 0), of the replica-mean S_cc(q, t) ` +
      `(jackknife error bars over the replicas; gray: each replica's own L). Red: the fit L = A t^alpha over t = ${fmt(e.from)}-${fmt(e.to)} ` +
      `(weighted uniformly in ln t), alpha = ${fmt(e.value)} ± ${fmt(e.error, 2)} (jackknife, ${e.batches} replicas), ${verdict}; ` +
      `dashed: t^(1/3) (Lifshitz-Slyozov, conserved composition) through the fit's middle. ` +
      `(b) The effective exponent over successive windows of a factor ${fmt(e.to > 0 && fit.effective.length ? fit.effective[0].to / fit.effective[0].from : 2)} in t, with error bars at one standard error: ` +
      `constant in a scaling regime. The cold disks' interdiffusion time across the box, (L/2π)²/T_cold, is ${fmt(results.coldTime)}. ` +
      `Method and the honest reading: docs/studies/two-temperature.md.`,
    panels: [
      linePanel({
        title: "domain size L(t)",
        xLabel: "time (from the random start)",
        yLabel: "L (range)",
        yColumn: "L_range",
        xType: "log",
        yType: "log",
        series: [
          ...replicas,
          {
            name: `L(t), ${results.seeds.length} replicas`,
            x: ks.map((k) => fit.time[k]),
            y: ks.map((k) => fit.length[k]),
            err: ks.map((k) => fit.lengthError[k]),
            color: "blue",
            strokeWidth: 2,
          },
          {
            name: `fit: alpha = ${fmt(e.value)} ± ${fmt(e.error, 2)}`,
            x: [e.from, e.to],
            y: [e.from, e.to].map((x) => e.prefactor * x ** e.value),
            color: "red",
            strokeWidth: 2,
          },
          {
            name: "t^(1/3)",
            x: [fit.time[ks[0]], e.to],
            y: [fit.time[ks[0]], e.to].map((x) => Lmid * (x / mid) ** (1 / 3)),
            color: "gray",
            style: "dashed",
            strokeWidth: 1,
          },
        ],
        width,
        height,
      }),
      linePanel({
        title: "effective exponent d ln L / d ln t",
        xLabel: "time (window's geometric middle)",
        yLabel: "alpha",
        xType: "log",
        series: [
          {
            name: "alpha over the window",
            x: fit.effective.map((w) => Math.sqrt(w.from * w.to)),
            y: fit.effective.map((w) => w.value),
            err: fit.effective.map((w) => w.error),
            color: "blue",
            marker: "circle",
          },
        ],
        referenceLines: [
          { y: 1 / 3, label: "1/3", color: "gray", style: "dashed" },
          { y: 0, color: "gray", style: "dotted" },
        ],
        width,
        height,
      }),
    ],
    columns: 2,
    legend: "per-panel",
  });
}
