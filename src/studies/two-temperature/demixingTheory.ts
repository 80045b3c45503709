/**
 * The second-virial estimate of the demixing spinodal of hot and cold soft disks, after Grosberg & Joanny, "Nonequilibrium
 * statistical mechanics of mixtures of particles in contact with different thermostats", Phys. Rev. E 92, 032118
 * (2015): in the dilute limit a pair of species a, b (temperatures T_a, T_b, mobility 1) has the quasi-Boltzmann pair
 * correlation g_ab(r) = exp(-U(r) / T_ab) at the pair temperature T_ab = (T_a + T_b) / 2 (the run-and-chase
 * result). Derivation for the pair law U of the study (docs/studies/two-temperature.md, "Spinodal"):
 *
 *   flux of species a: J_a = -T_a grad rho_a + rho_a <force from the others>. With the pair density
 *   rho_a(x) rho_b(x + r) g_ab(r) to first order in the gradients, the mean force density on a is
 *   rho_a grad rho_b (1/d) int d^d r r U'(r) g_ab(r) = -2 T_ab B_ab rho_a grad rho_b (integration by parts), where
 *   B_ab = (1/2) int d^d r (1 - exp(-U(r) / T_ab)) is the second virial coefficient at the pair temperature.
 *   So J_a = -sum_b M_ab grad rho_b with M_ab = T_a delta_ab + 2 T_ab B_ab rho_a (at equal temperatures this is
 *   -rho grad mu of the equilibrium second-virial fluid). A uniform mixture is linearly unstable when det M < 0:
 *     (1 + 2 B_hh rho_h)(1 + 2 B_cc rho_c) < 4 (T_hc^2 / (T_h T_c)) B_hc^2 rho_h rho_c.
 *   For hard disks (B = pi sigma^2 / 2) in a 50/50 mixture at area fraction phi this reads
 *   theta / (1 + theta)^2 < phi^2 / (1 + 2 phi)^2, theta = T_h / T_c: threshold ratio 34 at phi = 0.25, 18 at 0.4.
 *
 * In 2D for the soft law U(r) = (k/2)(1 - r/sigma)^2 (r < sigma), with a = k / (2T):
 *   B(T) = pi sigma^2 [1/2 - sqrt(pi) erf(sqrt a) / (2 sqrt a) + (1 - exp(-a)) / (2a)]
 * (the test checks this closed form against the quadrature below, which evaluates the pair law of
 * src/stochastic/potentials). Approximations: second virial order (no three-body collisions: the area fractions of the
 * map are not dilute) and the pair's run-and-chase drift in a gradient neglected; an estimate of where to look, not a
 * phase boundary. Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { softLaw } from "../../stochastic/potentials/pairLaws.js";

/** B(T) = (1/2) int d^2 r (1 - exp(-U(r)/T)) of the soft repulsion, by composite Simpson quadrature of the pair law. */
export function softSecondVirial2D(stiffness: number, range: number, T: number): number {
  if (!(stiffness > 0 && range > 0 && T > 0 && Number.isFinite(stiffness * range * T)))
    throw new ModelError("second virial coefficient: stiffness, range and temperature must be finite and > 0");
  const pair = { potential: "soft" as const, stiffness, range };
  const n = 20_000;
  const h = range / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const r = i * h;
    const f = r * -Math.expm1(-softLaw.energy(pair, r) / T);
    s += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * f;
  }
  return Math.PI * ((s * h) / 3);
}

export interface SpinodalInput {
  phi: number;
  coldFraction: number;
  Thot: number;
  Tcold: number;
  stiffness: number;
  range: number;
}

/**
 * det M / (T_h T_c) of the second-virial flux matrix (see the header): > 0 stable, < 0 the uniform mixture is
 * unstable (`hotVirial`: B_hh when the caller has it already). Number densities from the area fraction of disks of diameter `range`: rho = 4 phi / (pi range^2).
 */
export function spinodalDeterminant(p: SpinodalInput, hotVirial?: number): number {
  const rho = (4 * p.phi) / (Math.PI * p.range * p.range);
  const rc = p.coldFraction * rho,
    rh = (1 - p.coldFraction) * rho;
  const Tpair = 0.5 * (p.Thot + p.Tcold);
  const Bhh = hotVirial ?? softSecondVirial2D(p.stiffness, p.range, p.Thot);
  const Bcc = softSecondVirial2D(p.stiffness, p.range, p.Tcold);
  const Bhc = softSecondVirial2D(p.stiffness, p.range, Tpair);
  return (1 + 2 * Bhh * rh) * (1 + 2 * Bcc * rc) - ((4 * Tpair * Tpair) / (p.Thot * p.Tcold)) * Bhc * Bhc * rh * rc;
}

/**
 * The threshold T_hot / T_cold of the second-virial spinodal at fixed T_hot (T_cold = T_hot / ratio), by bisection in
 * log ratio over [1, maxRatio]; Infinity when the mixture stays stable up to maxRatio.
 */
