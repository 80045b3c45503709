/**
 * The fused two-particle overdamped kernel: Heun's step and the ParticleProbe's estimators for a system of exactly
 * two particles (Metzger's pairs: run-and-chase, the ratchet, the harmonic pair), in one loop without the generic
 * path's per-step machinery (neighbour structures, the sum of force terms, force-law dispatch, the probe's general
 * passes). Same scheme, same random numbers (the replica's stream, one fill of 2d numbers per step, as the generic
 * step draws them) and the same floating-point operations in the same order as the generic path's, so the same
 * numbers to the last bit; test/stochastic/pairKernel.test.ts runs both on every kind of pair it takes.
 *
 * What it mirrors, per evaluation of the forces at x (system.ts sums the "pairs" term, then the "external" one):
 *   the pair loop of the ParticleForceField's pair search: "verlet list" (soft/WCA in a box of at least three cells:
 *   the displacement x_a - x_b minus a whole number of box lengths, potentials/pairKernels.ts verletForces) or "all
 *   pairs" (small boxes and open space: the coordinates wrapped into the box, then one box length off when beyond
 *   half of it, allPairsForces); a listed pair within its cutoff has the minimum-image shift, so both loops reach the
 *   same pair with the same numbers;
 *   the external fields of potentials/externalFields.ts ExternalFields.add, in the model's order.
 * Per step (Heun with the previous state kept, integrators.ts): remember, noise, predictor, corrector, the force at
 * the end; then the probe's sample (particleProbe.ts) for the overdamped cases it covers: drift only (heat false), or
 * the trapezoid heat with the external part exact and, for pairHeat "exact", the ledger's correction (pairHeat.ts,
 * its visitAll for few particles); the pair observables; the covariance in open space; then
 * the density and current fields (fields.ts), sampled after each production step.
 * Not covered (the generic path runs): other schemes, sampleEvery > 1, bonds, the state-function pair heat and its
 * check, the 2D cell-order pair search (soft disks in a large box). Browser-safe.
 */
import type { ParticlesModel } from "../model/particles.js";
import type { FieldAccumulator } from "./fields.js";
import type { LangevinState } from "./integrators.js";
import type { PairHeatRule } from "./pairHeat.js";
import type { ParticleForceField } from "./particleForces.js";
import { HARMONIC, packPairLaws, pairEnergy, pairForceOverDistance, SOFT, WCA } from "./potentials/pairLaws.js";
import type { PairPotential } from "../model/particles.js";
import * as portable from "../special/elementary.js";

/** What decides whether the kernel applies (the plan's choices). */
export interface PairKernelChoice {
  model: ParticlesModel;
  /** The scheme's name and dt, and whether the scheme allows fused kernels. */
  scheme: string;
  dt: number;
  fused: boolean;
  /** The pairs term's field (its pair search), or null. */
  pairs: ParticleForceField | null;
  /** Heat flows sampled, and how the pair heat is taken (when they are). */
  heat: boolean;
  pairHeat: PairHeatRule;
  heatCheck: boolean;
  sampleEvery: number;
  /** The probe's number of scalars (the kernel writes the same layout). */
  probeSize: number;
}

/**
 * The minimum image of s on an axis of length L as the generic loops compute it: s where open (L = Infinity), else
 * s - L round(s / L); within `safe` = 0.49 L the rounding is a zero (of either sign) and the result s + 0 (-0 becomes
 * +0, as there), without the division.
 */
function image(s: number, L: number, safe: number): number {
  return L === Infinity ? s : Math.abs(s) < safe ? s + 0 : s - L * Math.round(s / L);
}

/** External field codes (ExternalFields.add's three branches). */
const TRAP = 1,
  COSINE = 2,
  SAWTOOTH = 3;

/**
 * The kernel of a plan, or null when the plan is not one it covers (see the header). The choice depends only on the
 * model and the options, never on the random numbers.
 */
