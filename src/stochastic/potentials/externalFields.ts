/**
 * The external fields, each defined once (the conventions of src/model/particles.ts), on every species the field
 * lists:
 *   harmonic trap  (lambda/2)|r - c|^2, the displacement from the centre c taken with the minimum image in a box
 *   cosine         A cos(2 pi x/L + phase) along one axis
 *   sawtooth       rises linearly from 0 to A over the fraction a (asymmetry) of the period L along one axis, falls
 *                  back over the rest: A w/a for w < a, A (1 - w)/(1 - a) otherwise, w = x/L - floor(x/L)
 *
 * Per field: the energy and the force along an axis as functions of the coordinate (for the trap, of the
 * displacement from the centre), a bound of the curvature (the time-step limit, safety.ts: lambda on every axis,
 * |A| (2 pi/L)^2 on the cosine's axis, 0 for the piecewise linear sawtooth, whose force jumps but has no curvature),
 * whether the Hessian is constant, and the energy span of a bounded field (2|A| and |A|; Infinity for the trap).
 * ExternalFields sums them over the particles of a space, with their arithmetic written out in its loop (tested against
 * these functions). Browser-safe.
 */
import type { ExternalPotential } from "../../model/particles.js";
import type { ParticleSpace } from "../../problem/langevin.js";
import * as portable from "../../special/elementary.js";

/** Scratch for portable.sincos in the cosine fields' loop (sin at 0, cos at 1). */
const SINCOS = new Float64Array(2);

type Field<N extends ExternalPotential["potential"]> = Extract<ExternalPotential, { potential: N }>;

/** The harmonic trap: energy and force along one axis of the displacement dx from the centre (minimum image). */
export const trapField = {
  energy: (f: Field<"harmonic">, dx: number): number => 0.5 * f.stiffness * dx * dx,
  force: (f: Field<"harmonic">, dx: number): number => -(f.stiffness * dx),
  /** Curvature on every axis. */
  curvatureBound: (f: Field<"harmonic">): number => f.stiffness,
  energySpan: (): number => Infinity,
};

/** The cosine A cos(2 pi x/L + phase) along its axis: energy and force of the coordinate x on that axis. */
export const cosineField = {
  wavenumber: (f: Field<"cosine">): number => (2 * Math.PI) / f.period,
  energy: (f: Field<"cosine">, x: number): number =>
    f.amplitude * portable.cos(cosineField.wavenumber(f) * x + f.phase),
  force: (f: Field<"cosine">, x: number): number => {
    const q = cosineField.wavenumber(f);
    return f.amplitude * q * portable.sin(q * x + f.phase);
  },
  /** Curvature on its axis: |A| (2 pi/L)^2. */
  curvatureBound: (f: Field<"cosine">): number => Math.abs(f.amplitude) * cosineField.wavenumber(f) ** 2,
  energySpan: (f: Field<"cosine">): number => 2 * Math.abs(f.amplitude),
};

/** The sawtooth along its axis: energy and force of the coordinate x on that axis. */
export const sawtoothField = {
  /** Position within the period, in [0, 1). */
  phase: (f: Field<"sawtooth">, x: number): number => {
    const s = x / f.period;
    return s - Math.floor(s);
  },
  energy: (f: Field<"sawtooth">, x: number): number => {
    const w = sawtoothField.phase(f, x),
      a = f.asymmetry;
    return w < a ? (f.amplitude * w) / a : (f.amplitude * (1 - w)) / (1 - a);
  },
  force: (f: Field<"sawtooth">, x: number): number =>
    sawtoothField.phase(f, x) < f.asymmetry
      ? -f.amplitude / (f.asymmetry * f.period)
      : f.amplitude / ((1 - f.asymmetry) * f.period),
  /** Piecewise linear: no curvature (the force jumps at the corners). */
  curvatureBound: (): number => 0,
  energySpan: (f: Field<"sawtooth">): number => Math.abs(f.amplitude),
};

/** A bound of the field's curvature (on every axis for the trap, on its axis otherwise). */
export function externalCurvatureBound(f: ExternalPotential): number {
  return f.potential === "harmonic"
    ? trapField.curvatureBound(f)
    : f.potential === "cosine"
      ? cosineField.curvatureBound(f)
      : sawtoothField.curvatureBound();
}

