import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ModelError, SteadyStateError } from "../../src/errors.js";
import { overdampedEntropyProduction, solveNetwork } from "../../src/exact/index.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { solveNetworkModal } from "../../src/exact/modal.js";
import { driftMatrix, potentialMatrix } from "../../src/problem/network.js";
import { matrix } from "../../src/linalg/matrix.js";
import { loadModel, validateNetwork, type NetworkModel } from "../../src/model/index.js";
import { randomNetwork } from "../helpers/random.js";

const example = (name: string) =>
  loadModel(readFileSync(new URL(`../../examples/networks/${name}`, import.meta.url), "utf8"), name) as NetworkModel;
const flux = (ss: ReturnType<typeof solveNetwork>, a: string, b: string) => {
  const s = ss.springs.find((x) => x.between[0] === a && x.between[1] === b);
  if (s) return s.flux;
  const r = ss.springs.find((x) => x.between[0] === b && x.between[1] === a)!;
  return -r.flux;
};

describe("Eckmann & Zabey's examples (physics-notes.md values)", () => {
  it("Example 1: chain with a flux against the gradient", () => {
    const ss = solveNetwork(example("example1-chain.yaml"));
    expect(flux(ss, "1", "2")).toBeCloseTo(13.49, 2);
    expect(flux(ss, "2", "3")).toBeCloseTo(1.07, 2);
    expect(flux(ss, "3", "4")).toBeCloseTo(2.82, 2);
    expect(ss.kineticTemperature![1]).toBeCloseTo(14.4, 1);
    expect(ss.kineticTemperature![2]).toBeCloseTo(18.3, 1);
    // The backward flux: 2 -> 3 although <p2^2> < <p3^2> and T2 < T3.
    expect(ss.kineticTemperature![1]).toBeLessThan(ss.kineticTemperature![2]);
    expect(ss.residual).toBeLessThan(1e-12);
  });

  it("Example 2: circulation of heat with two baths", () => {
    const ss = solveNetwork(example("example2-circulation.yaml"));
    expect(flux(ss, "1", "2")).toBeCloseTo(0.29, 3);
    expect(flux(ss, "2", "3")).toBeCloseTo(0.008, 3);
    expect(flux(ss, "3", "1")).toBeCloseTo(0.008, 3);
    // Circulation: 2 -> 3 -> 1 carries heat from the cold bath site to the hot one.
    expect(flux(ss, "2", "3")).toBeGreaterThan(0);
    expect(flux(ss, "3", "1")).toBeGreaterThan(0);
  });

  it("Example 3: circulation in a fully thermalised triangle", () => {
    const ss = solveNetwork(example("example3-thermalized-triangle.yaml"));
    expect(flux(ss, "1", "2")).toBeCloseTo(0.5747, 3);
    expect(flux(ss, "2", "3")).toBeCloseTo(0.3558, 4);
    expect(flux(ss, "3", "1")).toBeCloseTo(0.0299, 3);
  });

  it("Example 4: heat pump, phi 5->6 = 0.017 and 0 at T2 = 3.5411", () => {
    const m = example("example4-heat-pump.yaml");
    const ss = solveNetwork(m);
    expect(flux(ss, "1", "5")).toBeCloseTo(2.36, 2);
    expect(flux(ss, "6", "3")).toBeCloseTo(0.19, 2);
    expect(flux(ss, "5", "6")).toBeCloseTo(0.017, 3);
    const tuned = { ...m, baths: m.baths.map((b) => (b.site === 1 ? { ...b, temperature: 3.5411 } : b)) };
    expect(Math.abs(flux(solveNetwork(tuned), "5", "6"))).toBeLessThan(2e-5);
  });

  it("Figure 1: no unique steady state, the decoupled mode q3 - q4 is named", () => {
    expect(() => solveNetwork(example("figure1-non-unique.yaml"))).toThrow(SteadyStateError);
    expect(() => solveNetwork(example("figure1-non-unique.yaml"))).toThrow(
      /q\[3\] - q\[4\]|-?q\[3\] \+ q\[4\]|q\[4\] - q\[3\]/,
    );
  });
});

