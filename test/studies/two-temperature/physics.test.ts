import { describe, expect, it } from "vitest";
import {
  currentChiSquare,
  exactPairField,
  fieldRows,
  pairClosedForm,
  pairExact,
  pairGridRange,
  ratchetCurrent,
  runRatchetDrift,
  simulatePair,
  validatePairParams,
} from "../../../src/studies/two-temperature/index.js";

const CASES = [
  { k: 1, lambda: 1, T1: 5, T2: 1 },
  { k: 2.5, lambda: 0.3, T1: 0.4, T2: 3 },
  { k: 0.7, lambda: 1.9, T1: 1.3, T2: 1.3 },
];

describe("harmonic pair, exact (Metzger's lecture notes, Section 4.1, docs/corrections.md)", () => {
  it.each(CASES)("exact engine = closed forms at %o", (p) => {
    const e = pairExact(p);
    const c = pairClosedForm(p);
    expect(e.residual).toBeLessThan(1e-12);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) expect(e.covariance[i][j]).toBeCloseTo(c.covariance[i][j], 12);
    // Per dimension: sigma = k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)), three ways.
    const sigma = (p.k ** 2 * (p.T1 - p.T2) ** 2) / (2 * p.T1 * p.T2 * (p.k + p.lambda));
    expect(e.entropyProductionClosedForm).toBeCloseTo(sigma, 14);
    expect(e.entropyProduction).toBeCloseTo(sigma, 12);
    expect(e.entropyProductionLinear).toBeCloseTo(sigma, 12);
    // Heat: k^2 (T1 - T2) / (2 (k + lambda)) leaves bath 1 and enters bath 2; sigma = -sum Q_i / T_i.
    const J = (p.k ** 2 * (p.T1 - p.T2)) / (2 * (p.k + p.lambda));
    expect(e.heatFromBath[0]).toBeCloseTo(J, 12);
    expect(e.heatIntoBath[1]).toBeCloseTo(J, 12);
    expect(e.heatIntoBath[0] + e.heatIntoBath[1]).toBeCloseTo(0, 12);
    expect(e.heatIntoBath[0] / p.T1 + e.heatIntoBath[1] / p.T2).toBeCloseTo(sigma, 12);
    expect(e.areaRate).toBeCloseTo((p.k * (p.T1 - p.T2)) / (2 * (p.k + p.lambda)), 12);
  });

  it("the recitation's values: T1 = 5, T2 = 1, k = lambda = 1 give S = [[3, 1], [1, 1]] and sigma = 0.8", () => {
    const e = pairExact({ k: 1, lambda: 1, T1: 5, T2: 1 });
    expect(e.covariance[0][0]).toBeCloseTo(3, 12);
    expect(e.covariance[0][1]).toBeCloseTo(1, 12);
    expect(e.covariance[1][1]).toBeCloseTo(1, 12);
    expect(e.entropyProduction).toBeCloseTo(0.8, 12);
  });

  it("the exact density is normalised and the exact current is divergence-free; it vanishes at equal temperatures", () => {
    const e = pairExact({ k: 1.3, lambda: 0.6, T1: 4, T2: 0.5 });
    const range = pairGridRange(e, 6);
    const n = 200;
    const f = exactPairField(e, range, [n, n]);
    const h1 = (range[0][1] - range[0][0]) / n,
      h2 = (range[1][1] - range[1][0]) / n;
    const mass = f.density.flat().reduce((s, v) => s + v, 0) * h1 * h2;
    expect(mass).toBeCloseTo(1, 6);
    let worst = 0,
      scale = 0;
    for (let j = 1; j < n - 1; j++)
      for (let i = 1; i < n - 1; i++) {
        const div =
          (f.current1[j][i + 1] - f.current1[j][i - 1]) / (2 * h1) +
          (f.current2[j + 1][i] - f.current2[j - 1][i]) / (2 * h2);
        worst = Math.max(worst, Math.abs(div));
        scale = Math.max(scale, Math.abs(f.current1[j][i]) / h1);
      }
    expect(worst / scale).toBeLessThan(1e-3);
    const eq = exactPairField(pairExact({ k: 1.3, lambda: 0.6, T1: 2, T2: 2 }), range, [20, 20]);
    const peak = Math.max(...eq.density.flat());
    for (const v of [...eq.current1.flat(), ...eq.current2.flat()]) expect(Math.abs(v)).toBeLessThan(1e-12 * peak);
  });

  it("refuses parameters without a steady state, naming the parameter", () => {
    expect(() => validatePairParams({ lambda: 0 })).toThrow(
      /lambda .* must be a number in \[1e-6, 1e6\], got 0 \(without a trap/,
    );
    expect(() => validatePairParams({ T1: Number.NaN })).toThrow(/T1 .* must be a number in \[1e-6, 1e6\], got NaN/);
  });
});

