/**
 * Time-step safety: the fastest frequency (underdamped) or relaxation rate (overdamped) of the whole force field of
 * a model, the limit it sets on dt, the stated order of the time-step bias, the energy scale of the divergence
 * checks (run.ts), and the errors for runs that cannot work.
 *
 * Limits: BAOAB is a velocity-Verlet splitting and is unstable for omega dt >= 2 (omega the fastest normal-mode
 * frequency, from the largest eigenvalue of M^-1/2 H M^-1/2), whatever the friction (its friction step is exact);
 * Euler-Maruyama and Heun are unstable for lambda dt >= 2 (lambda the largest eigenvalue of Gamma^-1/2 H Gamma^-1/2).
 * H is the Hessian of the whole potential, not its stiffest term: every pair and external term, each coordinate with
 * its own friction or mass. Exact limits (constant Hessian: harmonic networks, harmonic pairs and traps; a single
 * pair) are refused; upper bounds and estimates (WCA and quartic terms at the energy the dynamics reaches, crowds of
 * short-range repulsions) are warned, and then no estimate is flagged reliable. Above omega dt = 0.2 (BAOAB:
 * kinetic temperatures biased by up to (omega dt)^2/4) or lambda dt = 0.03 (overdamped: the Stratonovich heat and
 * entropy-production estimators carry an O(lambda dt) bias, measured at about 0.4 lambda dt) the time-step bias
 * reaches the percent level, and a warning says so. See docs/stochastic.md for the derivations and measurements.
 */
import { bondCurvatureBound } from "./potentials/bonds.js";
import { NessError } from "../errors.js";
import { potentialMatrix, frictionVector } from "../problem/network.js";
import { symmetricEigen } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";
import type { NetworkModel } from "../model/networkModel.js";
import type { PairPotential, ParticlesModel } from "../model/particles.js";
import type { Model } from "../model/modelCheck.js";
import type { LangevinSystem, SchemeName } from "./integrators.js";
import {
  cosineField,
  externalCurvatureBound,
  externalEnergySpan,
  externalHessianConstant,
} from "./potentials/externalFields.js";
import { pairLaw } from "./potentials/pairLaws.js";

// The blow-up errors live in a module of their own (the cell sorts import it, and this module imports the force terms).
export { FAR_BOX_LENGTHS, PositionBlowUp, refusePositions, SimulationError } from "./blowUp.js";
import { SimulationError } from "./blowUp.js";

/** The run was cancelled (Ctrl-C, an AbortSignal). */
export class CancelledError extends NessError {
  override name = "CancelledError";
  constructor() {
    super("cancelled");
  }
}

export interface TimeScale {
  /** "frequency" (underdamped: omega) or "rate" (overdamped: curvature / friction). */
  kind: "frequency" | "rate";
  /** The fastest one of the whole force field: the stability limit is dt < 2 / value. */
  value: number;
  /** What sets it, for messages. */
  source: string;
  /**
   * True when `value` is exact: the Hessian is constant (harmonic pairs and traps), or a single pair or particle
   * whose largest curvature the dynamics certainly reaches. Then a dt beyond the limit is refused; otherwise (an
   * upper bound or an estimate) it is run with a warning and no estimate is flagged reliable.
   */
  exact: boolean;
  /**
   * The time scale of the time-step bias warning: `value` for linear models (and networks); for nonlinear particle
   * systems the stiffest single term at a typical contact (WCA at U = T): the fastest rate is met only in rare deep
   * or crowded contacts, while the bias comes from typical ones.
   */
  bias: number;
}

const g = (x: number) => Number(x.toPrecision(3));

/**
 * Energy, in units of the temperature, up to which the dynamics is taken to climb a repulsive wall or a quartic
 * potential: the Boltzmann factor e^-U/T makes U = 10 T about 5e-5 as likely as contact, which a long run does
 * reach now and then, while U = 20 T is some 10^4 times rarer again. Used for the curvatures of WCA repulsions and
 * quartic terms and for how deeply soft particles can overlap; the limits they set are estimates (warned, not
 * refused) and a run that climbs higher and blows up is stopped by the divergence checks (run.ts).
 */
export const REACHABLE_ENERGY = 10;

