// Energy correlations (Bunin et al. 2013): the Lyapunov solution of a chain against the paper's closed forms (eq. 9 for any
// B, the ideal gas, the exclusion process, eq. 14, Appendix B with its sign corrected), equilibrium, the continuum
// form of long chains, the exact noise integral, the Newton solve and the bound of eq. 15.
import { describe, expect, it } from "vitest";
import { ModelError, SteadyStateError } from "../../../src/errors.js";
import {
  appendixBC12,
  appendixBGammas,
  blackbody,
  blackbodyNoiseApprox,
  continuumAmplitude,
  continuumShape,
  customModel,
  energyCorrelations,
  exchangeNoiseIntegral,
  exchangeNoiseTable,
  exclusionC12,
  exclusionProcess,
  exactExchangeNoise,
  fermiC12,
  fermiGas,
  fermiNoiseApprox,
  gaussLegendre,
  idealGas,
  linearAPairCovariance,
  quarticProfile,
  solveMeanSteadyState,
  ZETA5,
  type ChainModel,
} from "../../../src/studies/energy-correlations/index.js";
import { rng } from "../../helpers/random.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("eq. 9: linear A with arbitrary B (M = 2)", () => {
  it("matches the closed form for random link noises", () => {
    const r = rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const b = [0.1 + 5 * r(), 0.1 + 5 * r(), 0.1 + 5 * r()];
      const gamma = 0.2 + 3 * r();
      const N = 1 + 50 * r();
      // A = gamma (E_i - E_j) / N with given constant B per link: a custom linear-A model.
      const model = customModel({
        current: (ei, ej) => (gamma * (ei - ej)) / N,
        noise: (_ei, _ej, bond) => b[bond],
        gradient: () => [gamma / N, -gamma / N],
        linearA: true,
      });
      const ec = energyCorrelations({ model, M: 2, left: 10 * r(), right: 10 * r() });
      const C = linearAPairCovariance(gamma / N, b[0], b[1], b[2]);
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          expect(Math.abs(ec.covariance.data[i * 2 + j] - C[i][j])).toBeLessThan(
            1e-12 * Math.max(...C.flat().map(Math.abs)),
          );
        }
      expect(ec.residual).toBeLessThan(1e-13);
      // Sign decomposition: link contributions in the ratio B01 : -2 B12 : B23, times N / (12 gamma).
      const k = N / (12 * gamma);
      expect(ec.decomposition.byLink[0]).toBeCloseTo(k * b[0], 10);
      expect(ec.decomposition.byLink[1]).toBeCloseTo(-2 * k * b[1], 10);
      expect(ec.decomposition.byLink[2]).toBeCloseTo(k * b[2], 10);
      expect(ec.decomposition.boundary + ec.decomposition.bulk).toBeCloseTo(ec.covariance.data[1], 10);
      expect(Math.sign(ec.noiseCurvature!)).toBe(Math.sign(ec.covariance.data[1]));
    }
  });
});