describe("general properties on random networks", () => {
  const seeds = Array.from({ length: 60 }, (_, k) => 1000 + k);

  it("equilibrium (all T equal) gives the Gibbs covariance T diag(V^-1, M)", () => {
    for (const seed of seeds.slice(0, 20)) {
      const T = 3.7;
      const m = randomNetwork(seed, { equalT: T });
      const ss = solveNetwork(m);
      const n = m.sites.length,
        N = 2 * n;
      const V = potentialMatrix(m);
      // Check S_qq V = T I and S_pp = T M and S_qp = 0.
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let sv = 0;
          for (let k = 0; k < n; k++) sv += ss.covariance.data[i * N + k] * V.data[k * n + j];
          expect(sv).toBeCloseTo(i === j ? T : 0, 9);
          expect(ss.covariance.data[i * N + n + j]).toBeCloseTo(0, 10);
          expect(ss.covariance.data[(n + i) * N + n + j]).toBeCloseTo(i === j ? T * m.mass[i] : 0, 9);
        }
      }
      for (const s of ss.springs) expect(Math.abs(s.flux)).toBeLessThan(1e-10);
      expect(Math.abs(ss.entropyProduction)).toBeLessThan(1e-10);
    }
  });

  it("energy balance at every site, entropy production >= 0, Lemma 2", () => {
    for (const seed of seeds) {
      const m = randomNetwork(seed);
      const ss = solveNetwork(m);
      expect(ss.residual).toBeLessThan(1e-12);
      expect(Math.max(...ss.energyBalanceResidual)).toBeLessThan(1e-10);
      expect(ss.entropyProduction).toBeGreaterThanOrEqual(-1e-12);
      const Tmax = Math.max(...m.baths.map((b) => b.temperature));
      const Tmin = Math.min(...m.baths.map((b) => b.temperature));
      for (const b of ss.baths) {
        if (b.temperature === Tmax) expect(b.flux).toBeGreaterThanOrEqual(-1e-12);
        if (b.temperature === Tmin) expect(b.flux).toBeLessThanOrEqual(1e-12);
      }
      // Bath fluxes sum to zero (global energy conservation).
      const total = ss.baths.reduce((s, b) => s + b.flux, 0);
      expect(Math.abs(total)).toBeLessThan(1e-10 * Math.max(1, ...ss.baths.map((b) => Math.abs(b.flux))));
    }
  });

  it("virial at every site: configurational = kinetic temperature (underdamped), = the bath's T (overdamped)", () => {
    // d<q_i^2>/dt = 0 gives <q_i p_i> = 0, and then d<q_i p_i>/dt = 0 gives <q_i dU/dq_i> = <p_i^2>/m_i at every
    // site, whatever the temperatures; overdamped, d<q_i^2>/dt = 0 gives <q_i dU/dq_i> = T_i.
    for (const seed of seeds.slice(0, 10)) {
      const m = randomNetwork(seed);
      const ss = solveNetwork(m, { bySource: false });
      const n = m.sites.length,
        N = 2 * n;
      for (let i = 0; i < n; i++) {
        expect(ss.configurationalTemperature[i]).toBeCloseTo(ss.kineticTemperature![i], 9);
        expect(ss.positionVariance[i]).toBe(ss.covariance.data[i * N + i]);
        expect(ss.momentumVariance![i]).toBeCloseTo(m.mass[i] * ss.kineticTemperature![i], 12);
      }
      // A bath's flux is (gamma/m)(T - kinetic temperature) at its site: the sites are not mixed up.
      for (const b of ss.baths)
        expect(b.flux).toBeCloseTo(
          (b.friction / m.mass[b.index]) * (b.temperature - ss.kineticTemperature![b.index]),
          10,
        );
      // Out of equilibrium the sites' temperatures differ (the check above is not vacuous).
      expect(Math.max(...ss.kineticTemperature!) - Math.min(...ss.kineticTemperature!)).toBeGreaterThan(1e-3);
      const od = solveNetwork(randomNetwork(seed, { dynamics: "overdamped" }), { bySource: false });
      for (const b of od.baths) expect(od.configurationalTemperature[b.index]).toBeCloseTo(b.temperature, 9);
    }
  });

  it("linearity in T: contributions by source sum to the total; scaling and shifting the temperatures", () => {
    for (const seed of seeds.slice(0, 20)) {
      const m = randomNetwork(seed);
      const ss = solveNetwork(m, { bySource: true });
      for (const s of ss.springs) {
        const sum = s.fluxBySource!.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(s.flux, 10);
      }
      for (const b of ss.baths) expect(b.fluxBySource!.reduce((a, c) => a + c, 0)).toBeCloseTo(b.flux, 10);
      const scaled = solveNetwork({ ...m, baths: m.baths.map((b) => ({ ...b, temperature: 2.5 * b.temperature })) });
      const shifted = solveNetwork({ ...m, baths: m.baths.map((b) => ({ ...b, temperature: b.temperature + 4 })) });
      ss.springs.forEach((s, k) => {
        expect(scaled.springs[k].flux).toBeCloseTo(2.5 * s.flux, 9);
        expect(shifted.springs[k].flux).toBeCloseTo(s.flux, 9);
      });
    }
  });
});