export function twoParticleKernel(c: PairKernelChoice): TwoParticleHeun | null {
  const m = c.model;
  if (!c.fused || c.scheme !== "heun" || m.dynamics !== "overdamped" || m.speciesOf.length !== 2) return null;
  if (c.sampleEvery !== 1 || c.heatCheck || (m.bonds && m.bonds.length > 0)) return null;
  if (c.heat && c.pairHeat === "state") return null;
  if (m.pairs.length === 0 || c.pairs === null) return null;
  if (c.pairs.search !== "verlet list" && c.pairs.search !== "all pairs") return null;
  const k = new TwoParticleHeun(m, c.dt, c.pairs.search === "verlet list", c.heat, c.heat && c.pairHeat === "exact");
  return k.size === c.probeSize ? k : null;
}

export class TwoParticleHeun {
  /** The probe's number of scalars in this layout. */
  readonly size: number;
  private readonly d: number;
  private readonly L = new Float64Array(3);
  private readonly halfL = new Float64Array(3);
  /** wrap()'s floors per coordinate and the intervals where they hold (empty at first). */
  private readonly wrapFloor = new Float64Array(6);
  private readonly wrapLo = new Float64Array(6).fill(Infinity);
  private readonly wrapHi = new Float64Array(6).fill(-Infinity);
  /** 0.49 L per axis (Infinity where open): image()'s bound. */
  private readonly safe = new Float64Array(3);
  private readonly open: boolean;
  /** The pair's law (ordered species pair t of particles 0, 1) and its packed parameters. */
  private readonly t: number;
  private readonly code: number;
  private readonly pk: number;
  private readonly pl: number;
  private readonly cut2: number;
  private readonly rule: PairPotential | null;
  private readonly cutoff: number;
  /** External fields: code, four parameters, axis, trap centre (3 per field), whether each acts on particle 0 and 1. */
  private readonly extCode: Int32Array;
  private readonly extP: Float64Array;
  private readonly extDown: Float64Array;
  private readonly extAxis: Int32Array;
  private readonly extCenter: Float64Array;
  private readonly extOn: Uint8Array;
  private readonly hasExt: boolean;
  /** Per coordinate: dt / gamma and sqrt(2 T dt / gamma) (integrators.ts constants). */
  private readonly mu: Float64Array;
  private readonly sc: Float64Array;
  private readonly n: number;
  private readonly sp0: number;
  private readonly sp1: number;
  private readonly S: number;
  private readonly perSpecies: number;
  private readonly offU: number;
  private readonly offPair: number;
  private readonly itoPair: boolean;
  private readonly covariance: boolean;
  private readonly offCov: number;
  private readonly invCount: Float64Array;
  private readonly invDt: number;
  private readonly wa: number;
  /** Scratch: the predictor's state and forces, external forces and energies, the sampled values, e. */
  private readonly xt: Float64Array;
  private readonly ft: Float64Array;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;
  private readonly e0 = new Float64Array(2);
  private readonly e1 = new Float64Array(2);
  private readonly values: Float64Array;
  private readonly e = new Float64Array(3);

