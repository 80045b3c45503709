// Ensembles: results independent of the number of workers (bit for bit), cancellation, batches, and the density and
// probability-current fields against the exact Gaussian answer for Metzger's harmonic pair.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { validateParticles } from "../../src/model/particles.js";
import { CancelledError } from "../../src/stochastic/safety.js";
import { baoab } from "../../src/stochastic/integrators.js";
import {
  preparePlan,
  simulate,
  simulateSync,
  withoutEngineEstimators,
  type SimulationOptions,
} from "../../src/stochastic/run.js";
import { langevinProblem } from "../../src/problem/langevin.js";
import { particleSystem } from "../../src/stochastic/system.js";
import { particlesAsNetwork } from "../../src/problem/particles.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { workerRunner } from "../../src/workers/pool.js";
import { randomNetwork } from "../helpers/random.js";

const built = existsSync(new URL("../../dist/workers/simulateWorker.js", import.meta.url));

const pair = validateParticles({
  kind: "particles",
  dimension: 1,
  species: [
    { name: "hot", count: 1, temperature: 4 },
    { name: "cold", count: 1, temperature: 1 },
  ],
  pairs: [{ potential: "harmonic", stiffness: 1 }],
  external: [{ potential: "harmonic", stiffness: 0.5 }],
});

