/**
 * Estimators for particle systems, per species s (bath s):
 *   heat flux from bath s into the system: overdamped, the Stratonovich sum over its particles of
 *   <grad_a U o r_a'>: the pair part by the trapezoid rule over each step, the external part as the exact change of
 *   the particle's external energy (chain rule; exact even where the force jumps, as on a sawtooth);
 *   underdamped, sum of (gamma_s/m_s)(T_s - p^2/m_s) per coordinate;
 *   each interacting pair's two heats are corrected to sum to the exact change of its energy (pairHeat.ts: the
 *   trapezoid rule errs where the force has a kink, at the cutoff of soft and WCA potentials), the error shared in
 *   proportion to the particles' diffusivities T/gamma;
 *   entropy production rate = -sum_s (heat flux from s) / T_s (eq. 23 of [Metzger 2026] with the sign of docs/corrections.md:
 *   for two particles and bounded V it equals -<grad U(r1 - r2) o (r1'/T1 - r2'/T2)>);
 *   mean drift velocity per axis (the displacement per unit time, unwrapped across the box);
 *   the centre of mass's drift velocity per axis (count-weighted, with the error bar of the combination);
 *   kinetic temperature <p^2/m> per coordinate (underdamped); potential energy per particle;
 *   for exactly two particles (Metzger's pairs), with r = r2 - r1 (minimum image in a box) and e = r/|r|:
 *   the mean separation <|r|>, the pair force on particle 2 along e (<-U'(r)>, positive when repulsive) and the
 *   run-and-chase velocity <v_cm o e>, the centre of mass's velocity along e (Stratonovich: e at the step's midpoint;
 *   underdamped: (p1/m1 + p2/m2)/2 . e); zero in equilibrium; and, overdamped when the two frictions differ, its
 *   Ito (pre-point) average, the step's displacement with e at the step's start: the mean pair-force drift of the
 *   centre of mass along e, (1/gamma2 - 1/gamma1) <F>/2 (identically zero at equal frictions, so not reported there);
 *   with bonds (potentials/bonds.ts): the mean bond length and squared length, and the squared radius of gyration
 *   of each species (of at least two particles) and of all particles (unwrapped coordinates): swelling of hot and
 *   cold monomers; with two or more species, segregation: each species' mean squared distance from the centre of all
 *   particles (which species sits in the core) and, for two, the squared distance between their centres; for two
 *   species, also the first minus the second of each pair (batch by batch: its error bar includes their correlation);
 *   and, for small systems in open space (at most 8 coordinates), means and covariance of every coordinate;
 *   with `profile` (SimulationOptions.profile), each particle's mean squared distance from the centre of all
 *   particles (unwrapped coordinates): a polymer's profile along its chain, monomer by monomer.
 * Overdamped, `heat = false` leaves out the heat flows, the entropy production and the energy balance (and the pair
 * heat's accounting, in the probe and in the force loop): for runs that measure structure or drift only.
 */
import { ModelError } from "../errors.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";
import type { LangevinState } from "./integrators.js";
import { PairHeatLedger, type PairHeatRule } from "./pairHeat.js";
import { PAIR_HEAT_CHECK } from "./pairHeatChoice.js";
import { addExternalDivergence, externalForcesContinuous, PairDivergence } from "./stateHeat.js";
import { ExternalFields } from "./potentials/externalFields.js";
import { BondForces } from "./potentials/bonds.js";
import { minimumImage } from "./neighbours/pairSearch.js";
import type { Probe } from "./networkProbe.js";
import { linear, type EstimandSpec } from "./statistics.js";

const AXES = ["x", "y", "z"];

/** What takes the exact pair heat of each step in its force loop (ParticleForceField, SplitStepHeat). */
export interface StepHeatSource {
  /** Asks for it with the diffusivity T/gamma of each species and the time step; false when it cannot. */
  enableStepHeat(diffusivity: ArrayLike<number>, dt: number): boolean;
  /** Widens a neighbour skin for overdamped runs without the step heat (ParticleForceField.widenSkin), if it has one. */
  widenSkin?(diffusivity: ArrayLike<number>, dt: number): number;
  /** The last step's correction per species (per unit time), or null when it was not taken. Consumes it. */
  takeStepHeat(): Float64Array | null;
  /**
   * Asks for each step's trapezoid heat and displacement sums per species from the source (a split run's threads make
   * them in their own pass; SplitStepHeat), where it offers them. A step without them (addTrapezoidSums false) gets
   * the probe's own pass.
   */
  enableTrapezoidSums?(): void;
  /** Adds the last step's sums into out (heat at s * stride, displacement per axis after it); false: none (Consumes). */
  addTrapezoidSums?(out: Float64Array, stride: number): boolean;
}

