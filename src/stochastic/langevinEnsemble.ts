/**
 * Ensembles of a Langevin problem (src/problem/langevin.ts: coordinates with their masses, frictions and bath
 * temperatures, per-coordinate dynamics incl. mixed, force terms by registered name, an initial state): the ensemble
 * kind "langevin". Everything is plain, structured-cloneable data; each worker builds the system from the problem
 * (system.ts langevinSystem: the one force-term registry, `registerForceTerm`).
 *
 * A replica records quadratic observables of its state y = (x, p) (p of coordinate i at index dof + i):
 * O = offset + sum_terms coef y_a y_b (b = -1: coef y_a), either as batch means (after a burn-in, `batches` batches of
 * `batchSteps` steps; statistics.ts reduceBatches gives Measured values with their error bars) or as a time series
 * (every `every` steps from t = 0). A problem may have `variants`: initial states that differ from the base in a few
 * coordinates or momenta, stepped side by side with the same random numbers (common random numbers: the response to
 * a kick, with the thermal noise cancelling between variants); an observable names the variant it reads.
 */
import { ModelError } from "../errors.js";
import { describeValue, integerSetting as count } from "../model/raw.js";
import type { LangevinProblem } from "../problem/langevin.js";
import {
  blockSizeFor,
  registerEnsembleKind,
  type EnsembleSpec,
  type PreparedEnsemble,
  type ReplicaRunner,
} from "./ensemble.js";
import { integrator, type Integrator, type LangevinState, type Scheme, type SchemeName } from "./integrators.js";
import { Rng } from "./rng.js";
import { SimulationError } from "./safety.js";
import { coordinateIndex as index, finiteNumber as finite, langevinSystem } from "./system.js";

/** A quadratic observable of y = (x, p) of one variant. */
export interface QuadraticObservable {
  readonly name: string;
  /** [a, b, coef]: coef y_a y_b, or coef y_a for b = -1. */
  readonly terms: readonly (readonly [number, number, number])[];
  readonly offset?: number;
  /** The variant whose state it reads (default 0). */
  readonly variant?: number;
}

/** What a Langevin ensemble runs and records: plain data. */
export interface LangevinSettings {
  scheme: Scheme<SchemeName>;
  /** Steps before recording. */
  burnSteps: number;
  observables: QuadraticObservable[];
  /** Batch means: `batches` batches of `batchSteps` steps per replica (output: batches x observables). */
  batches?: number;
  batchSteps?: number;
  /** Or a time series: the observables at t = 0 and every `every` steps up to `steps` (output: samples x observables). */
  series?: { every: number; steps: number };
}

function floats(a: unknown, n: number, what: string): Float64Array {
  if (a === null || typeof a !== "object" || (a as ArrayLike<number>).length !== n)
    throw new ModelError(`${what} must hold ${n} numbers, got ${describeValue(a)}`);
  const out = Float64Array.from(a as ArrayLike<number>);
  for (const v of out) if (!Number.isFinite(v)) throw new ModelError(`every ${what} must be a finite number, got ${v}`);
  return out;
}

/** Samples per replica of a series: t = 0 and every `every` steps up to `steps`. */
export function seriesLength(series: { every: number; steps: number }): number {
  return Math.floor(series.steps / series.every) + 1;
}

