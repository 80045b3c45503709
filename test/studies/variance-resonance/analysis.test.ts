// Sweeps, the resonance finder, displacement spectra, apparent temperatures and the inverse problem.
import { describe, expect, it } from "vitest";
import {
  apparentTemperatures,
  closedFormCovariance,
  displacementPsd,
  oscillatorPairProblem,
  findResonance,
  inferK,
  linspace,
  oneSidedPsd,
  peakOfSamples,
  resonanceGrid,
  resonanceHalfWidth,
  sigma11HighQNonequilibrium,
  steadyState,
  sweep,
  varianceFromPsd,
  type DimensionlessParameters,
} from "../../../src/studies/variance-resonance/index.js";
import { rng } from "../../helpers/random.js";

const fig4 = { k0: 0.01, q: 4000, T1: 1, T2: 11 };

describe("sweeps on the fast path", () => {
  it("the Lyapunov sweep equals the closed forms over 20 000 points of k", () => {
    const ks = linspace(0, 2, 20001);
    const a = sweep({ ...fig4, k: 0 }, "k", ks);
    const b = sweep({ ...fig4, k: 0 }, "k", ks, { method: "closed-form" });
    expect(a.maxResidual).toBeLessThan(1e-13);
    for (let i = 0; i < ks.length; i++) {
      expect(Math.abs(a.sigma11[i] - b.sigma11[i]) / b.sigma11[i]).toBeLessThan(1e-9);
      expect(Math.abs(a.sigma22[i] - b.sigma22[i]) / b.sigma22[i]).toBeLessThan(1e-9);
      const s12 = Math.sqrt(b.sigma11[i] * b.sigma22[i]);
      expect(Math.abs(a.sigma12[i] - b.sigma12[i]) / Math.max(Math.abs(b.sigma12[i]), 1e-6 * s12)).toBeLessThan(1e-8);
    }
  });

  it("sweeps any parameter, and equal values give equal answers whatever the swept parameter", () => {
    const p = { k: 0.99, ...fig4 };
    const qs = [50, 100, 4000];
    const s = sweep(p, "q", qs);
    qs.forEach((q, i) => expect(s.sigma11[i]).toBeCloseTo(closedFormCovariance({ ...p, q }).sigma11, 8));
    const t = sweep(p, "T2", [1, 11]);
    expect(t.sigma11[0]).toBeCloseTo(closedFormCovariance({ ...p, T2: 1 }).sigma11, 9);
    expect(t.sigma11[1]).toBeCloseTo(s.sigma11[2], 9);
    // Linearity in the temperatures.
    const u = sweep(p, "T1", [0, 2]);
    const v = sweep({ ...p, T2: 0 }, "T1", [1]);
    expect(u.sigma11[1] - u.sigma11[0]).toBeCloseTo(2 * v.sigma11[0], 9);
  });

  it("the resonance grid resolves Figure 7d's peak (k0 = 0.001)", () => {
    const ks = resonanceGrid(0.001, 8000, 0, 2, 1601);
    const inPeak = Array.from(ks).filter((k) => Math.abs(k - 1) < 2 * resonanceHalfWidth(0.001, 8000)).length;
    expect(inPeak).toBeGreaterThan(200);
    expect(ks[0]).toBe(0);
    expect(ks[ks.length - 1]).toBe(2);
  });
});