export class ParticleProbe implements Probe {
  readonly size: number;
  readonly needsPrevious: boolean;
  readonly covariance: boolean;
  private readonly S: number;
  private readonly d: number;
  private readonly N: number;
  private readonly Y: number;
  private readonly perSpecies: number;
  private readonly offCov: number;
  /** Offset of the polymer observables (bonds), and their number (0 without bonds). */
  private readonly offPoly: number;
  private readonly polySize: number;
  /** The trapezoid heat per species besides the state heat, for the choice of pairHeatChoice.ts, at offCheck. */
  private readonly heatCheck: boolean;
  private readonly offCheck: number;
  /** Offset of the per-particle squared distances from the centre (profile), or -1. */
  private readonly offProfile: number;
  /** Segregation observables (bonds and at least two species): see samplePolymer. */
  private readonly segregation: boolean;
  private readonly cmAll = new Float64Array(3);
  private readonly cmSpecies: Float64Array;
  private readonly bondLengths: Float64Array;
  /** The model's bonds (lengths and divergence), or null. */
  private readonly bonds: BondForces | null;
  private readonly cm = new Float64Array(3);
  private readonly offU: number;
  /** Offset of the pair observables (|r|, v_cm along e, pair force along e), or -1 when N != 2. */
  private readonly offPair: number;
  /** The pair's Ito v_cm . e is sampled (at out[offPair + 3]): overdamped, two particles, unequal frictions. */
  private readonly itoPair: boolean;
  private readonly L: Float64Array;
  private readonly pairAxis = new Float64Array(3);
  /** Exact pair-energy accounting of the overdamped heats (null without pair interactions or underdamped). */
  private readonly ledger: PairHeatLedger | null;
  /**
   * The pairs term when it accounts the ledger's correction in its force loop (ParticleForceField.enableStepHeat), or
   * a split run's kernel (splitDisks.ts SplitStepHeat).
   */
  private readonly fused: StepHeatSource | null;
  /** What makes each step's trapezoid sums in place of trapezoidPass (a split run's threads), or null. */
  private readonly sums: StepHeatSource | null;
  /** The pair heat as a state function (stateHeat.ts): -(1/gamma_a)(p_a . f_a + T_a div_a p_a). */
  private readonly stateHeat: boolean;
  private readonly divergence: PairDivergence | null;
  private readonly mobility: Float64Array;
  /** The state heat includes the external forces (all continuous). */
  private readonly externalState: boolean;
  /** T/gamma per particle. */
  private readonly diffusivity: Float64Array;
  private readonly underdamped: boolean;
  /** Heat flows, entropy production and energy balance are sampled (false: overdamped runs that do not ask). */
  private readonly heat: boolean;
  private readonly invMass: Float64Array;
  private readonly gamma: Float64Array;
  private readonly temp: Float64Array;
  private readonly invCount: Float64Array;
  private readonly yScratch: Float64Array;

  private readonly ext0: Float64Array;
  private readonly ext1: Float64Array;
  private readonly e0: Float64Array;
  private readonly e1: Float64Array;

