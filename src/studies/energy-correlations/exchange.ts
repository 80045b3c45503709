/**
 * Energy exchange between two thermal reservoirs of bosonic excitations (eq. 11 of [Bunin et al. 2013] and Appendix A): the mean
 * current and its noise as integrals over the exchanged energy w, with exact quadrature and the paper's closed-form
 * approximations (eq. 13 for Fermi gases, A.6 for blackbodies).
 *
 * With a constant density of states (T << T_F), eq. 11 reduces to sums over particle-hole pairs: the golden-rule rate
 * for box c to give the energy w to box d is K w^2 n_c(w) (1 + n_d(w)) with n(w) = 1/(exp(w/T) - 1), so
 *   A_cd = K int_0^inf w^3 (n_c - n_d) dw = kappa (T_c^4 - T_d^4),        kappa = K pi^4 / 15      (eq. 12),
 *   B_cd = K int_0^inf w^4 [n_c (1 + n_d) + n_d (1 + n_c)] dw = (15 kappa / pi^4) F(T_c, T_d).
 * The photon cavities of Appendix A give exactly the same integrals (A.4 and the B integral after A.5) with
 * kappa -> |lambda|^2 sigma, so one function F serves both. F(T, T) = 8 pi^4 T^5 / 15 (B = 8 kappa T^5) and
 * F(T, 0) = 24 zeta(5) T^5.
 */

/** zeta(5). */
export const ZETA5 = 1.03692775514337;

// 16-point Gauss-Legendre nodes and weights on [-1, 1] (positive half; symmetric).
const GL_X = [
  0.09501250983763744, 0.2816035507792589, 0.45801677765722737, 0.6178762444026438, 0.755404408355003,
  0.8656312023878318, 0.9445750230732326, 0.9894009349916499,
];
const GL_W = [
  0.1894506104550685, 0.18260341504492358, 0.16915651939500254, 0.14959598881657674, 0.12462897125553388,
  0.09515851168249279, 0.062253523938647894, 0.027152459411754096,
];

/** Composite 16-point Gauss-Legendre quadrature of f over [a, b] with `panels` equal panels. */
export function gaussLegendre(f: (x: number) => number, a: number, b: number, panels = 40): number {
  const h = (b - a) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * h;
    const half = 0.5 * h;
    let s = 0;
    for (let k = 0; k < 8; k++) {
      const dx = half * GL_X[k];
      s += GL_W[k] * (f(mid - dx) + f(mid + dx));
    }
    total += s * half;
  }
  return total;
}

/** Bose occupation 1/(exp(w/T) - 1) (0 at T = 0). */
export function boseOccupation(w: number, t: number): number {
  if (t <= 0) return 0;
  return 1 / Math.expm1(w / t);
}

/**
 * int_0^inf w^4 n1(w) n2(w) dw, by quadrature in s = w / T_eff with T_eff = T1 T2 / (T1 + T2): the integrand is
 * s^4 e^{-s} times a function analytic within 2 pi of the real axis, so 40 panels of 16 points on [0, 80] reach
 * machine precision.
 */
function productIntegral(t1: number, t2: number): number {
  if (t1 <= 0 || t2 <= 0) return 0;
  const teff = (t1 * t2) / (t1 + t2);
  const a1 = teff / t1;
  const a2 = teff / t2;
  const f = (s: number): number => {
    const s2 = s * s;
    return (s2 * s2) / (Math.expm1(a1 * s) * Math.expm1(a2 * s));
  };
  const t5 = teff ** 5;
  return t5 * gaussLegendre(f, 0, 80, 40);
}

/**
 * F(T1, T2) = int_0^inf w^4 [n1 (1 + n2) + n2 (1 + n1)] dw with Bose factors n_i = 1/(exp(w/T_i) - 1):
 * the exact noise integral of eq. 11 (constant density of states) and of Appendix A, up to the prefactor 15 k / pi^4.
 * Computed as 24 zeta(5) (T1^5 + T2^5) + 2 int w^4 n1 n2 dw.
 */
export function exchangeNoiseIntegral(t1: number, t2: number): number {
  return 24 * ZETA5 * (t1 ** 5 + t2 ** 5) + 2 * productIntegral(t1, t2);
}

/** Exact noise strength B = (15 k / pi^4) F(T1, T2) for a junction with A = k (T1^4 - T2^4). */
export function exactExchangeNoise(k: number, t1: number, t2: number): number {
  return ((15 * k) / Math.PI ** 4) * exchangeNoiseIntegral(t1, t2);
}

