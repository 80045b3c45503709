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