describe("harmonic pair, simulated (stochastic engine, fixed seed)", () => {
  it("entropy production, heat flows and covariance within 4 error bars of the exact values; density and current too", () => {
    const p = { k: 1, lambda: 1, T1: 5, T2: 1 };
    const e = pairExact(p);
    const s = simulatePair(p, { time: 400, replicas: 8, seed: 3, bins: 16 });
    // The Stratonovich estimators' time-step bias (~ -0.36 rate dt, docs/stochastic.md) is far below an error bar.
    expect(0.36 * (2 * p.k + p.lambda) * s.result.dt * e.entropyProduction).toBeLessThan(
      0.5 * s.entropyProduction.error,
    );
    const within = (m: { value: number; error: number }, exact: number) => {
      expect(m.error).toBeGreaterThan(0);
      expect(Math.abs(m.value - exact) / m.error).toBeLessThan(4);
    };
    within(s.entropyProduction, e.entropyProduction);
    expect(s.entropyProduction.error / e.entropyProduction).toBeLessThan(0.1);
    within(s.heatFromBath[0], e.heatFromBath[0]);
    within(s.heatFromBath[1], e.heatFromBath[1]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) within(s.covariance[i][j], e.covariance[i][j]);
    // Field: chi-square of (simulated - exact) / error over well-sampled bins (cell centres; the cells are 0.44 sd wide).
    const rows = fieldRows(s.field);
    const ex = exactPairField(e, s.field.range, s.field.bins);
    const peak = Math.max(...ex.density.flat());
    let chi2 = 0,
      dof = 0;
    rows.x2.forEach((_, j) =>
      rows.x1.forEach((_, i) => {
        if (ex.density[j][i] < 0.05 * peak) return;
        for (const [sim, err, exact] of [
          [rows.density[j][i], rows.densityError[j][i], ex.density[j][i]],
          [rows.current1[j][i], rows.current1Error[j][i], ex.current1[j][i]],
          [rows.current2[j][i], rows.current2Error[j][i], ex.current2[j][i]],
        ]) {
          chi2 += ((sim - exact) / err) ** 2;
          dof++;
        }
      }),
    );
    expect(dof).toBeGreaterThan(200);
    expect(chi2 / dof).toBeLessThan(1 + 4 * Math.sqrt(2 / dof));
    // The current is clearly nonzero (against zero, the chi-square is many times its expectation).
    const c = currentChiSquare(s.field);
    expect(c.chi2 / c.bins).toBeGreaterThan(3);
  });

  it("equal temperatures: no probability current and no entropy production, within error bars", () => {
    const p = { k: 1, lambda: 1, T1: 2, T2: 2 };
    const s = simulatePair(p, { time: 200, replicas: 8, seed: 5, bins: 16 });
    const c = currentChiSquare(s.field);
    expect(c.bins).toBeGreaterThan(100);
    expect(c.chi2 / c.bins).toBeLessThan(1 + 4 * Math.sqrt(2 / c.bins));
    expect(Math.abs(s.entropyProduction.value) / s.entropyProduction.error).toBeLessThan(4);
    expect(Math.abs(s.heatFromBath[0].value) / s.heatFromBath[0].error).toBeLessThan(4);
  });
});