  constructor(
    private readonly model: ParticlesModel,
    private readonly dt: number,
    private readonly external: ExternalFields | null,
    pairHeat: PairHeatRule = "trapezoid",
    pairs: StepHeatSource | null = null,
    heatCheck = false,
    heat = true,
    profile = false,
  ) {
    checkParticlesModel(model, "ParticleProbe");
    if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt))
      throw new ModelError(`ParticleProbe: dt must be a positive finite number, got ${String(dt)}`);
    if (
      external !== null &&
      !(external instanceof ExternalFields && external.dof === model.speciesOf.length * model.dimension)
    )
      throw new ModelError("ParticleProbe: external must be the field of the model's external term (or null)");
    if (pairHeat !== "trapezoid" && pairHeat !== "exact" && pairHeat !== "state")
      throw new ModelError(`ParticleProbe: pairHeat must be state, exact or trapezoid, got ${String(pairHeat)}`);
    const S = model.species.length,
      d = model.dimension,
      N = model.speciesOf.length;
    this.S = S;
    this.d = d;
    this.N = N;
    this.underdamped = model.dynamics === "underdamped";
    if (typeof heat !== "boolean")
      throw new ModelError(`ParticleProbe: heat must be true or false, got ${String(heat)}`);
    this.heat = heat || this.underdamped;
    this.needsPrevious = !this.underdamped;
    this.perSpecies = 1 + d + (this.underdamped ? 1 : 0);
    this.offU = S * this.perSpecies;
    this.Y = N * d * (this.underdamped ? 2 : 1);
    this.covariance = model.box === null && N * d <= 8;
    this.offPair = N === 2 ? this.offU + 1 : -1;
    this.itoPair =
      N === 2 &&
      !this.underdamped &&
      model.species[model.speciesOf[0]].friction !== model.species[model.speciesOf[1]].friction;
    this.offPoly = this.offU + 1 + (N === 2 ? (this.itoPair ? 4 : 3) : 0);
    this.bonds = model.bonds && model.bonds.length > 0 ? new BondForces(model, model.bonds) : null;
    const nb = this.bonds ? this.bonds.count : 0;
    this.bondLengths = new Float64Array(nb);
    // Bonds: mean length and squared length, then Rg^2 of each species with at least two particles and of all.
    // Then, with two or more species, each species' mean squared distance from the centre of all particles, and with
    // exactly two the squared distance between the two species' centres (segregation).
    this.segregation = nb > 0 && S >= 2;
    this.polySize =
      nb > 0
        ? 2 + model.species.filter((s) => s.count >= 2).length + 1 + (this.segregation ? S + (S === 2 ? 1 : 0) : 0)
        : 0;
    this.cmSpecies = new Float64Array(this.segregation ? 3 * S : 0);
    this.offCov = this.offPoly + this.polySize;
    this.L = Float64Array.from({ length: d }, (_, k) => (model.box ? model.box[k] : Infinity));
    this.ledger =
      this.heat && pairHeat === "exact" && !this.underdamped && model.pairs.length > 0 && N >= 2
        ? new PairHeatLedger(model)
        : null;
    // The ledger's pass folded into the force loop of the pairs term where it can (2D soft disks in cell order): each
    // step's end evaluation accounts the step's pair heat; a step it could not account goes through the ledger.
    this.fused =
      this.ledger !== null &&
      pairs !== null &&
      pairs.enableStepHeat(
        model.species.map((s) => s.temperature / s.friction),
        dt,
      )
        ? pairs
        : null;
    // Overdamped runs that do not take the step heat (no heat, the trapezoid, the state heat) sort their cells every
    // few steps too where that pays (verletSkin): the same forces up to the order of their sums.
    if (this.fused === null && pairs !== null && pairs.widenSkin && model.dynamics === "overdamped")
      pairs.widenSkin(
        model.species.map((s) => s.temperature / s.friction),
        dt,
      );
    this.stateHeat = this.heat && pairHeat === "state" && !this.underdamped;
    const sums =
      this.heat &&
      !this.stateHeat &&
      !this.underdamped &&
      model.external.length === 0 &&
      pairs !== null &&
      pairs.enableTrapezoidSums !== undefined
        ? pairs
        : null;
    sums?.enableTrapezoidSums!();
    this.sums = sums;
    this.divergence = this.stateHeat && model.pairs.length > 0 && N >= 2 ? new PairDivergence(model) : null;
    this.mobility = Float64Array.from(model.species, (s) => 1 / s.friction);
    this.externalState = this.stateHeat && model.external.length > 0 && externalForcesContinuous(model);
    this.diffusivity = Float64Array.from(
      model.speciesOf,
      (s) => model.species[s].temperature / model.species[s].friction,
    );
    this.offCheck = this.offCov + (this.covariance ? this.Y + (this.Y * (this.Y + 1)) / 2 : 0);
    this.heatCheck = heatCheck && this.stateHeat;
    if (typeof profile !== "boolean")
      throw new ModelError(`ParticleProbe: profile must be true or false, got ${String(profile)}`);
    this.offProfile = profile ? this.offCheck + (this.heatCheck ? S : 0) : -1;
    this.size = this.offCheck + (this.heatCheck ? S : 0) + (profile ? N : 0);
    this.invMass = Float64Array.from(model.species, (s) => 1 / s.mass);
    this.gamma = Float64Array.from(model.species, (s) => s.friction);
    this.temp = Float64Array.from(model.species, (s) => s.temperature);
    this.invCount = Float64Array.from(model.species, (s) => 1 / s.count);
    this.yScratch = new Float64Array(this.Y);
    const ext = (!this.underdamped || N === 2) && external !== null && external.any;
    this.ext0 = new Float64Array(ext ? N * d : 0);
    this.ext1 = new Float64Array(ext ? N * d : 0);
    this.e0 = new Float64Array(ext ? N : 0);
    this.e1 = new Float64Array(ext ? N : 0);
  }

  sample(st: LangevinState, out: Float64Array): void {
    const { S, d, N, perSpecies } = this;
    const sp = this.model.speciesOf;
    for (let k = 0; k < this.offU; k++) out[k] = 0;
    const x = st.x,
      f = st.f;
    if (this.underdamped) {
      const p = st.p!;
      for (let a = 0; a < N; a++) {
        const s = sp[a],
          o = s * perSpecies,
          im = this.invMass[s];
        for (let k = 0; k < d; k++) {
          const pk = p[a * d + k];
          const ke = pk * pk * im;
          out[o] += this.gamma[s] * im * (this.temp[s] - ke);
          out[o + 1 + k] += pk * im;
          out[o + 1 + d] += ke;
        }
      }
    } else {
      const x0 = st.xPrev,
        f0 = st.fPrev,
        invDt = 1 / this.dt;
      const ext = this.ext0.length > 0;
      if (!this.heat) {
        for (let a = 0; a < N; a++) {
          const o = sp[a] * perSpecies;
          for (let k = 0; k < d; k++) out[o + 1 + k] += (x[a * d + k] - x0[a * d + k]) * invDt;
        }
      } else if (this.stateHeat) {
        this.sampleStateHeat(st, out);
        if (this.heatCheck) this.sampleTrapezoidHeat(st, out, this.offCheck);
        for (let a = 0; a < N; a++) {
          const o = sp[a] * perSpecies;
          for (let k = 0; k < d; k++) out[o + 1 + k] += (x[a * d + k] - x0[a * d + k]) * invDt;
        }
      } else {
        if (ext) {
          this.external!.parts(x0, this.ext0, this.e0);
          this.external!.parts(x, this.ext1, this.e1);
        }
        if (this.sums === null || !this.sums.addTrapezoidSums!(out, perSpecies))
          trapezoidPass(N, d, sp, perSpecies, x, x0, f, f0, ext, this.ext0, this.ext1, this.e0, this.e1, invDt, out);
        // Each interacting pair's heats sum to the exact change of its energy (pairHeat.ts).
        if (this.ledger) {
          const h = this.fused !== null ? this.fused.takeStepHeat() : null;
          if (h !== null) for (let s = 0; s < S; s++) out[s * perSpecies] += h[s];
          else this.ledger.correct(x0, x, invDt, out, perSpecies);
        }
      }
    }
    for (let s = 0; s < S; s++) {
      const o = s * perSpecies;
      for (let k = 0; k < d; k++) out[o + 1 + k] *= this.invCount[s];
      if (this.underdamped) out[o + 1 + d] *= this.invCount[s] / d;
    }
    out[this.offU] = st.potential / N;
    if (this.offPair >= 0) this.samplePair(st, out, this.offPair);
    if (this.polySize > 0) this.samplePolymer(x, out, this.offPoly);
    if (this.offProfile >= 0) this.sampleProfile(x, out, this.offProfile);
    if (this.covariance) {
      const y = this.yScratch,
        Y = this.Y,
        nd = N * d;
      for (let i = 0; i < nd; i++) y[i] = x[i];
      if (st.p) for (let i = 0; i < nd; i++) y[nd + i] = st.p[i];
      let k = this.offCov;
      for (let a = 0; a < Y; a++) out[k++] = y[a];
      for (let a = 0; a < Y; a++) for (let b = a; b < Y; b++) out[k++] = y[a] * y[b];
    }
  }

  /** The pair heat of each species as a state function at the step's end (stateHeat.ts) into out[s * perSpecies]. */
  private sampleStateHeat(st: LangevinState, out: Float64Array): void {
    const { d, N, perSpecies } = this;
    const sp = this.model.speciesOf,
      x = st.x,
      f = st.f;
    // With continuous external forces the whole force enters (the network's state estimator on linear models);
    // with a sawtooth only the pair and bond forces p = f - g (the external heat averages to zero).
    // (ext1 at x is also what samplePair subtracts for the pair force)
    if (this.ext1.length > 0) this.external!.parts(x, this.ext1, this.e1);
    const ext = this.ext1.length > 0 && !this.externalState;
    const g = this.ext1;
    for (let a = 0; a < N; a++) {
      const s = sp[a];
      let pf = 0;
      for (let k = 0; k < d; k++) {
        const i = a * d + k;
        pf += (ext ? f[i] - g[i] : f[i]) * f[i];
      }
      out[s * perSpecies] -= this.mobility[s] * pf;
    }
    if (this.externalState) addExternalDivergence(this.model, x, this.diffusivity, out, perSpecies);
    if (this.divergence) this.divergence.add(x, out, perSpecies);
    this.bonds?.addDivergence(x, out, perSpecies, this.diffusivity, sp);
  }

  /**
   * The trapezoid (Stratonovich) heat of each species into out[o + s], as the trapezoid rule writes it (pair and bond
   * forces by the trapezoid, the external ones as the exact change of their energy): the state heat's check
   * (pairHeatChoice.ts). Called after sampleStateHeat, which left the external parts at x in ext1.
   */
  private sampleTrapezoidHeat(st: LangevinState, out: Float64Array, o: number): void {
    const { d, N } = this;
    const sp = this.model.speciesOf,
      x = st.x,
      f = st.f,
      x0 = st.xPrev,
      f0 = st.fPrev,
      invDt = 1 / this.dt;
    for (let s = 0; s < this.S; s++) out[o + s] = 0;
    const ext = this.ext0.length > 0;
    if (ext) this.external!.parts(x0, this.ext0, this.e0);
    const g0 = this.ext0,
      g1 = this.ext1;
    for (let a = 0; a < N; a++) {
      const k = o + sp[a];
      if (ext) out[k] += (this.e1[a] - this.e0[a]) * invDt;
      for (let q = 0; q < d; q++) {
        const i = a * d + q;
        const fp = ext ? f0[i] - g0[i] + f[i] - g1[i] : f0[i] + f[i];
        out[k] -= 0.5 * fp * (x[i] - x0[i]) * invDt;
      }
    }
  }

  /**
   * Bond length and squared length (averaged over bonds), then the squared radius of gyration of each species with at
   * least two particles and of all particles, from the unwrapped coordinates.
   */
  private samplePolymer(x: Float64Array, out: Float64Array, o: number): void {
    const bonds = this.bonds!,
      len = this.bondLengths;
    bonds.lengths(x, len);
    let l1 = 0,
      l2 = 0;
    for (let i = 0; i < len.length; i++) {
      l1 += len[i];
      l2 += len[i] * len[i];
    }
    out[o] = l1 / len.length;
    out[o + 1] = l2 / len.length;
    let k = o + 2;
    const sp = this.model.speciesOf;
    for (let s = 0; s <= this.S; s++) {
      const all = s === this.S;
      if (!all && this.model.species[s].count < 2) continue;
      out[k++] = this.gyration(x, all ? -1 : s, sp);
    }
    if (!this.segregation) return;
    // <|r_a - R|^2> over the particles a of each species, R the centre of all particles: a species that gathers in
    // the core has the smaller one, a species pushed out to the surface the larger (segregation within the coil).
    const d = this.d,
      S = this.S,
      R = this.cmAll,
      C = this.cmSpecies;
    R.fill(0);
    C.fill(0);
    for (let a = 0; a < this.N; a++)
      for (let q = 0; q < d; q++) {
        R[q] += x[a * d + q];
        C[sp[a] * 3 + q] += x[a * d + q];
      }
    for (let q = 0; q < d; q++) R[q] /= this.N;
    for (let s = 0; s < S; s++) {
      out[k + s] = 0;
      for (let q = 0; q < d; q++) C[s * 3 + q] *= this.invCount[s];
    }
    for (let a = 0; a < this.N; a++) {
      let r2 = 0;
      for (let q = 0; q < d; q++) r2 += (x[a * d + q] - R[q]) ** 2;
      out[k + sp[a]] += r2 * this.invCount[sp[a]];
    }
    if (S === 2) {
      // |R_0 - R_1|^2: the two species' centres apart (blocks of a copolymer), near zero when they mix.
      let c2 = 0;
      for (let q = 0; q < d; q++) c2 += (C[q] - C[3 + q]) ** 2;
      out[k + 2] = c2;
    }
  }

  /** Each particle's squared distance from the centre of all particles (unwrapped coordinates) into out[o + a]. */
  private sampleProfile(x: Float64Array, out: Float64Array, o: number): void {
    const d = this.d,
      N = this.N,
      R = this.cm;
    R.fill(0);
    for (let a = 0; a < N; a++) for (let q = 0; q < d; q++) R[q] += x[a * d + q];
    for (let q = 0; q < d; q++) R[q] /= N;
    for (let a = 0; a < N; a++) {
      let r2 = 0;
      for (let q = 0; q < d; q++) r2 += (x[a * d + q] - R[q]) ** 2;
      out[o + a] = r2;
    }
  }

  /** Squared radius of gyration of species s (-1: all particles). */
  private gyration(x: Float64Array, s: number, sp: Int32Array): number {
    const d = this.d,
      cm = this.cm;
    cm.fill(0);
    let n = 0;
    for (let a = 0; a < this.N; a++) {
      if (s >= 0 && sp[a] !== s) continue;
      for (let k = 0; k < d; k++) cm[k] += x[a * d + k];
      n++;
    }
    for (let k = 0; k < d; k++) cm[k] /= n;
    let r2 = 0;
    for (let a = 0; a < this.N; a++) {
      if (s >= 0 && sp[a] !== s) continue;
      for (let k = 0; k < d; k++) r2 += (x[a * d + k] - cm[k]) ** 2;
    }
    return r2 / n;
  }

  /** The pair observables of a two-particle system into out[o], out[o + 1], out[o + 2]. */
  private samplePair(st: LangevinState, out: Float64Array, o: number): void {
    const d = this.d,
      x = st.x,
      f = st.f,
      e = this.pairAxis;
    // |r2 - r1| and the pair force on particle 2 along e at the end of the step (total force minus external part).
    const ext = this.ext1.length > 0;
    // (overdamped with heat, sample() left the external parts at x in ext1)
    if (ext && (this.underdamped || !this.heat)) this.external!.parts(x, this.ext1, this.e1);
    const r = this.unitSeparation(x, x, e);
    let fe = 0;
    for (let k = 0; k < d; k++) fe += (ext ? f[d + k] - this.ext1[d + k] : f[d + k]) * e[k];
    // The centre of mass's velocity along e: overdamped, the step's displacement with e at its midpoint (Stratonovich).
    let vpar = 0;
    if (this.underdamped) {
      const p = st.p!,
        sp = this.model.speciesOf;
      const i1 = this.invMass[sp[0]],
        i2 = this.invMass[sp[1]];
      for (let k = 0; k < d; k++) vpar += 0.5 * (p[k] * i1 + p[d + k] * i2) * e[k];
    } else {
      const x0 = st.xPrev,
        invDt = 1 / this.dt;
      this.unitSeparation(x, x0, e);
      for (let k = 0; k < d; k++) vpar += 0.5 * (x[k] - x0[k] + x[d + k] - x0[d + k]) * invDt * e[k];
      if (this.itoPair) {
        // The same displacement with e at the step's start (pre-point, Ito).
        this.unitSeparation(x0, x0, e);
        let vito = 0;
        for (let k = 0; k < d; k++) vito += 0.5 * (x[k] - x0[k] + x[d + k] - x0[d + k]) * invDt * e[k];
        out[o + 3] = vito;
      }
    }
    out[o] = r;
    out[o + 1] = vpar;
    out[o + 2] = fe;
  }

  /**
   * The unit vector e along r2 - r1 (minimum image) at the midpoint of the states a and b (a = b: at that state);
   * returns |r2 - r1| there (e = 0 when it vanishes).
   */
  private unitSeparation(a: Float64Array, b: Float64Array, e: Float64Array): number {
    const d = this.d;
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const ek = minimumImage(0.5 * (a[d + k] - a[k] + b[d + k] - b[k]), this.L[k]);
      e[k] = ek;
      r2 += ek * ek;
    }
    const r = Math.sqrt(r2),
      inv = r > 0 ? 1 / r : 0;
    for (let k = 0; k < d; k++) e[k] *= inv;
    return r;
  }

  /** Names of the coordinates: x:0, y:0, ..., then px:0, ... (underdamped). */
  coordinateNames(): string[] {
    const names: string[] = [];
    for (let a = 0; a < this.N; a++) for (let k = 0; k < this.d; k++) names.push(`${AXES[k]}:${a}`);
    if (this.underdamped)
      for (let a = 0; a < this.N; a++) for (let k = 0; k < this.d; k++) names.push(`p${AXES[k]}:${a}`);
    return names;
  }

  /**
   * The estimands, in this order (src/verify relies on it): bath flux per species, entropy production, energy
   * balance, drift velocity per species and axis, kinetic temperature per species (underdamped), the centre of
   * mass's drift velocity per axis, potential energy, the pair observables (two particles), the polymer observables
   * (bonds), the covariance of the coordinates (small systems in open space), each particle's squared distance from
   * the centre (profile), and the trapezoid heat check (pairHeatChoice.ts removes it).
   */
  estimands(): EstimandSpec[] {
    const m = this.model;
    const { S, d, perSpecies } = this;
    const specs: EstimandSpec[] = [];
    if (this.heat) {
      m.species.forEach((s, k) =>
        specs.push({
          group: "bath flux",
          name: `into ${s.name}`,
          estimand: linear([[k * perSpecies, 1]]),
        }),
      );
      specs.push({
        group: "entropy production",
        name: "rate",
        estimand: linear(m.species.map((s, k) => [k * perSpecies, -1 / s.temperature] as [number, number])),
      });
      // Zero in a steady state (d<U>/dt = 0): a check of stationarity and of the time step.
      specs.push({
        group: "energy balance",
        name: "sum of bath fluxes",
        estimand: linear(m.species.map((_, k) => [k * perSpecies, 1] as [number, number])),
      });
    }
    m.species.forEach((s, k) => {
      for (let ax = 0; ax < d; ax++) {
        specs.push({
          group: "drift velocity",
          name: `${s.name} ${AXES[ax]}`,
          estimand: linear([[k * perSpecies + 1 + ax, 1]]),
        });
      }
    });
    if (this.underdamped) {
      m.species.forEach((s, k) =>
        specs.push({
          group: "kinetic temperature",
          name: s.name,
          estimand: linear([[k * perSpecies + 1 + d, 1]]),
        }),
      );
    }
    for (let ax = 0; ax < d; ax++) {
      specs.push({
        group: "drift velocity",
        name: `centre of mass ${AXES[ax]}`,
        estimand: linear(m.species.map((s, k) => [k * perSpecies + 1 + ax, s.count / this.N] as [number, number])),
      });
    }
    specs.push({ group: "potential energy", name: "per particle", estimand: linear([[this.offU, 1]]) });
    if (this.offPair >= 0) {
      const o = this.offPair;
      specs.push({ group: "pair", name: "separation |r2 - r1|", estimand: linear([[o, 1]]) });
      specs.push({ group: "pair", name: "centre-of-mass velocity along r2 - r1", estimand: linear([[o + 1, 1]]) });
      specs.push({ group: "pair", name: "pair force on 2 along r2 - r1", estimand: linear([[o + 2, 1]]) });
      if (this.itoPair)
        specs.push({
          group: "pair",
          name: "centre-of-mass velocity along r2 - r1 (Ito)",
          estimand: linear([[o + 3, 1]]),
        });
    }
    if (this.polySize > 0) {
      const o = this.offPoly;
      specs.push({ group: "bonds", name: "length <|r|>", estimand: linear([[o, 1]]) });
      specs.push({ group: "bonds", name: "squared length <r^2>", estimand: linear([[o + 1, 1]]) });
      let k = o + 2;
      // Two species: also the first minus the second, batch by batch, so that its error bar carries the correlation
      // of the two (the same monomers and steps measure both).
      const two = S === 2 ? `${m.species[0].name} minus ${m.species[1].name}` : "";
      const gyration: number[] = [];
      m.species.forEach((s) => {
        if (s.count >= 2) {
          gyration.push(k);
          specs.push({ group: "radius of gyration", name: `squared, ${s.name}`, estimand: linear([[k++, 1]]) });
        }
      });
      if (two && gyration.length === 2)
        specs.push({
          group: "radius of gyration",
          name: `squared, ${two}`,
          estimand: linear([
            [gyration[0], 1],
            [gyration[1], -1],
          ]),
        });
      specs.push({ group: "radius of gyration", name: "squared, all", estimand: linear([[k++, 1]]) });
      if (this.segregation) {
        const first = k;
        m.species.forEach((s) =>
          specs.push({
            group: "segregation",
            name: `squared distance from the centre, ${s.name}`,
            estimand: linear([[k++, 1]]),
          }),
        );
        if (S === 2) {
          specs.push({
            group: "segregation",
            name: `squared distance from the centre, ${two}`,
            estimand: linear([
              [first, 1],
              [first + 1, -1],
            ]),
          });
          specs.push({
            group: "segregation",
            name: `squared distance between the centres of ${m.species[0].name} and ${m.species[1].name}`,
            estimand: linear([[k, 1]]),
          });
        }
      }
    }
    if (this.covariance) {
      const names = this.coordinateNames();
      const Y = this.Y;
      const prod = (a: number, b: number) => this.offCov + Y + a * Y - (a * (a - 1)) / 2 + (b - a);
      for (let a = 0; a < Y; a++)
        for (let b = a; b < Y; b++) {
          specs.push({
            group: "covariance",
            name: `${names[a]} ${names[b]}`,
            estimand: { kind: "covariance", a: this.offCov + a, b: this.offCov + b, ab: prod(a, b) },
          });
        }
    }
    void S;
    if (this.offProfile >= 0)
      for (let a = 0; a < this.N; a++)
        specs.push({
          group: "profile",
          name: `squared distance from the centre, particle ${a}`,
          estimand: linear([[this.offProfile + a, 1]]),
        });
    if (this.heatCheck) {
      // The trapezoid's heats, entropy production and energy balance, and its entropy production minus the state
      // heat's (pairHeatChoice.ts chooses between them and removes these rows from the results).
      const o = this.offCheck;
      m.species.forEach((s, k) =>
        specs.push({
          group: PAIR_HEAT_CHECK,
          name: `trapezoid bath flux into ${s.name}`,
          estimand: linear([[o + k, 1]]),
        }),
      );
      specs.push({
        group: PAIR_HEAT_CHECK,
        name: "trapezoid entropy production",
        estimand: linear(m.species.map((s, k) => [o + k, -1 / s.temperature] as [number, number])),
      });
      specs.push({
        group: PAIR_HEAT_CHECK,
        name: "trapezoid energy balance",
        estimand: linear(m.species.map((_, k) => [o + k, 1] as [number, number])),
      });
      specs.push({
        group: PAIR_HEAT_CHECK,
        name: "trapezoid minus state entropy production",
        estimand: linear(
          m.species.flatMap((s, k) => [
            [o + k, -1 / s.temperature] as [number, number],
            [k * perSpecies, 1 / s.temperature] as [number, number],
          ]),
        ),
      });
    }
    return specs;
  }
}

