// The stochastic engine against the exact engine on linear networks (fixed seeds): every covariance element,
// kinetic temperature, spring and bath flux and the entropy production lies within 4 error bars of the exact value.
// The time-step bias of each run is computed exactly (the discrete chain's stationary state, src/stochastic/linear.ts)
// and asserted to be below half an error bar, so the comparison is not decided by it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { loadModel, validateNetwork, type NetworkModel } from "../../src/model/index.js";
import { schemeExpectations, type FluxEstimator } from "../../src/stochastic/linear.js";
import { baoab, type SchemeName as Scheme } from "../../src/stochastic/integrators.js";
import { findEstimate, preparePlan, type SimulationResult } from "../../src/stochastic/run.js";
import { SimulationError } from "../../src/stochastic/safety.js";
import type { Estimate } from "../../src/stochastic/statistics.js";
import { randomNetwork } from "../helpers/random.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";

const example = (name: string) =>
  loadModel(readFileSync(new URL(`../../examples/networks/${name}`, import.meta.url), "utf8"), name) as NetworkModel;

/** The value each estimate converges to under the discrete scheme (exact engine + time-step bias). */
function discreteValue(
  e: Estimate,
  m: NetworkModel,
  scheme: Scheme,
  dt: number,
  fe: FluxEstimator,
): number | undefined {
  const d = schemeExpectations(m, scheme, dt, fe);
  const n = m.sites.length,
    N = d.covariance.rows;
  const names = m.sites.map((s) => `q:${s}`).concat(N > n ? m.sites.map((s) => `p:${s}`) : []);
  switch (e.group) {
    case "mean":
      return 0;
    case "covariance": {
      const [a, b] = e.name.split(" ").map((x) => names.indexOf(x));
      return d.covariance.data[a * N + b];
    }
    case "kinetic temperature": {
      const i = m.sites.indexOf(e.name);
      return d.covariance.data[(n + i) * N + n + i] / m.mass[i];
    }
    case "spring flux":
      return d.springFlux[m.springs.findIndex((s) => `${m.sites[s.i]} -> ${m.sites[s.j]}` === e.name)];
    case "bath flux":
      return d.bathFlux[m.baths.findIndex((b) => `into ${m.sites[b.site]}` === e.name)];
    case "entropy production":
      return d.entropyProduction;
    case "energy balance":
      return d.bathFlux.reduce((a, b) => a + b, 0);
  }
  return undefined;
}

function checkAgainstExact(
  m: NetworkModel,
  scheme: Scheme,
  dt: number,
  time: number,
  replicas: number,
  seed: number,
  extra: { fused?: boolean } = {},
): SimulationResult {
  const fe: FluxEstimator = scheme === "exact" && m.dynamics === "overdamped" ? "state" : "stratonovich";
  const r = simulateAndVerifySync(m, { scheme, dt, ...extra }, { time, seed, replicas, fluxEstimator: fe });
  const d = schemeExpectations(m, scheme, dt, fe);
  expect(r.exact).toBe(true);
  const compared = r.estimates.filter((e) => e.exact !== undefined);
  expect(compared.length).toBeGreaterThan(5);
  for (const e of compared) {
    const label = `${e.group} ${e.name}: ${e.value} +- ${e.error}, exact ${e.exact}`;
    expect(e.reliable, label).toBe(true);
    expect(Math.abs(e.deviation!), label).toBeLessThan(4);
    const dv = discreteValue(e, m, scheme, dt, fe)!;
    expect(Math.abs(dv - e.exact!), `time-step bias of ${label}`).toBeLessThan(0.5 * e.error);
  }
  void d;
  return r;
}