describe("closed forms of C12", () => {
  it("ideal gas: C12 = Cv (T0 - T3)^2 / 27, positive", () => {
    const r = rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const Cv = 0.1 + 100 * r();
      const t0 = 0.1 + 10 * r();
      const t3 = 0.1 + 10 * r();
      const ec = energyCorrelations({
        model: idealGas({ Cv, gamma: 0.1 + r(), N: 1 + 10 * r() }),
        M: 2,
        left: t0,
        right: t3,
      });
      expect(rel(ec.covariance.data[1], (Cv * (t0 - t3) ** 2) / 27)).toBeLessThan(1e-11);
      expect(ec.covariance.data[1]).toBeGreaterThan(0);
      expect(ec.states[0]).toBeCloseTo((2 * t0 + t3) / 3, 12);
      expect(ec.states[1]).toBeCloseTo((t0 + 2 * t3) / 3, 12);
    }
  });

  it("boxed exclusion process: C12 = -N (eps0 - eps3)^2 / 27 (eq. 10), negative", () => {
    const r = rng(6);
    for (let trial = 0; trial < 20; trial++) {
      const N = 1 + 1000 * r();
      const e0 = r();
      const e3 = r();
      const ec = energyCorrelations({
        model: exclusionProcess({ N, gamma: 0.1 + 5 * r() }),
        M: 2,
        left: e0,
        right: e3,
      });
      // Absolute agreement relative to the variance (C12 itself vanishes as eps0 -> eps3).
      expect(Math.abs(ec.covariance.data[1] - exclusionC12(N, e0, e3))).toBeLessThan(1e-12 * ec.covariance.data[0]);
      expect(ec.covariance.data[1]).toBeLessThan(0);
    }
  });

  it("Fermi gases: eq. 14 and the T^4 profile, with the exact and the approximate noise", () => {
    for (const noise of ["exact", "approx"] as const) {
      for (const [t0, t3] of [
        [1, 3],
        [2, 0.5],
        [1, 1.2],
        [0.3, 5],
      ]) {
        const N = 1000,
          kappa = 0.7,
          TF = 200;
        const ec = energyCorrelations({ model: fermiGas({ N, kappa, TF, noise }), M: 2, left: t0, right: t3 });
        const [t1, t2] = quarticProfile(t0, t3);
        expect(rel(ec.states[0], t1)).toBeLessThan(1e-12);
        expect(rel(ec.states[1], t2)).toBeLessThan(1e-12);
        const [b01, b12, b23] = ec.noise;
        expect(rel(ec.covariance.data[1], fermiC12(N, kappa, TF, t1, t2, b01, b12, b23))).toBeLessThan(1e-10);
        expect(ec.covariance.data[1]).toBeGreaterThan(0); // "always positive" (convex B)
        if (noise === "approx") expect(b12).toBeCloseTo(fermiNoiseApprox(kappa, t1, t2), 12);
        else expect(rel(b12, exactExchangeNoise(kappa, t1, t2))).toBeLessThan(1e-10);
      }
    }
  });

  it("blackbodies: linear A in the energies, eq. 9 with r = |lambda|^2 sigma / aV, positive", () => {
    for (const noise of ["exact", "approx"] as const) {
      const g = 0.3,
        aV = 2;
      const ec = energyCorrelations({ model: blackbody({ coupling: g, aV, noise }), M: 2, left: 1, right: 4 });
      const [b01, b12, b23] = ec.noise;
      const C = linearAPairCovariance(g / aV, b01, b12, b23);
      expect(rel(ec.covariance.data[0], C[0][0])).toBeLessThan(1e-11);
      expect(rel(ec.covariance.data[1], C[0][1])).toBeLessThan(1e-11);
      expect(rel(ec.covariance.data[3], C[1][1])).toBeLessThan(1e-11);
      expect(ec.covariance.data[1]).toBeGreaterThan(0);
      if (noise === "approx") expect(b01).toBeCloseTo(blackbodyNoiseApprox(g, 1, ec.states[0]), 10);
    }
  });

  it("Appendix B with the corrected sign (denominator 2 |Tr R| det R) agrees with the Lyapunov solution; the printed sign does not", () => {
    const models: ChainModel[] = [fermiGas({ N: 50 }), idealGas({ Cv: 3 }), exclusionProcess({ N: 7 }), blackbody({})];
    for (const model of models) {
      const [left, right] = model.kind === "ssep" ? [0.1, 0.7] : [1, 2.5];
      const chain = { model, M: 2, left, right };
      const ec = energyCorrelations(chain);
      const g = appendixBGammas(chain, ec.states);
      const [b01, b12, b23] = ec.noise;
      const c12 = appendixBC12(g, b01, b12, b23);
      expect(rel(c12, ec.covariance.data[1])).toBeLessThan(1e-10);
      // The printed denominator 2 Tr(R) det(R) (Tr R < 0) gives the opposite sign.
      const r = ec.relaxation.data;
      const printed = (c12 * (2 * Math.abs(r[0] + r[3]))) / (2 * (r[0] + r[3]));
      expect(Math.sign(printed)).toBe(-Math.sign(ec.covariance.data[1]));
    }
  });
});