/** Fastest time scale of a network: exact for the harmonic part, plus a reachable-energy bound of the quartic terms. */
export function networkTimeScale(model: NetworkModel): TimeScale {
  const n = model.sites.length;
  const V = potentialMatrix(model);
  const Tmax = Math.max(...model.baths.map((b) => b.temperature));
  // Quartic terms c x^4/4 reach x^2 = 2 sqrt(u/c) at energy u = REACHABLE_ENERGY T: curvature 3 c x^2 = 6 sqrt(u c).
  const u = REACHABLE_ENERGY * Tmax;
  let quartic = false;
  for (let i = 0; i < n; i++) {
    const c = model.quarticPinning[i];
    if (c > 0) {
      V.data[i * n + i] += 6 * Math.sqrt(u * c);
      quartic = true;
    }
  }
  for (const s of model.springs) {
    if (s.quartic > 0) {
      const h = 6 * Math.sqrt(u * s.quartic);
      V.data[s.i * n + s.i] += h;
      V.data[s.j * n + s.j] += h;
      V.data[s.i * n + s.j] -= h;
      V.data[s.j * n + s.i] -= h;
      quartic = true;
    }
  }
  const overdamped = model.dynamics === "overdamped";
  const scale = overdamped ? frictionVector(model) : model.mass;
  const W = matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      W.data[i * n + j] = V.data[i * n + j] / Math.sqrt(scale[i] * scale[j]);
    }
  const lam = Math.max(0, ...symmetricEigen(W).values);
  const value = overdamped ? lam : Math.sqrt(lam);
  const what = overdamped ? "the largest eigenvalue of the stiffness matrix over friction" : "the fastest normal mode";
  const source = quartic
    ? `${what} of the whole network, estimated with the quartic terms' curvature at U = ${REACHABLE_ENERGY} T`
    : `${what} of the whole network`;
  return { kind: overdamped ? "rate" : "frequency", value, source, exact: !quartic, bias: value };
}

/** Closest packing fraction of spheres in 1, 2, 3 dimensions and the number of neighbours touching a sphere there. */
const CLOSE_PACKING = [1, Math.PI / (2 * Math.sqrt(3)), Math.PI / (3 * Math.sqrt(2))];
const cutoff = (p: PairPotential) => pairLaw(p).cutoff(p);
const ballVolume = (d: number, r: number) => (d === 1 ? 2 * r : d === 2 ? Math.PI * r * r : (4 / 3) * Math.PI * r ** 3);

/**
 * Largest rate (curvature / friction) of an all-to-all system in which a particle of species s feels the curvature
 * e_s from external potentials and c_st from each particle of species t (counts n_t): the Hessian (per axis)
 * H_aa = e_s + sum_t c_st (n_t - [s = t]), H_ab = -c_st. Its eigenvectors are (1) differences within a species,
 * eigenvalue e_s + sum_t c_st n_t, and (2) vectors constant on each species, the S x S problem
 * G_ss = e_s + sum_(t != s) c_st n_t, G_st = -c_st n_t, made symmetric by the weights sqrt(n_s w_s). Divided by the
 * friction (mass) w_s of the species: exact for harmonic pairs and traps, and an upper bound of the Hessian's
 * largest eigenvalue over every configuration when c and e bound the curvatures (Loewner order).
 */
export function allPairsRate(e: Float64Array, c: Float64Array, n: number[], w: Float64Array): number {
  const S = n.length;
  let best = 0;
  for (let s = 0; s < S; s++) {
    if (n[s] < 2) continue;
    let h = e[s];
    for (let t = 0; t < S; t++) h += c[s * S + t] * n[t];
    best = Math.max(best, h / w[s]);
  }
  const G = matrix(S, S);
  for (let s = 0; s < S; s++) {
    let h = e[s];
    for (let t = 0; t < S; t++) {
      if (t === s) continue;
      h += c[s * S + t] * n[t];
      G.data[s * S + t] = (-c[s * S + t] * Math.sqrt(n[s] * n[t])) / Math.sqrt(w[s] * w[t]);
    }
    G.data[s * S + s] = h / w[s];
  }
  return Math.max(best, ...symmetricEigen(G).values);
}

