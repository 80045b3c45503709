/**
 * Integrators for Langevin dynamics with a friction and a temperature per degree of freedom (one bath per
 * coordinate, as HOOMD-blue's per-type gamma or LAMMPS's fix langevin per group, but per coordinate).
 *
 * Underdamped, m q'' = F(q) - gamma q' + sqrt(2 gamma T) xi (momentum p = m q'):
 *   BAOAB (Leimkuhler and Matthews 2013): half kick B, half drift A, exact Ornstein-Uhlenbeck step O
 *   p <- c p + sqrt((1 - c^2) m T) xi with c = exp(-gamma dt / m), half drift A, force, half kick B.
 *   One force evaluation per step; weak order 2; stationary averages carry an O(dt^2) bias (for a harmonic
 *   oscillator in equilibrium the positions are sampled exactly and <p^2>/m = T (1 - (omega dt / 2)^2)); stable
 *   for omega dt < 2 whatever the friction (the O step is exact for any gamma dt).
 * Overdamped, gamma x' = F(x) + sqrt(2 gamma T) xi:
 *   Euler-Maruyama: x' = x + dt F / gamma + sqrt(2 T dt / gamma) xi. Weak order 1, O(dt) bias; stable for
 *   dt lambda < 2 (lambda = curvature / gamma).
 *   Heun (stochastic trapezoid, predictor-corrector): x~ = x + dt F(x)/gamma + w, x' = x + dt (F(x) + F(x~)) / (2
 *   gamma) + w with the same w. Converges to the Stratonovich solution (equal to Ito here: additive noise), weak order
 *   2 for the stationary distribution (O(dt^2) bias), two force evaluations per step; the trapezoid form matches the
 *   Stratonovich (midpoint) estimators of heat and entropy production.
 * Linear models, either dynamics: exact Ornstein-Uhlenbeck stepping y' = e^{-A dt} y + L xi with
 *   L L^T = S - e^{-A dt} S e^{-A^T dt}: no time-step bias at all in the sampled states.
 *
 * Every stepper keeps the coordinates before the last step (xPrev, fPrev) when asked, for Stratonovich increments.
 */