describe("overdamped networks", () => {
  it("Metzger's harmonic pair: entropy production k^2 (T1-T2)^2 / (2 T1 T2 (k + lambda))", () => {
    for (const [k, lambda, T1, T2] of [
      [1, 1, 5, 1],
      [2.5, 0.3, 1, 4],
      [0.7, 2, 3, 3.5],
    ]) {
      const m = validateNetwork({
        kind: "network",
        dynamics: "overdamped",
        sites: ["hot", "cold"],
        pinning: lambda,
        springs: [{ between: ["hot", "cold"], stiffness: k }],
        baths: [
          { site: "hot", friction: 1, temperature: T1 },
          { site: "cold", friction: 1, temperature: T2 },
        ],
      });
      const ss = solveNetwork(m);
      const exact = (k * k * (T1 - T2) ** 2) / (2 * T1 * T2 * (k + lambda));
      expect(ss.entropyProduction).toBeCloseTo(exact, 12);
      // Heat flows from the hot bath through the spring into the cold one.
      expect(ss.baths[0].flux).toBeCloseTo(-ss.baths[1].flux, 12);
      expect(Math.sign(ss.springs[0].flux)).toBe(Math.sign(T1 - T2));
      expect(ss.springs[0].flux).toBeCloseTo(ss.baths[0].flux, 12);
    }
  });

  it("entropy production equals the general linear formula Tr(D^-1 F S F^T) - Tr(F); balance holds", () => {
    for (let seed = 0; seed < 25; seed++) {
      const m = randomNetwork(500 + seed, { dynamics: "overdamped" });
      const ss = solveNetwork(m);
      const n = m.sites.length;
      const D = new Float64Array(n);
      for (const b of m.baths) D[b.site] = b.temperature / b.friction;
      const general = overdampedEntropyProduction(driftMatrix(m), D, ss.covariance);
      expect(ss.entropyProduction).toBeCloseTo(general, 10);
      expect(ss.entropyProduction).toBeGreaterThanOrEqual(-1e-12);
      expect(Math.max(...ss.energyBalanceResidual)).toBeLessThan(1e-10);
    }
  });

  it("equilibrium gives S = T V^-1 and configurational temperature T", () => {
    const m = randomNetwork(77, { dynamics: "overdamped", equalT: 2 });
    const ss = solveNetwork(m);
    for (const t of ss.configurationalTemperature) expect(t).toBeCloseTo(2, 10);
    for (const s of ss.springs) expect(Math.abs(s.flux)).toBeLessThan(1e-12);
  });
});

