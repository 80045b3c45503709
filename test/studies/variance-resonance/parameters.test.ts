// Parameter conversions (Section 3, Section 5.3) and validation messages.
import { describe, expect, it } from "vitest";
import { ModelError } from "../../../src/errors.js";
import {
  BOLTZMANN_SI,
  circuitToDimensionless,
  circuitToMechanical,
  dimensionlessToCircuit,
  dimensionlessToMechanical,
  mechanicalToDimensionless,
  normalModeFrequencies,
  physicalSteadyState,
  steadyState,
  sweep,
  toPhysicalMoments,
  validateDimensionless,
} from "../../../src/studies/variance-resonance/index.js";
import { parseSweep as parseRange, sweepValues as rangeValues } from "../../../src/studies/schema.js";

describe("mechanical <-> dimensionless (Section 3)", () => {
  const mech = {
    m: 1e-9,
    k1: 0.98,
    k2: 1.0,
    K: 0.01,
    gamma: (1e-9 * Math.sqrt(1 / 1e-9)) / 4000,
    T1: 300,
    T2: 3300,
    L: 1e-9,
    boltzmann: BOLTZMANN_SI,
  };

  it("maps k = k1/k2, k0 = K/k2, q = sqrt(k2 m)/gamma, T/T0 with T0 = k2 L^2 / kB, and back", () => {
    const { parameters: p, scales } = mechanicalToDimensionless(mech);
    expect(p.k).toBeCloseTo(0.98, 14);
    expect(p.k0).toBeCloseTo(0.01, 14);
    expect(p.q).toBeCloseTo(4000, 9);
    expect(scales.time).toBeCloseTo(Math.sqrt(mech.m / mech.k2), 20);
    expect(scales.temperature).toBeCloseTo((mech.k2 * mech.L ** 2) / BOLTZMANN_SI, 9);
    expect(p.T2 / p.T1).toBeCloseTo(11, 12);
    const back = dimensionlessToMechanical(p, { m: mech.m, k2: mech.k2, L: mech.L, boltzmann: BOLTZMANN_SI });
    for (const key of ["m", "k1", "k2", "K", "gamma", "T1", "T2", "L"] as const) {
      expect(back[key] / mech[key]).toBeCloseTo(1, 12);
    }
  });

  it("physical variances do not depend on the length scale L", () => {
    const a = physicalSteadyState(mech).physical;
    const b = physicalSteadyState({ ...mech, L: 3.7e-6 }).physical;
    for (const key of Object.keys(a) as (keyof typeof a)[]) expect(b[key]! / a[key]!).toBeCloseTo(1, 9);
    // Equipartition away from the resonance: <x1^2> ~ kB T1 / k1-ish, <v1^2> = kB T1 / m.
    const off = physicalSteadyState({ ...mech, k1: 0.5 }).physical;
    expect(off.v1v1 / ((BOLTZMANN_SI * mech.T1) / mech.m)).toBeCloseTo(1, 1);
  });

  it("refuses bad physical parameters with the field's name", () => {
    expect(() => mechanicalToDimensionless({ ...mech, m: 0 })).toThrow(/m \(mass\) must be > 0/);
    expect(() => mechanicalToDimensionless({ ...mech, gamma: -1 })).toThrow(/gamma \(friction\) must be > 0/);
    expect(() => mechanicalToDimensionless({ ...mech, L: NaN })).toThrow(/L \(length scale\) must be a finite number/);
    expect(() => mechanicalToDimensionless({ ...mech, T2: -3 })).toThrow(ModelError);
  });

  it("a dimensionless parameter that over- or underflows names the inputs it came from, never 'Infinity' or 0", () => {
    const unit = { m: 1, k1: 2, k2: 2.1, K: 0.01, gamma: 0.001, T1: 1, T2: 3, L: 1 };
    const message = (p: typeof unit) => {
      try {
        mechanicalToDimensionless(p);
      } catch (err) {
        expect(err).toBeInstanceOf(ModelError);
        return (err as Error).message;
      }
      return "accepted";
    };
    const over = message({ ...unit, k1: 1e300, k2: 1e-10 });
    expect(over).toContain("k = k1/k2 overflows");
    expect(over).toContain("k1 = 1e+300, k2 = 1e-10");
    expect(over).not.toMatch(/Infinity|NaN/);
    // k1/k2 = 1e-400 would have been read as k = 0, a legal value (oscillator 1 unpinned).
    expect(message({ ...unit, k1: 1e-300, k2: 1e100, K: 1e99 })).toContain("k = k1/k2 underflows to 0");
    expect(message({ ...unit, K: 1e-300, k2: 1e100, k1: 1e99 })).toContain("k0 = K/k2 underflows to 0");
    // k1 = 0 is a zero k, not an underflow.
    expect(mechanicalToDimensionless({ ...unit, k1: 0 }).parameters.k).toBe(0);
    // sqrt(k2 m) overflowed for k2 = m = 1e300 though q = sqrt(k2 m)/gamma = 1 (k = k0 = 1).
    const big = mechanicalToDimensionless({
      ...unit,
      m: 1e300,
      k1: 1e300,
      k2: 1e300,
      K: 1e300,
      gamma: 1e300,
      T1: 1e300,
      T2: 3e300,
    });
    expect(big.parameters.q).toBeCloseTo(1, 12);
  });
});

