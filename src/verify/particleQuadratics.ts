/**
 * The means of a linear particle model's quadratic observables from a covariance of its coordinates: the potential
 * energy per particle and, with bonds, the bonds' mean squared length, the squared radii of gyration, the
 * segregation measures and the profile (the probe's groups and names, src/stochastic/particleProbe.ts). Each is a sum
 * over the axes of |sum_a w_a x_a|^2 for some weights w over the particles, so its mean is sum_q w^T S_q w, with S_q
 * the covariance of the particles' coordinates along axis q. The same function serves the exact engine's covariance
 * (exact values) and a scheme's discrete stationary covariance (time-step biases, bias.ts). The bond length <|r|>,
 * not quadratic, is left out. Browser-safe.
 */
import type { NetworkModel } from "../model/networkModel.js";
import type { ParticlesModel } from "../model/particlesModel.js";

/** Key of an estimate in the map particleQuadratics returns. */
export function quadraticKey(group: string, name: string): string {
  return `${group}\u0000${name}`;
}

/**
 * The mean of each quadratic observable of a linear particle model, keyed by quadraticKey(group, name), from the
 * covariance `cov` (n x n row-major; the positions first, coordinate a * d + q of particle a on axis q, as the
 * network the model maps onto). `network` is that network (for the potential energy).
 */
export function particleQuadratics(
  model: ParticlesModel,
  network: NetworkModel,
  cov: ArrayLike<number>,
  n: number,
): Map<string, number> {
  const N = model.speciesOf.length,
    d = model.dimension,
    S = model.species.length;
  const out = new Map<string, number>();
  // sum over axes of Var(sum_a w_a x_a), for weights w over the particles (nonzero entries listed in `idx`).
  const sq = (w: Float64Array, idx: number[]) => {
    let s = 0;
    for (let q = 0; q < d; q++)
      for (const a of idx) for (const b of idx) s += w[a] * w[b] * cov[(a * d + q) * n + b * d + q];
    return s;
  };
  const w = new Float64Array(N);
  // Mean over the particles of `of` of sq(e_a - centre of `group`).
  const spread = (of: number[], group: number[]) => {
    // In increasing order, so that quantities equal by symmetry are summed alike (their difference is exactly 0).
    const idx = [...new Set([...of, ...group])].sort((a, b) => a - b);
    let s = 0;
    for (const a of of) {
      w.fill(0);
      for (const b of group) w[b] -= 1 / group.length;
      w[a] += 1;
      s += sq(w, idx);
    }
    return s / of.length;
  };
  // Potential energy per particle: (1/2) x^T K x per axis, over N (the probe's potential / N).
  let u = 0;
  for (let i = 0; i < network.sites.length; i++) u += network.pinning[i] * cov[i * n + i];
  for (const sp of network.springs)
    u += sp.stiffness * (cov[sp.i * n + sp.i] + cov[sp.j * n + sp.j] - 2 * cov[sp.i * n + sp.j]);
  out.set(quadraticKey("potential energy", "per particle"), (0.5 * u) / N);
  const bonds = model.bonds ?? [];
  if (bonds.length === 0) return out;
  let l2 = 0;
  for (const b of bonds) {
    w.fill(0);
    w[b.a] = 1;
    w[b.b] = -1;
    l2 += sq(w, [b.a, b.b]);
  }
  out.set(quadraticKey("bonds", "squared length <r^2>"), l2 / bonds.length);
  const all = Array.from({ length: N }, (_, a) => a);
  const members = model.species.map((_, s) => all.filter((a) => model.speciesOf[a] === s));
  const names = model.species.map((s) => s.name);
  const two = S === 2 ? `${names[0]} minus ${names[1]}` : "";
  const gyration = members.map((m) => (m.length >= 2 ? spread(m, m) : NaN));
  gyration.forEach((g, s) => {
    if (members[s].length >= 2) out.set(quadraticKey("radius of gyration", `squared, ${names[s]}`), g);
  });
  if (two && members.every((m) => m.length >= 2))
    out.set(quadraticKey("radius of gyration", `squared, ${two}`), gyration[0] - gyration[1]);
  out.set(quadraticKey("radius of gyration", "squared, all"), spread(all, all));
  if (S >= 2) {
    const fromCentre = members.map((m) => spread(m, all));
    fromCentre.forEach((v, s) =>
      out.set(quadraticKey("segregation", `squared distance from the centre, ${names[s]}`), v),
    );
    if (S === 2) {
      out.set(quadraticKey("segregation", `squared distance from the centre, ${two}`), fromCentre[0] - fromCentre[1]);
      w.fill(0);
      for (const a of members[0]) w[a] += 1 / members[0].length;
      for (const a of members[1]) w[a] -= 1 / members[1].length;
      out.set(
        quadraticKey("segregation", `squared distance between the centres of ${names[0]} and ${names[1]}`),
        sq(w, all),
      );
    }
  }
  for (let a = 0; a < N; a++)
    out.set(quadraticKey("profile", `squared distance from the centre, particle ${a}`), spread([a], all));
  return out;
}