describe("underdamped networks (BAOAB and exact stepping) against the exact engine", () => {
  it("Eckmann & Zabey's Example 1, the chain with a backward flux (BAOAB, dt = 0.02)", () => {
    const m = example("example1-chain.yaml");
    const r = checkAgainstExact(m, "baoab", 0.02, 4000, 4, 11);
    // The physics survives the noise: the flux 2 -> 3 runs against the temperature gradient.
    expect(findEstimate(r, "spring flux", "2 -> 3").value).toBeGreaterThan(0);
  });

  it("Eckmann & Zabey's Example 1 with the fused kernel disabled: the generic BAOAB sub-steps and probe", () => {
    // Small linear underdamped networks run a generated kernel (kernels.ts) instead of the integrator and the probe;
    // this run checks the generic path's physics against the exact engine too, with the backward flux resolved.
    const m = example("example1-chain.yaml");
    const options = { time: 10, seed: 1 };
    expect(preparePlan(m, baoab({ dt: 0.02, fused: false }), options).kernel).toBeNull();
    expect(preparePlan(m, baoab({ dt: 0.02 }), options).kernel).not.toBeNull();
    const r = checkAgainstExact(m, "baoab", 0.02, 2000, 4, 15, { fused: false });
    const back = findEstimate(r, "spring flux", "2 -> 3");
    expect(back.exact!).toBeGreaterThan(4 * back.error);
  });

  it("Eckmann & Zabey's Example 3, circulation in a thermalised triangle (BAOAB, dt = 0.005 for omega ~ 12)", () => {
    checkAgainstExact(example("example3-thermalized-triangle.yaml"), "baoab", 0.005, 1500, 4, 12);
  });

  it("a random network with unequal masses and baths on some sites (BAOAB and exact stepping)", () => {
    const m = randomNetwork(21, { n: 3 });
    checkAgainstExact(m, "baoab", 0.01, 1500, 4, 13);
    checkAgainstExact(m, "exact", 0.05, 1500, 4, 14);
  });
});

describe("overdamped networks (Heun, Euler-Maruyama, exact) against the exact engine", () => {
  const m = randomNetwork(31, { n: 3, dynamics: "overdamped" });
  it("Heun with Stratonovich flux estimators", () => {
    checkAgainstExact(m, "heun", 0.0005, 150, 8, 21);
  });
  it("Euler-Maruyama (first order: a smaller dt)", () => {
    checkAgainstExact(m, "euler-maruyama", 0.0002, 60, 8, 22);
  });
  it("exact stepping with the state-form estimators (no time-step bias)", () => {
    checkAgainstExact(m, "exact", 0.01, 400, 8, 23);
  });
});

describe("resolving power: an overdamped chain driven hard enough that the fluxes are resolved", () => {
  // The random overdamped network above has nearly equal temperatures: its fluxes are 0.2 to 1.8 error bars, so a
  // wrong sign of a flux estimator would pass there. Here T = 12, 1, 6 along a chain a - b - c: the flux a -> b is
  // about 3 (13 to 25 error bars) and b -> c about -0.6; a sign error in either spring estimator moves a -> b by
  // 2 |exact|, dozens of error bars.
  const chain = validateNetwork({
    kind: "network",
    dynamics: "overdamped",
    sites: ["a", "b", "c"],
    pinning: 1,
    springs: [
      { between: ["a", "b"], stiffness: 1.5 },
      { between: ["b", "c"], stiffness: 1 },
    ],
    baths: [
      { site: "a", friction: 1, temperature: 12 },
      { site: "b", friction: 2, temperature: 1 },
      { site: "c", friction: 1, temperature: 6 },
    ],
  });

  /** Asserts that the estimate is resolved (|exact| >= 4 error bars) and within 4 error bars of the exact value. */
  const resolved = (r: SimulationResult, group: string, name: string) => {
    const e = findEstimate(r, group, name);
    const label = `${group} ${name}: ${e.value} +- ${e.error}, exact ${e.exact}`;
    expect(Math.abs(e.exact!), `${label} must be resolved`).toBeGreaterThanOrEqual(4 * e.error);
    expect(Math.abs(e.deviation!), label).toBeLessThan(4);
  };

  it("Stratonovich estimators (Heun): every spring and bath flux and the entropy production resolved", () => {
    const r = checkAgainstExact(chain, "heun", 0.001, 100, 4, 21);
    resolved(r, "spring flux", "a -> b");
    resolved(r, "spring flux", "b -> c");
    resolved(r, "bath flux", "into a");
    resolved(r, "bath flux", "into b");
    resolved(r, "entropy production", "rate");
  });

  it("state-form estimators (exact stepping): the larger fluxes resolved", () => {
    // The state form has a larger variance for the small fluxes (b -> c, into c: 1 to 2.5 error bars at this length).
    const r = checkAgainstExact(chain, "exact", 0.05, 100, 4, 23);
    resolved(r, "spring flux", "a -> b");
    resolved(r, "bath flux", "into b");
    resolved(r, "entropy production", "rate");
  });
});