describe("ratchet (Metzger's lecture notes, Section 3.2)", () => {
  it("no current and no entropy production at equal temperatures, within error bars", () => {
    for (const [T, seed] of [
      [0.3, 1],
      [1, 2],
    ]) {
      const r = ratchetCurrent({ Thot: T, Tcold: T }, { time: 300, replicas: 8, seed });
      for (const m of [r.hot, r.cold, r.entropyProduction]) {
        expect(m.error).toBeGreaterThan(0);
        expect(Math.abs(m.value) / m.error).toBeLessThan(4);
      }
    }
  });

  it("at T_hot != T_cold the pair produces entropy (the engine's Stratonovich estimator)", () => {
    const r = ratchetCurrent({ Thot: 1, Tcold: 0.05 }, { time: 100, replicas: 4, seed: 3 });
    expect(r.entropyProduction.value / r.entropyProduction.error).toBeGreaterThan(10);
  });

  it("the drift alone (runRatchetDrift, no pair-heat accounting) is the full run's drift, to the bit", async () => {
    const p = { Thot: 1, Tcold: 0.05 },
      o = { time: 10, replicas: 2, seed: 3 };
    const full = ratchetCurrent(p, o);
    const drift = await runRatchetDrift(p, o);
    expect(drift.centreOfMass).toEqual(full.centreOfMass);
    expect(drift.hot).toEqual(full.hot);
    expect(drift.cold).toEqual(full.cold);
    expect("entropyProduction" in drift).toBe(false);
  });

  it("a resolved centre-of-mass current for the asymmetric sawtooth, none for the symmetric one (parity)", () => {
    // Chosen for resolving power per step (the defaults resolve ~2.5 error bars squared per million steps, these ~20):
    // a hotter hot particle (T_hot/T_cold = 200) and a repulsion as long as the period, whose default time step
    // (0.1 range^2 / k = 0.002, the study's rule) is 4x the defaults'. k/2 = 25 >> T_hot: the pair cannot pass.
    // 8 x 400 000 steps per run; the drift, about -0.08, is resolved to about 8 error bars.
    const base = { Thot: 2, Tcold: 0.01, range: 1 };
    const asym = ratchetCurrent({ ...base, asymmetry: 0.8 }, { time: 800, replicas: 8, seed: 5 });
    expect(asym.dt).toBe(0.002);
    expect(asym.centreOfMass.error).toBeGreaterThan(0);
    expect(asym.centreOfMass.value / asym.centreOfMass.error).toBeLessThan(-4);
    // Both particles drift together.
    expect(Math.abs(asym.hot.value - asym.cold.value)).toBeLessThan(0.1 * Math.abs(asym.centreOfMass.value));
    const sym = ratchetCurrent({ ...base, asymmetry: 0.5 }, { time: 800, replicas: 8, seed: 6 });
    expect(sym.centreOfMass.error).toBeGreaterThan(0);
    expect(Math.abs(sym.centreOfMass.value) / sym.centreOfMass.error).toBeLessThan(4);
    // "Zero" is not just noise: the symmetric run resolves a current of 3/4 of the asymmetric one at 4 error bars, so
    // the assertion above bounds |v_sym| < 0.75 |v_asym| (seen: 4 error bars = 0.40 |v_asym|).
    expect(4 * sym.centreOfMass.error).toBeLessThan(0.75 * Math.abs(asym.centreOfMass.value));
  });

  it("refuses bad parameters, naming them", () => {
    expect(() => ratchetCurrent({ asymmetry: 1.5 })).toThrow(
      /asymmetry .* must be a number in \[1e-6, 0.999999\], got 1.5/,
    );
    expect(() => ratchetCurrent({ Tcold: -1 })).toThrow(
      /Tcold \(temperature of the cold particle \(kB = 1\)\) must be a number in \[1e-6, 1e6\], got -1/,
    );
    expect(() => ratchetCurrent({ box: 4.5 })).toThrow(/period 1 must divide the box length 4.5/);
  });
});
