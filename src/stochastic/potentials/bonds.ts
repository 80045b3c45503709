/**
 * Bonded interactions of a `kind: particles` model: springs between given particles (polymers, dimers), each bond
 * with its own law (r = |r_a - r_b|, minimum image in a periodic box):
 *   harmonic  U(r) = (k/2)(r - r0)^2
 *   fene      U(r) = -(k R0^2 / 2) ln(1 - (r/R0)^2) for r < R0 (finitely extensible; infinite beyond R0), the bond of
 *             the Kremer-Grest polymer model when combined with a WCA repulsion between all monomers.
 * The reference functions (energy, -U'/r, U'') and BondForces, the field of the "bonds" force term (registered in
 * system.ts; src/problem/langevin.ts adds the term for a model with bonds), with the divergence of the bond forces
 * that the state-function heat needs (stateHeat.ts).
 * A bond stretched to R0 or beyond has an infinite energy: its force is NaN and the run stops as blown up.
 * Browser-safe.
 */
import type { Bond, BondPotential, PairPotential } from "../../model/particles.js";
import { pairLaw } from "./pairLaws.js";
import type { ParticleSpace } from "../../problem/langevin.js";
import * as portable from "../../special/elementary.js";

/** U(r) of a bond (Infinity for a FENE bond at or beyond R0). */
export function bondEnergy(p: BondPotential, r: number): number {
  if (p.potential === "harmonic") return 0.5 * p.stiffness * (r - p.length) ** 2;
  const x = r / p.maxLength;
  return x < 1 ? -0.5 * p.stiffness * p.maxLength ** 2 * portable.log(1 - x * x) : Infinity;
}

/** -U'(r)/r: the force on a from b is this times (r_a - r_b) (NaN for a FENE bond at or beyond R0). */
export function bondForceOverDistance(p: BondPotential, r: number): number {
  if (p.potential === "harmonic") return r > 0 ? (-p.stiffness * (r - p.length)) / r : -p.stiffness;
  const x = r / p.maxLength;
  return x < 1 ? -p.stiffness / (1 - x * x) : NaN;
}

/** U''(r) (NaN for a FENE bond at or beyond R0). */
export function bondCurvature(p: BondPotential, r: number): number {
  if (p.potential === "harmonic") return p.stiffness;
  const x2 = (r / p.maxLength) ** 2;
  return x2 < 1 ? (p.stiffness * (1 + x2)) / (1 - x2) ** 2 : NaN;
}

/**
 * A bound of the bond's Hessian (the largest of U'' and U'/r) over the separations the bond reaches with an energy u
 * above its minimum: k for a harmonic bond (U'/r = k (1 - r0/r) < k), and U'' at the reachable stretch for FENE (U''
 * increases with r and exceeds U'/r). `pair`, when given, is the pair potential that also acts between the two bonded
 * particles (the WCA repulsion of the Kremer-Grest model): it pushes the bond out to where the FENE energy alone is
 * far above zero (k = 30, R0 = 1.5, WCA eps = sigma = 1: the minimum is at r = 0.96, U_FENE = 17.8), so the reachable
 * stretch is taken on the bond's whole energy U_FENE + U_pair, u above its minimum; without it, u above U_FENE(0) = 0.
 */
export function bondCurvatureBound(p: BondPotential, u: number, pair: PairPotential | null = null): number {
  if (p.potential === "harmonic") return p.stiffness;
  const R0 = p.maxLength;
  let x2: number;
  if (pair === null) x2 = 1 - portable.exp((-2 * u) / (p.stiffness * R0 ** 2));
  else {
    const law = pairLaw(pair);
    const v = (r: number) => bondEnergy(p, r) + law.energy(pair, r);
    // Every pair law is convex in r (soft, WCA inside their cutoffs, harmonic), so is v on (0, R0): a golden-section
    // search finds its minimum, then a bisection the separation beyond it where v = v_min + u.
    let lo = 1e-3 * R0,
      hi = R0 * (1 - 1e-12);
    const g = (Math.sqrt(5) - 1) / 2;
    for (let i = 0; i < 200 && hi - lo > 1e-12 * R0; i++) {
      const m1 = hi - g * (hi - lo),
        m2 = lo + g * (hi - lo);
      if (v(m1) <= v(m2)) hi = m2;
      else lo = m1;
    }
    const rMin = 0.5 * (lo + hi),
      target = v(rMin) + u;
    lo = rMin;
    hi = R0;
    for (let i = 0; i < 200 && hi - lo > 1e-13 * R0; i++) {
      const m = 0.5 * (lo + hi);
      if (v(m) <= target) lo = m;
      else hi = m;
    }
    x2 = (hi / R0) ** 2;
  }
  return (p.stiffness * (1 + x2)) / (1 - x2) ** 2;
}

