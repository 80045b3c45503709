/**
 * Integrators as init/step pairs built from named sub-steps over plain state (the design of JAX-MD's simulate.py:
 * a simulation is an init function that makes a state and a step function that advances it; here the step works
 * in place, so the hot loop allocates nothing). A scheme is a value, plain data that crosses to worker threads:
 * `baoab({ dt })` is `{ scheme: "baoab", dt }`, and the engine looks its integrator up by name (`integrator`).
 *
 * Langevin dynamics with a friction and a temperature per coordinate (one bath per coordinate, as HOOMD-blue's
 * per-type gamma or LAMMPS's fix langevin per group, but per coordinate):
 *   underdamped  m q'' = F(q) - gamma q' + sqrt(2 gamma T) xi        (momentum p = m q')
 *   overdamped   gamma x' = F(x) + sqrt(2 gamma T) xi                 (gamma is the inverse mobility)
 * and mixed systems whose coordinates are some underdamped, some overdamped (a chain pushed by overdamped particles).
 *
 * Sub-steps (each a function of the state and the integrator's constants):
 *   B  kick        p <- p + (dt/2) F
 *   A  drift       x <- x + (dt/2) p / m
 *   O  thermostat  p <- c p + sqrt((1 - c^2) m T) xi with c = exp(-gamma dt / m), on the coordinates with a bath: the
 *                  exact Ornstein-Uhlenbeck step of the friction and the noise
 *   force          F(x) and the potential energy
 *   noise          one fill of the step's Gaussian numbers from the state's stream (so replicas that share the numbers,
 *                  common random numbers, can be stepped from one draw: `advance` is the step without it)
 *   predictor / corrector, Euler step, exact OU step, increment / implicit solve: below.
 *
 * Schemes:
 *   BAOAB (Leimkuhler and Matthews 2013) = B A O A force B. One force evaluation per step; weak order 2; stationary
 *   averages carry an O(dt^2) bias (for a harmonic oscillator in equilibrium the positions are sampled exactly and
 *   <p^2>/m = T (1 - (omega dt / 2)^2)); stable for omega dt < 2 whatever the friction (O is exact for any gamma dt).
 *   For a mixed system the overdamped coordinates take, between the second A and the force, a half drift with the
 *   old forces, the exact free diffusion x <- x + sqrt(2 T dt / gamma) xi, a force evaluation and a half drift with
 *   the new forces (Strang splitting: the overdamped response to the underdamped coordinates is sampled at the step
 *   times with trapezoid weights, second order in dt / tau for a mode of time tau).
 *   Euler-Maruyama (overdamped): x <- x + dt F / gamma + sqrt(2 T dt / gamma) xi. Weak order 1, O(dt) bias; stable
 *   for dt lambda < 2 (lambda = curvature / gamma).
 *   Heun (overdamped, stochastic trapezoid): predictor x~ = x + dt F(x)/gamma + w, corrector
 *   x' = x + dt (F(x) + F(x~)) / (2 gamma) + w with the same w. Converges to the Stratonovich solution (equal to Ito
 *   here: additive noise), weak order 2 for the stationary distribution (O(dt^2) bias), two force evaluations per
 *   step; the trapezoid form matches the Stratonovich (midpoint) estimators of heat and entropy production.
 *   Exact OU (linear systems, either dynamics): y' = e^{-A dt} y + L xi with L L^T = S - e^{-A dt} S e^{-A^T dt}: no
 *   time-step bias at all in the sampled states.
 * General Ito SDEs dx = f(x) dt + G(x) dW (multiplicative noise, sde.ts): Euler-Maruyama x <- x + d with the explicit
 *   increment d = dt f(x) + G(x) sqrt(dt) xi, and the linear-implicit (Rosenbrock-type trapezoidal) step
 *   x <- x + (1 - (dt/2) J)^-1 d with J = df/dx at x: weak order 1 like Euler-Maruyama, but for a linear drift its
 *   stationary covariance is exact (the dt^2 terms cancel).
 *
 * A Langevin state keeps the coordinates and forces before the last step (xPrev, fPrev) when asked, for
 * Stratonovich increments.
 */
