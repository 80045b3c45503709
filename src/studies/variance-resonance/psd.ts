/**
 * Power spectral densities of the two displacements: what a precision experiment measures. The linear system
 * u'' + u'/q + V u = xi (V = [[k+k0, -k0], [-k0, 1+k0]], <xi_i(s) xi_j(s')> = (2 T_i / q) delta_ij delta(s - s'))
 * has the transfer function H(w) = (V - w^2 + i w / q)^-1, the 2x2 block of G(w) = (i w + A)^-1 that maps the
 * velocity noise onto the displacements. Conventions (dimensionless angular frequency w in units of 1/tau):
 *   two-sided   S_i(w) = sum_j |H_ij(w)|^2 2 T_j / q,    with  integral over all w of S_i(w) dw / (2 pi) = sigma_ii;
 *   one-sided   S_i^+(f) = 2 S_i(2 pi f) per unit of the ordinary frequency f = w / (2 pi) (cycles per tau), with
 *               integral from 0 to infinity of S_i^+(f) df = sigma_ii (the usual "m^2/Hz" of a spectrum analyser).
 * In physical units S_x(w) = L^2 tau S(w tau).
 */
import { normalModeFrequencies, validateDimensionless, type DimensionlessParameters } from "./parameters.js";

/** Two-sided displacement PSDs of oscillator 1 and 2 at angular frequency w (dimensionless). */
export function displacementPsd(p: DimensionlessParameters, w: number): { u1: number; u2: number } {
  const out = psdScratch;
  displacementPsdAt(p, w, out);
  return { u1: out[0], u2: out[1] };
}

const psdScratch = new Float64Array(2);

/** Writes [S_u1(w), S_u2(w)] (two-sided) into out; no allocation. */
export function displacementPsdAt(p: DimensionlessParameters, w: number, out: Float64Array): void {
  const w2 = w * w;
  const damp = w / p.q;
  // M = V - w^2 + i w/q; Delta = M11 M22 - k0^2 (complex).
  const m11 = p.k + p.k0 - w2,
    m22 = 1 + p.k0 - w2;
  const dRe = m11 * m22 - damp * damp - p.k0 * p.k0;
  const dIm = damp * (m11 + m22);
  const det2 = dRe * dRe + dIm * dIm;
  const a11 = m11 * m11 + damp * damp; // |M11|^2
  const a22 = m22 * m22 + damp * damp; // |M22|^2
  const c = p.k0 * p.k0;
  const f = 2 / p.q / det2;
  // H11 = M22/Delta, H12 = H21 = k0/Delta, H22 = M11/Delta
  out[0] = f * (p.T1 * a22 + p.T2 * c);
  out[1] = f * (p.T1 * c + p.T2 * a11);
}

/** Two-sided PSDs over a frequency grid. */
export function displacementPsdCurve(
  p: DimensionlessParameters,
  omegas: ArrayLike<number>,
): { u1: Float64Array; u2: Float64Array } {
  const q = validateDimensionless(p);
  const u1 = new Float64Array(omegas.length),
    u2 = new Float64Array(omegas.length);
  const s = new Float64Array(2);
  for (let i = 0; i < omegas.length; i++) {
    displacementPsdAt(q, omegas[i], s);
    u1[i] = s[0];
    u2[i] = s[1];
  }
  return { u1, u2 };
}

/** One-sided PSD per unit ordinary frequency f (= w / 2 pi): 2 S(2 pi f). */
export function oneSidedPsd(p: DimensionlessParameters, f: number): { u1: number; u2: number } {
  const s = displacementPsd(p, 2 * Math.PI * f);
  return { u1: 2 * s.u1, u2: 2 * s.u2 };
}

// ----------------------------------------------------------------------------------------------------------------
// Quadrature: adaptive Gauss-Kronrod (7-15) with breakpoints around the two normal modes.

const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

function gk15(f: (x: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b),
    h = 0.5 * (b - a);
  const fc = f(c);
  let kron = fc * WGK[7];
  let gauss = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const x = h * XGK[j];
    const s = f(c - x) + f(c + x);
    kron += WGK[j] * s;
    if (j % 2 === 1) gauss += WG[(j - 1) / 2] * s;
  }
  return { value: kron * h, error: Math.abs((kron - gauss) * h) };
}

/** Adaptive Gauss-Kronrod integral of a smooth f on [a, b] to relative tolerance `tol`. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  tol = 1e-10,
  maxIntervals = 20000,
): { value: number; error: number } {
  type Piece = { a: number; b: number; value: number; error: number };
  const first = gk15(f, a, b);
  const pieces: Piece[] = [{ a, b, ...first }];
  let total = first.value,
    err = first.error;
  while (err > tol * Math.abs(total) && pieces.length < maxIntervals) {
    let worst = 0;
    for (let i = 1; i < pieces.length; i++) if (pieces[i].error > pieces[worst].error) worst = i;
    const p = pieces[worst];
    const m = 0.5 * (p.a + p.b);
    const l = gk15(f, p.a, m),
      r = gk15(f, m, p.b);
    total += l.value + r.value - p.value;
    err += l.error + r.error - p.error;
    pieces[worst] = { a: p.a, b: m, ...l };
    pieces.push({ a: m, b: p.b, ...r });
  }
  return { value: total, error: err };
}

/**
 * The variance of u1 or u2 as the integral of its PSD, integral over all w of S(w) dw / (2 pi) = (1/pi) integral
 * from 0 to infinity: a check of the PSD (and of the conventions) against sigma11, sigma22.
 */
export function varianceFromPsd(
  parameters: DimensionlessParameters,
  oscillator: 1 | 2,
  tol = 1e-11,
): { value: number; error: number } {
  const p = validateDimensionless(parameters);
  const s = new Float64Array(2);
  const S = (w: number) => {
    displacementPsdAt(p, w, s);
    return s[oscillator - 1];
  };
  const [w1, w2] = normalModeFrequencies(p);
  const h = Math.max(1 / (2 * p.q), 1e-12); // half width of each mode's Lorentzian
  const top = Math.max(w2, 1) * 2 + 10 * h;
  // Breakpoints: geometric ladders around each mode, so every subinterval sees a smooth piece of the peak.
  const cuts = new Set<number>([0, top]);
  for (const w of [w1, w2]) {
    for (let d = h; d < top; d *= 4) {
      if (w - d > 0) cuts.add(w - d);
      if (w + d < top) cuts.add(w + d);
    }
    if (w > 0 && w < top) cuts.add(w);
  }
  // The splitting of the modes is of order the resonance width; refine between them too.
  const split = Math.abs(w2 - w1);
  if (split > 0) for (let j = 1; j < 8; j++) cuts.add(w1 + (split * j) / 8);
  const pts = [...cuts].sort((a, b) => a - b);
  let value = 0,
    error = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    if (!(pts[i + 1] > pts[i])) continue;
    const r = integrate(S, pts[i], pts[i + 1], tol);
    value += r.value;
    error += r.error;
  }
  // Tail [top, infinity): w = top / t, dw = top / t^2 dt, t in (0, 1]; S ~ w^-4 so the integrand ~ t^2.
  const tail = integrate((t) => (t === 0 ? 0 : (S(top / t) * top) / (t * t)), 0, 1, tol);
  value += tail.value;
  error += tail.error;
  return { value: value / Math.PI, error: error / Math.PI };
}
