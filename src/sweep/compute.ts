/**
 * What a sweep computes at a point, behind one interface (an adapter per kind of base), so the engines' APIs can
 * change without touching the sweep machinery. An adapter turns a base (a model file's data, or a study with its
 * parameters) and a point's axis values into the point's parameters (plain data: what its key hashes) and computes
 * a result document (plain JSON) from them; outputs are picked from that document by field path.
 *
 * Model-file bases (exact steady state, simulation with replicas) are in modelCompute.ts; study bases (the study
 * contract, src/studies/contract.ts: parameters = the study's parameters with the point's values set, compute = the
 * study's compute(parameters, { seed, quick: false })) in studyCompute.ts.
 */
import type { Measured } from "../stochastic/statistics.js";

export type ComputeKind = "exact" | "simulate" | "study";

/** Options of the compute (plain data: they cross to workers and into the key). */
export interface ComputeOptions {
  kind: ComputeKind;
  /** simulate: production time per replica, time step, replicas, burn-in, integrator, batches per replica. */
  time?: number;
  dt?: number;
  replicas?: number;
  burnIn?: number;
  scheme?: string;
  batches?: number;
}

/** A base: a model's data (as parsed from its file), or a study's name and parameters. */
export type Base = { model: unknown; source: string } | { study: string; parameters: Record<string, unknown> };

/** A stochastic number (the engine's one type): value, one standard error, and whether that error bar is honest. */
export type { Measured } from "../stochastic/statistics.js";

export function isMeasured(v: unknown): v is Measured {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof (v as Measured).value === "number" &&
    typeof (v as Measured).error === "number"
  );
}

/** An adapter, ready for one sweep (its base and options checked). */
export interface PreparedCompute {
  /**
   * The shape of a result document (placeholders for values), to check output paths before any point runs;
   * undefined when only a computed result shows it (a study: the outputs are checked against its first result).
   */
  template: unknown;
  /**
   * The point's parameters as plain data (its key is a hash of them with the seed, the compute options and the
   * version): `set` writes the axis values into a copy of the base. Throws NessError for values outside the model's
   * rules (e.g. a negative temperature).
   */
  parameters(values: ArrayLike<number>): unknown;
  /** Checks a point's parameters against the model's rules without computing (throws NessError). */
  check(parameters: unknown): void;
  /** Computes one point's result document (or a promise of it); throws NessError for a point without an answer. */
  compute(parameters: unknown, seed: number): unknown;
  /**
   * Optional fast paths of a sweep's points (a model base): the canonical JSON of parameters(values) without building
   * them (for the key), and compute(parameters(values), seed) without a copy of the model per point.
   */
  canonical?(values: ArrayLike<number>): string;
  computeAt?(values: ArrayLike<number>, seed: number): unknown;
  /** A rough cost of one point relative to an exact solve of a 4-site network (for the estimate before a run). */
  relativeCost: number;
}

export interface ComputeAdapter {
  kind: ComputeKind;
  /**
   * Checks the base, the axis paths (each must name a number in the base) and the options; `where` prefixes
   * messages (the spec file).
   */
  prepare(base: Base, axisPaths: string[], options: ComputeOptions, where: string): PreparedCompute;
}
