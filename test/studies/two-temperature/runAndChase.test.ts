import { describe, expect, it } from "vitest";
import {
  chaseVelocityProfile,
  runAndChaseExact,
  runAndChaseModel,
  runAndChaseTimeStep,
  simulateRunAndChase,
  validateRunAndChaseParams,
} from "../../../src/studies/two-temperature/index.js";

const within = (m: { value: number; error: number }, exact: number, k = 4) => {
  expect(m.error).toBeGreaterThan(0);
  expect(Math.abs(m.value - exact) / m.error, `${m.value} ± ${m.error} vs ${exact}`).toBeLessThan(k);
};

describe("run-and-chase, exact (quadrature over the Boltzmann law of the separation)", () => {
  it("1D: the mean force against its closed form 2 Tm (1 - exp(-a)) / Z, a = k / (2 Tm)", () => {
    // In 1D the force integral is elementary; the normalisation Z is checked against a fine midpoint rule.
    const p = { dimension: 1 as const, Thot: 1.3, Tcold: 0.2, stiffness: 7, range: 0.8, box: 2.5 };
    const e = runAndChaseExact(p);
    const Tm = (p.Thot + p.Tcold) / 2,
      a = p.stiffness / (2 * Tm);
    let inside = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const u = (i + 0.5) / n;
      inside += Math.exp(-a * (1 - u) ** 2) / n;
    }
    const Z = p.box - 2 * p.range + 2 * p.range * inside;
    expect(e.meanForce).toBeCloseTo((2 * Tm * (1 - Math.exp(-a))) / Z, 9);
    expect(e.contactProbability).toBeCloseTo((2 * p.range * inside) / Z, 9);
    // The reported error estimate is honest: at least as large as the actual error, and small.
    const actual = Math.abs(e.meanForce - (2 * Tm * (1 - Math.exp(-a))) / Z) / e.meanForce;
    expect(e.quadratureError).toBeLessThan(1e-9);
    expect(actual).toBeLessThan(Math.max(10 * e.quadratureError, 1e-9));
  });

  it("no chase, no heat flow and no entropy production at equal temperatures; sigma >= 0 and symmetric in T", () => {
    const eq = runAndChaseExact({ Thot: 0.7, Tcold: 0.7 });
    expect(eq.chaseVelocity).toBe(0);
    expect(eq.heatFromHotBath).toBe(0);
    expect(eq.entropyProduction).toBe(0);
    for (const d of [1, 2, 3] as const) {
      const a = runAndChaseExact({ dimension: d, Thot: 2, Tcold: 0.5 });
      const b = runAndChaseExact({ dimension: d, Thot: 0.5, Tcold: 2 });
      expect(a.entropyProduction).toBeGreaterThan(0);
      expect(b.entropyProduction).toBeCloseTo(a.entropyProduction, 12);
      // Swapping the temperatures reverses the chase (e then points from the cold to the hot particle).
      expect(b.chaseVelocity).toBeCloseTo(-a.chaseVelocity, 12);
    }
    expect(chaseVelocityProfile({ Thot: 1, Tcold: 0.1, stiffness: 10, range: 1 }, 0.5)).toBeCloseTo(
      (0.9 / 1.1) * 5,
      12,
    );
    expect(chaseVelocityProfile({}, 1.2)).toBe(0);
  });

  it("validates parameters with messages naming them", () => {
    expect(() => validateRunAndChaseParams({ dimension: 4 as 1 })).toThrow(
      /dimension \(spatial dimension\) must be 1, 2 or 3, got 4/,
    );
    expect(() => validateRunAndChaseParams({ Tcold: 0 })).toThrow(
      /Tcold \(temperature of the cold particle \(kB = 1\)\) must be a number in \[1e-6, 1e6\], got 0/,
    );
    expect(() => validateRunAndChaseParams({ box: 1.5, range: 1 })).toThrow(
      /box 1.5 must be at least twice the range 1/,
    );
    expect(runAndChaseModel({ dimension: 3 }).dimension).toBe(3);
  });
});