  constructor(
    private readonly model: ParticlesModel,
    dt: number,
    private readonly verlet: boolean,
    private readonly heat: boolean,
    private readonly ledger: boolean,
  ) {
    const d = model.dimension,
      n = 2 * d;
    this.d = d;
    this.n = n;
    for (let k = 0; k < 3; k++) {
      this.L[k] = model.box && k < d ? model.box[k] : Infinity;
      this.halfL[k] = 0.5 * this.L[k];
      this.safe[k] = 0.49 * this.L[k];
    }
    this.open = model.box === null;
    const S = model.species.length;
    this.S = S;
    this.sp0 = model.speciesOf[0];
    this.sp1 = model.speciesOf[1];
    const laws = packPairLaws(model);
    this.t = this.sp0 * S + this.sp1;
    this.code = laws.code[this.t];
    this.pk = laws.k[this.t];
    this.pl = laws.l[this.t];
    this.cut2 = laws.cut2[this.t];
    this.rule = laws.rules[this.t];
    this.cutoff = laws.maxCutoff;
    const ne = model.external.length;
    this.extCode = new Int32Array(ne);
    this.extP = new Float64Array(4 * ne);
    this.extDown = new Float64Array(ne);
    this.extAxis = new Int32Array(ne);
    this.extCenter = new Float64Array(3 * ne);
    model.external.forEach((f, e) => {
      const P = this.extP,
        o = 4 * e;
      if (f.potential === "harmonic") {
        this.extCode[e] = TRAP;
        P[o] = f.stiffness;
        for (let k = 0; k < d; k++) this.extCenter[3 * e + k] = f.center[k];
      } else if (f.potential === "cosine") {
        this.extCode[e] = COSINE;
        P[o] = f.amplitude;
        P[o + 1] = (2 * Math.PI) / f.period;
        P[o + 2] = f.phase;
        this.extAxis[e] = f.axis;
      } else {
        this.extCode[e] = SAWTOOTH;
        P[o] = f.amplitude;
        P[o + 1] = f.period;
        P[o + 2] = f.asymmetry;
        P[o + 3] = -f.amplitude / (f.asymmetry * f.period);
        this.extDown[e] = f.amplitude / ((1 - f.asymmetry) * f.period);
        this.extAxis[e] = f.axis;
      }
    });
    this.extOn = new Uint8Array(2 * model.external.length);
    model.external.forEach((f, e) => {
      this.extOn[2 * e] = f.species.includes(this.sp0) ? 1 : 0;
      this.extOn[2 * e + 1] = f.species.includes(this.sp1) ? 1 : 0;
    });
    this.hasExt = model.external.length > 0;
    const sp = [this.sp0, this.sp1];
    this.mu = Float64Array.from({ length: n }, (_, i) => dt / model.species[sp[(i / d) | 0]].friction);
    this.sc = Float64Array.from({ length: n }, (_, i) => {
      const s = model.species[sp[(i / d) | 0]];
      return Math.sqrt((2 * s.temperature * dt) / s.friction);
    });
    // The probe's layout (particleProbe.ts) for two overdamped particles without bonds or the heat check.
    this.perSpecies = 1 + d;
    this.offU = S * this.perSpecies;
    this.offPair = this.offU + 1;
    this.itoPair = model.species[this.sp0].friction !== model.species[this.sp1].friction;
    this.offCov = this.offU + 1 + (this.itoPair ? 4 : 3);
    this.covariance = model.box === null && n <= 8;
    this.size = this.offCov + (this.covariance ? n + (n * (n + 1)) / 2 : 0);
    this.invCount = Float64Array.from(model.species, (s) => 1 / s.count);
    this.invDt = 1 / dt;
    const D = sp.map((s) => model.species[s].temperature / model.species[s].friction);
    this.wa = D[0] / (D[0] + D[1]);
    this.xt = new Float64Array(n);
    this.ft = new Float64Array(n);
    this.g0 = new Float64Array(n);
    this.g1 = new Float64Array(n);
    this.values = new Float64Array(this.size);
  }