/**
 * Fastest time scale of a particle system, from the whole force field: every pair and external term, each species
 * with its own friction (overdamped) or mass (underdamped).
 *
 * Curvature bounds per term (the Hessian of each term is at most this times the identity): harmonic pair k (exact;
 * with a rest length r0 in 2D/3D the transverse curvature k (1 - r0/r) is smaller); soft repulsion k/sigma^2 inside
 * its range (its transverse curvature is negative); WCA the curvature at the reachable energy (wcaCurvature);
 * harmonic trap lambda; cosine A (2 pi/L)^2; sawtooth 0 (piecewise linear: its force jumps but has no curvature).
 * Each bound is the law's own (curvatureBound in potentials/pairLaws.ts and potentials/externalFields.ts).
 *
 * With every pair of interacting particles counted (allPairsRate) this is an upper bound over all configurations,
 * exact for harmonic pairs and traps (constant Hessian) and for a single pair (whose largest curvatures it reaches).
 * Soft and WCA repulsions act only within their cutoff, so in a crowd a particle meets few of them at once
 * (overlapCapacity: one shell of neighbours at their typical contact distance, or an ideal-gas count for penetrable
 * ones). Gershgorin's bound over such a neighbourhood (each row: its diagonal plus the off-diagonal magnitudes, in
 * the friction-weighted symmetric form, neighbours given to the stiffest partners first, one of them at the reachable
 * energy and the others at a typical contact, U = T) then estimates the crowd's fastest rate.
 */