describe("run-and-chase, simulated (stochastic engine, fixed seeds) against the exact quadrature", () => {
  // Run lengths: the chase velocity is resolved to more than 10 error bars (at these seeds 35, 19 and 17), every
  // other signed quantity to more than 4 (at least 23).
  for (const [d, time] of [
    [1, 375],
    [2, 375],
    [3, 1500],
  ] as const) {
    it(`${d}D, T_hot / T_cold = 10: chase velocity, mean force, heat flows and entropy production within 4 error bars`, () => {
      const p = { dimension: d, Thot: 1, Tcold: 0.1 };
      const e = runAndChaseExact(p);
      const s = simulateRunAndChase(p, { time, replicas: 4, seed: 10 + d });
      within(s.chaseVelocity, e.chaseVelocity);
      for (const [m, x] of [
        [s.meanForce, e.meanForce],
        [s.heatFromHotBath, e.heatFromHotBath],
        [s.heatFromColdBath, -e.heatFromHotBath],
        [s.entropyProduction, e.entropyProduction],
      ] as const) {
        expect(Math.abs(x) / m.error, "resolved").toBeGreaterThan(4);
        within(m, x);
      }
      // The run-and-chase velocity is resolved, and the centre of mass itself does not drift.
      expect(s.chaseVelocity.value / s.chaseVelocity.error).toBeGreaterThan(10);
      within(s.centreOfMassDrift, 0);
    });
  }

  it("2D at equal temperatures (a nonlinear model in equilibrium): no chase, no heat flow, no entropy production", () => {
    const p = { dimension: 2 as const, Thot: 0.4, Tcold: 0.4 };
    const e = runAndChaseExact(p);
    const s = simulateRunAndChase(p, { time: 1500, replicas: 4, seed: 7 });
    within(s.chaseVelocity, 0);
    within(s.heatFromHotBath, 0);
    within(s.entropyProduction, 0);
    within(s.meanForce, e.meanForce);
  });
});