/**
 * The third cumulant per unit time of the energy carried from c to d by the same exchange:
 *   kappa3 = K int_0^inf w^5 (n_c - n_d) dw = K Gamma(6) zeta(6) (T_c^6 - T_d^6) = (40 pi^2 / 21) k (T_c^6 - T_d^6)
 * with K = 15 k / pi^4 (odd cumulants count the two directions with opposite signs: w^2 n_c (1 + n_d) w^3 minus
 * w^2 n_d (1 + n_c) w^3 is w^5 (n_c - n_d)). It enters the validity condition of eq. 4.
 */
export function exchangeThirdCumulant(k: number, tc: number, td: number): number {
  const c2 = tc * tc,
    d2 = td * td;
  return ((40 * Math.PI ** 2) / 21) * k * (c2 * c2 * c2 - d2 * d2 * d2);
}

/** Eq. 13: B ~ 4 kappa (T_c^5 + T_d^5) (exact at T_c = T_d; off by up to 4.4 %, see docs/corrections.md). */
export function fermiNoiseApprox(kappa: number, tc: number, td: number): number {
  return 4 * kappa * (tc ** 5 + td ** 5);
}

/** Eq. A.6: B ~ 8 |lambda|^2 sigma [(Ta Tb)^{5/2} + (45/pi^4)(Ta^{5/2} - Tb^{5/2})^2] (off by up to 3.6 %). */
export function blackbodyNoiseApprox(coupling: number, ta: number, tb: number): number {
  const a = ta ** 2.5;
  const b = tb ** 2.5;
  return 8 * coupling * (a * b + (45 / Math.PI ** 4) * (a - b) ** 2);
}

/** F(T1, T2) from a precomputed table (for the simulation's hot loop). */
export type ExchangeNoiseTable = (t1: number, t2: number) => number;

let table: ExchangeNoiseTable | undefined;

/**
 * A fast F(T1, T2) = Tmax^5 f(Tmin / Tmax): f(r) = F(1, r) on [0, 1] from a degree-39 Chebyshev series (fitted to the
 * quadrature), tabulated with its derivative on 1024 intervals and evaluated by cubic Hermite interpolation.
 * Relative accuracy better than 1e-12 (checked by the tests against the quadrature). Built once, on first use.
 */
export function exchangeNoiseTable(): ExchangeNoiseTable {
  if (table) return table;
  const n = 40;
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const x = Math.cos((Math.PI * (k + 0.5)) / n);
    values[k] = exchangeNoiseIntegral(1, 0.5 * (x + 1));
  }
  const coef = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += values[k] * Math.cos((Math.PI * j * (k + 0.5)) / n);
    coef[j] = (2 / n) * s;
  }
  coef[0] *= 0.5;
  // Value and d/dx of the series at x in [-1, 1] (T_j' = j U_{j-1}).
  const series = (x: number): [number, number] => {
    let t0 = 1,
      t1 = x,
      u0 = 1,
      u1 = 2 * x;
    let f = coef[0] + coef[1] * x;
    let d = coef[1];
    for (let j = 2; j < n; j++) {
      const t2 = 2 * x * t1 - t0;
      d += coef[j] * j * u1; // j U_{j-1}
      const u2 = 2 * x * u1 - u0;
      f += coef[j] * t2;
      t0 = t1;
      t1 = t2;
      u0 = u1;
      u1 = u2;
    }
    return [f, d];
  };
  const cells = 1024;
  const h = 1 / cells;
  const fv = new Float64Array(cells + 1);
  const dv = new Float64Array(cells + 1);
  for (let k = 0; k <= cells; k++) {
    const [f, d] = series(2 * k * h - 1);
    fv[k] = f;
    dv[k] = 2 * d * h; // df/dr times the cell width
  }
  table = (t1: number, t2: number): number => {
    const hi = t1 > t2 ? t1 : t2;
    if (!(hi > 0)) return 0;
    const r = (t1 > t2 ? t2 : t1) / hi;
    let k = Math.floor(r * cells);
    if (k >= cells) k = cells - 1;
    const s = r * cells - k;
    const s2 = s * s;
    const s3 = s2 * s;
    const fr =
      (2 * s3 - 3 * s2 + 1) * fv[k] +
      (s3 - 2 * s2 + s) * dv[k] +
      (-2 * s3 + 3 * s2) * fv[k + 1] +
      (s3 - s2) * dv[k + 1];
    const h2 = hi * hi;
    return h2 * h2 * hi * fr;
  };
  return table;
}