describe("replicas and workers", () => {
  const model = randomNetwork(3, { n: 3 });
  const scheme = baoab({ dt: 0.01 });
  const options: SimulationOptions = { time: 20, seed: 99, replicas: 7 };

  it("in process: the same seed gives bit-identical results, another seed does not", async () => {
    const a = await simulate(model, scheme, options);
    const b = simulateSync(model, scheme, options);
    expect(a.estimates).toEqual(b.estimates);
    const c = simulateSync(model, scheme, { ...options, seed: 100 });
    expect(c.estimates[0].value).not.toBe(a.estimates[0].value);
  });

  it.skipIf(!built)("worker threads (1, 2, 3 workers) give bit-identical results to the in-process run", async () => {
    const reference = simulateSync(model, scheme, options);
    for (const workers of [1, 2, 3]) {
      let progress = 0;
      const runner = workerRunner(workers);
      for (let repeat = 0; repeat < 2; repeat++) {
        // the second run reuses the warm pool
        const r = await simulate(model, scheme, options, { runner, onProgress: (done) => (progress = done) });
        expect(r.estimates, `${workers} workers`).toEqual(reference.estimates);
        expect(progress).toBe(r.steps);
      }
      await runner.close();
    }
  });

  it.skipIf(!built)("errors inside workers come back as the same user-facing errors", async () => {
    const stiff = { ...model, quarticPinning: new Float64Array([1e4, 1e4, 1e4]) };
    const runner = workerRunner(2);
    await expect(simulate(stiff, baoab({ dt: 0.4 }), { ...options, time: 50 }, { runner })).rejects.toThrow(/blew up/);
    // The pool survives the failure: a good run on it afterwards works.
    expect((await simulate(model, scheme, options, { runner })).estimates).toEqual(
      simulateSync(model, scheme, options).estimates,
    );
    await runner.close();
  });

  it("an AbortSignal cancels a run in progress", async () => {
    const controller = new AbortController();
    // Aborted once steps are reported (not after a delay, which a loaded machine can outlast before the first step).
    let steps = 0;
    const run = simulate(
      model,
      scheme,
      { ...options, time: 1e6 },
      { signal: controller.signal, onProgress: (done) => ((steps = done), controller.abort()) },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBeGreaterThan(0);
  });

  it.skipIf(!built)("an AbortSignal cancels a run on worker threads", async () => {
    const controller = new AbortController();
    const runner = workerRunner(2);
    let steps = 0;
    const run = simulate(
      model,
      scheme,
      { ...options, time: 1e6 },
      { signal: controller.signal, runner, onProgress: (done) => ((steps = done), controller.abort()) },
    );
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBeGreaterThan(0);
    await runner.close();
  });

  it("batches: the default gives at least 32 batch values; few batches are flagged", () => {
    const r = simulateSync(model, scheme, { ...options, replicas: 1 });
    expect(r.batchesPerReplica).toBe(32);
    const few = simulateSync(model, scheme, { ...options, replicas: 2, batches: 2 });
    expect(few.estimates.every((e) => !e.reliable && /too few/.test(e.note ?? ""))).toBe(true);
    expect(few.warnings.join(" ")).toMatch(/too few effective samples/);
  });
});

describe("fused kernels", () => {
  it("the generated BAOAB kernel reproduces the generic stepper and probe (same random numbers, rounding only)", () => {
    const model = randomNetwork(8, { n: 4 });
    const options = { time: 50, seed: 5, replicas: 3 };
    // All start from the exact stationary law (src/verify hands it to the engine), which also sets the field's range.
    const fused = simulateAndVerifySync(model, baoab({ dt: 0.01 }), options);
    // fused: false (or a field) runs the generic sub-steps of the same scheme.
    const generic = simulateAndVerifySync(model, baoab({ dt: 0.01, fused: false }), options);
    const withField = simulateAndVerifySync(model, baoab({ dt: 0.01 }), {
      ...options,
      fields: [{ coordinates: ["q:s0", "q:s1"] as [string, string] }],
    });
    expect(fused.estimates.length).toBe(generic.estimates.length);
    fused.estimates.forEach((e, k) => {
      const g = generic.estimates[k];
      expect(Math.abs(e.value - g.value), `${e.group} ${e.name}`).toBeLessThan(1e-9 * (Math.abs(g.value) + g.error));
      expect(withField.estimates[k].value).toBe(g.value);
    });
  });
});

describe("phase-space density and probability current (Metzger's lecture notes, Section 4)", () => {
  it("match the exact Gaussian density and current J = (D S^-1 - F) x P(x) bin by bin within 4 error bars", () => {
    const range: [[number, number], [number, number]] = [
      [-5, 5],
      [-3, 3],
    ];
    const bins: [number, number] = [6, 6];
    const r = simulateSync(
      pair,
      { scheme: "exact", dt: 0.002 },
      { time: 400, seed: 7, replicas: 8, fields: [{ coordinates: ["x:0", "x:1"], bins, range }] },
    );
    const f = r.fields[0];
    // Exact: x' = -F x + sqrt(2 D) xi, stationary covariance S.
    const net = particlesAsNetwork(pair)!;
    const S = solveNetwork(net).covariance.data;
    const F = [1 + 0.5, -1, -1, 1 + 0.5]; // (k + lambda) on the diagonal, -k off it
    const D = [4, 1];
    const det = S[0] * S[3] - S[1] * S[2];
    const Si = [S[3] / det, -S[1] / det, -S[2] / det, S[0] / det];
    const M = [D[0] * Si[0] - F[0], D[0] * Si[1] - F[1], D[1] * Si[2] - F[2], D[1] * Si[3] - F[3]];
    const P = (a: number, b: number) =>
      Math.exp(-0.5 * (Si[0] * a * a + 2 * Si[1] * a * b + Si[3] * b * b)) / (2 * Math.PI * Math.sqrt(det));
    const ha = (range[0][1] - range[0][0]) / bins[0],
      hb = (range[1][1] - range[1][0]) / bins[1];
    let compared = 0,
      nonzero = 0;
    for (let i = 0; i < bins[0]; i++)
      for (let j = 0; j < bins[1]; j++) {
        // Exact bin averages by a 20 x 20 midpoint rule.
        let rho = 0,
          jx = 0,
          jy = 0;
        for (let u = 0; u < 20; u++)
          for (let v = 0; v < 20; v++) {
            const a = range[0][0] + (i + (u + 0.5) / 20) * ha,
              b = range[1][0] + (j + (v + 0.5) / 20) * hb;
            const p = P(a, b);
            rho += p / 400;
            jx += ((M[0] * a + M[1] * b) * p) / 400;
            jy += ((M[2] * a + M[3] * b) * p) / 400;
          }
        const k = i * bins[1] + j;
        if (f.density[k] < 0.005) continue;
        compared++;
        expect(Math.abs(f.density[k] - rho), `density bin ${i},${j}`).toBeLessThan(4 * f.densityError[k]);
        expect(Math.abs(f.currentX[k] - jx), `Jx bin ${i},${j}`).toBeLessThan(4 * f.currentXError[k]);
        expect(Math.abs(f.currentY[k] - jy), `Jy bin ${i},${j}`).toBeLessThan(4 * f.currentYError[k]);
        if (Math.abs(f.currentX[k]) > 4 * f.currentXError[k]) nonzero++;
      }
    expect(compared).toBeGreaterThan(12);
    // A circulating current is resolved (broken detailed balance).
    expect(nonzero).toBeGreaterThan(3);
  });
});

describe("the coordinates' names (made when first read)", () => {
  it("a particle plan, its problem and the plan without the engine's estimators name every coordinate", () => {
    const m = (dynamics: "overdamped" | "underdamped") =>
      validateParticles({
        kind: "particles",
        dimension: 2,
        dynamics,
        box: 6,
        species: [{ name: "A", count: 3, temperature: 1 }],
        pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
        initial: "random",
      });
    const xy = ["x:0", "y:0", "x:1", "y:1", "x:2", "y:2"];
    const over = preparePlan(m("overdamped"), { dt: 0.01 }, { time: 1, seed: 1, replicas: 1 });
    expect(over.coordinates).toEqual(xy);
    expect(over.coordinates).toBe(over.coordinates); // made once
    expect(withoutEngineEstimators(over).coordinates).toEqual(xy);
    const under = preparePlan(m("underdamped"), { dt: 0.01 }, { time: 1, seed: 1, replicas: 1 });
    expect(under.coordinates).toEqual([...xy, ...xy.map((c) => `p${c}`)]);
    expect(langevinProblem(m("overdamped")).coordinates).toEqual(xy);
    // A split run's system keeps the problem's other properties (the pair term left out).
    const built = particleSystem(m("overdamped"), { withoutPairs: true });
    expect(built.pairs).toBeNull();
    expect(built.system.dof).toBe(6);
  });
});