describe("diagnoses", () => {
  it("an unpinned network is refused as unconfined, naming its sites", () => {
    const m = validateNetwork({
      kind: "network",
      sites: ["a", "b", "c"],
      pinning: { c: 1 },
      springs: [{ between: ["a", "b"], stiffness: 1 }],
      baths: [
        { site: "a", friction: 1, temperature: 1 },
        { site: "c", friction: 1, temperature: 2 },
      ],
    });
    expect(() => solveNetwork(m)).toThrow(/sites a, b are not pinned/);
  });

  it("a site with no spring and no bath is refused: nothing thermalises it", () => {
    const m = validateNetwork({
      kind: "network",
      sites: ["a", "b", "lonely"],
      pinning: 1,
      springs: [{ between: ["a", "b"], stiffness: 1 }],
      baths: [
        { site: "a", friction: 1, temperature: 1 },
        { site: "b", friction: 1, temperature: 2 },
      ],
    });
    expect(() => solveNetwork(m)).toThrow(/site lonely has no bath and no spring to a site with one/);
  });

  it("every unconfined part is named, not only the first", () => {
    const m = validateNetwork({
      kind: "network",
      sites: ["a", "b", "c", "d"],
      springs: [{ between: ["a", "b"], stiffness: 1 }],
      baths: [
        { site: "a", friction: 1, temperature: 1 },
        { site: "c", friction: 1, temperature: 2 },
        { site: "d", friction: 1, temperature: 2 },
      ],
    });
    expect(() => solveNetwork(m)).toThrow(/sites a, b are not pinned.*the same holds for 2 more parts: sites c, d\)/);
  });

  it("anharmonic networks are sent to the stochastic engine", () => {
    const m = validateNetwork({
      kind: "network",
      sites: 2,
      pinning: 1,
      springs: [{ between: [1, 2], stiffness: 1, quartic: 0.1 }],
      baths: [
        { site: 1, friction: 1, temperature: 1 },
        { site: 2, friction: 1, temperature: 2 },
      ],
    });
    expect(() => solveNetwork(m)).toThrow(/stochastic engine/);
  });

  it("drift matrix of a 1-site oscillator has the textbook form", () => {
    const m = validateNetwork({
      kind: "network",
      sites: 1,
      masses: 2,
      pinning: 3,
      baths: [{ site: 1, friction: 0.5, temperature: 1 }],
    });
    expect(Array.from(driftMatrix(m).data)).toEqual(Array.from(matrix(2, 2, [0, -0.5, 3, 0.25]).data));
    const ss = solveNetwork(m);
    expect(ss.positionVariance[0]).toBeCloseTo(1 / 3, 12);
    expect(ss.momentumVariance![0]).toBeCloseTo(2, 12);
  });
});

describe("two baths on one site", () => {
  it("every exact engine refuses a hand-built model with two baths on one site, naming it (the drift and diffusion hold one friction and temperature per site)", () => {
    const model = validateNetwork({
      kind: "network",
      sites: ["a", "b"],
      pinning: 1,
      springs: [{ between: ["a", "b"], stiffness: 1 }],
      baths: [
        { site: "a", friction: 1, temperature: 2 },
        { site: "b", friction: 1, temperature: 1 },
      ],
    });
    const twoOnA: NetworkModel = { ...model, baths: [...model.baths, { site: 0, friction: 0.5, temperature: 3 }] };
    const engines: [string, () => unknown][] = [
      ["solveNetwork", () => solveNetwork(twoOnA)],
      ["solveNetworkModal", () => solveNetworkModal(twoOnA)],
      ["solveNetworkTransmission", () => solveNetworkTransmission(twoOnA)],
    ];
    for (const [name, run] of engines) {
      expect(run, name).toThrow(ModelError);
      expect(run, name).toThrow(new RegExp(`${name}: bath on a: the site has two baths`));
    }
  });
});