export function spinodalRatio(p: Omit<SpinodalInput, "Tcold">, maxRatio = 1e6): number {
  // B_hh does not depend on the ratio (T_hot is fixed): computed once, not at every step of the bisection.
  const Bhh = softSecondVirial2D(p.stiffness, p.range, p.Thot);
  const det = (ratio: number) => spinodalDeterminant({ ...p, Tcold: p.Thot / ratio }, Bhh);
  if (det(1) <= 0) return 1;
  let lo = 0,
    hi = Math.log(maxRatio);
  if (det(maxRatio) > 0) return Infinity;
  // 48 halvings of [0, ln maxRatio] leave the ratio known to ~1e-13 relative (more would only repeat the same double).
  for (let i = 0; i < 48; i++) {
    const mid = 0.5 * (lo + hi);
    if (det(Math.exp(mid)) > 0) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

/** The second-virial spinodal beside a demixing map's results (finite numbers only: it is stored in JSON). */
export interface DemixingMapSpinodal {
  /** The threshold ratio on a grid of area fractions around the map's (those with a threshold below 10^6). */
  curve: { phi: number[]; ratio: number[] };
  /** The threshold at each of the map's area fractions (`ratio` absent: none below 10^6). */
  thresholds: { phi: number; ratio?: number }[];
}

/**
 * The second-virial spinodal drawn beside a demixing map (scripts/demixing-stiff-map.js stores it with the results,
 * so that the figure only reads it): 13 area fractions from a little below the map's smallest to a little above its
 * largest (within [0.02, 0.9]), and the map's own area fractions.
 */
export function demixingMapSpinodal(
  base: { coldFraction: number; Thot: number; stiffness: number; range: number },
  phis: number[],
): DemixingMapSpinodal {
  const lo0 = Math.min(...phis),
    hi0 = Math.max(...phis);
  const pad = phis.length > 1 ? 0.15 * (hi0 - lo0) : 0.05;
  const lo = Math.max(0.02, lo0 - pad),
    hi = Math.min(0.9, hi0 + pad);
  const threshold = (phi: number) =>
    spinodalRatio({
      phi,
      coldFraction: base.coldFraction,
      Thot: base.Thot,
      stiffness: base.stiffness,
      range: base.range,
    });
  const curve = { phi: [] as number[], ratio: [] as number[] };
  for (let k = 0; k <= 12; k++) {
    const phi = lo + ((hi - lo) * k) / 12;
    const ratio = threshold(phi);
    if (Number.isFinite(ratio)) {
      curve.phi.push(phi);
      curve.ratio.push(ratio);
    }
  }
  const thresholds = phis.map((phi) => {
    const ratio = threshold(phi);
    return Number.isFinite(ratio) ? { phi, ratio } : { phi };
  });
  return { curve, thresholds };
}

/** The second-virial estimate's long-wavelength structure factors (secondVirialStructure). */
export interface SecondVirialStructure {
  /** det M / (T_h T_c), as spinodalDeterminant. */
  determinant: number;
  /**
   * Concentration (Bhatia-Thornton) and number structure factors at q -> 0, per particle: S_cc = x(1 - x) for an ideal
   * mixture. Absent where the uniform mixture is unstable (determinant <= 0): no stationary fluctuations there.
   */
  scc?: number;
  snn?: number;
}

/**
 * The long-wavelength composition fluctuations that the second-virial flux matrix M of the header predicts for a
 * stable uniform mixture: linear fluctuating hydrodynamics d(delta rho_a)/dt = -q^2 M_ab delta rho_b + noise, the
 * noise of species a with strength 2 q^2 T_a rho_a (each disk's bath, mobility 1). Its stationary covariance C
 * (per area) solves M C + C M^T = 2 diag(T_h rho_h, T_c rho_c) (q cancels), a 2 x 2 Lyapunov equation solved here in
 * closed form; S_ab = C_ab / rho. At equal temperatures C = (I + 2 diag(rho) B)^-1 diag(rho), the second-virial
 * fluid's equilibrium structure; S_cc diverges where det M -> 0 (the spinodal). The estimate to hold against the
 * measured S_cc(q -> 0) below its threshold (docs/studies/two-temperature.md, "Spinodal").
 */
export function secondVirialStructure(p: SpinodalInput): SecondVirialStructure {
  const rho = (4 * p.phi) / (Math.PI * p.range * p.range);
  const x = p.coldFraction;
  const rc = x * rho,
    rh = (1 - x) * rho;
  const Th = p.Thot,
    Tc = p.Tcold,
    Thc = 0.5 * (Th + Tc);
  const Bhh = softSecondVirial2D(p.stiffness, p.range, Th);
  const Bcc = softSecondVirial2D(p.stiffness, p.range, Tc);
  const Bhc = softSecondVirial2D(p.stiffness, p.range, Thc);
  // M_ab = T_a delta_ab + 2 T_ab B_ab rho_a (a, b = hot, cold).
  const a = Th * (1 + 2 * Bhh * rh),
    b = 2 * Thc * Bhc * rh,
    c = 2 * Thc * Bhc * rc,
    d = Tc * (1 + 2 * Bcc * rc);
  const determinant = (a * d - b * c) / (Th * Tc);
  if (!(determinant > 0)) return { determinant };
  // M C + C M^T = 2 Q for symmetric C = [[u, v], [v, w]], Q = diag(T_h rho_h, T_c rho_c):
  //   a u + b v = T_h rho_h,  c v + d w = T_c rho_c,  c u + (a + d) v + b w = 0.
  const qh = Th * rh,
    qc = Tc * rc;
  // u = (qh - b v) / a, w = (qc - c v) / d into the third: v (a + d - b c / a - b c / d) = -(c qh / a + b qc / d).
  const v = -(c * qh * d + b * qc * a) / ((a + d) * a * d - b * c * (a + d));
  const u = (qh - b * v) / a,
    w = (qc - c * v) / d;
  const Shh = u / rho,
    Shc = v / rho,
    Scc = w / rho;
  return {
    determinant,
    scc: x * x * Shh + (1 - x) * (1 - x) * Scc - 2 * x * (1 - x) * Shc,
    snn: Shh + Scc + 2 * Shc,
  };
}