  /**
   * The pair forces at x into f (overwritten) and the pair energy (0 unless `energy`: the predictor's is not used), as
   * the pairs term's loop computes them (verletForces or allPairsForces for particles 0 and 1).
   */
  private pairForces(x: Float64Array, f: Float64Array, energy: boolean): number {
    const d = this.d;
    let dx = 0,
      dy = 0,
      dz = 0;
    if (this.verlet) {
      // x_a - x_b minus the listed image shift, a whole number of box lengths: the minimum image's while in reach.
      const L = this.L,
        safe = this.safe;
      dx = image(x[0] - x[d], L[0], safe[0]);
      if (d > 1) dy = image(x[1] - x[d + 1], L[1], safe[1]);
      if (d > 2) dz = image(x[2] - x[d + 2], L[2], safe[2]);
    } else {
      // Wrapped coordinates, then one box length off beyond half the box (AllPairs.gather and the loop).
      dx = this.wrap(x[0], 0, 0) - this.wrap(x[d], d, 0);
      if (dx > this.halfL[0]) dx -= this.L[0];
      else if (dx < -this.halfL[0]) dx += this.L[0];
      if (d > 1) {
        dy = this.wrap(x[1], 1, 1) - this.wrap(x[d + 1], d + 1, 1);
        if (dy > this.halfL[1]) dy -= this.L[1];
        else if (dy < -this.halfL[1]) dy += this.L[1];
      }
      if (d > 2) {
        dz = this.wrap(x[2], 2, 2) - this.wrap(x[d + 2], d + 2, 2);
        if (dz > this.halfL[2]) dz -= this.L[2];
        else if (dz < -this.halfL[2]) dz += this.L[2];
      }
    }
    for (let i = 0; i < 2 * d; i++) f[i] = 0;
    const r2 = dx * dx + dy * dy + dz * dz;
    if (r2 >= this.cut2) return 0;
    const ty = this.code,
      k = this.pk,
      l = this.pl;
    let u = 0,
      g: number;
    if (ty === SOFT) {
      if (r2 === 0) return 0;
      const r = Math.sqrt(r2);
      const h = 1 - r / l;
      if (energy) u += 0.5 * k * h * h;
      g = (k * h) / (l * r);
    } else if (ty === HARMONIC) {
      if (l === 0) {
        if (energy) u += 0.5 * k * r2;
        g = -k;
      } else {
        if (r2 === 0) return 0;
        const r = Math.sqrt(r2);
        if (energy) u += 0.5 * k * (r - l) ** 2;
        g = (-k * (r - l)) / r;
      }
    } else if (ty === WCA) {
      const s2r = (l * l) / r2;
      const s6 = s2r * s2r * s2r;
      if (energy) u += 4 * k * (s6 * s6 - s6) + k;
      g = (24 * k * (2 * s6 * s6 - s6)) / r2;
    } else return 0;
    // Particle 0 gets g s, particle 1 its negative (the loops' signed zeros included: 0 + (0 + y) and 0 - y).
    f[0] = 0 + (0 + g * dx);
    f[d] = 0 - g * dx;
    if (d > 1) {
      f[1] = 0 + (0 + g * dy);
      f[d + 1] = 0 - g * dy;
    }
    if (d > 2) {
      f[2] = 0 + (0 + g * dz);
      f[d + 2] = 0 - g * dz;
    }
    return 0 + u;
  }

  /**
   * Coordinate i (on axis k) wrapped into the box: v - L floor(v / L), AllPairs.gather's arithmetic. The floor of the
   * last wrap of coordinate i is kept with the interval well inside which it holds ([lo, hi], a hundredth of a box
   * from its ends): there v - L floor(v / L) is v - L floor without the division.
   */
  private wrap(v: number, i: number, k: number): number {
    const L = this.L[k];
    if (L === Infinity) return v;
    if (v >= this.wrapLo[i] && v <= this.wrapHi[i]) return v - L * this.wrapFloor[i];
    const fl = Math.floor(v / L);
    this.wrapFloor[i] = fl;
    this.wrapLo[i] = L * (fl + 0.01);
    this.wrapHi[i] = L * (fl + 0.99);
    return v - L * fl;
  }

