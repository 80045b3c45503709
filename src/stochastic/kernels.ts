/**
 * Fused kernels: for a small linear underdamped network the whole BAOAB step, the random numbers (xoshiro128** and
 * the ziggurat's fast path, inlined) and the accumulation of the NetworkProbe's scalars are generated as one
 * straight-line JavaScript function for that network (coordinates, forces and running sums in local variables,
 * the potential's nonzero couplings as constants). Same scheme, same estimators and the same random numbers as the
 * generic path (rejected ziggurat draws are completed in the same order as Rng.fillNormal); only the rounding of
 * the force sums may differ. Where code generation is unavailable (a Content-Security-Policy without
 * 'unsafe-eval'), the generic path is used.
 */
import { ModelError } from "../errors.js";
import { potentialMatrix } from "../problem/network.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import { describeValue } from "../model/raw.js";
import { KN, WN, type Rng } from "./rng.js";
import * as portable from "../special/elementary.js";

/** Runs nSteps steps on state [q..., p..., f...], adding each step's probe scalars into sums. */
export type FusedKernel = (state: Float64Array, rng: Rng, sums: Float64Array, nSteps: number) => void;

/** Largest network (sites) a kernel is generated for. */
export const FUSED_MAX_SITES = 16;

/**
 * A number as a JavaScript literal for the generated source. Only finite numbers are written (typeof checked here,
 * where the text is produced, whatever was validated before): anything else would be code, not a number.
 */
/**
 * The coefficients of a generated kernel: each becomes a slot `cK` read from an array at the kernel's entry, so the
 * source depends on the model's structure only (sites, springs, baths) and one compiled, optimised function serves
 * every parameter value of that structure (a sweep's points). Slot values are the numbers themselves (-0 as 0, as a
 * literal would print), so the arithmetic is the same as with literals.
 */
class Coefficients {
  readonly values: number[] = [];
  slot(x: unknown): string {
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new ModelError(
        `fusedBaoabKernel: expected a finite number for the generated kernel, got ${describeValue(x)}`,
      );
    this.values.push(Object.is(x, -0) ? 0 : x);
    return `c${this.values.length - 1}`;
  }
}

/** A site index for the generated source: an integer 0 <= x < n, nothing else. */
function ix(x: unknown, n: number): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= n)
    throw new ModelError(`fusedBaoabKernel: expected a site index 0..${n - 1}, got ${describeValue(x)}`);
  return x;
}

