/**
 * The pair laws, each defined once: soft repulsion, harmonic spring, WCA repulsion (the conventions of
 * src/model/particles.ts; r = |r_a - r_b|, minimum image in a periodic box):
 *   soft      U(r) = (k/2)(1 - r/sigma)^2 for r < sigma, else 0 (eq. 26 of [Metzger 2026]; cutoff sigma, the `range`)
 *   harmonic  U(r) = (k/2)(r - r0)^2 at every distance (eq. 27 of [Metzger 2026] with r0 = 0; no cutoff)
 *   wca       U(r) = 4 eps [(sigma/r)^12 - (sigma/r)^6] + eps for r < 2^(1/6) sigma, else 0
 *
 * Each law gives, for its parameters p and a distance r: the energy U(r), the force -U'(r) (positive when
 * repulsive), the force over distance -U'(r)/r (so the force on a from b is g (r_a - r_b)), the curvature U''(r),
 * the cutoff (pairCutoff of the model format, the one definition the validation also uses), and what the time-step
 * limit (safety.ts) needs: a bound of the curvature over the region the dynamics reaches (U <= u), the closest
 * approach at energy u, the largest energy a pair can hold and the length over which the force changes.
 *
 * These are the reference definitions: the pair-heat ledger (pairHeat.ts), the time-step limit, the run-and-chase
 * quadrature and the tests call them. The force loops (pairKernels.ts) inline the same arithmetic, specialised on a
 * law code and on per-species-pair parameters packed by packPairLaws (HOOMD-blue's evaluators and LAMMPS's pair
 * styles pack user parameters the same way); test/stochastic/potentials.test.ts checks every loop against these
 * functions. Browser-safe.
 */
import { pairCutoff, type PairPotential, type PairRule } from "../../model/particlesModel.js";

/** Law codes of the force loops (0: the species pair does not interact). */
export const NO_PAIR = 0;
export const SOFT = 1;
export const HARMONIC = 2;
export const WCA = 3;

type Params<N extends PairPotential["potential"]> = Extract<PairPotential, { potential: N }>;

/** One pair law: the reference functions of its parameters p and the distance r. */
export interface PairLaw<P extends PairPotential = PairPotential> {
  /** Its name in the model format. */
  readonly potential: P["potential"];
  /** Its code in the force loops. */
  readonly code: number;
  /** Distance beyond which the pair does not interact (Infinity: none). */
  cutoff(p: P): number;
  /** U(r). */
  energy(p: P, r: number): number;
  /** -U'(r): positive when the pair repels. */
  force(p: P, r: number): number;
  /** -U'(r)/r: the force on a from b is this times (r_a - r_b); finite at r = 0 where the law is (harmonic, r0 = 0). */
  forceOverDistance(p: P, r: number): number;
  /** U''(r) (0 beyond the cutoff). */
  curvature(p: P, r: number): number;
  /**
   * An upper bound of the pair's Hessian (the largest of U'' and U'/r) over the separations with U <= u: exact for
   * the harmonic spring at every r and the soft repulsion inside its range (its transverse curvature U'/r is
   * negative); for WCA the largest U'' over U <= u, reached at U = u (wcaCurvature).
   */
  curvatureBound(p: P, u: number): number;
  /** Smallest separation with U <= u (0 when the pair can overlap fully, and for the harmonic spring). */
  closestApproach(p: P, u: number): number;
  /** The largest energy one pair can hold (Infinity when unbounded): soft k/2. */
  energyCeiling(p: P): number;
  /** The length over which the force changes, for the step-size warnings (soft sigma, WCA sigma, harmonic Infinity). */
  lengthScale(p: P): number;
  /** The two parameters of the force loops: [k, l] (see packPairLaws). */
  kernelParameters(p: P): [number, number];
}

// 2^(1/6), written out: `**` is engine-approximated (src/special/elementary.ts).
const WCA_CUTOFF = 1.122462048309373;

/** q^6 by products (the same bits in every engine, unlike `q ** 6`). */
function sixth(q: number): number {
  const q2 = q * q;
  return q2 * q2 * q2;
}

/**
 * Largest curvature of the WCA potential U(r) = 4 eps [(sigma/r)^12 - (sigma/r)^6] + eps (r < 2^(1/6) sigma) over
 * the region U <= u. With s = (sigma/r)^6 >= 1/2: U = eps (2s - 1)^2 and
 * U'' = (4 eps / r^2) (156 s^2 - 42 s) = (4 eps / sigma^2) s^(1/3) s (156 s - 42), increasing in s, so the maximum
 * is at U = u, s = (1 + sqrt(u / eps)) / 2. At u = 0 (the cutoff) it is 57.1 eps/sigma^2, the smallest curvature of
 * the core; at u = 10 eps, 3.6e3 eps/sigma^2. The transverse curvature U'(r)/r is negative, so u'' bounds the
 * pair's Hessian.
 */