import { ModelError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import type { ForceField } from "./forceField.js";
import { exactTransition, semidefiniteCholesky } from "./linear.js";
import type { Rng } from "./rng.js";

/** A Langevin system: coordinates, baths and forces, ready for an integrator. */
export interface LangevinSystem {
  dynamics: "underdamped" | "overdamped";
  /** Number of coordinates. */
  dof: number;
  /** Mass per coordinate (underdamped). */
  mass: Float64Array;
  /** Friction per coordinate; 0 means no bath (underdamped only). */
  friction: Float64Array;
  /** Bath temperature per coordinate (0 where no bath). */
  temperature: Float64Array;
  forces: ForceField;
  /** For linear systems: dy = -A y dt + B dW with D = B B^T, y = (q, p) or q. Enables the exact scheme. */
  linear?: { drift: Matrix; diffusion: Matrix };
}

export type SchemeName = "baoab" | "euler-maruyama" | "heun" | "exact";

export interface Stepper {
  readonly scheme: SchemeName;
  /** Coordinates (length dof). */
  readonly x: Float64Array;
  /** Momenta (underdamped) or null. */
  readonly p: Float64Array | null;
  /** Forces at x. */
  readonly f: Float64Array;
  /** Coordinates and forces before the last step (kept only when keepPrevious). */
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  /** Potential energy at x. */
  potential: number;
  /** Recomputes forces after x was set from outside. */
  refresh(): void;
  step(): void;
}

function copyInto(dst: Float64Array, src: Float64Array): void {
  dst.set(src);
}

class Baoab implements Stepper {
  readonly scheme = "baoab" as const;
  readonly x: Float64Array;
  readonly p: Float64Array;
  readonly f: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  potential = 0;
  private readonly h2: number;
  private readonly invMass: Float64Array;
  private readonly bathDof: Int32Array;
  private readonly c1: Float64Array;
  private readonly c2: Float64Array;
  private readonly noise: Float64Array;

  constructor(private readonly sys: LangevinSystem, dt: number, private readonly rng: Rng, private readonly keepPrevious: boolean) {
    const n = sys.dof;
    this.x = new Float64Array(n);
    this.p = new Float64Array(n);
    this.f = new Float64Array(n);
    this.xPrev = new Float64Array(keepPrevious ? n : 0);
    this.fPrev = new Float64Array(keepPrevious ? n : 0);
    this.h2 = dt / 2;
    this.invMass = sys.mass.map((m) => 1 / m);
    const baths: number[] = [];
    for (let i = 0; i < n; i++) if (sys.friction[i] > 0) baths.push(i);
    this.bathDof = Int32Array.from(baths);
    this.c1 = Float64Array.from(baths, (i) => Math.exp((-sys.friction[i] * dt) / sys.mass[i]));
    this.c2 = Float64Array.from(baths, (i, k) => Math.sqrt((1 - this.c1[k] ** 2) * sys.mass[i] * sys.temperature[i]));
    this.noise = new Float64Array(baths.length);
  }

  refresh(): void {
    this.potential = this.sys.forces.compute(this.x, this.f);
  }

  step(): void {
    const { x, p, f, h2, invMass } = this;
    const n = x.length;
    if (this.keepPrevious) {
      copyInto(this.xPrev, x);
      copyInto(this.fPrev, f);
    }
    for (let i = 0; i < n; i++) {
      const pi = p[i] + h2 * f[i];
      p[i] = pi;
      x[i] += h2 * pi * invMass[i];
    }
    const nb = this.bathDof.length;
    const noise = this.noise, idx = this.bathDof, c1 = this.c1, c2 = this.c2;
    this.rng.fillNormal(noise, 0, nb);
    if (nb === n) {
      // Every coordinate has a bath (particles): O and the second A in one pass.
      for (let i = 0; i < n; i++) {
        const pi = c1[i] * p[i] + c2[i] * noise[i];
        p[i] = pi;
        x[i] += h2 * pi * invMass[i];
      }
    } else {
      for (let k = 0; k < nb; k++) {
        const i = idx[k];
        p[i] = c1[k] * p[i] + c2[k] * noise[k];
      }
      for (let i = 0; i < n; i++) x[i] += h2 * p[i] * invMass[i];
    }
    this.potential = this.sys.forces.compute(x, f);
    for (let i = 0; i < n; i++) p[i] += h2 * f[i];
  }
}

class EulerMaruyama implements Stepper {
  readonly scheme: SchemeName = "euler-maruyama";
  readonly x: Float64Array;
  readonly p = null;
  readonly f: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  potential = 0;
  protected readonly mobilityDt: Float64Array;
  protected readonly noiseScale: Float64Array;
  protected readonly noise: Float64Array;

  constructor(protected readonly sys: LangevinSystem, protected readonly dt: number, protected readonly rng: Rng,
    protected readonly keepPrevious: boolean) {
    const n = sys.dof;
    this.x = new Float64Array(n);
    this.f = new Float64Array(n);
    this.xPrev = new Float64Array(keepPrevious ? n : 0);
    this.fPrev = new Float64Array(keepPrevious ? n : 0);
    this.mobilityDt = sys.friction.map((g) => dt / g);
    this.noiseScale = Float64Array.from(sys.friction, (g, i) => Math.sqrt((2 * sys.temperature[i] * dt) / g));
    this.noise = new Float64Array(n);
  }

  refresh(): void {
    this.potential = this.sys.forces.compute(this.x, this.f);
  }

  step(): void {
    const { x, f, mobilityDt, noiseScale, noise } = this;
    const n = x.length;
    if (this.keepPrevious) {
      copyInto(this.xPrev, x);
      copyInto(this.fPrev, f);
    }
    this.rng.fillNormal(noise, 0, n);
    for (let i = 0; i < n; i++) x[i] += mobilityDt[i] * f[i] + noiseScale[i] * noise[i];
    this.potential = this.sys.forces.compute(x, f);
  }
}

class Heun extends EulerMaruyama {
  override readonly scheme: SchemeName = "heun";
  private readonly xt: Float64Array;
  private readonly ft: Float64Array;
  constructor(sys: LangevinSystem, dt: number, rng: Rng, keepPrevious: boolean) {
    super(sys, dt, rng, keepPrevious);
    this.xt = new Float64Array(sys.dof);
    this.ft = new Float64Array(sys.dof);
  }

  override step(): void {
    const { x, f, xt, ft, mobilityDt, noiseScale, noise } = this;
    const n = x.length;
    if (this.keepPrevious) {
      copyInto(this.xPrev, x);
      copyInto(this.fPrev, f);
    }
    this.rng.fillNormal(noise, 0, n);
    for (let i = 0; i < n; i++) {
      noise[i] *= noiseScale[i];
      xt[i] = x[i] + mobilityDt[i] * f[i] + noise[i];
    }
    this.sys.forces.compute(xt, ft);
    for (let i = 0; i < n; i++) x[i] += 0.5 * mobilityDt[i] * (f[i] + ft[i]) + noise[i];
    this.potential = this.sys.forces.compute(x, f);
  }
}

class ExactOU implements Stepper {
  readonly scheme = "exact" as const;
  readonly x: Float64Array;
  readonly p: Float64Array | null;
  readonly f: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  potential = 0;
  private readonly y: Float64Array;
  private readonly yPrev: Float64Array;
  private readonly E: Float64Array;
  private readonly L: Float64Array;
  private readonly noise: Float64Array;
  private readonly N: number;

  constructor(private readonly sys: LangevinSystem, dt: number, private readonly rng: Rng, private readonly keepPrevious: boolean) {
    if (!sys.linear) throw new ModelError("exact stepping needs a linear model");
    const { E, Q } = exactTransition(sys.linear.drift, sys.linear.diffusion, dt);
    const N = E.rows;
    this.N = N;
    this.E = E.data;
    this.L = semidefiniteCholesky(Q).data;
    this.y = new Float64Array(N);
    this.yPrev = new Float64Array(N);
    const n = sys.dof;
    this.x = this.y.subarray(0, n);
    this.p = sys.dynamics === "underdamped" ? this.y.subarray(n, 2 * n) : null;
    this.f = new Float64Array(n);
    this.xPrev = keepPrevious ? this.yPrev.subarray(0, n) : new Float64Array(0);
    this.fPrev = new Float64Array(keepPrevious ? n : 0);
    this.noise = new Float64Array(N);
  }

  refresh(): void {
    this.potential = this.sys.forces.compute(this.x, this.f);
  }

  step(): void {
    const { y, yPrev, E, L, noise, N } = this;
    yPrev.set(y);
    if (this.keepPrevious) copyInto(this.fPrev, this.f);
    this.rng.fillNormal(noise, 0, N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      const r = i * N;
      for (let j = 0; j < N; j++) s += E[r + j] * yPrev[j];
      for (let j = 0; j <= i; j++) s += L[r + j] * noise[j];
      y[i] = s;
    }
    this.potential = this.sys.forces.compute(this.x, this.f);
  }
}

/** The default scheme for a dynamics. */
export function defaultScheme(dynamics: "underdamped" | "overdamped"): SchemeName {
  return dynamics === "underdamped" ? "baoab" : "heun";
}

/** Builds a stepper; x (and p) start at zero until the caller sets them and calls refresh(). */
export function createStepper(sys: LangevinSystem, scheme: SchemeName, dt: number, rng: Rng, keepPrevious: boolean): Stepper {
  checkSystem(sys, dt);
  if (rng === null || typeof rng !== "object" || typeof (rng as Rng).fillNormal !== "function") throw new ModelError("createStepper: rng must be an Rng (Rng.stream(seed))");
  switch (scheme) {
    case "baoab":
      if (sys.dynamics !== "underdamped") throw new ModelError("BAOAB integrates underdamped dynamics; use euler-maruyama, heun or exact");
      return new Baoab(sys, dt, rng, keepPrevious);
    case "euler-maruyama":
      if (sys.dynamics !== "overdamped") throw new ModelError("Euler-Maruyama is offered for overdamped dynamics; use baoab or exact");
      return new EulerMaruyama(sys, dt, rng, keepPrevious);
    case "heun":
      if (sys.dynamics !== "overdamped") throw new ModelError("Heun is offered for overdamped dynamics; use baoab or exact");
      return new Heun(sys, dt, rng, keepPrevious);
    case "exact":
      return new ExactOU(sys, dt, rng, keepPrevious);
    default:
      throw new ModelError(`unknown scheme ${JSON.stringify(scheme)} (one of: baoab, euler-maruyama, heun, exact)`);
  }
}

/** A LangevinSystem's shape and numbers, checked once when a stepper is built (never in the step loop). */
function checkSystem(sys: LangevinSystem, dt: number): void {
  const fail = (msg: string): never => {
    throw new ModelError(`createStepper: ${msg}`);
  };
  if (sys === null || typeof sys !== "object") fail("expected a LangevinSystem (from networkSystem or particleSystem)");
  if (sys.dynamics !== "underdamped" && sys.dynamics !== "overdamped") fail(`dynamics must be underdamped or overdamped, got ${String(sys.dynamics)}`);
  if (!Number.isSafeInteger(sys.dof) || sys.dof < 1) fail(`dof must be a positive integer, got ${String(sys.dof)}`);
  for (const key of ["mass", "friction", "temperature"] as const) {
    const a = sys[key] as unknown;
    if (!(a instanceof Float64Array) || a.length !== sys.dof) fail(`${key} must be a Float64Array of ${sys.dof} numbers`);
    for (const x of a as Float64Array) if (!Number.isFinite(x) || x < 0 || (key === "mass" && x === 0)) fail(`every ${key} must be a finite number ${key === "mass" ? "> 0" : ">= 0"}, got ${x}`);
  }
  if (sys.forces === null || typeof sys.forces !== "object" || typeof sys.forces.compute !== "function") fail("forces must be a ForceField");
  if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt)) fail(`dt must be a positive finite number, got ${String(dt)}`);
}