describe("equilibrium: C is diagonal", () => {
  const models: ChainModel[] = [
    idealGas({ Cv: 2 }),
    exclusionProcess({ N: 10 }),
    fermiGas({ N: 100 }),
    fermiGas({ N: 100, noise: "approx" }),
    blackbody({}),
    blackbody({ noise: "approx" }),
    customModel({ current: (a, b) => Math.tanh(a - b), noise: (a, b) => 1 + a * a + b * b }),
  ];
  for (const model of models) {
    it(`${model.label}`, () => {
      for (const M of [2, 3, 6]) {
        const x = model.kind === "ssep" ? 0.3 : 1.7;
        const ec = energyCorrelations({ model, M, left: x, right: x });
        let diag = 0;
        for (let i = 0; i < M; i++) diag = Math.max(diag, ec.covariance.data[i * M + i]);
        for (let i = 0; i < M; i++)
          for (let j = 0; j < M; j++) {
            if (i !== j) expect(Math.abs(ec.covariance.data[i * M + j])).toBeLessThan(1e-12 * diag);
          }
        // Equilibrium variance: B / (2 r) for equal links; for the ideal gas Cv T^2.
        if (model.kind === "ideal-gas") expect(ec.covariance.data[0]).toBeCloseTo(2 * x * x, 10);
        if (model.kind === "ssep") expect(ec.covariance.data[0]).toBeCloseTo(10 * x * (1 - x), 10);
        expect(ec.bound?.bound ?? 0).toBe(0);
      }
    });
  }
});

describe("longer chains", () => {
  it("off-diagonal C_ij of linear-A chains equal the continuum form b2 Delta^2 x(1-y) / (2 r (M+1)) for every M", () => {
    for (const M of [2, 3, 5, 12, 40]) {
      const ig = energyCorrelations({ model: idealGas({ Cv: 2, gamma: 3, N: 5 }), M, left: 0.5, right: 2 });
      const ss = energyCorrelations({ model: exclusionProcess({ N: 20, gamma: 2 }), M, left: 0.1, right: 0.8 });
      const k = (3 * 2) / 5;
      const ampIg = continuumAmplitude(2 * k, k / 2, 0.5 - 2, M);
      const ampSs = continuumAmplitude(-2 * 2, 2 / 20, 0.1 - 0.8, M);
      for (let i = 1; i <= M; i++)
        for (let j = 1; j <= M; j++) {
          if (i === j) continue;
          expect(Math.abs(ig.covariance.data[(i - 1) * M + j - 1] - ampIg * continuumShape(i, j, M))).toBeLessThan(
            1e-11 * Math.abs(ampIg),
          );
          expect(Math.abs(ss.covariance.data[(i - 1) * M + j - 1] - ampSs * continuumShape(i, j, M))).toBeLessThan(
            1e-11 * Math.abs(ampSs),
          );
        }
      // SSEP-like shape: N C_ij -> -(rho0 - rho1)^2 x (1 - y) per (M + 1)
      expect(Math.sign(ss.covariance.data[M - 1])).toBe(-1);
      expect(Math.sign(ig.covariance.data[M - 1])).toBe(1);
    }
  });

  it("every link carries the same current and the Fermi profile is T^4-linear for long chains", () => {
    const M = 9;
    const ec = energyCorrelations({ model: fermiGas({ N: 10, TF: 1000 }), M, left: 1, right: 4 });
    const prof = quarticProfile(1, 4, M);
    for (let i = 0; i < M; i++) expect(rel(ec.states[i], prof[i])).toBeLessThan(1e-12);
    for (const c of ec.currents) expect(rel(c, ec.current)).toBeLessThan(1e-12);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < M; j++) if (i !== j) expect(ec.covariance.data[i * M + j]).toBeGreaterThan(0);
  });

  it("C is linear in the link noises: the per-link solutions sum to C", () => {
    const ec = energyCorrelations({ model: blackbody({}), M: 5, left: 2, right: 1 });
    const M = 5;
    const perLink = Array.from({ length: M + 1 }, (_, b) => ec.perUnitNoise(b));
    for (let k = 0; k < M * M; k++) {
      const sum = perLink.reduce((s, Cb, b) => s + ec.noise[b] * Cb.data[k], 0);
      expect(Math.abs(sum - ec.covariance.data[k])).toBeLessThan(1e-12 * ec.covariance.data[0]);
    }
    // The decomposition of C12 by links (one adjoint solve) equals the per-link solutions' C12, for any pair.
    for (const pair of [
      [1, 2],
      [2, 4],
      [5, 5],
    ] as [number, number][]) {
      const d = energyCorrelations({ model: blackbody({}), M: 5, left: 2, right: 1 }, { pair }).decomposition;
      const k = (pair[0] - 1) * M + (pair[1] - 1);
      perLink.forEach((Cb, b) =>
        expect(Math.abs(d.byLink[b] - ec.noise[b] * Cb.data[k])).toBeLessThan(1e-12 * ec.covariance.data[0]),
      );
    }
  });
});

