import { describe, expect, it } from "vitest";
import { SteadyStateError } from "../../../src/errors.js";
import { stationary } from "../../../src/exact/linearSde.js";
import { linearSdeProblem } from "../../../src/problem/linearSde.js";
import { matrix } from "../../../src/linalg/matrix.js";
import {
  effectiveBath,
  exactCurrent,
  frequencyIntegralCurrent,
  greenEndToEnd,
  integratePanels,
  longChainCurrent,
  methodComparison,
  validateParams,
  type ParticleBathChainParams,
} from "../../../src/studies/particle-bath-chain/index.js";

const CASES: Partial<ParticleBathChainParams>[] = [
  { N: 2 },
  { N: 3, TR: 0 },
  { N: 5, TL: 0.6, zeta: 1 }, // strong friction gamma_L = 18
  { N: 8, TL: 5, TR: 0.5, zeta: 0.01 }, // weak friction gamma_L = 2.6e-3: sharp resonances
  { N: 16, zeta: 1 },
  { N: 12, k: 0.3, K: 3, m: 2.5, gammaR: 0.2, zeta: 0.3 }, // a mode above the band, unequal masses
  { N: 40, TL: 3, TR: 7, zeta: 0.05 }, // current from right to left
];

/** |G_1N(omega)|^2 by complex Gaussian elimination of [-m w^2 + Phi - i w Gamma] (independent of the recursion). */
function directGreen2(p: ParticleBathChainParams, kEff: number, gammaL: number, w: number): number {
  const n = p.N;
  const re = Array.from({ length: n }, () => new Float64Array(n));
  const im = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    re[i][i] = (i > 0 ? p.k : 0) + (i < n - 1 ? p.k : 0) - p.m * w * w + (i === 0 ? kEff : 0) + (i === n - 1 ? p.K : 0);
    if (i > 0) re[i][i - 1] = re[i - 1][i] = -p.k;
  }
  im[0][0] = -w * gammaL;
  im[n - 1][n - 1] -= w * p.gammaR;
  // Solve M x = e_N; G_1N = x_1.
  const br = new Float64Array(n);
  const bi = new Float64Array(n);
  br[n - 1] = 1;
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const d = re[c][c] ** 2 + im[c][c] ** 2;
      const fr = (re[r][c] * re[c][c] + im[r][c] * im[c][c]) / d;
      const fi = (im[r][c] * re[c][c] - re[r][c] * im[c][c]) / d;
      for (let k = c; k < n; k++) {
        const ar = re[c][k];
        const ai = im[c][k];
        re[r][k] -= fr * ar - fi * ai;
        im[r][k] -= fr * ai + fi * ar;
      }
      const xr = br[c];
      const xi = bi[c];
      br[r] -= fr * xr - fi * xi;
      bi[r] -= fr * xi + fi * xr;
    }
  }
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let sr = br[r];
    let si = bi[r];
    for (let k = r + 1; k < n; k++) {
      sr -= re[r][k] * xr[k] - im[r][k] * xi[k];
      si -= re[r][k] * xi[k] + im[r][k] * xr[k];
    }
    const d = re[r][r] ** 2 + im[r][r] ** 2;
    xr[r] = (sr * re[r][r] + si * im[r][r]) / d;
    xi[r] = (si * re[r][r] - sr * im[r][r]) / d;
  }
  return xr[0] ** 2 + xi[0] ** 2;
}