describe("the resonance finder", () => {
  it("Figure 4: a peak at k ~ 1, about 5.9 high, width close to 4 k0 (eq. 48)", () => {
    const r = findResonance(fig4);
    expect(r.kind).toBe("peak");
    expect(Math.abs(r.location - 1)).toBeLessThan(0.01);
    expect(r.height).toBeGreaterThan(5.8);
    expect(r.height).toBeLessThan(6);
    expect(r.width).toBeDefined();
    expect(r.width! / (4 * fig4.k0)).toBeGreaterThan(0.9);
    expect(r.width! / (4 * fig4.k0)).toBeLessThan(1.1);
    expect(r.excess / r.lorentzian.excess).toBeCloseTo(1, 2);
    // The variance itself has a local maximum close to the excess maximum.
    expect(r.variance).toBeDefined();
    expect(Math.abs(r.variance!.location - r.location)).toBeLessThan(0.01);
    // The half maxima bracket the location and sit at half the excess.
    const [a, b] = r.halfMaximum!;
    expect(a).toBeLessThan(r.location);
    expect(b).toBeGreaterThan(r.location);
  });

  it("the hotter oscillator dips at the same place by the same amount", () => {
    const peak = findResonance(fig4, { oscillator: 1 });
    const dip = findResonance(fig4, { oscillator: 2 });
    expect(dip.kind).toBe("dip");
    expect(dip.location).toBeCloseTo(peak.location, 9);
    expect(dip.excess).toBeCloseTo(-peak.excess, 9);
    const hot1 = findResonance({ ...fig4, T1: 11, T2: 1 }); // Figure 5
    expect(hot1.kind).toBe("dip");
    expect(hot1.height).toBeCloseTo(closedFormCovariance({ k: hot1.location, ...fig4, T1: 11, T2: 1 }).sigma11, 12);
    expect(hot1.variance!.value).toBeLessThan(6.2);
  });

  it("the width follows 4 k0 for q >> 1/k0 and saturates at finite q (Figures 7, 8)", () => {
    for (const k0 of [0.001, 0.003, 0.02]) {
      const r = findResonance({ ...fig4, k0, q: 1e6 });
      expect(r.width! / (4 * k0)).toBeCloseTo(1, 1);
    }
    const lowQ = findResonance({ ...fig4, q: 50 });
    expect(lowQ.width!).toBeGreaterThan(4 * fig4.k0 * 2);
    expect(lowQ.width! / lowQ.lorentzian.widthFiniteQ).toBeGreaterThan(0.8);
    expect(lowQ.width! / lowQ.lorentzian.widthFiniteQ).toBeLessThan(1.25);
  });

  it("reports no resonance at equilibrium or without coupling", () => {
    expect(findResonance({ ...fig4, T2: 1 }).kind).toBe("none");
    expect(findResonance({ ...fig4, k0: 0 }).kind).toBe("none");
  });

  it("peakOfSamples finds a sampled Lorentzian's centre and FWHM", () => {
    const x = Array.from(linspace(-1, 1, 2001));
    const y = x.map((v) => 1 / ((v - 0.1234) ** 2 + 0.05 ** 2));
    const p = peakOfSamples(x, y);
    expect(p.location).toBeCloseTo(0.1234, 4);
    expect(p.width!).toBeCloseTo(0.1, 3);
  });
});

/** S = G D G^H with G = (i w + A)^-1, by complex Gaussian elimination: independent of psd.ts's 2x2 formula. */
function psdByTransferFunction(p: DimensionlessParameters, w: number): number[] {
  const { problem } = oscillatorPairProblem(p);
  const A = problem.drift.data,
    D = problem.diffusion.data;
  const n = 4;
  // Solve (i w + A) G = I for G (complex), columns of the identity.
  const re = Array.from({ length: n }, (_, i) =>
    Array.from({ length: 2 * n }, (_, j) => (j < n ? A[i * n + j] : j - n === i ? 1 : 0)),
  );
  const im = Array.from({ length: n }, (_, i) => Array.from({ length: 2 * n }, (_, j) => (j < n && i === j ? w : 0)));
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.hypot(re[r][c], im[r][c]) > Math.hypot(re[piv][c], im[piv][c])) piv = r;
    [re[c], re[piv]] = [re[piv], re[c]];
    [im[c], im[piv]] = [im[piv], im[c]];
    const dr = re[c][c],
      di = im[c][c],
      d2 = dr * dr + di * di;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const fr = (re[r][c] * dr + im[r][c] * di) / d2,
        fi = (im[r][c] * dr - re[r][c] * di) / d2;
      for (let j = 0; j < 2 * n; j++) {
        const xr = re[c][j],
          xi = im[c][j];
        re[r][j] -= fr * xr - fi * xi;
        im[r][j] -= fr * xi + fi * xr;
      }
    }
  }
  const S: number[] = [];
  for (let i = 0; i < 2; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const dr = re[i][i],
        di = im[i][i],
        d2 = dr * dr + di * di;
      const gr = (re[i][n + j] * dr + im[i][n + j] * di) / d2,
        gi = (im[i][n + j] * dr - re[i][n + j] * di) / d2;
      s += (gr * gr + gi * gi) * D[j * n + j];
    }
    S.push(s);
  }
  return S;
}