export function wcaCurvature(epsilon: number, sigma: number, u: number): number {
  const s = 0.5 * (1 + Math.sqrt(u / epsilon));
  return ((4 * epsilon) / sigma ** 2) * Math.cbrt(s) * s * (156 * s - 42);
}

// The arithmetic of each law, as plain functions of its parameters: the law objects below hold them, and the
// dispatchers pairEnergy / pairForceOverDistance / pairCurvature call them directly (static calls the compiler
// inlines, as the pair-heat ledger's per-pair loop needs).
type Soft = Params<"soft">;
type Harmonic = Params<"harmonic">;
type Wca = Params<"wca">;

function softEnergy(p: Soft, r: number): number {
  return r < p.range ? 0.5 * p.stiffness * (1 - r / p.range) ** 2 : 0;
}
function softForce(p: Soft, r: number): number {
  return r < p.range ? (p.stiffness / p.range) * (1 - r / p.range) : 0;
}
function softForceOverDistance(p: Soft, r: number): number {
  return r < p.range && r > 0 ? (p.stiffness / p.range) * (1 / r - 1 / p.range) : 0;
}
function softCurvature(p: Soft, r: number): number {
  return r < p.range ? p.stiffness / p.range ** 2 : 0;
}

function harmonicEnergy(p: Harmonic, r: number): number {
  return 0.5 * p.stiffness * (r - p.length) ** 2;
}
function harmonicForce(p: Harmonic, r: number): number {
  return -p.stiffness * (r - p.length);
}
function harmonicForceOverDistance(p: Harmonic, r: number): number {
  return r > 0 ? (-p.stiffness * (r - p.length)) / r : -p.stiffness;
}
function harmonicCurvature(p: Harmonic): number {
  return p.stiffness;
}

function wcaEnergy(p: Wca, r: number): number {
  if (r >= WCA_CUTOFF * p.sigma) return 0;
  const s6 = sixth(p.sigma / r);
  return 4 * p.epsilon * (s6 * s6 - s6) + p.epsilon;
}
function wcaForce(p: Wca, r: number): number {
  if (r >= WCA_CUTOFF * p.sigma) return 0;
  const s6 = sixth(p.sigma / r);
  return (24 * p.epsilon * (2 * s6 * s6 - s6)) / r;
}
function wcaForceOverDistance(p: Wca, r: number): number {
  if (r >= WCA_CUTOFF * p.sigma) return 0;
  const s6 = sixth(p.sigma / r);
  return (24 * p.epsilon * (2 * s6 * s6 - s6)) / (r * r);
}
function wcaCurvatureAt(p: Wca, r: number): number {
  if (r >= WCA_CUTOFF * p.sigma) return 0;
  const s6 = sixth(p.sigma / r);
  return ((4 * p.epsilon) / (r * r)) * (156 * s6 * s6 - 42 * s6);
}

/** The soft repulsion (k/2)(1 - r/sigma)^2 for r < sigma: k = stiffness, sigma = range. */
export const softLaw: PairLaw<Soft> = {
  potential: "soft",
  code: SOFT,
  cutoff: pairCutoff,
  energy: softEnergy,
  force: softForce,
  forceOverDistance: softForceOverDistance,
  curvature: softCurvature,
  curvatureBound: (p) => p.stiffness / p.range ** 2,
  closestApproach: (p, u) => (2 * u >= p.stiffness ? 0 : p.range * (1 - Math.sqrt((2 * u) / p.stiffness))),
  energyCeiling: (p) => p.stiffness / 2,
  lengthScale: (p) => p.range,
  kernelParameters: (p) => [p.stiffness, p.range],
};

/** The harmonic spring (k/2)(r - r0)^2: k = stiffness, r0 = length. */
export const harmonicLaw: PairLaw<Harmonic> = {
  potential: "harmonic",
  code: HARMONIC,
  cutoff: pairCutoff,
  energy: harmonicEnergy,
  force: harmonicForce,
  forceOverDistance: harmonicForceOverDistance,
  curvature: harmonicCurvature,
  curvatureBound: (p) => p.stiffness,
  closestApproach: () => 0,
  energyCeiling: () => Infinity,
  lengthScale: () => Infinity,
  kernelParameters: (p) => [p.stiffness, p.length],
};