export function particleTimeScale(model: ParticlesModel): TimeScale {
  const S = model.species.length,
    d = model.dimension,
    N = model.speciesOf.length;
  const overdamped = model.dynamics === "overdamped";
  const w = Float64Array.from(model.species, (s) => (overdamped ? s.friction : s.mass));
  const n = model.species.map((s) => s.count);
  const terms: string[] = [];
  let constant = true,
    estimated = false;

  // External curvature per species: harmonic traps add lambda on every axis, periodic potentials on their axis.
  const e = new Float64Array(S);
  const axis = new Float64Array(S * 3);
  for (const x of model.external) {
    if (!externalHessianConstant(x)) constant = false;
    if (x.potential === "harmonic") {
      for (const s of x.species) e[s] += externalCurvatureBound(x);
      terms.push("harmonic trap");
    } else if (x.potential === "cosine") {
      for (const s of x.species) axis[s * 3 + x.axis] += cosineField.curvatureBound(x);
      terms.push("cosine potential");
    } // the sawtooth has no curvature (its force jumps)
  }
  for (let s = 0; s < S; s++) e[s] += Math.max(axis[s * 3], axis[s * 3 + 1], axis[s * 3 + 2]);

  // Pair curvature bounds per species pair.
  const c = new Float64Array(S * S);
  // The curvature of typical contacts, for the bias warning: as c, but WCA at U = T.
  const cTypical = new Float64Array(S * S);
  const rule: (PairPotential | null)[] = new Array(S * S).fill(null);
  const temperature = (s: number, t: number) => {
    const a = model.species[s],
      b = model.species[t];
    // Overdamped: the separation of an isolated pair is in equilibrium at (T_a/g_a + T_b/g_b) / (1/g_a + 1/g_b).
    return overdamped
      ? (a.temperature * b.friction + b.temperature * a.friction) / (a.friction + b.friction)
      : Math.max(a.temperature, b.temperature);
  };
  for (const r of model.pairs) {
    const p = r.pair;
    const names = `${model.species[r.a].name}-${model.species[r.b].name}`;
    if (r.a === r.b && n[r.a] < 2) continue; // a single particle of the species: no such pair
    const law = pairLaw(p);
    const k = law.curvatureBound(p, REACHABLE_ENERGY * temperature(r.a, r.b));
    if (p.potential === "harmonic") {
      if (p.length !== 0 && d > 1) constant = false;
      terms.push(`harmonic pair ${names}`);
    } else if (p.potential === "soft") {
      constant = false;
      terms.push(`soft repulsion ${names}`);
    } else {
      constant = false;
      estimated = true;
      terms.push(
        `WCA repulsion ${names} (${g((k * p.sigma ** 2) / p.epsilon)} eps/sigma^2 at U = ${REACHABLE_ENERGY} T)`,
      );
    }
    c[r.a * S + r.b] = c[r.b * S + r.a] = k;
    // Typical contacts are at U = T (the bound depends on the energy only for WCA).
    cTypical[r.a * S + r.b] = cTypical[r.b * S + r.a] = law.curvatureBound(p, temperature(r.a, r.b));
    rule[r.a * S + r.b] = rule[r.b * S + r.a] = p;
  }
  const partners = (s: number, t: number) => (rule[s * S + t] ? n[t] - (s === t ? 1 : 0) : 0);
  const shortRange = (s: number, t: number) => {
    const p = rule[s * S + t];
    return p !== null && p.potential !== "harmonic";
  };

  // Bonds (potentials/bonds.ts): each particle's row of the Hessian gains its bonds' curvature (Gershgorin).
  const bondRow = new Float64Array(N);
  let bondSingle = 0;
  for (const b of model.bonds ?? []) {
    const sa = model.speciesOf[b.a],
      sb = model.speciesOf[b.b];
    // The pair law between the two species also acts between the bonded particles (Kremer-Grest: WCA).
    const pair = model.pairs.find((r) => (r.a === sa && r.b === sb) || (r.a === sb && r.b === sa))?.pair ?? null;
    const kb = bondCurvatureBound(b.bond, REACHABLE_ENERGY * temperature(sa, sb), pair);
    const cross = 1 / Math.sqrt(w[sa] * w[sb]);
    bondRow[b.a] += kb * (1 / w[sa] + cross);
    bondRow[b.b] += kb * (1 / w[sb] + cross);
    bondSingle = Math.max(bondSingle, bondCurvatureBound(b.bond, temperature(sa, sb), pair) * (1 / w[sa] + 1 / w[sb]));
    terms.push(`${b.bond.potential === "fene" ? "FENE" : "harmonic"} bonds`);
    if (b.bond.potential === "fene" || b.bond.length !== 0) constant = false;
  }
  const bondMax = bondRow.reduce((m, v) => Math.max(m, v), 0);

  let value = allPairsRate(e, c, n, w) + bondMax;
  let crowd = 0;
  // Crowds: a particle meets only a few short-range partners at once.
  for (let s = 0; s < S; s++) {
    let total = 0;
    const slots: { v: number; typical: number; max: number }[] = [];
    let row = e[s] / w[s];
    for (let t = 0; t < S; t++) {
      const m = partners(s, t);
      if (m === 0) continue;
      const weight = 1 / w[s] + 1 / Math.sqrt(w[s] * w[t]);
      if (shortRange(s, t)) {
        total += m;
        slots.push({ v: c[s * S + t] * weight, typical: cTypical[s * S + t] * weight, max: m });
      } else row += m * c[s * S + t] * weight;
    }
    let free = total > 0 ? Math.min(total, overlapCapacity(model, s, partners, shortRange, rule, temperature)) : 0;
    if (free > 0) {
      // One neighbour at the reachable energy (the deepest contact), the others at typical contacts: the energy
      // does not reach U = 10 T in every contact at once (this matters for WCA; soft curvatures are the same).
      slots.sort((a, b) => b.v - a.v);
      row += slots[0].v;
      slots[0].max--;
      free--;
      slots.sort((a, b) => b.typical - a.typical);
      for (const sl of slots) {
        const take = Math.min(free, sl.max);
        row += take * sl.typical;
        free -= take;
      }
    }
    crowd = Math.max(crowd, row);
  }
  crowd += bondMax;
  const crowded = crowd < value * (1 - 1e-9);
  if (crowded) value = crowd;
  const exact = !estimated && !crowded && bondMax === 0 && (constant || N <= 2);

  // Bias scale: the whole field for linear models, else the stiffest single term at a typical contact.
  let single = 0;
  for (let s = 0; s < S; s++) {
    single = Math.max(single, e[s] / w[s]);
    for (let t = 0; t < S; t++)
      if (partners(s, t) > 0) single = Math.max(single, cTypical[s * S + t] * (1 / w[s] + 1 / w[t]));
  }
  single = Math.max(single, bondSingle);
  const bias = constant ? value : Math.min(value, single);

  const what = overdamped ? "the largest eigenvalue of the Hessian over friction" : "the fastest normal mode";
  const list = [...new Set(terms)].join(", ");
  const how = crowded
    ? ", estimated for a crowd of overlapping neighbours"
    : estimated
      ? ", estimated"
      : exact
        ? ""
        : " (an upper bound)";
  const source = `${what} of the whole force field${list ? ` (${list})` : ""}${how}`;
  return overdamped
    ? { kind: "rate", value, source, exact, bias }
    : { kind: "frequency", value: Math.sqrt(value), source, exact, bias: Math.sqrt(bias) };
}