describe("equilibrium and conservation", () => {
  it("equipartition at equal temperatures: <p_i^2>/m_i = T, <q V q>/n = T, no flux, no entropy production", () => {
    const m = randomNetwork(41, { n: 4, equalT: 3 });
    const r = checkAgainstExact(m, "baoab", 0.01, 1500, 4, 31);
    for (const e of r.estimates.filter((x) => x.group === "kinetic temperature")) expect(e.exact).toBeCloseTo(3, 10);
    expect(Math.abs(findEstimate(r, "entropy production", "rate").exact!)).toBeLessThan(1e-10);
  });

  it("overdamped equipartition at equal temperatures (configurational: <q_i dU/dq_i> = T)", () => {
    const m = randomNetwork(42, { n: 3, dynamics: "overdamped", equalT: 2 });
    const r = checkAgainstExact(m, "heun", 0.0005, 150, 8, 32);
    const ss = solveNetwork(m);
    expect(Array.from(ss.configurationalTemperature).every((t) => Math.abs(t - 2) < 1e-9)).toBe(true);
    for (const e of r.estimates.filter((x) => x.group === "spring flux"))
      expect(Math.abs(e.deviation!)).toBeLessThan(4);
  });

  it("an anharmonic network conserves energy at every site (bath + spring fluxes sum to zero within error)", () => {
    const m = loadModel(
      readFileSync(new URL("../../examples/networks/anharmonic-chain.yaml", import.meta.url), "utf8"),
    ) as NetworkModel;
    const r = simulateAndVerifySync(m, { dt: 0.01 }, { time: 3000, seed: 5, replicas: 4 });
    expect(r.exact).toBe(false);
    const n = m.sites.length;
    for (let i = 0; i < n; i++) {
      let net = 0,
        var2 = 0;
      m.baths.forEach((b) => {
        if (b.site !== i) return;
        const e = findEstimate(r, "bath flux", `into ${m.sites[i]}`);
        net += e.value;
        var2 += e.error ** 2;
      });
      m.springs.forEach((s) => {
        if (s.i !== i && s.j !== i) return;
        const e = findEstimate(r, "spring flux", `${m.sites[s.i]} -> ${m.sites[s.j]}`);
        net += s.j === i ? e.value : -e.value;
        var2 += e.error ** 2;
      });
      // Errors of the terms are correlated; their quadrature sum is the scale of the check.
      expect(Math.abs(net)).toBeLessThan(4 * Math.sqrt(var2));
    }
    // Heat flows from the hot end to the cold end.
    expect(findEstimate(r, "entropy production", "rate").value).toBeGreaterThan(0);
  });
});

describe("safety", () => {
  const m = validateNetwork({
    kind: "network",
    sites: 2,
    pinning: 1,
    springs: [{ between: [1, 2], stiffness: 100 }],
    baths: [
      { site: 1, friction: 1, temperature: 1 },
      { site: 2, friction: 1, temperature: 2 },
    ],
  });
  it("a time step beyond the stability limit is refused with the limit named", () => {
    expect(() => simulateAndVerifySync(m, { dt: 0.2 }, { time: 10, seed: 1 })).toThrow(/dt < 2\/omega = 0\.14/);
  });
  it("a large but stable time step is run with a warning naming the bias", () => {
    const r = simulateAndVerifySync(m, { dt: 0.05 }, { time: 20, seed: 1 });
    expect(r.warnings.join(" ")).toMatch(/omega dt = 0\.70/);
  });
  it("a blow-up (anharmonic, dt estimated too large) stops with a clear error", () => {
    const stiff = validateNetwork({
      kind: "network",
      sites: 1,
      pinning: 1,
      quarticPinning: 1e4,
      baths: [{ site: 1, friction: 1, temperature: 50 }],
    });
    expect(() => simulateAndVerifySync(stiff, { dt: 0.5 }, { time: 100, seed: 1 })).toThrow(SimulationError);
    expect(() => simulateAndVerifySync(stiff, { dt: 0.5 }, { time: 100, seed: 1 })).toThrow(/blew up.*non-finite/);
  });
  it("bad options are refused", () => {
    expect(() => simulateAndVerifySync(m, { dt: 0 }, { time: 10, seed: 1 })).toThrow(/dt must be a positive/);
    expect(() => simulateAndVerifySync(m, { dt: 0.01 }, { time: -1, seed: 1 })).toThrow(/time must be a positive/);
    expect(() => simulateAndVerifySync(m, { scheme: "heun", dt: 0.01 }, { time: 10, seed: 1 })).toThrow(/heun/);
  });
});
