/**
 * Closed forms of [Bunin et al. 2013] (with docs/corrections.md's corrections), used as independent checks of the general solver:
 *  - eq. 9: C for the linear-A model (M = 2) and arbitrary link noises B01, B12, B23;
 *  - ideal gas: C12 = Cv (T0 - T3)^2 / 27; boxed exclusion process: C12 = -N (eps0 - eps3)^2 / 27;
 *  - eq. 14 for Fermi gases;
 *  - Appendix B's C12 for any R of its form, with the sign corrected (denominator 2 |Tr R| det R);
 *  - the off-diagonal correlation profile x (1 - y) of long linear-A chains (Figure 2's picture).
 */

/**
 * Eq. 9: C for R = r [[-2, 1], [1, -2]] (r = gamma / N in eq. 8) and link noises B01, B12, B23:
 * C = (1 / (24 r)) [[7 B01 + 4 B12 + B23, 2 B01 - 4 B12 + 2 B23], [., B01 + 4 B12 + 7 B23]].
 */
export function linearAPairCovariance(rate: number, b01: number, b12: number, b23: number): number[][] {
  const k = 1 / (24 * rate);
  const off = k * (2 * b01 - 4 * b12 + 2 * b23);
  return [
    [k * (7 * b01 + 4 * b12 + b23), off],
    [off, k * (b01 + 4 * b12 + 7 * b23)],
  ];
}

/** Ideal gas (Section 4): C12 = Cv (T0 - T3)^2 / 27. */
export function idealGasC12(Cv: number, t0: number, t3: number): number {
  return (Cv * (t0 - t3) ** 2) / 27;
}

/** Boxed exclusion process (eq. 10): C12 = -N (eps0 - eps3)^2 / 27. */
export function exclusionC12(N: number, e0: number, e3: number): number {
  return (-N * (e0 - e3) ** 2) / 27;
}

/** Mean temperatures of a chain with A = k (T_i^4 - T_j^4) on every link: T_i^4 linear in i (Section 5). */
export function quarticProfile(t0: number, t3: number, M = 2): number[] {
  const out: number[] = [];
  for (let i = 1; i <= M; i++) out.push(Math.pow(t0 ** 4 + ((t3 ** 4 - t0 ** 4) * i) / (M + 1), 0.25));
  return out;
}

/** Eq. 14: C12 = pi^2 N (B01 - 2 B12 + B23) / (48 kappa T_F (T1^2 + T2^2)). */
export function fermiC12(
  N: number,
  kappa: number,
  TF: number,
  t1: number,
  t2: number,
  b01: number,
  b12: number,
  b23: number,
): number {
  return (Math.PI ** 2 * N * (b01 - 2 * b12 + b23)) / (48 * kappa * TF * (t1 ** 2 + t2 ** 2));
}

/**
 * Appendix B's C12 for R = [[-g1 - g2, g3], [g2, -g3 - g4]], with the overall sign corrected
 * (docs/corrections.md: the printed denominator 2 Tr(R) det(R) must be 2 |Tr R| det R):
 * C12 = [B23 (g1 + g2) g3 + B01 g2 (g3 + g4) - B12 (g2 g4 + g1 g3 + 2 g1 g4)] / (2 |Tr R| det R).
 */
export function appendixBC12(
  g: readonly [number, number, number, number],
  b01: number,
  b12: number,
  b23: number,
): number {
  const [g1, g2, g3, g4] = g;
  const trace = Math.abs(-g1 - g2 - g3 - g4);
  const det = (g1 + g2) * (g3 + g4) - g2 * g3;
  return (b23 * (g1 + g2) * g3 + b01 * g2 * (g3 + g4) - b12 * (g2 * g4 + g1 * g3 + 2 * g1 * g4)) / (2 * trace * det);
}

/** The continuum shape x (1 - y) with x = min(i, j) / (M + 1) and y = max(i, j) / (M + 1). */
export function continuumShape(i: number, j: number, M: number): number {
  const x = Math.min(i, j) / (M + 1);
  const y = Math.max(i, j) / (M + 1);
  return x * (1 - y);
}

/**
 * Off-diagonal correlations of a linear-A chain (A = r-rate linear currents, R = r L with L the Dirichlet Laplacian)
 * whose link noise is quadratic in the node states, B(x_i, x_j) = b0 + b1 (x_i + x_j) + b2 x_i x_j (ideal gas:
 * b2 = 2 k with k = gamma Cv / N and r = k / Cv; exclusion process: b2 = -2 gamma, r = gamma / N):
 *   C_ij = b2 Delta^2 / (2 r (M + 1)) * x (1 - y),   i != j,   Delta = x_0 - x_{M+1},
 * the continuum form of Figure 2's picture (sign = sign of the curvature b2 of B). The solver reproduces it to
 * round-off for every M >= 2 (tests), so for these chains the continuum form is exact; for M = 2 it is
 * Cv (T0 - T3)^2 / 27 and -N (eps0 - eps3)^2 / 27. This returns the amplitude b2 Delta^2 / (2 r (M + 1)).
 */
export function continuumAmplitude(b2: number, rate: number, delta: number, M: number): number {
  return (b2 * delta ** 2) / (2 * rate * (M + 1));
}