/** The largest energy difference the field makes for one particle (Infinity for the trap). */
export function externalEnergySpan(f: ExternalPotential): number {
  return f.potential === "harmonic"
    ? trapField.energySpan()
    : f.potential === "cosine"
      ? cosineField.energySpan(f)
      : sawtoothField.energySpan(f);
}

/** True when the field's Hessian does not depend on the position (the trap). */
export function externalHessianConstant(f: ExternalPotential): boolean {
  return f.potential === "harmonic";
}

/**
 * External fields summed over the particles of a space (coordinates unwrapped; the trap takes the minimum image): the
 * field of a Langevin problem's "external" term (system.ts builds it after checking the term and the space).
 */
export class ExternalFields {
  readonly dof: number;
  private readonly N: number;
  private readonly d: number;
  private readonly speciesOf: Int32Array;
  private readonly fields: readonly ExternalPotential[];
  private readonly masks: Uint8Array[];
  private readonly L: Float64Array;

  constructor(space: ParticleSpace, fields: readonly ExternalPotential[]) {
    this.N = space.speciesOf.length;
    this.d = space.dimension;
    this.dof = this.N * this.d;
    this.speciesOf = space.speciesOf;
    this.fields = fields;
    this.masks = fields.map((e) => {
      const m = new Uint8Array(space.species);
      for (const s of e.species) m[s] = 1;
      return m;
    });
    this.L = Float64Array.from({ length: this.d }, (_, k) => (space.box ? space.box[k] : Infinity));
  }

  /** Writes the fields' forces into `force` (overwritten) and returns their energy. */
  compute(x: Float64Array, force: Float64Array): number {
    force.fill(0);
    return this.add(x, force);
  }

  /**
   * Writes the fields' forces into `force` (overwritten) and each particle's field energy into `energy` (length N,
   * overwritten). For the heat estimators: the external part of the heat is the exact energy difference (the sawtooth
   * force is discontinuous, where a trapezoid rule would be biased).
   */
  parts(x: Float64Array, force: Float64Array, energy: Float64Array): void {
    force.fill(0);
    energy.fill(0);
    this.add(x, force, energy);
  }

  /** True when there are fields. */
  get any(): boolean {
    return this.fields.length > 0;
  }

  /**
   * Adds the fields' forces to `force` and, when given, each particle's field energy to `energy` (length N);
   * returns the total field energy.
   */
  add(x: Float64Array, force: Float64Array, energy?: Float64Array): number {
    const N = this.N,
      d = this.d,
      sp = this.speciesOf;
    let u = 0;
    for (let e = 0; e < this.fields.length; e++) {
      const f = this.fields[e];
      const mask = this.masks[e];
      // The fields' arithmetic written out (the expressions of trapField, cosineField and sawtoothField above, with
      // the parameters hoisted out of the particle loop): calls per particle cost this loop about 5% of its time.
      // test/stochastic/potentials.test.ts checks it against those functions.
      if (f.potential === "harmonic") {
        const lam = f.stiffness,
          c = f.center;
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          for (let k = 0; k < d; k++) {
            let dx = x[a * d + k] - c[k];
            const L = this.L[k];
            if (L !== Infinity) dx -= L * Math.round(dx / L);
            u += 0.5 * lam * dx * dx;
            if (energy) energy[a] += 0.5 * lam * dx * dx;
            force[a * d + k] -= lam * dx;
          }
        }
      } else if (f.potential === "cosine") {
        const q = (2 * Math.PI) / f.period,
          A = f.amplitude,
          k = f.axis,
          ph = f.phase;
        const sc = SINCOS;
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          portable.sincos(q * x[a * d + k] + ph, sc); // the bits of portable.sin and portable.cos, one reduction
          u += A * sc[1];
          if (energy) energy[a] += A * sc[1];
          force[a * d + k] += A * q * sc[0];
        }
      } else {
        const P = f.period,
          A = f.amplitude,
          k = f.axis,
          as = f.asymmetry;
        const up = -A / (as * P),
          down = A / ((1 - as) * P);
        for (let a = 0; a < N; a++) {
          if (!mask[sp[a]]) continue;
          const s = x[a * d + k] / P;
          const w = s - Math.floor(s);
          if (w < as) {
            u += (A * w) / as;
            if (energy) energy[a] += (A * w) / as;
            force[a * d + k] += up;
          } else {
            u += (A * (1 - w)) / (1 - as);
            if (energy) energy[a] += (A * (1 - w)) / (1 - as);
            force[a * d + k] += down;
          }
        }
      }
    }
    return u;
  }
}