  /**
   * The external fields' forces added into f (and, when given, into g) and, when `energy` is given, each particle's
   * field energy added into it (ExternalFields.add, the same expressions; the fields' numbers in typed arrays);
   * returns their energy when `total` (else 0). With g and energy zeroed they are ExternalFields.parts at x.
   */
  private addExternal(
    x: Float64Array,
    f: Float64Array,
    g: Float64Array | null,
    energy: Float64Array | null,
    total: boolean,
  ): number {
    const d = this.d,
      on = this.extOn,
      code = this.extCode,
      P = this.extP,
      axis = this.extAxis,
      L = this.L;
    let u = 0;
    for (let e = 0; e < code.length; e++) {
      const o = 4 * e;
      if (code[e] === TRAP) {
        const lam = P[o],
          c = this.extCenter;
        for (let a = 0; a < 2; a++) {
          if (on[2 * e + a] === 0) continue;
          for (let k = 0; k < d; k++) {
            let dx = x[a * d + k] - c[3 * e + k];
            const Lk = L[k];
            if (Lk !== Infinity) dx -= Lk * Math.round(dx / Lk);
            if (total) u += 0.5 * lam * dx * dx;
            if (energy !== null) energy[a] += 0.5 * lam * dx * dx;
            f[a * d + k] -= lam * dx;
            if (g !== null) g[a * d + k] -= lam * dx;
          }
        }
      } else if (code[e] === COSINE) {
        // P: amplitude, wavenumber 2 pi / period, phase.
        const A = P[o],
          q = P[o + 1],
          ph = P[o + 2],
          k = axis[e];
        for (let a = 0; a < 2; a++) {
          if (on[2 * e + a] === 0) continue;
          const arg = q * x[a * d + k] + ph;
          if (total || energy !== null) {
            const c = portable.cos(arg);
            if (total) u += A * c;
            if (energy !== null) energy[a] += A * c;
          }
          const s = portable.sin(arg);
          f[a * d + k] += A * q * s;
          if (g !== null) g[a * d + k] += A * q * s;
        }
      } else {
        // P: amplitude, period, asymmetry, and the force on the rising side -A / (as P) (the falling side's below).
        const A = P[o],
          per = P[o + 1],
          as = P[o + 2],
          up = P[o + 3],
          down = this.extDown[e],
          k = axis[e];
        for (let a = 0; a < 2; a++) {
          if (on[2 * e + a] === 0) continue;
          const s = x[a * d + k] / per;
          const w = s - Math.floor(s);
          if (w < as) {
            if (total) u += (A * w) / as;
            if (energy !== null) energy[a] += (A * w) / as;
            f[a * d + k] += up;
            if (g !== null) g[a * d + k] += up;
          } else {
            if (total) u += (A * (1 - w)) / (1 - as);
            if (energy !== null) energy[a] += (A * (1 - w)) / (1 - as);
            f[a * d + k] += down;
            if (g !== null) g[a * d + k] += down;
          }
        }
      }
    }
    return u;
  }

  /** The total force at x into f and, when `energy`, the potential energy (the sum of the terms, system.ts). */
  private forces(x: Float64Array, f: Float64Array, energy: boolean): number {
    let u = this.pairForces(x, f, energy);
    if (this.hasExt) u += this.addExternal(x, f, null, null, energy);
    return u;
  }

  /** forces() and, in the same pass, the external parts at x into g1 and e1 (ExternalFields.parts). */
  private forcesAndParts(x: Float64Array, f: Float64Array): number {
    let u = this.pairForces(x, f, true);
    if (this.hasExt) {
      const g1 = this.g1;
      for (let i = 0; i < g1.length; i++) g1[i] = 0;
      this.e1[0] = 0;
      this.e1[1] = 0;
      u += this.addExternal(x, f, g1, this.e1, true);
    }
    return u;
  }