describe("the exact noise integral (eq. 11, Appendix A)", () => {
  it("has the closed forms F(T, T) = 8 pi^4 T^5 / 15 and F(T, 0) = 24 zeta(5) T^5", () => {
    for (const t of [0.01, 1, 3.7, 100]) {
      expect(rel(exchangeNoiseIntegral(t, t), (8 * Math.PI ** 4 * t ** 5) / 15)).toBeLessThan(1e-13);
      expect(rel(exchangeNoiseIntegral(t, 0), 24 * ZETA5 * t ** 5)).toBeLessThan(1e-14);
      expect(rel(exactExchangeNoise(2, t, t), 16 * t ** 5)).toBeLessThan(1e-13); // B = 8 kappa T^5
    }
  });

  it("agrees with a direct quadrature of the whole integrand, and the same integrand gives A = kappa (Tc^4 - Td^4)", () => {
    for (const [t1, t2] of [
      [1, 0.3],
      [2, 5],
      [1, 0.01],
    ]) {
      const n = (w: number, t: number) => 1 / Math.expm1(w / t);
      const top = 80 * Math.max(t1, t2);
      const direct = gaussLegendre(
        (w) => w ** 4 * (n(w, t1) * (1 + n(w, t2)) + n(w, t2) * (1 + n(w, t1))),
        0,
        top,
        400,
      );
      expect(rel(exchangeNoiseIntegral(t1, t2), direct)).toBeLessThan(1e-10);
      const a = (15 / Math.PI ** 4) * gaussLegendre((w) => w ** 3 * (n(w, t1) - n(w, t2)), 0, top, 400);
      expect(rel(a, t1 ** 4 - t2 ** 4)).toBeLessThan(1e-10);
    }
  });

  it("reproduces the accuracy of eqs. 13 and A.6 stated in docs/corrections.md", () => {
    let maxF = 0,
      maxB = 0,
      at07 = 0;
    for (let k = 0; k <= 1000; k++) {
      const r = k / 1000;
      const exact = exactExchangeNoise(1, 1, r);
      const f = Math.abs(fermiNoiseApprox(1, 1, r) / exact - 1);
      maxF = Math.max(maxF, f);
      maxB = Math.max(maxB, Math.abs(blackbodyNoiseApprox(1, 1, r) / exact - 1));
      if (r >= 0.7) at07 = Math.max(at07, f);
    }
    expect(maxF).toBeGreaterThan(0.043);
    expect(maxF).toBeLessThan(0.045); // "off by up to 4.4 %"
    expect(maxB).toBeGreaterThan(0.035);
    expect(maxB).toBeLessThan(0.037); // "(A.6) by up to 3.6 %"
    expect(at07).toBeLessThan(0.015); // "accurate to 1.5 % only for Td/Tc >= 0.7"
  });

  it("the simulation's interpolation table matches the quadrature to 1e-12", () => {
    const table = exchangeNoiseTable();
    const r = rng(3);
    for (let k = 0; k < 200; k++) {
      const t1 = 10 * r(),
        t2 = 10 * r();
      expect(rel(table(t1, t2), exchangeNoiseIntegral(t1, t2))).toBeLessThan(1e-12);
    }
  });
});