function prepareLangevin(spec: EnsembleSpec): PreparedEnsemble {
  const problem = spec.problem as LangevinProblem;
  const s = spec.settings as LangevinSettings;
  if (s === null || typeof s !== "object")
    throw new ModelError(
      `a Langevin ensemble needs settings { scheme, burnSteps, observables, ... }, got ${describeValue(s)}`,
    );
  const system = langevinSystem(problem);
  const n = system.dof,
    N = 2 * n;
  // One integrator per variant (the exact scheme keeps its state inside); checked here once.
  integrator(system, s.scheme);
  const burnSteps = count(s.burnSteps, "burnSteps", 0);
  const variants = problem.variants ?? [{}];
  if (!Array.isArray(variants) || variants.length < 1)
    throw new ModelError(`variants must be a list of at least one initial state, got ${describeValue(variants)}`);
  const V = variants.length;
  const isOver = (i: number) =>
    system.dynamics === "overdamped" || (system.dynamics === "mixed" && system.overdamped![i] === 1);
  const noMomentum = (i: number, what: string) => {
    if (isOver(i))
      throw new ModelError(`${what} sets the momentum of coordinate ${i}, which is overdamped (it has no momentum)`);
    return i;
  };
  // [index, value] overrides per variant, checked here (not in each replica).
  const pairs = (list: unknown, what: string, momentum: boolean): [number, number][] => {
    if (list === undefined) return [];
    if (!Array.isArray(list))
      throw new ModelError(`${what} must be a list of [index, value] pairs, got ${describeValue(list)}`);
    return list.map((e: unknown) => {
      if (!Array.isArray(e) || e.length !== 2)
        throw new ModelError(`${what} must be a list of [index, value] pairs, got ${describeValue(e)}`);
      const i = index(e[0], n, `${what}: an index`);
      return [momentum ? noMomentum(i, what) : i, finite(e[1], `${what}: a value`)];
    });
  };
  const variantX = variants.map((v, k) => pairs(v?.x, `variant ${k}'s x`, false));
  const variantP = variants.map((v, k) => pairs(v?.p, `variant ${k}'s p`, true));
  const observables = s.observables;
  if (!Array.isArray(observables) || observables.length === 0)
    throw new ModelError("a Langevin ensemble needs at least one observable");
  const K = observables.length;
  const obs = observables.map((o) => ({
    variant: o.variant === undefined ? 0 : count(o.variant, `observable ${o.name}: variant`, 0),
    a: Int32Array.from(o.terms, (t) => index(t[0], N, `observable ${o.name}: a term's index`)),
    b: Int32Array.from(o.terms, (t) => (t[1] === -1 ? -1 : index(t[1], N, `observable ${o.name}: a term's index`))),
    c: Float64Array.from(o.terms, (t) => finite(t[2], `observable ${o.name}: a coefficient`)),
    offset: o.offset ?? 0,
  }));
  for (const o of obs)
    if (o.variant >= V) throw new ModelError(`an observable reads variant ${o.variant}, but there are ${V}`);
  let batches = 0,
    batchSteps = 0,
    every = 0,
    samples = 0,
    recordSteps: number;
  if (s.series !== undefined) {
    every = count(s.series.every, "series.every", 1);
    recordSteps = count(s.series.steps, "series.steps", 1);
    samples = seriesLength(s.series);
  } else {
    batches = count(s.batches, "batches", 1);
    batchSteps = count(s.batchSteps, "batchSteps", 1);
    recordSteps = batches * batchSteps;
  }
  const total = burnSteps + recordSteps;
  const initial = problem.initial ?? {};
  const x0 = initial.x ? floats(initial.x, n, "initial x") : new Float64Array(n);
  const p0 = initial.p ? floats(initial.p, n, "initial p") : new Float64Array(n);
  for (let i = 0; i < n; i++) if (p0[i] !== 0) noMomentum(i, "the initial p");
  const uniform = (initial.uniform ?? []).map((u) => {
    const from = index(u.from, n, "uniform.from");
    const c = count(u.count, "uniform.count", 0);
    if (from + c > n) throw new ModelError(`uniform coordinates ${from}..${from + c - 1} beyond the ${n} coordinates`);
    const [lo, hi] = u.range;
    finite(lo, "uniform range");
    finite(hi, "uniform range");
    return { from, count: c, lo, width: hi - lo };
  });
  const values = new Float64Array(K);
  const evaluate = (states: LangevinState[]) => {
    for (let k = 0; k < K; k++) {
      const o = obs[k],
        st = states[o.variant],
        x = st.x,
        p = st.p;
      let v = o.offset;
      for (let t = 0; t < o.a.length; t++) {
        const a = o.a[t],
          b = o.b[t];
        const ya = a < n ? x[a] : p![a - n];
        v += b < 0 ? o.c[t] * ya : o.c[t] * ya * (b < n ? x[b] : p![b - n]);
      }
      values[k] = v;
    }
  };
  return {
    replicas: spec.replicas,
    blockSize: blockSizeFor(spec.replicas),
    stepsPerReplica: total,
    perReplica: (s.series !== undefined ? samples : batches) * K,
    perBlock: 0,
    sliceSteps: Math.max(1, Math.floor(4e5 / (V * (n * 6 + 16)))),
    replica: (r, out): ReplicaRunner => {
      // The system's force field is shared by the replicas a thread runs: forget what the previous one left
      // (neighbour lists), so a replica's numbers do not depend on the number of workers.
      system.forces.reset?.();
      const rng = Rng.stream(spec.seed, r, 0);
      const init = Rng.stream(spec.seed, r, 1);
      const base = new Float64Array(n);
      base.set(x0);
      for (const u of uniform) for (let i = 0; i < u.count; i++) base[u.from + i] = u.lo + u.width * init.uniform();
      const integs: Integrator[] = [];
      const states: LangevinState[] = [];
      for (let v = 0; v < V; v++) {
        const integ = integrator(system, s.scheme);
        const st = integ.init(rng);
        st.x.set(base);
        if (st.p) st.p.set(p0);
        for (const [i, val] of variantX[v]) st.x[i] = val;
        for (const [i, val] of variantP[v]) st.p![i] = val;
        integ.force(st);
        integs.push(integ);
        states.push(st);
      }
      const sums = new Float64Array(K);
      let step = 0,
        batch = 0,
        inBatch = 0,
        sample = 0;
      if (s.series !== undefined) {
        evaluate(states);
        out.set(values, 0);
        sample = 1;
      }
      const check = () => {
        for (const st of states) {
          let z = st.potential;
          for (let i = 0; i < n; i++) z += st.x[i];
          if (st.p) for (let i = 0; i < n; i++) z += st.p[i];
          if (!Number.isFinite(z)) {
            throw new SimulationError(
              `the simulation blew up (non-finite state) in replica ${r} at step ${step}: reduce dt (now ${s.scheme.dt}); no result was written`,
            );
          }
        }
      };
      return {
        get done() {
          return step >= total;
        },
        advance(maxSteps: number): number {
          const end = Math.min(total, step + maxSteps),
            start = step;
          while (step < end) {
            integs[0].noise(states[0]);
            for (let v = 1; v < V; v++) states[v].noise.set(states[0].noise);
            for (let v = 0; v < V; v++) integs[v].advance(states[v]);
            step++;
            if ((step & 63) === 0) check();
            if (step <= burnSteps) continue;
            if (s.series !== undefined) {
              if ((step - burnSteps) % every === 0) {
                evaluate(states);
                out.set(values, sample * K);
                sample++;
              }
              continue;
            }
            evaluate(states);
            for (let k = 0; k < K; k++) sums[k] += values[k];
            if (++inBatch === batchSteps) {
              for (let k = 0; k < K; k++) {
                out[batch * K + k] = sums[k] / batchSteps;
                sums[k] = 0;
              }
              batch++;
              inBatch = 0;
            }
          }
          if (step >= total) check();
          return step - start;
        },
      };
    },
  };
}

registerEnsembleKind("langevin", prepareLangevin);