/**
 * The trapezoid (Stratonovich) heat and the drift of each species of an overdamped step x0 -> x (ParticleProbe.sample),
 * added into out (species s at s * perSpecies: heat, then the d drift components). With `ext`, the external forces
 * (g0, g1) are taken out of the forces and their energies' change (e0, e1) counted exactly. A function of its own: the
 * loop is then optimised with what follows it (Node 20's V8 otherwise enters an on-stack-replaced loop compiled before
 * the code after it had run, and leaves it by a deoptimisation at every call).
 */
function trapezoidPass(
  N: number,
  d: number,
  sp: Int32Array | readonly number[],
  perSpecies: number,
  x: Float64Array,
  x0: Float64Array,
  f: Float64Array,
  f0: Float64Array,
  ext: boolean,
  g0: Float64Array,
  g1: Float64Array,
  e0: Float64Array,
  e1: Float64Array,
  invDt: number,
  out: Float64Array,
): void {
  if (d === 2 && !ext) {
    // The same sums in the same order, over runs of particles of one species held in locals (the species of the
    // particles come in blocks): no store and reload of out per term.
    let a = 0;
    while (a < N) {
      const s = sp[a];
      let b = a + 1;
      while (b < N && sp[b] === s) b++;
      const o = s * perSpecies;
      let q = out[o],
        mx = out[o + 1],
        my = out[o + 2];
      for (let i = 2 * a; i < 2 * b; i += 2) {
        const dx = (x[i] - x0[i]) * invDt;
        q -= 0.5 * (f0[i] + f[i]) * dx;
        mx += dx;
        const dy = (x[i + 1] - x0[i + 1]) * invDt;
        q -= 0.5 * (f0[i + 1] + f[i + 1]) * dy;
        my += dy;
      }
      out[o] = q;
      out[o + 1] = mx;
      out[o + 2] = my;
      a = b;
    }
    return;
  }
  for (let a = 0; a < N; a++) {
    const o = sp[a] * perSpecies;
    if (ext) out[o] += (e1[a] - e0[a]) * invDt;
    for (let k = 0; k < d; k++) {
      const i = a * d + k;
      const dx = (x[i] - x0[i]) * invDt;
      // pair forces only (the external part is counted exactly above)
      const fp = ext ? f0[i] - g0[i] + f[i] - g1[i] : f0[i] + f[i];
      out[o] -= 0.5 * fp * dx;
      out[o + 1 + k] += dx;
    }
  }
}