  /**
   * Runs nSteps Heun steps on the state; with `sums`, each step's probe values are added into it, its potential
   * energy into the returned `energySum` and its state into the fields' accumulators (the production run); without,
   * they are not sampled (the burn-in).
   */
  run(
    st: LangevinState,
    nSteps: number,
    sums: Float64Array | null,
    energySum: number,
    fields: readonly FieldAccumulator[],
  ): number {
    const n = this.n,
      x = st.x,
      f = st.f,
      x0 = st.xPrev,
      f0 = st.fPrev,
      z = st.noise,
      xt = this.xt,
      ft = this.ft,
      mu = this.mu,
      sc = this.sc,
      rng = st.rng,
      values = this.values,
      K = this.size,
      ext = this.hasExt,
      g0 = this.g0,
      g1 = this.g1,
      e0 = this.e0,
      e1 = this.e1;
    // The external parts at a step's start are those at the end of the step before (its g1, e1 become g0, e0); at
    // the first step of this call they are computed (the kernel serves every replica of a thread).
    if (ext && sums !== null) {
      g1.fill(0);
      e1.fill(0);
      this.addExternal(x, g1, null, e1, false);
    }
    for (let step = 0; step < nSteps; step++) {
      for (let i = 0; i < n; i++) {
        x0[i] = x[i];
        f0[i] = f[i];
      }
      rng.fillNormal(z, 0, n);
      for (let i = 0; i < n; i++) {
        z[i] *= sc[i];
        xt[i] = x[i] + mu[i] * f[i] + z[i];
      }
      this.forces(xt, ft, false);
      for (let i = 0; i < n; i++) x[i] += 0.5 * mu[i] * (f[i] + ft[i]) + z[i];
      if (sums === null) {
        st.potential = this.forces(x, f, true);
        continue;
      }
      if (ext) {
        for (let i = 0; i < n; i++) g0[i] = g1[i];
        e0[0] = e1[0];
        e0[1] = e1[1];
      }
      st.potential = this.forcesAndParts(x, f);
      energySum += st.potential;
      this.sample(st, values);
      for (let k = 0; k < K; k++) sums[k] += values[k];
      for (let q = 0; q < fields.length; q++) fields[q].sample(x, null);
    }
    return energySum;
  }

  /** ParticleProbe.sample for two overdamped particles (the cases of the header), into out. */
  private sample(st: LangevinState, out: Float64Array): void {
    const d = this.d,
      perSpecies = this.perSpecies,
      x = st.x,
      f = st.f,
      x0 = st.xPrev,
      f0 = st.fPrev,
      invDt = this.invDt;
    for (let k = 0; k < this.offU; k++) out[k] = 0;
    const ext = this.hasExt;
    if (!this.heat) {
      for (let a = 0; a < 2; a++) {
        const o = (a === 0 ? this.sp0 : this.sp1) * perSpecies;
        for (let k = 0; k < d; k++) out[o + 1 + k] += (x[a * d + k] - x0[a * d + k]) * invDt;
      }
    } else {
      // (the external parts at x0 and x are in g0, e0 and g1, e1: run)
      const g0 = this.g0,
        g1 = this.g1;
      for (let a = 0; a < 2; a++) {
        const o = (a === 0 ? this.sp0 : this.sp1) * perSpecies;
        if (ext) out[o] += (this.e1[a] - this.e0[a]) * invDt;
        for (let k = 0; k < d; k++) {
          const i = a * d + k;
          const dx = (x[i] - x0[i]) * invDt;
          const fp = ext ? f0[i] - g0[i] + f[i] - g1[i] : f0[i] + f[i];
          out[o] -= 0.5 * fp * dx;
          out[o + 1 + k] += dx;
        }
      }
      if (this.ledger) this.correct(x0, x, out);
    }
    for (let s = 0; s < this.S; s++) {
      const o = s * perSpecies;
      for (let k = 0; k < d; k++) out[o + 1 + k] *= this.invCount[s];
    }
    out[this.offU] = st.potential / 2;
    this.samplePair(st, out, this.offPair);
    if (this.covariance) {
      const Y = this.n;
      let k = this.offCov;
      for (let a = 0; a < Y; a++) out[k++] = x[a];
      for (let a = 0; a < Y; a++) for (let b = a; b < Y; b++) out[k++] = x[a] * x[b];
    }
  }