/** The WCA repulsion 4 eps [(sigma/r)^12 - (sigma/r)^6] + eps for r < 2^(1/6) sigma. */
export const wcaLaw: PairLaw<Wca> = {
  potential: "wca",
  code: WCA,
  cutoff: pairCutoff,
  energy: wcaEnergy,
  force: wcaForce,
  forceOverDistance: wcaForceOverDistance,
  curvature: wcaCurvatureAt,
  curvatureBound: (p, u) => wcaCurvature(p.epsilon, p.sigma, u),
  closestApproach: (p, u) => p.sigma * (0.5 * (1 + Math.sqrt(u / p.epsilon))) ** (-1 / 6),
  energyCeiling: () => Infinity,
  lengthScale: (p) => p.sigma,
  kernelParameters: (p) => [p.epsilon, p.sigma],
};

/** The law of a pair potential of the model format. */
export function pairLaw<P extends PairPotential>(p: P): PairLaw<P> {
  switch (p.potential) {
    case "soft":
      return softLaw as unknown as PairLaw<P>;
    case "harmonic":
      return harmonicLaw as unknown as PairLaw<P>;
    case "wca":
      return wcaLaw as unknown as PairLaw<P>;
  }
}

/** U(r) of a pair potential. */
export function pairEnergy(p: PairPotential, r: number): number {
  switch (p.potential) {
    case "soft":
      return softEnergy(p, r);
    case "harmonic":
      return harmonicEnergy(p, r);
    case "wca":
      return wcaEnergy(p, r);
  }
}

/** -U'(r)/r of a pair potential: the force on a from b is this times (r_a - r_b). */
export function pairForceOverDistance(p: PairPotential, r: number): number {
  switch (p.potential) {
    case "soft":
      return softForceOverDistance(p, r);
    case "harmonic":
      return harmonicForceOverDistance(p, r);
    case "wca":
      return wcaForceOverDistance(p, r);
  }
}

/** U''(r) of a pair potential. */
export function pairCurvature(p: PairPotential, r: number): number {
  switch (p.potential) {
    case "soft":
      return softCurvature(p, r);
    case "harmonic":
      return harmonicCurvature(p);
    case "wca":
      return wcaCurvatureAt(p, r);
  }
}

/**
 * The pair laws of a model packed for the force loops, per ordered species pair t = s_a * S + s_b (symmetric):
 * code[t] (NO_PAIR, SOFT, HARMONIC, WCA), k[t] (soft and harmonic stiffness, WCA epsilon), l[t] (soft range,
 * harmonic rest length, WCA sigma) and cut2[t], the squared cutoff (Infinity for harmonic, 0 without a pair).
 */
export interface PackedPairLaws {
  /** Number of species S. */
  species: number;
  code: Int32Array;
  k: Float64Array;
  l: Float64Array;
  cut2: Float64Array;
  /** The largest cutoff of any pair (0 without pairs, Infinity with a harmonic pair). */
  maxCutoff: number;
  /** True when every pair is soft (vacuously without pairs): the 2D cell-order loops apply. */
  onlySoft: boolean;
  /**
   * The one soft law of every ordered species pair (all interact, same stiffness and range: Metzger's hot/cold disks),
   * or null: the 2D cell-order loops then read no species in their force arithmetic.
   */
  uniformSoft: { k: number; invRange: number; cut2: number } | null;
  /** The law of each ordered species pair (null: none), for reference evaluations. */
  rules: (PairPotential | null)[];
}

/** Packs the pair laws of a model (or a "pairs" term and its number of species) for the force loops. */
export function packPairLaws(model: {
  readonly species: number | readonly unknown[];
  readonly pairs: readonly PairRule[];
}): PackedPairLaws {
  const S = typeof model.species === "number" ? model.species : model.species.length;
  const code = new Int32Array(S * S);
  const k = new Float64Array(S * S);
  const l = new Float64Array(S * S);
  const cut2 = new Float64Array(S * S);
  const rules = new Array<PairPotential | null>(S * S).fill(null);
  let maxCutoff = 0;
  for (const r of model.pairs) {
    const law = pairLaw(r.pair);
    const [kk, ll] = law.kernelParameters(r.pair);
    const cut = law.cutoff(r.pair);
    maxCutoff = Math.max(maxCutoff, cut);
    for (const t of [r.a * S + r.b, r.b * S + r.a]) {
      code[t] = law.code;
      k[t] = kk;
      l[t] = ll;
      cut2[t] = cut * cut;
      rules[t] = r.pair;
    }
  }
  const onlySoft = model.pairs.every((r) => r.pair.potential === "soft");
  let same = S > 0 && onlySoft;
  for (let t = 0; t < S * S && same; t++) same = code[t] === SOFT && k[t] === k[0] && l[t] === l[0] && l[t] > 0;
  const uniformSoft = same ? { k: k[0], invRange: 1 / l[0], cut2: cut2[0] } : null;
  return { species: S, code, k, l, cut2, maxCutoff, onlySoft, uniformSoft, rules };
}