describe("the effective chain's current three ways (Krekels et al. 2026, Section 4 and Appendix B)", () => {
  it("exact engine, frequency integral and (for long chains) the closed form agree to 1e-8", () => {
    for (const c of CASES) {
      const p = validateParams(c);
      const bath = effectiveBath(p);
      const exact = exactCurrent(p, bath);
      const freq = frequencyIntegralCurrent(p, { bath });
      expect(Math.abs(freq.current / exact.current - 1), JSON.stringify(c)).toBeLessThan(1e-8);
      expect(exact.residual).toBeLessThan(1e-12);
      // Energy balance: every spring carries the same current; the Langevin bath takes it out.
      for (const f of exact.springFlux) expect(Math.abs(f / exact.current - 1)).toBeLessThan(1e-9);
      expect(Math.abs(exact.rightOutflow / exact.current - 1)).toBeLessThan(1e-9);
      if (p.N >= 16)
        expect(Math.abs(longChainCurrent(p, bath) / exact.current - 1), JSON.stringify(c)).toBeLessThan(1e-8);
    }
  });

  it("J = gamma_L (T_L - m <v1^2>)/m has the sign of T_L - T_R and vanishes at equal temperatures", () => {
    expect(exactCurrent(validateParams({ TL: 3, TR: 7 })).current).toBeLessThan(0);
    expect(exactCurrent(validateParams({ TL: 7, TR: 3 })).current).toBeGreaterThan(0);
    expect(Math.abs(exactCurrent(validateParams({ TL: 3, TR: 3 })).current)).toBeLessThan(1e-12);
  });

  it("|G_1N| from the determinant recursion matches a direct complex solve, and the integrand is even in omega", () => {
    for (const c of [{ N: 5 }, { N: 9, k: 0.3, K: 3, m: 2 }]) {
      const p = validateParams(c);
      const bath = effectiveBath(p);
      const g2 = greenEndToEnd(p, bath);
      for (const w of [0.01, 0.4, 1.1, 1.9, 2.6, 7]) {
        expect(Math.abs(g2(w) / directGreen2(p, bath.kEff, bath.gammaL, w) - 1)).toBeLessThan(1e-10);
        expect(g2(-w)).toBeCloseTo(g2(w), 14);
      }
    }
    // Over the whole real line literally: the negative half equals the positive half.
    const p = validateParams({ N: 6, zeta: 1 });
    const bath = effectiveBath(p);
    const g2 = greenEndToEnd(p, bath);
    const f = (w: number) => w * w * g2(w);
    const breaks = Array.from({ length: 41 }, (_, i) => (i * 6) / 40);
    const pos = integratePanels(f, breaks).value;
    const neg = integratePanels((w) => f(-w), breaks).value;
    expect(Math.abs(neg / pos - 1)).toBeLessThan(1e-12);
  });

  it("finite chains converge exponentially in N to the corrected closed form (the printed one is twice too large)", () => {
    const p = validateParams({ zeta: 1, TL: 2, TR: 1 });
    const rows = methodComparison(p, [4, 6, 8, 10, 12, 14, 16, 24, 64]);
    const dev = rows.map((r) => r.deviation);
    // log(deviation) linear in N while above rounding: slope < -1 per site (a factor > 2.7 per site).
    const fit = rows.slice(0, 7);
    const xs = fit.map((r) => r.N);
    const ys = fit.map((r) => Math.log(r.deviation));
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const syy = ys.reduce((a, y) => a + (y - my) ** 2, 0);
    const slope = sxy / sxx;
    expect(slope).toBeLessThan(-1);
    expect((sxy * sxy) / (sxx * syy)).toBeGreaterThan(0.995);
    for (let i = 1; i < 7; i++) expect(dev[i]).toBeLessThan(dev[i - 1] / 5);
    expect(dev[7]).toBeLessThan(1e-12); // N = 24
    expect(dev[8]).toBeLessThan(1e-12); // N = 64
    // The exact engine agrees at N = 64 too, so the limit is the corrected formula, not the printed 2x.
    expect(Math.abs(rows[8].exact / rows[8].longChain - 1)).toBeLessThan(1e-10);
  });

  it("the memory-kernel current equals the Markovian embedding of the bath modes solved by the Lyapunov engine", () => {
    const p = validateParams({ N: 4, zeta: 0.5, TL: 3, TR: 0.5 });
    const full = effectiveBath(p);
    const bath = { ...full, modes: full.modes.filter((m) => m.weight > 1e-12 * full.varianceF) };
    const M = bath.modes.length;
    const pre = (p.Nb * p.eps * p.eps) / p.TL;
    const kappa = bath.modes.map((m) => pre * m.weight);
    const N = p.N;
    const n = 2 * N + M; // (q, v, y)
    const A = matrix(n, n);
    const D = matrix(n, n);
    const set = (X: typeof A, i: number, j: number, v: number) => (X.data[i * n + j] += v);
    const pinning = p.K - kappa.reduce((a, b) => a + b, 0);
    for (let i = 0; i < N; i++) {
      set(A, i, N + i, -1);
      const diag =
        (i > 0 ? p.k : 0) +
        (i < N - 1 ? p.k : 0) +
        (i === 0 ? pinning + kappa.reduce((a, b) => a + b, 0) : 0) +
        (i === N - 1 ? p.K : 0);
      set(A, N + i, i, diag / p.m);
      if (i > 0) set(A, N + i, i - 1, -p.k / p.m);
      if (i < N - 1) set(A, N + i, i + 1, -p.k / p.m);
    }
    set(A, 2 * N - 1, 2 * N - 1, p.gammaR / p.m);
    set(D, 2 * N - 1, 2 * N - 1, (2 * p.gammaR * p.TR) / (p.m * p.m));
    bath.modes.forEach((mode, j) => {
      const y = 2 * N + j;
      const eta = kappa[j] / mode.rate; // eta y' = -kappa (y - q_1) + sqrt(2 eta T_L) xi
      set(A, N, y, -kappa[j] / p.m);
      set(A, y, y, mode.rate);
      set(A, y, 0, -mode.rate);
      set(D, y, y, (2 * p.TL) / eta);
    });
    const S = stationary(linearSdeProblem({ drift: A, diffusion: D })).covariance;
    const vN2 = S.data[(2 * N - 1) * n + (2 * N - 1)];
    const embedded = (p.gammaR / p.m) * (p.m * vN2 - p.TR);
    const memory = frequencyIntegralCurrent(p, { bath, memory: true }).current;
    expect(Math.abs(memory / embedded - 1)).toBeLessThan(1e-8);
    // ... and differs from the Markov current at this zeta (bath time 1.05 against 1/omega_c = 0.5).
    expect(Math.abs(exactCurrent(p).current / memory - 1)).toBeGreaterThan(0.05);
  });

  it("an unstable effective chain (k_eff <= 0 at low T_L) is a SteadyStateError with the critical temperature", () => {
    const p = validateParams({ TL: 0.3 });
    expect(() => exactCurrent(p)).toThrow(SteadyStateError);
    expect(() => frequencyIntegralCurrent(p)).toThrow(
      /unstable at T_L = 0\.3: k_eff = K - softening = -0\.5665 <= 0 .* needs T_L > 0\.47/,
    );
    expect(() => longChainCurrent(p)).toThrow(SteadyStateError);
  });
});
