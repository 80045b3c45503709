// ness entropy: the model-free entropy-production estimators (src/stochastic/modelFree.ts) on a trajectory written by
// ness simulate --trajectory, through the CLI. Metzger's harmonic pair (T = 5 and 1, k = lambda = 1; exact rate
// k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)) = 0.8), stepped exactly: the Gaussian KL rate matches its exact value at
// the trajectory's lag (computed here from the drift and the stationary covariance), the binned KL and the TUR
// bound are resolved and lie below the rate, the run's own estimator (recorded with --observe) matches it, and
// --model prints the exact rate beside.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expm } from "../../src/linalg/expm.js";
import { matrix } from "../../src/linalg/matrix.js";
import { gaussianPairKl } from "../../src/stochastic/modelFree.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-entropy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pairModel = new URL("../../examples/particles/harmonic-pair.yaml", import.meta.url).pathname;

/** The pair's lag-tau Gaussian KL rate: drift F = [[2, -1], [-1, 2]], covariance S = [[3, 1], [1, 1]]. */
function exactLagRate(tau: number): number {
  const E = expm(matrix(2, 2, Float64Array.from([-2 * tau, tau, tau, -2 * tau]))).data;
  const S = [3, 1, 1, 1];
  const Ct = Float64Array.from([
    E[0] * S[0] + E[1] * S[2],
    E[0] * S[1] + E[1] * S[3],
    E[2] * S[0] + E[3] * S[2],
    E[2] * S[1] + E[3] * S[3],
  ]);
  return gaussianPairKl(Float64Array.from(S), Ct, 2) / tau;
}

interface Row {
  estimator: string;
  value?: number;
  error?: number;
  note: string;
}

describe("ness entropy on a trajectory of the harmonic pair (exact rate 0.8)", () => {
  it("bounds or matches the exact rate, with the run's own estimate and the exact rate beside", async () => {
    const traj = path.join(dir, "pair.parquet");
    const sim = await runCli(
      "simulate", pairModel, "--scheme", "exact", "--dt", "0.01", "--time", "2000", "--seed", "1",
      "--every", "1", "--observe", "entropy production: rate", "--trajectory", traj, "--no-progress",
    ); // prettier-ignore
    expect(sim.code).toBe(0);
    const r = await runCli("entropy", traj, "--model", pairModel, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      estimators: Row[];
      exact: number;
      runEstimate: { value: number; error: number };
      rows: number;
      dt: number;
      command: string;
      trajectoryProvenance: string[];
    };
    // The trajectory's provenance rides along: the simulation's seed and parameters.
    expect(doc.trajectoryProvenance).toContain("ness.seed: 1");
    expect(doc.trajectoryProvenance.some((l) => l.startsWith("ness.parameters: {"))).toBe(true);
    const sigma = 0.8;
    expect(doc.exact).toBeCloseTo(sigma, 12);
    expect(doc.rows).toBe(200_000); // the burn-in's 20000 rows skipped
    expect(doc.dt).toBeCloseTo(0.01, 12);
    const get = (name: string) => doc.estimators.find((e) => e.estimator === name)!;
    const g = get("gaussian KL"),
      kl = get("transition KL"),
      tur = get("TUR (area current)");
    // Gaussian KL: exact for this linear model at the lag, 0.784 at tau = 0.01 (below the rate).
    const lagRate = exactLagRate(0.01);
    expect(lagRate).toBeLessThan(sigma);
    expect(lagRate).toBeGreaterThan(4 * g.error!);
    expect(Math.abs(g.value! - lagRate)).toBeLessThan(4 * g.error!);
    // The binned KL and the TUR bound: resolved and below the rate.
    for (const e of [kl, tur]) {
      expect(e.value!).toBeGreaterThan(3 * e.error!);
      expect(e.value! - 4 * e.error!).toBeLessThan(sigma);
    }
    // The run's own (state-function) estimator, averaged from the recorded column.
    expect(Math.abs(doc.runEstimate.value - sigma)).toBeLessThan(4 * doc.runEstimate.error);
    expect(doc.runEstimate.error).toBeLessThan(0.15 * sigma);
    // The text form names every estimator and the exact rate.
    const text = await runCli("entropy", traj, "--model", pairModel);
    expect(text.code).toBe(0);
    for (const s of ["gaussian KL", "transition KL", "TUR (area current)", "run's estimator", "exact (linear model)"])
      expect(text.stdout).toContain(s);
  });
});