describe("units that overflow or underflow", () => {
  it("name the unit and say overflows / underflows, never 'Infinity'", () => {
    const mech = { m: 1, k1: 1, k2: 1, K: 0.01, gamma: 0.1, T1: 1, T2: 2, L: 1, boltzmann: 1 };
    const message = (over: Record<string, number>) => {
      try {
        mechanicalToDimensionless({ ...mech, ...over });
      } catch (e) {
        expect(e).toBeInstanceOf(ModelError);
        return (e as Error).message;
      }
      return "";
    };
    const big = message({ L: 1e200 });
    expect(big).toContain("the energy unit k2 L^2 overflows (above 1.8e308");
    expect(big).not.toMatch(/Infinity/);
    const hot = message({ boltzmann: 1e-320 });
    expect(hot).toContain("the temperature unit T0 = k2 L^2/kB overflows");
    expect(hot).not.toMatch(/Infinity/);
    const small = message({ L: 1e-200 });
    expect(small).toContain("the energy unit k2 L^2 underflows to 0");
  });
});

describe("the RLC analog (Section 5.3)", () => {
  const circuit = { inductance: 1e-3, resistance: 0.05, C1: 1.02e-9, C2: 1e-9, C: 1e-7, T1: 4, T2: 300 };

  it("a capacitor whose inverse overflows, or a q that overflows, is named with its value", () => {
    expect(() => circuitToDimensionless({ ...circuit, C1: 1e-320 })).toThrow("C1 = 1e-320 is too small");
    expect(() => circuitToDimensionless({ ...circuit, inductance: 1e300, resistance: 1e-300 })).toThrow(
      "q = sqrt(inductance/C2)/resistance overflows (above 1.8e308, the largest double) (from inductance = 1e+300, C2 = 1e-9, resistance = 1e-300)",
    );
  });

  it("maps L <-> m, 1/C_i <-> k_i, 1/C <-> K, R <-> gamma; round trip", () => {
    const mech = circuitToMechanical(circuit);
    expect(mech.m).toBe(1e-3);
    expect(mech.k1).toBeCloseTo(1 / 1.02e-9, 3);
    expect(mech.K).toBeCloseTo(1e7, 3);
    expect(mech.gamma).toBe(0.05);
    const { parameters: p } = circuitToDimensionless(circuit);
    expect(p.k).toBeCloseTo(1 / 1.02, 12);
    expect(p.k0).toBeCloseTo(0.01, 12);
    expect(p.q).toBeCloseTo(Math.sqrt(1e-3 / 1e-9) / 0.05, 8);
    expect(p.T1).toBeCloseTo(1, 12); // default charge unit sqrt(kB T1 C2)
    const back = dimensionlessToCircuit(p, { inductance: 1e-3, C2: 1e-9, chargeScale: mech.L });
    for (const key of ["inductance", "resistance", "C1", "C2", "C", "T1", "T2"] as const) {
      expect(back[key] / circuit[key]).toBeCloseTo(1, 10);
    }
  });

  it("at equal noise temperatures: <q q^T> = kB T (capacitance matrix), <I^2> = kB T / L", () => {
    const T = 77;
    const c = { ...circuit, T1: T, T2: T };
    const { parameters, scales } = circuitToDimensionless(c);
    const phys = toPhysicalMoments(steadyState(parameters), scales);
    const a = 1 / c.C1 + 1 / c.C,
      b = 1 / c.C2 + 1 / c.C,
      off = 1 / c.C;
    const det = a * b - off * off;
    const kT = BOLTZMANN_SI * T;
    expect(phys.x1x1 / ((kT * b) / det)).toBeCloseTo(1, 8);
    expect(phys.x1x2 / ((kT * off) / det)).toBeCloseTo(1, 8);
    expect(phys.x2x2 / ((kT * a) / det)).toBeCloseTo(1, 8);
    expect(phys.v1v1 / (kT / c.inductance)).toBeCloseTo(1, 8);
    expect(phys.v2v2 / (kT / c.inductance)).toBeCloseTo(1, 8);
  });

  it("refuses a non-positive capacitor", () => {
    expect(() => circuitToDimensionless({ ...circuit, C: 0 })).toThrow(/C \(coupling capacitor\) must be > 0/);
  });
});