  /** The ledger's correction of the step's pair heat (PairHeatLedger.correct, visitAll for particles 0 and 1). */
  private correct(x0: Float64Array, x1: Float64Array, out: Float64Array): void {
    const d = this.d,
      L = this.L,
      stride = this.perSpecies;
    let maxStep2 = 0;
    for (let a = 0; a < 2; a++) {
      let s2 = 0;
      for (let k = 0; k < d; k++) {
        const v = x1[a * d + k] - x0[a * d + k];
        s2 += v * v;
      }
      if (s2 > maxStep2) maxStep2 = s2;
    }
    const reach = this.cutoff + 2 * Math.sqrt(maxStep2);
    if (Number.isNaN(reach)) return;
    const reach2 = reach * reach;
    const safe = this.safe;
    const s1x = image(x1[0] - x1[d], L[0], safe[0]),
      s1y = d > 1 ? image(x1[1] - x1[d + 1], L[1], safe[1]) : 0,
      s1z = d > 2 ? image(x1[2] - x1[d + 2], L[2], safe[2]) : 0;
    const q = s1x * s1x + s1y * s1y + s1z * s1z;
    if (!(q < reach2)) return;
    const ux = x1[0] - x0[0] - (x1[d] - x0[d]),
      uy = d > 1 ? x1[1] - x0[1] - (x1[d + 1] - x0[d + 1]) : 0,
      uz = d > 2 ? x1[2] - x0[2] - (x1[d + 2] - x0[d + 2]) : 0;
    const s0x = s1x - ux,
      s0y = s1y - uy,
      s0z = s1z - uz;
    const q1 = s1x * s1x + s1y * s1y + s1z * s1z,
      q0 = s0x * s0x + s0y * s0y + s0z * s0z;
    const c2 = this.cut2;
    if (q1 >= c2 && q0 >= c2) return;
    const rule = this.rule!;
    const r1 = Math.sqrt(q1),
      r0 = Math.sqrt(q0);
    const gg1 = pairForceOverDistance(rule, r1),
      gg0 = pairForceOverDistance(rule, r0);
    const trap = -0.5 * ((gg0 * s0x + gg1 * s1x) * ux + (gg0 * s0y + gg1 * s1y) * uy + (gg0 * s0z + gg1 * s1z) * uz);
    const error = (pairEnergy(rule, r1) - pairEnergy(rule, r0) - trap) * this.invDt;
    const wa = this.wa;
    out[this.sp0 * stride] += wa * error;
    out[this.sp1 * stride] += (1 - wa) * error;
  }

  /** ParticleProbe.samplePair (overdamped): |r|, v_cm along e (Stratonovich), the pair force along e, Ito v_cm. */
  private samplePair(st: LangevinState, out: Float64Array, o: number): void {
    const d = this.d,
      x = st.x,
      f = st.f,
      e = this.e,
      ext = this.hasExt,
      g1 = this.g1;
    const r = this.unitSeparation(x, x, e);
    let fe = 0;
    for (let k = 0; k < d; k++) fe += (ext ? f[d + k] - g1[d + k] : f[d + k]) * e[k];
    let vpar = 0;
    const x0 = st.xPrev,
      invDt = this.invDt;
    this.unitSeparation(x, x0, e);
    for (let k = 0; k < d; k++) vpar += 0.5 * (x[k] - x0[k] + x[d + k] - x0[d + k]) * invDt * e[k];
    if (this.itoPair) {
      this.unitSeparation(x0, x0, e);
      let vito = 0;
      for (let k = 0; k < d; k++) vito += 0.5 * (x[k] - x0[k] + x[d + k] - x0[d + k]) * invDt * e[k];
      out[o + 3] = vito;
    }
    out[o] = r;
    out[o + 1] = vpar;
    out[o + 2] = fe;
  }

  /** ParticleProbe.unitSeparation: e along r2 - r1 (minimum image) at the midpoint of a and b; returns |r2 - r1|. */
  private unitSeparation(a: Float64Array, b: Float64Array, e: Float64Array): number {
    const d = this.d;
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const ek = image(0.5 * (a[d + k] - a[k] + b[d + k] - b[k]), this.L[k], this.safe[k]);
      e[k] = ek;
      r2 += ek * ek;
    }
    const r = Math.sqrt(r2),
      inv = r > 0 ? 1 / r : 0;
    for (let k = 0; k < d; k++) e[k] *= inv;
    return r;
  }

  /** The model this kernel steps (for checks). */
  get particles(): ParticlesModel {
    return this.model;
  }
}