import { ModelError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import { describeValue } from "../model/raw.js";
import type { ForceField, SortCheck } from "./forceField.js";
import { exactTransition, semidefiniteCholesky } from "./linear.js";
import type { Rng } from "./rng.js";
import * as portable from "../special/elementary.js";

// ---------------------------------------------------------------------------------------------------------------
// Schemes as values

/** Schemes for Langevin systems. */
export type SchemeName = "baoab" | "euler-maruyama" | "heun" | "exact";
/** Schemes for general Ito SDEs (sde.ts). */
export type SdeSchemeName = "euler-maruyama" | "linear-implicit";

/** A scheme: plain, structured-cloneable data naming an integrator and its time step. */
export interface Scheme<N extends SchemeName | SdeSchemeName = SchemeName | SdeSchemeName> {
  readonly scheme: N;
  /** Time step (> 0). */
  readonly dt: number;
  /**
   * BAOAB on a small linear network (kernels.ts) and Heun on two overdamped particles (pairKernel.ts): false runs the
   * generic sub-steps instead of the fused kernel, an optimisation of the same scheme with the same random numbers.
   * Default true.
   */
  readonly fused?: boolean;
}

function schemeValue<N extends SchemeName | SdeSchemeName>(scheme: N, o: { dt: number }, what: string): Scheme<N> {
  if (o === null || typeof o !== "object") throw new ModelError(`${what}: expected { dt }, got ${describeValue(o)}`);
  const dt = o.dt;
  if (typeof dt !== "number" || !(dt > 0) || !Number.isFinite(dt))
    throw new ModelError(`dt must be a positive finite number, got ${describeValue(dt)}`);
  return { scheme, dt };
}

/**
 * BAOAB (underdamped and mixed systems). `fused: false` turns off the fused kernel of small linear networks.
 *
 * @example
 * ```ts
 * import { baoab } from "ness";
 *
 * console.log(JSON.stringify(baoab({ dt: 0.01 }))); // => {"scheme":"baoab","dt":0.01}
 * ```
 */
export function baoab(o: { dt: number; fused?: boolean }): Scheme<"baoab"> {
  const s = schemeValue("baoab", o, "baoab");
  if (o.fused !== undefined && typeof o.fused !== "boolean")
    throw new ModelError(`baoab: fused must be true or false, got ${describeValue(o.fused)}`);
  return o.fused === false ? { ...s, fused: false } : s;
}
/**
 * Heun's predictor-corrector (overdamped). `fused: false` turns off the fused kernel of two-particle systems.
 *
 * @example
 * ```ts
 * import { heun } from "ness";
 *
 * console.log(heun({ dt: 0.01 }).scheme); // => heun
 * ```
 */
export function heun(o: { dt: number; fused?: boolean }): Scheme<"heun"> {
  const s = schemeValue("heun", o, "heun");
  if (o.fused !== undefined && typeof o.fused !== "boolean")
    throw new ModelError(`heun: fused must be true or false, got ${describeValue(o.fused)}`);
  return o.fused === false ? { ...s, fused: false } : s;
}
/**
 * Euler-Maruyama (overdamped Langevin systems and general SDEs).
 *
 * @example
 * ```ts
 * import { eulerMaruyama } from "ness";
 *
 * console.log(eulerMaruyama({ dt: 0.01 }).scheme); // => euler-maruyama
 * ```
 */
export function eulerMaruyama(o: { dt: number }): Scheme<"euler-maruyama"> {
  return schemeValue("euler-maruyama", o, "eulerMaruyama");
}
/**
 * Exact Ornstein-Uhlenbeck stepping (linear systems). Its name in results and on the command line is "exact".
 *
 * @example
 * ```ts
 * import { exactOU } from "ness";
 *
 * console.log(exactOU({ dt: 0.5 }).scheme); // => exact
 * ```
 */
export function exactOU(o: { dt: number }): Scheme<"exact"> {
  return schemeValue("exact", o, "exactOU");
}
/**
 * The linear-implicit (Rosenbrock-type) step of general SDEs with a drift Jacobian (sde.ts).
 *
 * @example
 * ```ts
 * import { linearImplicit } from "ness";
 *
 * console.log(linearImplicit({ dt: 0.01 }).scheme); // => linear-implicit
 * ```
 */
export function linearImplicit(o: { dt: number }): Scheme<"linear-implicit"> {
  return schemeValue("linear-implicit", o, "linearImplicit");
}

export const SCHEME_NAMES: readonly SchemeName[] = ["baoab", "euler-maruyama", "heun", "exact"];

/** A Langevin scheme by name (`ness simulate --scheme NAME --dt DT`); ModelError for an unknown name. */
export function schemeByName(name: string, dt: number): Scheme<SchemeName> {
  switch (name) {
    case "baoab":
      return baoab({ dt });
    case "heun":
      return heun({ dt });
    case "euler-maruyama":
      return eulerMaruyama({ dt });
    case "exact":
      return exactOU({ dt });
    default:
      throw new ModelError(`unknown scheme ${JSON.stringify(name)} (one of: ${SCHEME_NAMES.join(", ")})`);
  }
}

/** The default scheme of a dynamics: BAOAB (underdamped, mixed) or Heun (overdamped). */
export function defaultScheme(dynamics: Dynamics): SchemeName {
  return dynamics === "overdamped" ? "heun" : "baoab";
}

/**
 * A scheme value, or `{ dt }` for the default scheme of the dynamics, checked and resolved. Throws ModelError for
 * anything else (a string, an unknown name, a bad dt).
 */
export function resolveScheme(
  s: Scheme | { dt: number; scheme?: undefined; fused?: boolean },
  dynamics: Dynamics,
): Scheme<SchemeName> {
  if (s === null || typeof s !== "object") {
    throw new ModelError(
      `the scheme must be a value such as baoab({ dt: 0.01 }) or { dt: 0.01 } (the default for the dynamics), got ${describeValue(s)}`,
    );
  }
  const name = s.scheme ?? defaultScheme(dynamics);
  if (!(SCHEME_NAMES as readonly string[]).includes(name))
    throw new ModelError(
      `unknown scheme ${JSON.stringify(name)} for a Langevin system (one of: ${SCHEME_NAMES.join(", ")})`,
    );
  return name === "baoab"
    ? baoab({ dt: s.dt, fused: s.fused })
    : name === "heun"
      ? heun({ dt: s.dt, fused: s.fused })
      : schemeByName(name, s.dt);
}

// ---------------------------------------------------------------------------------------------------------------
// Langevin systems and their state

export type Dynamics = "underdamped" | "overdamped" | "mixed";

/** A Langevin system: coordinates, baths and forces, ready for an integrator. */
export interface LangevinSystem {
  /** "mixed": some coordinates underdamped, the others (marked in `overdamped`) overdamped. */
  dynamics: Dynamics;
  /** Number of coordinates. */
  dof: number;
  /** Mass per coordinate (underdamped coordinates; 1 elsewhere). */
  mass: Float64Array;
  /** Friction gamma per coordinate; 0 means no bath (underdamped coordinates only). */
  friction: Float64Array;
  /** Bath temperature per coordinate (0 where no bath). */
  temperature: Float64Array;
  /** Mixed systems: 1 for an overdamped coordinate, 0 for an underdamped one. */
  overdamped?: Uint8Array;
  forces: ForceField;
  /**
   * Mixed systems, optional: a cheaper evaluation whose forces are right at the overdamped coordinates only (the other
   * entries of f and the returned energy may be anything). BAOAB uses it for the force evaluation between the
   * overdamped half drifts, whose result only those coordinates read.
   */
  overdampedForces?: ForceField;
  /** For linear systems: dy = -A y dt + B dW with D = B B^T, y = (q, p) or q. Enables the exact scheme. */
  linear?: { drift: Matrix; diffusion: Matrix };
}

/** The state of one Langevin replica (JAX-MD's state tuple), stepped in place. */
export interface LangevinState {
  /** Coordinates (length dof). */
  readonly x: Float64Array;
  /** Momenta (underdamped and mixed systems; 0 at overdamped coordinates), or null. */
  readonly p: Float64Array | null;
  /** Forces at x. */
  readonly f: Float64Array;
  /** Potential energy at x. */
  potential: number;
  /** Coordinates and forces before the last step (kept only when the integrator was asked to keep them). */
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  /** This step's Gaussian numbers (filled by the `noise` sub-step). */
  readonly noise: Float64Array;
  /** The replica's stream of random numbers. */
  readonly rng: Rng;
  /**
   * Overdamped steps with the previous state kept: false asks the force evaluation at the step's end not to account
   * the step (the pair heat of ForceField.computeStep), for steps whose estimators are not sampled (a burn-in); the
   * forces are the same. Default (absent) true.
   */
  accountStep?: boolean;
}

/** An integrator: an init/step pair over LangevinState. */
export interface Integrator {
  readonly scheme: Scheme<SchemeName>;
  /** A state at x = 0 (and p = 0) drawing from `rng`: set x (and p), then call `force`. */
  init(rng: Rng): LangevinState;
  /** Recomputes the forces and the potential at x (after x was set from outside). */
  force(state: LangevinState): void;
  /** One step: `noise` then `advance`. */
  step(state: LangevinState): void;
  /** Fills state.noise with this step's Gaussian numbers. */
  noise(state: LangevinState): void;
  /** The step given state.noise (for common random numbers: several states advanced with one draw). */
  advance(state: LangevinState): void;
  /**
   * An integrator with neighbour lists of its own (a split run, splitDisks.ts): their memory for checkpoints, as a
   * force field's (forceField.ts saveState, restoreState).
   */
  saveState?(): Float64Array;
  restoreState?(state: Float64Array): void;
}

/** The constants every sub-step reads, made once per integrator. */
interface Constants {
  readonly sys: LangevinSystem;
  readonly n: number;
  readonly h2: number;
  readonly invMass: Float64Array;
  /** Underdamped coordinates (all for underdamped systems). */
  readonly under: Int32Array;
  /** Underdamped coordinates with a bath, and their O-step coefficients. */
  readonly bath: Int32Array;
  readonly c1: Float64Array;
  readonly c2: Float64Array;
  /** Overdamped coordinates (all for overdamped systems), with dt / gamma, dt / (2 gamma) and sqrt(2 T dt / gamma). */
  readonly over: Int32Array;
  readonly mobilityDt: Float64Array;
  readonly halfMobilityDt: Float64Array;
  readonly noiseScale: Float64Array;
  readonly keepPrevious: boolean;
}

function constants(sys: LangevinSystem, dt: number, keepPrevious: boolean): Constants {
  const n = sys.dof;
  const allOver = sys.dynamics === "overdamped";
  const isOver = (i: number) => allOver || (sys.dynamics === "mixed" && sys.overdamped![i] === 1);
  // Index lists in typed arrays filled by plain loops (a system of 10^5 particles has 2 x 10^5 coordinates: array
  // pushes and Array.from's callbacks cost tens of milliseconds there).
  const under = new Int32Array(n),
    over = new Int32Array(n),
    bath = new Int32Array(n);
  let nu = 0,
    no = 0,
    nb = 0;
  for (let i = 0; i < n; i++) {
    if (isOver(i)) over[no++] = i;
    else {
      under[nu++] = i;
      if (sys.friction[i] > 0) bath[nb++] = i;
    }
  }
  const c1 = new Float64Array(nb),
    c2 = new Float64Array(nb);
  for (let k = 0; k < nb; k++) {
    const i = bath[k];
    c1[k] = portable.exp((-sys.friction[i] * dt) / sys.mass[i]);
    c2[k] = Math.sqrt((1 - c1[k] ** 2) * sys.mass[i] * sys.temperature[i]);
  }
  const invMass = new Float64Array(n);
  for (let i = 0; i < n; i++) invMass[i] = 1 / sys.mass[i];
  const mobilityDt = new Float64Array(no),
    halfMobilityDt = new Float64Array(no),
    noiseScale = new Float64Array(no);
  for (let k = 0; k < no; k++) {
    const i = over[k];
    mobilityDt[k] = dt / sys.friction[i];
    halfMobilityDt[k] = (0.5 * dt) / sys.friction[i];
    noiseScale[k] = Math.sqrt((2 * sys.temperature[i] * dt) / sys.friction[i]);
  }
  return {
    sys,
    n,
    h2: dt / 2,
    keepPrevious,
    invMass,
    under: under.slice(0, nu),
    bath: bath.slice(0, nb),
    c1,
    c2,
    over: over.slice(0, no),
    mobilityDt,
    halfMobilityDt,
    noiseScale,
  };
}

/** The numbers constants() was made from, copied, beside the constants (one entry per system: the last used). */
interface ConstantsEntry {
  dt: number;
  keepPrevious: boolean;
  dynamics: Dynamics;
  mass: Float64Array;
  friction: Float64Array;
  temperature: Float64Array;
  overdamped: Uint8Array | null;
  c: Constants;
}

const constantsCache = new WeakMap<LangevinSystem, ConstantsEntry>();

function sameNumbers(a: ArrayLike<number> | null, b: ArrayLike<number> | null | undefined): boolean {
  if (a === null || b === null || b === undefined) return a === null && (b === null || b === undefined);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * constants() shared by the integrators of one system: an ensemble builds an integrator per replica on the same
 * system, and the coefficients (exponentials, square roots, index lists) were a few percent of a short replica.
 * An entry serves only the same system object, dt and keepPrevious, and only while the system's dynamics, masses,
 * frictions, temperatures and overdamped marks equal the copies taken when it was made (compared at every lookup:
 * a system changed in place gets fresh constants, so a stale entry cannot be returned). Constants are read only.
 */
function sharedConstants(sys: LangevinSystem, dt: number, keepPrevious: boolean): Constants {
  const e = constantsCache.get(sys);
  if (
    e !== undefined &&
    e.dt === dt &&
    e.keepPrevious === keepPrevious &&
    e.dynamics === sys.dynamics &&
    e.c.n === sys.dof &&
    sameNumbers(e.mass, sys.mass) &&
    sameNumbers(e.friction, sys.friction) &&
    sameNumbers(e.temperature, sys.temperature) &&
    sameNumbers(e.overdamped, sys.overdamped)
  )
    return e.c;
  const c = constants(sys, dt, keepPrevious);
  constantsCache.set(sys, {
    dt,
    keepPrevious,
    dynamics: sys.dynamics,
    mass: sys.mass.slice(),
    friction: sys.friction.slice(),
    temperature: sys.temperature.slice(),
    overdamped: sys.overdamped ? sys.overdamped.slice() : null,
    c,
  });
  return c;
}

function newState(c: Constants, rng: Rng, noise: number, momenta: boolean): LangevinState {
  const n = c.n;
  return {
    x: new Float64Array(n),
    p: momenta ? new Float64Array(n) : null,
    f: new Float64Array(n),
    potential: 0,
    xPrev: new Float64Array(c.keepPrevious ? n : 0),
    fPrev: new Float64Array(c.keepPrevious ? n : 0),
    noise: new Float64Array(noise),
    rng,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Named sub-steps. The loops over all coordinates (pure dynamics) and over index lists (mixed) do the same arithmetic.

/** Keeps x and f as xPrev, fPrev (for Stratonovich increments). */
function remember(s: LangevinState, c: Constants): void {
  if (c.keepPrevious) {
    s.xPrev.set(s.x);
    s.fPrev.set(s.f);
  }
}

/** force: f = F(x), potential = U(x). */
function force(s: LangevinState, c: Constants): void {
  s.potential = c.sys.forces.compute(s.x, s.f);
}

/**
 * The force at the end of an overdamped step: computeStep(xPrev, x) when the field has it and the previous state is
 * kept (a field may account the step in its force loop: the pair heat), else force().
 */
function stepForce(s: LangevinState, c: Constants, moved = -1): void {
  const fields = c.sys.forces;
  s.potential =
    c.keepPrevious && fields.computeStep
      ? fields.computeStep(s.xPrev, s.x, s.f, s.accountStep !== false, moved)
      : fields.compute(s.x, s.f);
}

/**
 * The comparison the field's next computeStep makes against its last sort (ForceField.sortCheck), when the move
 * before it can make it in its own pass: 2D only (the fused loops below), and only for the computeStep path.
 */
function sortCheckOf(c: Constants): SortCheck | null {
  const fields = c.sys.forces;
  if (!c.keepPrevious || !fields.computeStep || !fields.sortCheck) return null;
  const chk = fields.sortCheck();
  return chk !== null && chk.dim === 2 && (c.n & 1) === 0 ? chk : null;
}

/** noise: `count` Gaussian numbers in one fill (the fill size is part of the stream: rng.ts). */
function noise(s: LangevinState, count: number): void {
  s.rng.fillNormal(s.noise, 0, count);
}

/** B: p <- p + h f on the underdamped coordinates. */
function kick(s: LangevinState, c: Constants, h: number): void {
  const p = s.p!,
    f = s.f;
  if (c.under.length === c.n) {
    for (let i = 0; i < c.n; i++) p[i] += h * f[i];
  } else {
    const u = c.under;
    for (let k = 0; k < u.length; k++) p[u[k]] += h * f[u[k]];
  }
}

/** A: x <- x + h p / m on the underdamped coordinates. */
function drift(s: LangevinState, c: Constants, h: number): void {
  const x = s.x,
    p = s.p!,
    im = c.invMass;
  if (c.under.length === c.n) {
    for (let i = 0; i < c.n; i++) x[i] += h * p[i] * im[i];
  } else {
    const u = c.under;
    for (let k = 0; k < u.length; k++) {
      const i = u[k];
      x[i] += h * p[i] * im[i];
    }
  }
}

/** O: the exact Ornstein-Uhlenbeck step of the momenta with a bath, from noise[0 .. baths). */
function thermostat(s: LangevinState, c: Constants): void {
  const p = s.p!,
    z = s.noise,
    b = c.bath,
    c1 = c.c1,
    c2 = c.c2;
  for (let k = 0; k < b.length; k++) {
    const i = b[k];
    p[i] = c1[k] * p[i] + c2[k] * z[k];
  }
}

/** Overdamped coordinates, Euler step: x <- x + (dt/gamma) f + sqrt(2 T dt/gamma) xi, from noise[0 .. n). */
function eulerStep(s: LangevinState, c: Constants): number {
  const x = s.x,
    f = s.f,
    z = s.noise,
    mu = c.mobilityDt,
    sc = c.noiseScale;
  const chk = sortCheckOf(c);
  if (chk !== null) return eulerMoveChecked(c.n, x, f, z, mu, sc, chk.ref, chk.lim);
  for (let i = 0; i < c.n; i++) x[i] += mu[i] * f[i] + sc[i] * z[i];
  return -1;
}

/**
 * eulerStep's move of 2D particles (the same arithmetic) with the field's comparison of both ends against its last
 * sort in the same pass (CellSort.movedStep's value: 2 when some particle's new position lies more than sqrt(lim)
 * from ref, else 1 when an old one does, else 0): the step's end needs no pass of its own over x0, x and ref.
 */
export function eulerMoveChecked(
  n: number,
  x: Float64Array,
  f: Float64Array,
  z: Float64Array,
  mu: Float64Array,
  sc: Float64Array,
  ref: Float64Array,
  lim: number,
): number {
  let m1 = 0,
    m0 = 0;
  for (let i = 0; i < n; i += 2) {
    const a = x[i],
      b = x[i + 1];
    const a1 = a + (mu[i] * f[i] + sc[i] * z[i]),
      b1 = b + (mu[i + 1] * f[i + 1] + sc[i + 1] * z[i + 1]);
    x[i] = a1;
    x[i + 1] = b1;
    const r0 = ref[i],
      r1 = ref[i + 1];
    const u = a1 - r0,
      v = b1 - r1,
      p = a - r0,
      q = b - r1;
    m1 |= +(u * u + v * v > lim);
    m0 |= +(p * p + q * q > lim);
  }
  return m1 !== 0 ? 2 : m0;
}

/** Heun's predictor: w = sqrt(2 T dt/gamma) xi (kept in noise), x~ = x + (dt/gamma) f + w, f~ = F(x~). */
function predictor(s: LangevinState, c: Constants, xt: Float64Array, ft: Float64Array): void {
  const x = s.x,
    f = s.f,
    z = s.noise,
    mu = c.mobilityDt,
    sc = c.noiseScale;
  const fields = c.sys.forces;
  const chk = sortCheckOf(c);
  if (chk !== null) {
    const moved = predictorMoveChecked(c.n, x, f, z, mu, sc, xt, chk.ref, chk.lim);
    fields.computeStep!(x, xt, ft, false, moved);
    return;
  }
  predictorMove(c.n, x, f, z, mu, sc, xt);
  if (c.keepPrevious && fields.computeStep) fields.computeStep(x, xt, ft, false);
  else fields.compute(xt, ft);
}

/**
 * predictorMove of 2D particles (the same arithmetic) with the field's comparison of x and xt against its last sort
 * in the same pass (eulerMoveChecked's value, xt the new positions): the predictor's evaluation needs no pass of its
 * own over x, xt and ref.
 */
export function predictorMoveChecked(
  n: number,
  x: Float64Array,
  f: Float64Array,
  z: Float64Array,
  mu: Float64Array,
  sc: Float64Array,
  xt: Float64Array,
  ref: Float64Array,
  lim: number,
): number {
  let m1 = 0,
    m0 = 0;
  for (let i = 0; i < n; i += 2) {
    const za = z[i] * sc[i],
      zb = z[i + 1] * sc[i + 1];
    z[i] = za;
    z[i + 1] = zb;
    const a = x[i],
      b = x[i + 1];
    const a1 = a + mu[i] * f[i] + za,
      b1 = b + mu[i + 1] * f[i + 1] + zb;
    xt[i] = a1;
    xt[i + 1] = b1;
    const r0 = ref[i],
      r1 = ref[i + 1];
    const u = a1 - r0,
      v = b1 - r1,
      p = a - r0,
      q = b - r1;
    m1 |= +(u * u + v * v > lim);
    m0 |= +(p * p + q * q > lim);
  }
  return m1 !== 0 ? 2 : m0;
}

/**
 * The predictor's move: z <- sc z, xt = x + mu f + z. Its own function so that Node 20's V8 optimises the loop with
 * the code after it (an on-stack-replaced loop compiled before that code had run was left by a deoptimisation at
 * every step).
 */
function predictorMove(
  n: number,
  x: Float64Array,
  f: Float64Array,
  z: Float64Array,
  mu: Float64Array,
  sc: Float64Array,
  xt: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    z[i] *= sc[i];
    xt[i] = x[i] + mu[i] * f[i] + z[i];
  }
}

/** Heun's corrector: x <- x + (dt/2gamma) (f + f~) + w. */
function corrector(s: LangevinState, c: Constants, ft: Float64Array): number {
  const x = s.x,
    f = s.f,
    z = s.noise,
    mu = c.mobilityDt;
  const chk = sortCheckOf(c);
  if (chk !== null) return correctorMoveChecked(c.n, x, f, ft, z, mu, chk.ref, chk.lim);
  for (let i = 0; i < c.n; i++) x[i] += 0.5 * mu[i] * (f[i] + ft[i]) + z[i];
  return -1;
}

/**
 * The corrector's move of 2D particles (the same arithmetic) with the field's comparison of both ends against its
 * last sort in the same pass (eulerMoveChecked's value).
 */
export function correctorMoveChecked(
  n: number,
  x: Float64Array,
  f: Float64Array,
  ft: Float64Array,
  z: Float64Array,
  mu: Float64Array,
  ref: Float64Array,
  lim: number,
): number {
  let m1 = 0,
    m0 = 0;
  for (let i = 0; i < n; i += 2) {
    const a = x[i],
      b = x[i + 1];
    const a1 = a + (0.5 * mu[i] * (f[i] + ft[i]) + z[i]),
      b1 = b + (0.5 * mu[i + 1] * (f[i + 1] + ft[i + 1]) + z[i + 1]);
    x[i] = a1;
    x[i + 1] = b1;
    const r0 = ref[i],
      r1 = ref[i + 1];
    const u = a1 - r0,
      v = b1 - r1,
      p = a - r0,
      q = b - r1;
    m1 |= +(u * u + v * v > lim);
    m0 |= +(p * p + q * q > lim);
  }
  return m1 !== 0 ? 2 : m0;
}

/** Overdamped coordinates of a mixed system, half drift: x <- x + (dt/2gamma) f. */
function overdampedHalfDrift(s: LangevinState, c: Constants): void {
  const x = s.x,
    f = s.f,
    o = c.over,
    mu = c.halfMobilityDt;
  for (let k = 0; k < o.length; k++) x[o[k]] += mu[k] * f[o[k]];
}

/** Overdamped coordinates of a mixed system, exact free diffusion from noise[offset ..): x <- x + sqrt(2 T dt/gamma) xi. */
function diffuse(s: LangevinState, c: Constants, offset: number): void {
  const x = s.x,
    z = s.noise,
    o = c.over,
    sc = c.noiseScale;
  for (let k = 0; k < o.length; k++) x[o[k]] += sc[k] * z[offset + k];
}

// ---------------------------------------------------------------------------------------------------------------
// Integrators (init/step pairs) by scheme name

type Build = (sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious: boolean) => Integrator;

function baoabIntegrator(sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious: boolean): Integrator {
  const c = sharedConstants(sys, scheme.dt, keepPrevious);
  const nb = c.bath.length,
    h2 = c.h2;
  if (sys.dynamics === "mixed") {
    const no = c.over.length;
    const mid = sys.overdampedForces ?? sys.forces;
    const advance = (s: LangevinState) => {
      remember(s, c);
      kick(s, c, h2);
      drift(s, c, h2);
      thermostat(s, c);
      drift(s, c, h2);
      overdampedHalfDrift(s, c);
      diffuse(s, c, nb);
      mid.compute(s.x, s.f); // read at the overdamped coordinates only; force() below overwrites f and the energy
      overdampedHalfDrift(s, c);
      force(s, c);
      kick(s, c, h2);
    };
    return assemble(scheme, c, nb + no, true, advance);
  }
  const advance = (s: LangevinState) => {
    remember(s, c);
    kick(s, c, h2);
    drift(s, c, h2);
    thermostat(s, c);
    drift(s, c, h2);
    force(s, c);
    kick(s, c, h2);
  };
  return assemble(scheme, c, nb, true, advance);
}

function eulerIntegrator(sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious: boolean): Integrator {
  const c = sharedConstants(sys, scheme.dt, keepPrevious);
  return assemble(scheme, c, c.n, false, (s) => {
    remember(s, c);
    stepForce(s, c, eulerStep(s, c));
  });
}

function heunIntegrator(sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious: boolean): Integrator {
  const c = sharedConstants(sys, scheme.dt, keepPrevious);
  const xt = new Float64Array(c.n),
    ft = new Float64Array(c.n);
  return assemble(scheme, c, c.n, false, (s) => {
    remember(s, c);
    predictor(s, c, xt, ft);
    stepForce(s, c, corrector(s, c, ft));
  });
}

function exactIntegrator(sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious: boolean): Integrator {
  if (!sys.linear) throw new ModelError("exact stepping needs a linear model");
  if (sys.dynamics === "mixed")
    throw new ModelError("exact stepping is offered for underdamped or overdamped systems, not mixed ones");
  const c = sharedConstants(sys, scheme.dt, keepPrevious);
  const { E: Em, Q } = exactTransition(sys.linear.drift, sys.linear.diffusion, scheme.dt);
  const N = Em.rows,
    E = Em.data,
    L = semidefiniteCholesky(Q).data;
  const n = c.n,
    underdamped = sys.dynamics === "underdamped";
  const y = new Float64Array(N),
    yPrev = new Float64Array(N);
  // The state of the exact scheme is y = (x, p): x and p are views of one vector (one integrator per replica).
  let taken = false;
  const init = (rng: Rng): LangevinState => {
    if (taken) throw new Error("internal: an exact integrator serves one state");
    taken = true;
    return {
      x: y.subarray(0, n),
      p: underdamped ? y.subarray(n, 2 * n) : null,
      f: new Float64Array(n),
      potential: 0,
      xPrev: keepPrevious ? yPrev.subarray(0, n) : new Float64Array(0),
      fPrev: new Float64Array(keepPrevious ? n : 0),
      noise: new Float64Array(N),
      rng,
    };
  };
  /** The exact OU step: y <- E y + L xi. */
  const ouStep = (s: LangevinState) => {
    yPrev.set(y);
    if (keepPrevious) s.fPrev.set(s.f);
    const z = s.noise;
    for (let i = 0; i < N; i++) {
      let v = 0;
      const r = i * N;
      for (let j = 0; j < N; j++) v += E[r + j] * yPrev[j];
      for (let j = 0; j <= i; j++) v += L[r + j] * z[j];
      y[i] = v;
    }
  };
  const advance = (s: LangevinState) => {
    ouStep(s);
    force(s, c);
  };
  const draw = (s: LangevinState) => noise(s, N);
  return {
    scheme,
    init,
    force: (s) => force(s, c),
    noise: draw,
    advance,
    step: (s) => {
      draw(s);
      advance(s);
    },
  };
}

function assemble(
  scheme: Scheme<SchemeName>,
  c: Constants,
  noiseCount: number,
  momenta: boolean,
  advance: (s: LangevinState) => void,
): Integrator {
  const draw = (s: LangevinState) => noise(s, noiseCount);
  return {
    scheme,
    init: (rng) => newState(c, rng, noiseCount, momenta),
    force: (s) => force(s, c),
    noise: draw,
    advance,
    step: (s) => {
      draw(s);
      advance(s);
    },
  };
}

const INTEGRATORS: Record<SchemeName, { build: Build; dynamics: readonly Dynamics[] }> = {
  baoab: { build: baoabIntegrator, dynamics: ["underdamped", "mixed"] },
  "euler-maruyama": { build: eulerIntegrator, dynamics: ["overdamped"] },
  heun: { build: heunIntegrator, dynamics: ["overdamped"] },
  exact: { build: exactIntegrator, dynamics: ["underdamped", "overdamped"] },
};

/**
 * The integrator of a scheme for a system (looked up by the scheme's name). `keepPrevious` keeps xPrev and fPrev for
 * Stratonovich increments. Throws ModelError for a bad system or a scheme that does not integrate its dynamics.
 */
export function integrator(sys: LangevinSystem, scheme: Scheme<SchemeName>, keepPrevious = false): Integrator {
  checkSystem(sys);
  if (scheme === null || typeof scheme !== "object")
    throw new ModelError(`integrator: expected a scheme such as baoab({ dt }), got ${describeValue(scheme)}`);
  const entry = Object.prototype.hasOwnProperty.call(INTEGRATORS, scheme.scheme)
    ? INTEGRATORS[scheme.scheme]
    : undefined;
  if (!entry)
    throw new ModelError(
      `integrator: unknown scheme ${JSON.stringify(scheme.scheme)} (one of: ${SCHEME_NAMES.join(", ")})`,
    );
  schemeValue(scheme.scheme, scheme, "integrator");
  if (!entry.dynamics.includes(sys.dynamics)) {
    const fits = SCHEME_NAMES.filter((k) => INTEGRATORS[k].dynamics.includes(sys.dynamics));
    throw new ModelError(
      `scheme ${scheme.scheme} does not integrate ${sys.dynamics} dynamics (use ${fits.join(" or ")})`,
    );
  }
  return entry.build(sys, scheme, keepPrevious);
}

/** A LangevinSystem's shape and numbers, checked once when an integrator is built (never in the step loop). */
function checkSystem(sys: LangevinSystem): void {
  const fail = (msg: string): never => {
    throw new ModelError(`integrator: ${msg}`);
  };
  if (sys === null || typeof sys !== "object") fail("expected a LangevinSystem (from networkSystem or particleSystem)");
  if (sys.dynamics !== "underdamped" && sys.dynamics !== "overdamped" && sys.dynamics !== "mixed")
    fail(`dynamics must be underdamped, overdamped or mixed, got ${String(sys.dynamics)}`);
  if (!Number.isSafeInteger(sys.dof) || sys.dof < 1) fail(`dof must be a positive integer, got ${String(sys.dof)}`);
  for (const key of ["mass", "friction", "temperature"] as const) {
    const a = sys[key] as unknown;
    if (!(a instanceof Float64Array) || a.length !== sys.dof)
      fail(`${key} must be a Float64Array of ${sys.dof} numbers`);
    for (const x of a as Float64Array)
      if (!Number.isFinite(x) || x < 0 || (key === "mass" && x === 0))
        fail(`every ${key} must be a finite number ${key === "mass" ? "> 0" : ">= 0"}, got ${x}`);
  }
  if (sys.dynamics === "mixed") {
    const o = sys.overdamped as unknown;
    if (!(o instanceof Uint8Array) || o.length !== sys.dof)
      fail(`a mixed system marks its overdamped coordinates in a Uint8Array of ${sys.dof}`);
  }
  for (let i = 0; i < sys.dof; i++) {
    const over = sys.dynamics === "overdamped" || (sys.dynamics === "mixed" && sys.overdamped![i] === 1);
    if (over && !(sys.friction[i] > 0))
      fail(`overdamped coordinate ${i} needs a friction > 0 (gamma x' = F + noise), got ${sys.friction[i]}`);
  }
  if (sys.forces === null || typeof sys.forces !== "object" || typeof sys.forces.compute !== "function")
    fail("forces must be a ForceField");
}

// ---------------------------------------------------------------------------------------------------------------
// General Ito SDEs dx = f(x) dt + G(x) dW (sde.ts builds the functions from a registered kind)

/** A stream of standard normal numbers (the engine's Rng, or a caller's stream in process). */
export interface NormalStream {
  /** Overwrites `out` with standard normal numbers. */
  fillNormal(out: Float64Array): void;
}

/** `increment` status: a noise strength was negative (a custom model's rounding) and was taken as 0. */
export const SDE_CLAMPED = -1;

/** An SDE's functions, for the SDE integrators. */
export interface SdeFunctions {
  /** Number of coordinates. */
  readonly dimension: number;
  /** Gaussian numbers per step. */
  readonly noiseDimension: number;
  /**
   * The explicit increment of one step, out = dt f(x) + G(x) sqrt(dt) xi with xi = noise[offset .. offset +
   * noiseDimension). Returns 0, SDE_CLAMPED (counted, the step goes on), or k + 1 when x left the SDE's domain at
   * coordinate k (the step is not taken). With `jacobian`, also keeps what `implicit` needs at x.
   */
  increment(
    x: Float64Array,
    dt: number,
    noise: Float64Array,
    offset: number,
    out: Float64Array,
    jacobian: boolean,
  ): number;
  /** Solves (1 - (dt/2) J) d = r in place, J = df/dx at the x of the last increment made with `jacobian`. */
  implicit?(r: Float64Array): void;
}

/** The state of one SDE replica. */
export interface SdeState {
  readonly x: Float64Array;
  /** The step's increment (scratch). */
  readonly increment: Float64Array;
  /** Gaussian numbers for NOISE_BLOCK steps, and how many steps of them were used. */
  readonly noise: Float64Array;
  used: number;
  readonly stream: NormalStream;
}

/** An SDE integrator: init and step (the step returns the increment's status: 0, SDE_CLAMPED, or k + 1 for an escape). */
export interface SdeIntegrator {
  readonly scheme: Scheme<SdeSchemeName>;
  init(stream: NormalStream, x0: ArrayLike<number>): SdeState;
  step(state: SdeState): number;
}

/** Steps whose Gaussian numbers are drawn in one fill (the fill size is part of the stream: rng.ts). */
export const SDE_NOISE_BLOCK = 512;

/**
 * The integrator of an SDE scheme: "euler-maruyama" (x += increment) or "linear-implicit" (x += (1 - (dt/2) J)^-1
 * increment; needs the SDE's `implicit`). Sub-steps: noise (a fill every SDE_NOISE_BLOCK steps), increment, implicit.
 */
export function sdeIntegrator(sde: SdeFunctions, scheme: Scheme<SdeSchemeName>): SdeIntegrator {
  if (scheme === null || typeof scheme !== "object")
    throw new ModelError(
      `sdeIntegrator: expected a scheme such as linearImplicit({ dt }), got ${describeValue(scheme)}`,
    );
  if (scheme.scheme !== "euler-maruyama" && scheme.scheme !== "linear-implicit") {
    throw new ModelError(
      `scheme ${JSON.stringify(scheme.scheme)} does not integrate a general SDE (use euler-maruyama or linear-implicit)`,
    );
  }
  schemeValue(scheme.scheme, scheme, "sdeIntegrator");
  const implicit = scheme.scheme === "linear-implicit";
  if (implicit && typeof sde.implicit !== "function")
    throw new ModelError(
      "the linear-implicit scheme needs the drift's Jacobian, which this SDE does not give: use euler-maruyama",
    );
  const dt = scheme.dt,
    n = sde.dimension,
    m = sde.noiseDimension;
  return {
    scheme,
    init: (stream, x0) => {
      if (x0.length !== n) throw new ModelError(`the initial state has ${x0.length} numbers, the SDE ${n}`);
      return {
        x: Float64Array.from(x0),
        increment: new Float64Array(n),
        noise: new Float64Array(m * SDE_NOISE_BLOCK),
        used: SDE_NOISE_BLOCK,
        stream,
      };
    },
    step: (s) => {
      if (s.used === SDE_NOISE_BLOCK) {
        s.stream.fillNormal(s.noise);
        s.used = 0;
      }
      const status = sde.increment(s.x, dt, s.noise, m * s.used++, s.increment, implicit);
      if (status > 0) return status;
      if (implicit) sde.implicit!(s.increment);
      const x = s.x,
        d = s.increment;
      for (let i = 0; i < n; i++) x[i] += d[i];
      return status;
    },
  };
}