describe("displacement spectra", () => {
  it("the 2x2 formula equals G D G^H of the full 4x4 transfer function", () => {
    const r = rng(5);
    for (let t = 0; t < 50; t++) {
      const p = {
        k: 0.2 + 2 * r(),
        k0: 10 ** (-2 + 2 * r()),
        q: 10 ** (3 * r()),
        T1: 0.1 + 5 * r(),
        T2: 0.1 + 5 * r(),
      };
      const w = 2 * r();
      const [s1, s2] = psdByTransferFunction(p, w);
      const s = displacementPsd(p, w);
      expect(s.u1 / s1).toBeCloseTo(1, 9);
      expect(s.u2 / s2).toBeCloseTo(1, 9);
    }
  });

  it("integrates to the variance (integral of S dw / 2 pi = sigma_ii), near and away from resonance", () => {
    for (const p of [
      { k: 1, ...fig4 },
      { k: 0.8, ...fig4 },
      { k: 1.0005, k0: 0.001, q: 8000, T1: 1, T2: 11 },
      { k: 0.7, k0: 0.3, q: 3, T1: 2, T2: 0.5 },
    ]) {
      const c = steadyState(p).covariance;
      const v1 = varianceFromPsd(p, 1),
        v2 = varianceFromPsd(p, 2);
      expect(Math.abs(v1.value / c.sigma11 - 1), JSON.stringify(p)).toBeLessThan(1e-7);
      expect(Math.abs(v2.value / c.sigma22 - 1), JSON.stringify(p)).toBeLessThan(1e-7);
    }
  });

  it("one-sided PSD per unit frequency is 2 S(2 pi f)", () => {
    const p = { k: 0.9, ...fig4 };
    expect(oneSidedPsd(p, 0.15).u1).toBeCloseTo(2 * displacementPsd(p, 2 * Math.PI * 0.15).u1, 12);
  });
});

describe("apparent temperature of the cold oscillator", () => {
  it("reads T1 far from resonance and about the mean temperature at k = 1", () => {
    const far = steadyState({ k: 0.5, ...fig4 });
    expect(apparentTemperatures({ k: 0.5, k0: fig4.k0 }, far.covariance).configurational1).toBeCloseTo(1, 1);
    const at = steadyState({ k: 1, ...fig4 });
    const t = apparentTemperatures({ k: 1, k0: fig4.k0 }, at.covariance);
    expect(t.configurational1).toBeCloseTo(6, 0);
    expect(t.kinetic1).toBeCloseTo(6, 0);
    expect(t.configurational2).toBeCloseTo(6, 0);
    // At equilibrium every apparent temperature is the bath temperature, for any k.
    const eq = steadyState({ k: 1, ...fig4, T2: 1 });
    expect(eq.apparentTemperature.configurational1).toBeCloseTo(1, 8);
    expect(eq.apparentTemperature.configurational2).toBeCloseTo(1, 8);
  });
});