/** True when a bond's force is continuous at every separation (a harmonic bond with a rest length jumps at r = 0). */
export function bondForceContinuous(p: BondPotential): boolean {
  return p.potential === "fene" || p.length === 0;
}

/** The bond force term (the field of a Langevin problem's "bonds" term, system.ts): packed bonds. */
export class BondForces {
  readonly count: number;
  readonly dof: number;
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly laws: BondPotential[];
  private readonly d: number;
  private readonly L: Float64Array;
  private readonly half: Float64Array;

  /** The bonds among the particles of `space` (validated by the caller). */
  constructor(space: Pick<ParticleSpace, "dimension" | "box" | "speciesOf">, bonds: readonly Bond[]) {
    this.count = bonds.length;
    this.dof = space.speciesOf.length * space.dimension;
    this.a = Int32Array.from(bonds, (x) => x.a);
    this.b = Int32Array.from(bonds, (x) => x.b);
    this.laws = bonds.map((x) => x.bond);
    this.d = space.dimension;
    this.L = Float64Array.from({ length: this.d }, (_, k) => (space.box ? space.box[k] : Infinity));
    this.half = this.L.map((v) => v / 2);
  }

  /** r_a - r_b of bond i (minimum image) into s; returns |r_a - r_b|. */
  private separation(x: Float64Array, i: number, s: Float64Array): number {
    const d = this.d,
      oa = this.a[i] * d,
      ob = this.b[i] * d;
    let q = 0;
    for (let k = 0; k < d; k++) {
      let v = x[oa + k] - x[ob + k];
      if (v > this.half[k]) v -= this.L[k] * Math.round(v / this.L[k]);
      else if (v < -this.half[k]) v -= this.L[k] * Math.round(v / this.L[k]);
      s[k] = v;
      q += v * v;
    }
    return Math.sqrt(q);
  }

  private readonly s = new Float64Array(3);

  /** Writes the bond forces into `force` (overwritten) and returns their energy. */
  compute(x: Float64Array, force: Float64Array): number {
    force.fill(0);
    return this.add(x, force);
  }

  /** Adds the bond forces at x to `force`; returns the bonds' energy. */
  add(x: Float64Array, force: Float64Array): number {
    const d = this.d,
      s = this.s;
    let u = 0;
    for (let i = 0; i < this.count; i++) {
      const r = this.separation(x, i, s);
      const law = this.laws[i];
      const g = bondForceOverDistance(law, r);
      u += bondEnergy(law, r);
      const oa = this.a[i] * d,
        ob = this.b[i] * d;
      for (let k = 0; k < d; k++) {
        force[oa + k] += g * s[k];
        force[ob + k] -= g * s[k];
      }
    }
    return u;
  }

  /**
   * Adds -(D_a) div_a p_a of each bond to out[speciesOf[a] * stride] for both particles (D = T/gamma per particle),
   * with div_a p_a = -(U'' + (d - 1) U'/r) (stateHeat.ts).
   */
  addDivergence(
    x: Float64Array,
    out: Float64Array,
    stride: number,
    diffusivity: Float64Array,
    speciesOf: Int32Array,
  ): void {
    const dm1 = this.d - 1,
      s = this.s;
    for (let i = 0; i < this.count; i++) {
      const r = this.separation(x, i, s);
      const law = this.laws[i];
      const div = -bondCurvature(law, r) + dm1 * bondForceOverDistance(law, r);
      const a = this.a[i],
        b = this.b[i];
      out[speciesOf[a] * stride] -= diffusivity[a] * div;
      out[speciesOf[b] * stride] -= diffusivity[b] * div;
    }
  }

  /** Bond lengths at x into out (length count). */
  lengths(x: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.count; i++) out[i] = this.separation(x, i, this.s);
  }
}