describe("run-and-chase with unequal mobilities (mu = 1/gamma per particle), exact", () => {
  const base = { Thot: 1.3, Tcold: 0.2, stiffness: 7, range: 0.8, box: 2.5 };

  it("unit mobilities reproduce the equal-mobility results bit for bit; mu1 = mu2 = mu rescales time only", () => {
    for (const d of [1, 2, 3] as const) {
      const {
        parameters: _a,
        effectiveTemperature: _b,
        chaseCoefficient: _c,
        itoChaseVelocity,
        ...unit
      } = runAndChaseExact({ ...base, dimension: d, muHot: 1, muCold: 1 });
      const {
        parameters: _d,
        effectiveTemperature: _e,
        chaseCoefficient: _f,
        itoChaseVelocity: _g,
        ...plain
      } = runAndChaseExact({ ...base, dimension: d });
      expect(unit).toEqual(plain);
      expect(itoChaseVelocity).toBe(0);
      // The pre-mobility formulas, written out: (T1 - T2)/(T1 + T2) <F>, <F^2> (T1 - T2)^2 / (T1 T2 (T1 + T2)).
      expect(unit.chaseVelocity).toBe(((base.Thot - base.Tcold) / (base.Thot + base.Tcold)) * unit.meanForce);
      expect(unit.entropyProduction).toBe(
        (unit.meanSquaredForce * (base.Thot - base.Tcold) ** 2) / (base.Thot * base.Tcold * (base.Thot + base.Tcold)),
      );
      // mu1 = mu2 = 2.5: the same stationary law (T_eff = (T1 + T2)/2), every rate 2.5 times larger.
      const fast = runAndChaseExact({ ...base, dimension: d, muHot: 2.5, muCold: 2.5 });
      expect(fast.effectiveTemperature).toBeCloseTo((base.Thot + base.Tcold) / 2, 14);
      expect(fast.meanForce / unit.meanForce).toBeCloseTo(1, 13);
      expect(fast.chaseVelocity / unit.chaseVelocity).toBeCloseTo(2.5, 12);
      expect(fast.heatFromHotBath / unit.heatFromHotBath).toBeCloseTo(2.5, 12);
      expect(fast.entropyProduction / unit.entropyProduction).toBeCloseTo(2.5, 12);
      expect(fast.itoChaseVelocity).toBe(0);
    }
    expect(runAndChaseTimeStep(validateRunAndChaseParams({}))).toBe(Math.min(0.001, 0.02 / 10));
  });

  it("1D: <F> at T_eff = (mu1 T1 + mu2 T2)/(mu1 + mu2) against its closed form 2 T_eff (1 - exp(-k / (2 T_eff))) / Z", () => {
    for (const [muHot, muCold] of [
      [3, 1],
      [1, 3],
      [0.2, 5],
    ]) {
      const p = { ...base, dimension: 1 as const, muHot, muCold };
      const e = runAndChaseExact(p);
      const Te = (muHot * p.Thot + muCold * p.Tcold) / (muHot + muCold),
        a = p.stiffness / (2 * Te);
      expect(e.effectiveTemperature).toBeCloseTo(Te, 14);
      let inside = 0;
      const n = 200000;
      for (let i = 0; i < n; i++) inside += Math.exp(-a * (1 - (i + 0.5) / n) ** 2) / n;
      const Z = p.box - 2 * p.range + 2 * p.range * inside;
      expect(e.meanForce).toBeCloseTo((2 * Te * (1 - Math.exp(-a))) / Z, 9);
      const c = (muHot * muCold * (p.Thot - p.Tcold)) / (muHot * p.Thot + muCold * p.Tcold);
      expect(e.chaseCoefficient).toBeCloseTo(c, 14);
      expect(e.chaseVelocity).toBeCloseTo(c * e.meanForce, 13);
      expect(e.itoChaseVelocity).toBeCloseTo(((muCold - muHot) * e.meanForce) / 2, 13);
      // Energy balance: sigma = Q_hot (1/T_cold - 1/T_hot).
      expect(e.entropyProduction).toBeCloseTo(e.heatFromHotBath * (1 / p.Tcold - 1 / p.Thot), 10);
    }
  });

  it("relabelling the particles (hot <-> cold with their mobilities) reverses e: chase velocities change sign, sigma does not", () => {
    for (const d of [1, 2, 3] as const) {
      const a = runAndChaseExact({ ...base, dimension: d, muHot: 3, muCold: 0.5 });
      const b = runAndChaseExact({ ...base, dimension: d, Thot: base.Tcold, Tcold: base.Thot, muHot: 0.5, muCold: 3 });
      expect(b.effectiveTemperature).toBeCloseTo(a.effectiveTemperature, 14);
      expect(b.meanForce).toBeCloseTo(a.meanForce, 12);
      expect(b.chaseVelocity).toBeCloseTo(-a.chaseVelocity, 12);
      expect(b.itoChaseVelocity).toBeCloseTo(-a.itoChaseVelocity, 12);
      expect(b.entropyProduction).toBeCloseTo(a.entropyProduction, 10);
    }
  });

  it("an almost immobile cold particle is a fixed obstacle: the hot one equilibrates with it (T_eff -> T_hot, no heat flow)", () => {
    const e = runAndChaseExact({ ...base, muHot: 1, muCold: 1e-6 });
    expect(e.effectiveTemperature).toBeCloseTo(base.Thot, 5);
    expect(Math.abs(e.chaseVelocity) / e.meanForce).toBeLessThan(1e-5);
    expect(Math.abs(e.entropyProduction) / e.meanSquaredForce).toBeLessThan(1e-4);
    expect(e.itoChaseVelocity / e.meanForce).toBeCloseTo(-0.5, 5);
  });

  it("builds the pair with frictions 1/mu and validates the mobilities", () => {
    const m = runAndChaseModel({ muHot: 4, muCold: 0.5 });
    expect(m.species.map((s) => s.friction)).toEqual([0.25, 2]);
    expect(() => validateRunAndChaseParams({ muCold: 0 })).toThrow(
      /muCold \(mobility mu_cold = 1\/gamma_cold of the cold particle.*must be a number in \[1e-6, 1e6\], got 0/,
    );
    expect(() => validateRunAndChaseParams({ stiffness: 1e6, Thot: 1e-6, Tcold: 1e-6 })).toThrow(
      /at most 1e6 times the mean temperature/,
    );
  });
});

describe("run-and-chase with unequal mobilities, simulated (stochastic engine, fixed seeds) against the closed forms", () => {
  // mu1/mu2 = 3 and 1/3 at T_hot/T_cold = 10: every formula resolved (|exact| > 10 error bars). dt = 0.001: the
  // separation's stiffest rate (mu1 + mu2) k / range^2 times dt is 0.04.
  const cases = [
    { dimension: 1 as const, muHot: 3, muCold: 1, seed: 31 },
    { dimension: 1 as const, muHot: 1, muCold: 3, seed: 32 },
    { dimension: 2 as const, muHot: 1, muCold: 3, seed: 33 },
  ];
  for (const { seed, ...c } of cases) {
    it(`${c.dimension}D, mu_hot/mu_cold = ${c.muHot}/${c.muCold}: T_eff Boltzmann law, chase (Stratonovich and Ito), heat, sigma`, () => {
      const p = { ...c, Thot: 1, Tcold: 0.1 };
      const e = runAndChaseExact(p);
      const s = simulateRunAndChase(p, { time: 400, replicas: 4, dt: 0.001, seed });
      // The separation is Boltzmann at T_eff: <F> agrees there, and not at the unit-mobility temperature (T1 + T2)/2.
      within(s.meanForce, e.meanForce);
      const atMean = runAndChaseExact({ ...p, muHot: 1, muCold: 1 });
      expect(Math.abs(s.meanForce.value - atMean.meanForce) / s.meanForce.error).toBeGreaterThan(10);
      for (const [m, x] of [
        [s.chaseVelocity, e.chaseVelocity],
        [s.itoChaseVelocity!, e.itoChaseVelocity],
        [s.heatFromHotBath, e.heatFromHotBath],
        [s.heatFromColdBath, -e.heatFromHotBath],
        [s.entropyProduction, e.entropyProduction],
      ] as const) {
        expect(Math.abs(x) / m.error, "resolved").toBeGreaterThan(4);
        within(m, x);
      }
      within(s.centreOfMassDrift, 0);
    });
  }

  it("the engine reports the Ito chase velocity only when the frictions differ (at equal ones it is zero by symmetry)", () => {
    const s = simulateRunAndChase({ dimension: 1 }, { time: 5, replicas: 2, seed: 1 });
    expect(s.itoChaseVelocity).toBeUndefined();
    expect(s.result.estimates.some((m) => m.name.includes("(Ito)"))).toBe(false);
  });
});