describe("the inverse problem (Section 7)", () => {
  it("sigma11 alone gives two k, one on each side of the resonance; sigma22 picks the true one", () => {
    for (const trueK of [0.985, 1.012]) {
      const truth = closedFormCovariance({ k: trueK, ...fig4 });
      const one = inferK(fig4, { sigma11: truth.sigma11 });
      const near = one.solutions.filter((s) => Math.abs(s.k - 1) < 0.1);
      expect(near.length).toBe(2);
      expect(near.some((s) => s.side === "below") && near.some((s) => s.side === "above")).toBe(true);
      expect(one.solutions.some((s) => Math.abs(s.k - trueK) < 1e-9)).toBe(true);
      for (const s of one.solutions) expect(Math.abs(s.residual.sigma11!)).toBeLessThan(1e-9 * truth.sigma11);

      const two = inferK(fig4, { sigma11: truth.sigma11, sigma22: truth.sigma22 });
      expect(two.solutions[0].k).toBeCloseTo(trueK, 9);
      expect(two.jointFit!.k).toBeCloseTo(trueK, 6);
      const ratio = inferK(fig4, { ratio: truth.sigma11 / truth.sigma22 });
      expect(ratio.solutions.some((s) => Math.abs(s.k - trueK) < 1e-8)).toBe(true);
    }
  });

  it("sigma22 hardly separates the two sides (its excess mirrors sigma11's); sigma12 does", () => {
    const truth = closedFormCovariance({ k: 0.985, ...fig4 });
    const err = (x: number) => 0.01 * Math.abs(x);
    const with22 = inferK(fig4, {
      sigma11: truth.sigma11,
      sigma22: truth.sigma22,
      uncertainty: { sigma11: err(truth.sigma11), sigma22: err(truth.sigma22) },
    });
    expect(with22.ambiguous).toBe(true);
    expect(with22.jointFits.slice(0, 2).some((f) => f.k > 1)).toBe(true);
    const with12 = inferK(fig4, {
      sigma11: truth.sigma11,
      sigma12: truth.sigma12,
      uncertainty: { sigma11: err(truth.sigma11), sigma12: err(truth.sigma12) },
    });
    expect(with12.ambiguous).toBe(false);
    expect(with12.jointFit!.k).toBeCloseTo(0.985, 8);
    expect(with12.jointFit!.kError!).toBeLessThan(1e-3);
  });

  it("reports the sensitivity dk/dsigma11 and the propagated error", () => {
    const trueK = 0.97;
    const truth = closedFormCovariance({ k: trueK, ...fig4 });
    const inf = inferK(fig4, { sigma11: truth.sigma11, uncertainty: { sigma11: 0.01 } });
    const sol = inf.solutions.find((s) => Math.abs(s.k - trueK) < 1e-9)!;
    const h = 1e-6;
    const slope =
      (closedFormCovariance({ k: trueK + h, ...fig4 }).sigma11 -
        closedFormCovariance({ k: trueK - h, ...fig4 }).sigma11) /
      (2 * h);
    expect(sol.sensitivity.sigma11! * slope).toBeCloseTo(1, 5);
    expect(sol.kError!).toBeCloseTo(0.01 / Math.abs(slope), 8);
  });

  it("above the peak there is no solution near k = 1; bad input is refused", () => {
    const inf = inferK(fig4, { sigma11: 50 });
    expect(inf.solutions.every((s) => s.k < 0.1)).toBe(true);
    expect(() => inferK(fig4, {})).toThrow(/give at least one/);
    expect(() => inferK(fig4, { sigma11: -1 })).toThrow(/must be a positive number/);
    expect(() => inferK({ ...fig4, q: 0 }, { sigma11: 1 })).toThrow(/q = Q2/);
    // a window reaching below k's domain (0 or at least 1e-100) is refused, not searched
    expect(() => inferK(fig4, { sigma11: 1 }, { domain: [1e-200, 1] })).toThrow(/1e-100/);
  });

  it("the sensitivity diverges at the top of the peak", () => {
    const r = findResonance(fig4);
    const inf = inferK(fig4, { sigma11: r.variance!.value * (1 - 1e-6) });
    const near = inf.solutions.filter((s) => Math.abs(s.k - 1) < 0.1);
    expect(near.length).toBe(2);
    for (const s of near) expect(Math.abs(s.sensitivity.sigma11!)).toBeGreaterThan(1);
    expect(sigma11HighQNonequilibrium({ k: 1, ...fig4 })).toBeGreaterThan(0);
  });
});
