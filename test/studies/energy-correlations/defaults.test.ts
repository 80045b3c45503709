// The study's own defaults are inside the model's validity: `ness study energy-correlations --simulate` with nothing
// but --model gives simulated correlations that agree with the exact (linear-noise) C within error bars, for every
// model. (With the old defaults, N = 1 and Cv = 1, Fermi gases and blackbodies printed NaN and the exclusion process
// was 30 error bars off, silently.) The large-subsystem assumption is quantified, warned about and, for a
// simulation, enforced; a run that leaves the model's domain stops with the reason instead of printing NaN.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelError } from "../../../src/errors.js";
import { chainFromParameters } from "../../../src/studies/energy-correlations/definition.js";
import {
  BUILTIN_MODELS,
  FLUCTUATION_SIMULATION_LIMIT,
  FLUCTUATION_WARNING,
  energyCorrelations,
  exclusionProcess,
  fermiGas,
  idealGas,
  blackbody,
  simulateEnergyCorrelations,
  type ChainModel,
} from "../../../src/studies/energy-correlations/index.js";
import { runCli as run } from "../../helpers/cli.js";

afterEach(() => vi.restoreAllMocks());

describe("energy-correlations defaults", () => {
  it.each(BUILTIN_MODELS)(
    "%s: the simulated C agrees with the exact C at the defaults (seed 1, 16 replicas, 2000 tau)",
    (name) => {
      const chain = chainFromParameters({ model: name });
      const r = simulateEnergyCorrelations(chain, { seed: 1 });
      const e = r.exact;
      expect(e.fluctuation.max).toBeLessThan(FLUCTUATION_WARNING / 2);
      expect(e.warnings).toEqual([]);
      expect(r.clampedSteps).toBe(0);
      const M = chain.M;
      for (let k = 0; k < M * M; k++) {
        const [sim, exact, err] = [r.covariance.data[k], e.covariance.data[k], r.covarianceError.data[k]];
        expect(Number.isFinite(sim) && err > 0).toBe(true);
        expect(
          Math.abs(sim - exact),
          `C[${Math.floor(k / M)}][${k % M}]: ${sim} ± ${err}, exact ${exact}`,
        ).toBeLessThan(4 * err);
      }
      // C12 is resolved at the defaults (|exact| > 4 error bars), so the comparison can fail: its sign and size are seen.
      expect(Math.abs(e.covariance.data[1])).toBeGreaterThan(4 * r.covarianceError.data[1]);
    },
  );

  it("the old defaults (unit sizes) are refused for a simulation and warned about otherwise", () => {
    const small: [ChainModel, number, number][] = [
      [idealGas({ Cv: 1, N: 1 }), 1, 3],
      [exclusionProcess({ N: 1 }), 0.2, 0.8],
      [fermiGas({ N: 1 }), 1, 3],
      [blackbody({ aV: 1 }), 1, 3],
    ];
    for (const [model, left, right] of small) {
      const ec = energyCorrelations({ model, M: 2, left, right });
      expect(ec.fluctuation.max, model.label).toBeGreaterThan(FLUCTUATION_SIMULATION_LIMIT);
      expect(ec.warnings.join(" "), model.label).toMatch(
        /the subsystems are too small for the linear-noise description/,
      );
      expect(() => simulateEnergyCorrelations({ model, M: 2, left, right }), model.label).toThrow(
        /the subsystems are too small to simulate: .* use larger subsystems \(a larger (Cv|N|aV)\)/,
      );
    }
  });

  it("the relative fluctuation falls like 1/sqrt(size) (ideal gas: sqrt(C11)/<E1> with C ~ Cv and E ~ Cv)", () => {
    const at = (Cv: number) => energyCorrelations({ model: idealGas({ Cv }), M: 2, left: 1, right: 3 }).fluctuation.max;
    expect(at(100) / at(10000)).toBeCloseTo(10, 10);
  });

  it("a replica whose energy leaves the model's domain stops the run with the reason (it used to give NaN)", () => {
    // A stream of large kicks (B grows along the chain, so every subsystem loses energy) drives the thermal energy of a Fermi gas below its ground state, where the
    // temperature, the heat capacity and the noise are undefined.
    const kicks = () => ({ fillNormal: (out: Float64Array) => out.fill(40) });
    const chain = chainFromParameters({ model: "fermi" });
    expect(() => simulateEnergyCorrelations(chain, { seed: 1, replicas: 2, streams: kicks })).toThrow(ModelError);
    expect(() => simulateEnergyCorrelations(chain, { seed: 1, replicas: 2, streams: kicks })).toThrow(
      /the simulated energy of subsystem \d left the model's domain in replica 0 at t = .*below the lowest energy/,
    );
  });

  it("the documented example command agrees within error bars and prints no NaN", async () => {
    const r = await run(
      "study",
      "energy-correlations",
      "--model",
      "fermi",
      "--T0",
      "1",
      "--T3",
      "3",
      "--noise",
      "approx",
      "--simulate",
      "--replicas",
      "16",
      "--duration",
      "2000",
    );
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/\bNaN\b|\bInfinity\b|warning/);
    const worst = Number(/largest \|simulated - exact\| \/ error bar: ([0-9.]+)/.exec(r.stdout)![1]);
    expect(worst).toBeLessThan(4);
  });

  it("--json prints every number in full precision (the library's doubles), with the large-subsystem check", async () => {
    const r = await run("study", "energy-correlations", "--model", "fermi", "--json");
    const doc = JSON.parse(r.stdout).results;
    const ec = energyCorrelations(chainFromParameters({ model: "fermi" }));
    expect(doc.C[0][1]).toBe(ec.covariance.data[1]);
    expect(doc.current).toBe(ec.current);
    expect(doc.temperatures).toEqual(Array.from(ec.states));
    expect(doc.bound.bound).toBe(ec.bound!.bound);
    expect(doc.fluctuation.max).toBe(ec.fluctuation.max);
  });

  it("equilibrium baths: no null in the bound (the inverse beta gap is absent, the bound is 0)", async () => {
    for (const args of [
      ["--model", "ideal-gas", "--T0", "2", "--T3", "2"],
      ["--model", "ssep", "--T0", "0", "--T3", "0"],
      ["--model", "ssep", "--T0", "1", "--T3", "1"],
    ]) {
      const r = await run("study", "energy-correlations", ...args, "--json");
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).not.toMatch(/\bnull\b|\bNaN\b|\bInfinity\b/);
      expect(JSON.parse(r.stdout).results.bound.bound).toBe(0);
    }
  });
});