describe("validation of the dimensionless parameters and ranges", () => {
  const ok = { k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 };
  it("names the bad parameter", () => {
    expect(() => validateDimensionless({ ...ok, q: 0 })).toThrow(
      /q = Q2 \(the quality factor\) must be a number in \[0.001, 1e12\], got 0/,
    );
    expect(() => validateDimensionless({ ...ok, q: -5 })).toThrow(ModelError);
    expect(() => validateDimensionless({ ...ok, k0: -0.1 })).toThrow(
      /k0 = K\/k2 \(the coupling\) must be 0 or a number in \[1e-100, 1e6\], got -0.1/,
    );
    expect(() => validateDimensionless({ ...ok, T1: -1 })).toThrow(
      /T1 must be 0 or a number in \[1e-100, 1e100\], got -1/,
    );
    expect(() => validateDimensionless({ ...ok, k: Infinity })).toThrow(
      /k = k1\/k2 must be 0 or a number in \[1e-100, 1e6\], got Infinity/,
    );
    expect(() => validateDimensionless({ ...ok, T2: 1e308 })).toThrow(
      /T2 must be 0 or a number in \[1e-100, 1e100\], got 1e\+308/,
    );
    expect(() => validateDimensionless({ ...ok, q: 1e-12 })).toThrow(/got 1e-12/);
    expect(validateDimensionless({ ...ok, T1: 0 }).T1).toBe(0); // a noiseless damper
    expect(() => validateDimensionless({ ...ok, k: 0, k0: 0 })).toThrow(/neither pinned nor coupled/);
    expect(validateDimensionless({ ...ok, k: 0 }).k).toBe(0); // held by the coupling alone: still a steady state
    // Below 1e-100 the variance T1 (1 + k0) / k0 at k = 0 overflowed (T1 = 1e100, k0 = 1e-250: Infinity).
    expect(() => validateDimensionless({ ...ok, k0: 1e-250 })).toThrow(
      /k0 .* must be 0 or a number in \[1e-100, 1e6\]/,
    );
    expect(() => validateDimensionless({ ...ok, k: 5e-324 })).toThrow(/got 5e-324/);
  });

  it("parses start:stop:count[:log] and refuses bad ranges", () => {
    expect(parseRange("0.5", "--k")).toBe(0.5);
    const r = parseRange("0:2:2001", "--k");
    expect(r).toEqual({ start: 0, stop: 2, count: 2001, spacing: "linear" });
    const v = rangeValues(r as Exclude<typeof r, number>);
    expect(v.length).toBe(2001);
    expect(v[1000]).toBeCloseTo(1, 14);
    const lg = rangeValues(parseRange("1e-3:10:5:log", "--k0") as Exclude<typeof r, number>);
    expect(Array.from(lg, (x) => Math.round(Math.log10(x)))).toEqual([-3, -2, -1, 0, 1]);
    expect(() => parseRange("0:2:1", "--k")).toThrow(/--k: a range needs an integer count >= 2/);
    expect(() => parseRange("0:2:2.5", "--k")).toThrow(/integer count >= 2/);
    expect(() => parseRange("1:1:10", "--k")).toThrow(/starts and stops at the same value/);
    expect(() => parseRange("0:2", "--k")).toThrow(/neither a number nor a range/);
    expect(() => parseRange("a:2:3", "--k")).toThrow(/--k \(range start\) must be a number, got 'a'/);
    expect(() => parseRange("0:1:10:log", "--k")).toThrow(/log range needs positive/);
  });

  it("a sweep that crosses into bad values names the first bad one", () => {
    expect(() => sweep(ok, "q", [100, 10, 0, 5])).toThrow(
      /q = Q2 \(the quality factor\) must be a number in \[0.001, 1e12\], got 0 \(q value #3 of the sweep\)/,
    );
    expect(() => sweep(ok, "k0", [0.1, -0.01])).toThrow(/k0 value #2/);
    expect(() => sweep({ ...ok, k0: 0 }, "k", [0, 1])).toThrow(/neither pinned nor coupled/);
  });

  it("normal modes: split by about 2 k0 at k = 1 (weak coupling)", () => {
    const [w1, w2] = normalModeFrequencies({ k: 1, k0: 0.01 });
    expect(w1).toBeCloseTo(1, 14);
    expect(w2).toBeCloseTo(Math.sqrt(1.02), 14);
  });
});