/** The fused BAOAB kernel for a linear underdamped network, or null (too large, or no code generation). */
export function fusedBaoabKernel(model: NetworkModel, dt: number, covariance: boolean): FusedKernel | null {
  checkNetworkModel(model, "fusedBaoabKernel");
  if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt))
    throw new ModelError(`fusedBaoabKernel: dt must be a positive finite number, got ${describeValue(dt)}`);
  const n = model.sites.length;
  if (model.dynamics !== "underdamped" || n > FUSED_MAX_SITES) return null;
  if (model.springs.some((s) => s.quartic !== 0) || model.quarticPinning.some((c) => c !== 0)) return null;
  const N = 2 * n;
  const V = potentialMatrix(model).data;
  const h2 = dt / 2;
  const bathAt = new Map(model.baths.map((b, k) => [b.site, k]));
  const y = (a: number) => (a < n ? `q${a}` : `p${a - n}`);
  const L: string[] = [];
  const C = new Coefficients();
  const lit = (x: unknown) => C.slot(x);
  const K = N + (covariance ? (N * (N + 1)) / 2 : 0) + model.springs.length + model.baths.length;
  L.push(
    `let ${[...Array(n).keys()].map((i) => `q${i} = st[${i}], p${i} = st[${n + i}], f${i} = st[${N + i}]`).join(", ")};`,
  );
  L.push("let s0 = rs[0], s1 = rs[1], s2 = rs[2], s3 = rs[3];");
  void K;
  const nb = model.baths.length;
  L.push(
    `let v = 0, u = 0, t = 0, i = 0, j = 0, pend = 0${[...Array(nb).keys()].map((k) => `, z${k} = 0, zi${k} = 0`).join("")};`,
  );
  const loopAt = L.length;
  L.push("for (let step = 0; step < nSteps; step++) {");
  for (let i = 0; i < n; i++) L.push(`p${i} += ${lit(h2)} * f${i}; q${i} += ${lit(h2 / model.mass[i])} * p${i};`);
  // O: random numbers in bath order (the order Baoab draws them: bath sites ascending).
  const bathSites = [...model.baths.map((b) => b.site)].sort((a, b) => a - b);
  L.push("pend = 0;");
  bathSites.forEach((_, k) => {
    L.push("v = Math.imul(s1, 5); u = Math.imul((v << 7) | (v >>> 25), 9); t = s1 << 9;");
    L.push("s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);");
    L.push(`i = u & 127; j = u >>> 8; z${k} = j * WN[i] * (1 - ((u >>> 6) & 2));`);
    L.push(`if (j >= KN[i]) { pend = 1; zi${k} = i | 128; } else zi${k} = 0;`);
  });
  L.push("if (pend !== 0) {");
  L.push("rs[0] = s0; rs[1] = s1; rs[2] = s2; rs[3] = s3;");
  // The unary plus (a no-op on the number redo returns) types the result as a number: without it the optimised loop
  // kept z in a tagged (boxed) representation and allocated a heap number at nearly every step (16 B/step of
  // garbage; 7-13% of a 10^4-replica ensemble's CPU time, A/B on the bench's model, the same numbers).
  bathSites.forEach((_, k) => L.push(`if (zi${k} !== 0) z${k} = +redo(rng, zi${k} & 127, z${k});`));
  L.push("s0 = rs[0]; s1 = rs[1]; s2 = rs[2]; s3 = rs[3];");
  L.push("}");
  bathSites.forEach((site, k) => {
    const b = model.baths[bathAt.get(site)!];
    const m = model.mass[site];
    const c1 = portable.exp((-b.friction * dt) / m);
    const c2 = Math.sqrt((1 - c1 * c1) * m * b.temperature);
    L.push(`p${ix(site, n)} = ${lit(c1)} * p${ix(site, n)} + ${lit(c2)} * z${k};`);
  });
  for (let i = 0; i < n; i++) L.push(`q${i} += ${lit(h2 / model.mass[i])} * p${i};`);
  for (let i = 0; i < n; i++) {
    const terms: string[] = [];
    for (let j2 = 0; j2 < n; j2++) if (V[i * n + j2] !== 0) terms.push(`${lit(-V[i * n + j2])} * q${j2}`);
    L.push(`f${i} = ${terms.length ? terms.join(" + ") : "0"};`);
  }
  for (let i = 0; i < n; i++) L.push(`p${i} += ${lit(h2)} * f${i};`);
  // Probe scalars (NetworkProbe's layout), accumulated in locals a0, a1, ... (loaded from S at entry, stored back at
  // exit): the same additions in the same order as S[k] += ..., so the same sums, without a typed-array load and
  // store per scalar and step.
  let k = 0;
  for (let a = 0; a < N; a++) L.push(`a${k++} += ${y(a)};`);
  if (covariance) for (let a = 0; a < N; a++) for (let b = a; b < N; b++) L.push(`a${k++} += ${y(a)} * ${y(b)};`);
  for (const s of model.springs)
    L.push(`a${k++} += ${lit(s.stiffness / model.mass[s.j])} * (q${ix(s.i, n)} - q${ix(s.j, n)}) * p${ix(s.j, n)};`);
  for (const b of model.baths) {
    const m = model.mass[b.site];
    L.push(
      `a${k++} += ${lit(b.friction / m)} * (${lit(b.temperature)} - p${ix(b.site, n)} * p${ix(b.site, n)} * ${lit(1 / m)});`,
    );
  }
  L.push("}");
  const accumulators = [...Array(k).keys()];
  L.splice(loopAt, 0, `let ${accumulators.map((a) => `a${a} = S[${a}]`).join(", ")};`);
  L.push(accumulators.map((a) => `S[${a}] = a${a};`).join(" "));
  for (let i = 0; i < n; i++) L.push(`st[${i}] = q${i}; st[${n + i}] = p${i}; st[${N + i}] = f${i};`);
  L.push("rs[0] = s0; rs[1] = s1; rs[2] = s2; rs[3] = s3;");
  const slots = C.values.map((_, i) => `c${i} = C[${i}]`).join(", ");
  const source = `"use strict"; return function fusedBaoab(st, rng, S, nSteps, C) { const rs = rng.state;${slots ? ` const ${slots};` : ""}\n${L.join("\n")}\n};`;
  // One function per distinct source (structure): repeated runs of a model, and models differing only in their
  // numbers, reuse its compiled, optimised code with their own coefficients.
  let generic = kernelCache.get(source);
  if (!generic) {
    try {
      const make = new Function("KN", "WN", "redo", source);
      generic = make(KN, WN, redoNormal) as GenericKernel;
    } catch {
      return null;
    }
    if (kernelCache.size > 64) kernelCache.clear();
    kernelCache.set(source, generic);
  }
  const f = generic;
  const coefficients = Float64Array.from(C.values);
  return (st, rng, S, nSteps) => f(st, rng, S, nSteps, coefficients);
}

type GenericKernel = (
  state: Float64Array,
  rng: Rng,
  sums: Float64Array,
  nSteps: number,
  coefficients: Float64Array,
) => void;

const kernelCache = new Map<string, GenericKernel>();

/** A rejected fast-path draw, completed (a plain function: one call target for every kernel). */
function redoNormal(rng: Rng, i: number, x: number): number {
  return rng.redo(i, x);
}