/**
 * Estimated number of short-range partners that can overlap a particle of species s at once (see particleTimeScale):
 * partners that repel each other sit mostly at least their typical contact distance r (U(r) = T) apart, so with
 * rho = r / cutoff >= 1/2 they form one shell around the particle: at most 2 (1D), pi / asin(rho/2) (2D) or
 * 0.9069 x 2 / (1 - cos asin(rho/2)) (3D, caps of half-angle asin(rho/2) packed as densely as disks), which is the
 * kissing number 6 / 13 at rho = 1; scaled up by the packing fraction over close packing when the box is denser.
 * Otherwise (rho < 1/2, or partners that do not repel each other) they are counted as an ideal gas: the mean number
 * within the cutoff plus four standard deviations plus two, and at least the 2D/3D shell count at rho = 1/2.
 */
function overlapCapacity(
  model: ParticlesModel,
  s: number,
  partners: (s: number, t: number) => number,
  shortRange: (s: number, t: number) => boolean,
  rule: (PairPotential | null)[],
  temperature: (s: number, t: number) => number,
): number {
  const S = model.species.length,
    d = model.dimension;
  const ts: number[] = [];
  for (let t = 0; t < S; t++) if (shortRange(s, t) && partners(s, t) > 0) ts.push(t);
  let rho = 1;
  for (const t of ts)
    for (const t2 of ts) {
      const p = rule[t * S + t2];
      if (t === t2 && partners(s, t) < 2) continue;
      rho =
        !p || p.potential === "harmonic"
          ? 0
          : Math.min(rho, pairLaw(p).closestApproach(p, temperature(t, t2)) / cutoff(p));
    }
  const shell = (q: number) => {
    const half = Math.asin(q / 2);
    return d === 1
      ? 2
      : d === 2
        ? Math.floor(Math.PI / half)
        : Math.floor((CLOSE_PACKING[1] * 2) / (1 - Math.cos(half)));
  };
  const layered = rho >= 0.5;
  if (!model.box) return layered ? shell(rho) : Infinity;
  let volume = 1;
  for (const L of model.box) volume *= L;
  if (layered) {
    let phi = 0;
    for (const t of ts)
      phi += (model.species[t].count * ballVolume(d, 0.5 * cutoff(rule[t * S + t] ?? rule[s * S + t]!))) / volume;
    return Math.ceil(shell(rho) * Math.max(1, phi / CLOSE_PACKING[d - 1]));
  }
  let mean = 0;
  for (const t of ts) mean += (partners(s, t) * ballVolume(d, cutoff(rule[s * S + t]!))) / volume;
  return Math.max(shell(0.5), Math.ceil(mean + 4 * Math.sqrt(mean) + 2));
}

/** True when dt is beyond the stability limit of the time scale (exact stepping has none). */
export function beyondLimit(ts: TimeScale, scheme: SchemeName, dt: number): boolean {
  return scheme !== "exact" && ts.value > 0 && ts.value * dt >= 2;
}

/** The stated bias order (a fraction) beyond which estimates whose bias cannot be computed are not flagged reliable. */
export const MAX_UNKNOWN_BIAS = 0.1;

/**
 * The order of the relative time-step bias, as the warnings state it: BAOAB (omega dt)^2/4 in kinetic temperatures;
 * overdamped 0.4 lambda dt in Stratonovich heat and entropy production (even with exact stepping); 0 for exact
 * stepping with state estimators. Measured on linear models (docs/stochastic.md).
 */
export function biasOrder(ts: TimeScale, scheme: SchemeName, dt: number, stratonovich: boolean): number {
  const z = ts.bias * dt;
  if (scheme === "exact") return stratonovich && ts.kind === "rate" ? 0.4 * z : 0;
  return ts.kind === "frequency" ? (z * z) / 4 : 0.4 * z;
}

/**
 * Checks dt against the fastest time scale: throws SimulationError beyond an exact stability limit, returns warnings
 * otherwise (beyond an estimated limit; a large time-step bias).
 */
