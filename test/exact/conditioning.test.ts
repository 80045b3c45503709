// Conditioning of the network steady state: every solve reports the estimated condition number of its Lyapunov
// equation and the error bound it implies; the examples are well conditioned (no warning, estimates close to the exact
// Kronecker values); a mode nearly decoupled from every bath makes the equation ill-conditioned, and solve says so.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stationary } from "../../src/exact/linearSde.js";
import { solveNetwork } from "../../src/exact/network.js";
import { linearSdeProblem } from "../../src/problem/linearSde.js";
import { diffusionMatrix, driftMatrix } from "../../src/problem/network.js";
import { frobeniusNorm, matrix } from "../../src/linalg/matrix.js";
import { loadModel, validateNetwork, type NetworkModel } from "../../src/model/index.js";
import { kroneckerTruth } from "../linalg/kroneckerTruth.js";

const example = (name: string) =>
  loadModel(readFileSync(new URL(`../../examples/networks/${name}`, import.meta.url), "utf8"), name) as NetworkModel;

/** Exact relative condition number of A S + S A^T = D for the network at its bath temperatures. */
function exactCondition(model: NetworkModel): number {
  const A = driftMatrix(model);
  const T = new Float64Array(model.sites.length);
  for (const b of model.baths) T[b.site] = b.temperature;
  const D = diffusionMatrix(model, T);
  const { inverseNorm, X } = kroneckerTruth(A, D);
  return inverseNorm * (2 * frobeniusNorm(A) + frobeniusNorm(D) / frobeniusNorm(X!));
}

describe("condition number of the network's Lyapunov equation", () => {
  it.each([
    "example1-chain.yaml",
    "example2-circulation.yaml",
    "example3-thermalized-triangle.yaml",
    "example4-heat-pump.yaml",
  ])("%s: well conditioned, no warning, estimate within a factor 3 of the exact value", (name) => {
    const model = example(name);
    const ss = solveNetwork(model);
    expect(ss.warnings).toEqual([]);
    const ratio = ss.condition / exactCondition(model);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
    expect(ss.forwardErrorBound).toBeLessThan(1e-9);
    expect(ss.forwardErrorBound).toBeGreaterThanOrEqual(ss.residual);
  });

  it("warns for a mode nearly decoupled from every bath, with the condition number", () => {
    // site b has no bath and hangs on a spring 1e-5: its mode relaxes at a rate ~ 5e-11
    const model = validateNetwork({
      kind: "network",
      sites: ["a", "b"],
      pinning: 1,
      springs: [{ between: ["a", "b"], stiffness: 1e-5 }],
      baths: [{ site: "a", friction: 1, temperature: 2 }],
    });
    const ss = solveNetwork(model);
    const exact = exactCondition(model);
    expect(exact).toBeGreaterThan(1e10);
    expect(ss.condition / exact).toBeGreaterThan(0.1);
    expect(ss.condition / exact).toBeLessThan(10);
    expect(ss.warnings).toHaveLength(1);
    expect(ss.warnings[0]).toMatch(
      /^ill-conditioned Lyapunov equation: eigenvalues 5\.00e-11\+1i and 5\.00e-11-1i of A nearly cancel .*condition number ≈ 5\.\d+e10/,
    );
    expect(ss.forwardErrorBound).toBeGreaterThan(1e-6);
  });

  it("stationary reports condition and bound as finite numbers", () => {
    const A = matrix(2, 2, [0, -1, 1, 0.5]);
    const D = matrix(2, 2, [0, 0, 0, 1]);
    const s = stationary(linearSdeProblem({ drift: A, diffusion: D }));
    expect(Number.isFinite(s.condition) && s.condition >= 1).toBe(true);
    expect(s.forwardErrorBound).toBeLessThan(1e-12);
    expect(s.warnings).toEqual([]);
  });
});