describe("mean steady state (Newton with safeguard)", () => {
  it("solves a strongly nonlinear custom chain and conserves the current", () => {
    // A = sinh(E_i) - sinh(E_j): far from the linear start, Newton needs the line search.
    const model = customModel({
      current: (a, b) => Math.sinh(a) - Math.sinh(b),
      noise: (a, b) => Math.cosh(a) + Math.cosh(b),
    });
    const M = 6;
    const ss = solveMeanSteadyState({ model, M, left: -6, right: 8 });
    const x = [-6, ...ss.states, 8];
    const currents = x.slice(0, -1).map((v, k) => Math.sinh(v) - Math.sinh(x[k + 1]));
    for (const c of currents) expect(rel(c, currents[0])).toBeLessThan(1e-10);
    // Exact: sinh(E_i) linear in i.
    for (let i = 1; i <= M; i++)
      expect(
        rel(Math.sinh(ss.states[i - 1]), Math.sinh(-6) + ((Math.sinh(8) - Math.sinh(-6)) * i) / (M + 1)),
      ).toBeLessThan(1e-10);
  });

  it("stays in the domain and reports a model whose fluctuations do not relax", () => {
    // A increasing in the receiver's energy: mean state exists (linear), but R has a growing mode.
    const bad = customModel({ current: (a, b) => a + 2 * b, noise: () => 1, linearA: false });
    expect(() => energyCorrelations({ model: bad, M: 2, left: 1, right: 2 })).toThrow(SteadyStateError);
  });
});

describe("bound of eq. 15", () => {
  it("holds for the ideal gas (eq. 4 exact) over random baths, with tau = 1/|slowest eigenvalue|", () => {
    const r = rng(9);
    for (let trial = 0; trial < 50; trial++) {
      const t0 = 0.05 + 10 * r(),
        t3 = 0.05 + 10 * r();
      const ec = energyCorrelations({
        model: idealGas({ Cv: 1 + 5 * r(), N: 1, gamma: 1 }),
        M: 2,
        left: t0,
        right: t3,
      });
      const b = ec.bound!;
      expect(b.fdrDeviation).toBeLessThan(1e-12);
      expect(b.monotoneCurrents).toBe(true);
      expect(b.holds).toBe(true);
      expect(b.correlation).toBeLessThanOrEqual(b.appendixB * (1 + 1e-12));
      expect(b.current).toBeCloseTo(Math.abs(ec.currents[1]), 12);
      // R = (k/Cv) [[-2, 1], [1, -2]]: eigenvalues -k/Cv and -3k/Cv, tau = Cv/k = N/gamma = 1.
      expect(b.tau).toBeCloseTo(1, 12);
    }
  });

  it("holds for the quantum and exclusion models with their own beta", () => {
    for (const model of [fermiGas({}), blackbody({}), fermiGas({ noise: "approx" }), exclusionProcess({})]) {
      for (const d of [0.1, 0.5, 0.9]) {
        const [l, rt] = model.kind === "ssep" ? [0.5 - d / 2, 0.5 + d / 2] : [1, 1 + 5 * d];
        const ec = energyCorrelations({ model, M: 2, left: l, right: rt });
        expect(ec.bound!.holds).toBe(true);
      }
    }
  });
});

describe("bad input", () => {
  it("rejects negative temperatures, densities outside [0, 1] and M < 1 with clear messages", () => {
    expect(() => energyCorrelations({ model: idealGas(), M: 2, left: -1, right: 2 })).toThrow(
      /left bath temperature \(node 0\) \(kB = 1\) must be a number in \[1e-6, 1e6\], got -1/,
    );
    expect(() => energyCorrelations({ model: fermiGas(), M: 2, left: 1, right: 0 })).toThrow(ModelError);
    expect(() => energyCorrelations({ model: exclusionProcess(), M: 2, left: 0.2, right: 1.5 })).toThrow(
      /density in \[0, 1\]/,
    );
    expect(() => energyCorrelations({ model: exclusionProcess(), M: 2, left: -0.1, right: 0.5 })).toThrow(ModelError);
    expect(() => energyCorrelations({ model: idealGas(), M: 0, left: 1, right: 2 })).toThrow(/M .*>= 1/);
    expect(() => energyCorrelations({ model: idealGas(), M: 2.5, left: 1, right: 2 })).toThrow(ModelError);
    expect(() => idealGas({ Cv: -1 })).toThrow(
      /Cv \(heat capacity of a subsystem\) must be a number in \[1e-6, 1e15\], got -1/,
    );
    expect(() => fermiGas({ noise: "bad" as "exact" })).toThrow(ModelError);
  });
});