export function checkTimeStep(ts: TimeScale, scheme: SchemeName, dt: number, stratonovich: boolean): string[] {
  const warnings: string[] = [];
  if (!(ts.value > 0)) return warnings;
  const name = ts.kind === "frequency" ? "omega" : "lambda";
  const what = `${name} = ${g(ts.value)} is ${ts.source}`;
  if (beyondLimit(ts, scheme, dt)) {
    if (ts.exact)
      throw new SimulationError(
        `time step too large: dt = ${dt} exceeds the stability limit dt < 2/${name} = ${g(2 / ts.value)}, where ${what}`,
      );
    warnings.push(
      `time step too large: dt = ${dt} exceeds the estimated stability limit dt < 2/${name} = ${g(2 / ts.value)}, where ${what}: ` +
        "the run may blow up, or run with a bias far beyond its error bars; no estimate is flagged reliable",
    );
    return warnings;
  }
  const z = ts.bias * dt;
  const scale =
    ts.bias === ts.value
      ? `${name} dt = ${g(z)}`
      : `${name} dt = ${g(z)} for the stiffest single term (${g(ts.value * dt)} for the whole field)`;
  if (scheme === "exact") {
    if (stratonovich && ts.kind === "rate" && z > 0.03) {
      warnings.push(
        `the Stratonovich flux estimators carry an O(dt) bias even with exact stepping: dt = ${dt} is large (${scale}, bias of order ${g(40 * z)}%, not included in the error bars); keep dt below ${g(0.03 / ts.bias)} or use the state estimators (--flux-estimator state)`,
      );
    }
    return warnings;
  }
  if (ts.kind === "frequency" && z > 0.2) {
    warnings.push(
      `dt = ${dt} is large: ${scale}, expect a time-step bias of up to (${name} dt)^2/4 = ${g((100 * z * z) / 4)}% in kinetic temperatures, not included in the error bars; dt < ${g(0.2 / ts.bias)} keeps it below 1% (stability limit ${g(2 / ts.value)})`,
    );
  } else if (ts.kind === "rate" && z > 0.03) {
    warnings.push(
      `dt = ${dt} is large: ${scale}, expect a time-step bias of order ${g(40 * z)}% in heat fluxes and entropy production${scheme === "euler-maruyama" ? " and covariances" : ""}, not included in the error bars; dt < ${g(0.03 / ts.bias)} keeps it near 1% (stability limit ${g(2 / ts.value)})`,
    );
  }
  return warnings;
}

/**
 * The energy scale of a steady state, the unit of the divergence checks (run.ts): equipartition, dof x the highest
 * temperature (kinetic and harmonic potential energy are T/2 per coordinate each), plus the largest energy the
 * bounded terms can hold (soft pairs k/2 each, cosine 2|A| and sawtooth |A| per particle), which may exceed it
 * without anything going wrong.
 */
export function energyScale(model: Model, system: LangevinSystem): number {
  let Tmax = 0;
  for (const t of system.temperature) Tmax = Math.max(Tmax, t);
  let bounded = 0;
  if (model.kind === "particles") {
    const n = model.species.map((s) => s.count);
    for (const r of model.pairs) {
      const ceiling = pairLaw(r.pair).energyCeiling(r.pair);
      if (!Number.isFinite(ceiling)) continue;
      const pairs = r.a === r.b ? (n[r.a] * (n[r.a] - 1)) / 2 : n[r.a] * n[r.b];
      bounded += pairs * ceiling;
    }
    for (const x of model.external) {
      const span = externalEnergySpan(x);
      if (!Number.isFinite(span)) continue;
      let count = 0;
      for (const s of x.species) count += n[s];
      bounded += count * span;
    }
  }
  return system.dof * Tmax + bounded;
}

/** Warnings about hot particles jumping across a sizeable part of the interaction range in one step. */
export function particleStepWarnings(model: ParticlesModel, dt: number): string[] {
  const ranges = model.pairs.map((r) => pairLaw(r.pair).lengthScale(r.pair));
  const range = Math.min(...ranges, Infinity);
  if (!Number.isFinite(range)) return [];
  const out: string[] = [];
  for (const s of model.species) {
    const step =
      model.dynamics === "overdamped"
        ? Math.sqrt((2 * s.temperature * dt) / s.friction)
        : Math.sqrt(s.temperature / s.mass) * dt;
    if (step > 0.2 * range) {
      out.push(
        `species ${s.name} moves about ${g(step)} per step, ${g((100 * step) / range)}% of the interaction range ${g(range)}: collisions are poorly resolved, reduce dt`,
      );
    }
  }
  return out;
}
