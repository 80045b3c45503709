// The simulated energy SDE (eqs. 2-3, Ito, multiplicative noise) reproduces the exact (Lyapunov) correlation
// matrix within error bars. Fixed seeds; error bars by the jackknife over independent replicas; |sim - exact| < 4
// sigma for every entry of C. Discretisation bias: the default linearly implicit (trapezoidal) scheme has exactly
// the stationary covariance C for the linearised dynamics (bias 0; only O(h/N) remains), and the Euler-Maruyama run
// uses a step whose predicted bias (discrete Lyapunov equation) is below a quarter of the error bar. Subsystems are
// large (Cv, N, N T/T_F, aV >= 1000) so the O(1/N) nonlinear corrections to the linear-noise C are negligible.
import { describe, expect, it } from "vitest";
import {
  blackbody,
  exclusionProcess,
  fermiGas,
  idealGas,
  simulateEnergyCorrelations,
  type Chain,
  type SimulationOptions,
} from "../../../src/studies/energy-correlations/index.js";

function expectWithinErrorBars(chain: Chain, options: SimulationOptions, c12Precision = 0.25): void {
  const r = simulateEnergyCorrelations(chain, options);
  const M = chain.M;
  expect(r.clampedSteps).toBe(0);
  for (let k = 0; k < M * M; k++) {
    const exact = r.exact.covariance.data[k];
    const sim = r.covariance.data[k];
    const err = r.covarianceError.data[k];
    expect(err).toBeGreaterThan(0);
    expect(Math.abs(r.discretisationBias.data[k])).toBeLessThan(0.25 * err);
    expect(
      Math.abs(sim - exact),
      `C[${Math.floor(k / M)}][${k % M}]: sim ${sim} ± ${err}, exact ${exact}`,
    ).toBeLessThan(4 * err);
  }
  // The comparison is sharp enough to see the sign and size of C12.
  expect(r.covarianceError.data[1]).toBeLessThan(c12Precision * Math.abs(r.exact.covariance.data[1]));
}

describe("simulated energy SDE against the exact C", () => {
  it("ideal gas (positive C12)", () => {
    expectWithinErrorBars(
      { model: idealGas({ Cv: 1000 }), M: 2, left: 1, right: 9 },
      { seed: 101, replicas: 16, duration: 4000 },
    );
  });

  it("boxed exclusion process (negative C12)", () => {
    expectWithinErrorBars(
      { model: exclusionProcess({ N: 1000, gamma: 1000 }), M: 2, left: 0, right: 1 },
      { seed: 102, replicas: 16, duration: 2000 },
    );
  });

  it("Fermi gases with the exact noise integral", () => {
    expectWithinErrorBars(
      { model: fermiGas({ N: 1e6, TF: 1000 }), M: 2, left: 1, right: 5 },
      { seed: 103, replicas: 16, duration: 4000 },
    );
  });

  it("blackbody cavities with the exact noise integral", () => {
    expectWithinErrorBars(
      { model: blackbody({ aV: 1e4 }), M: 2, left: 1, right: 5 },
      { seed: 104, replicas: 16, duration: 4000 },
    );
  });

  it("a chain of M = 4 ideal gases", () => {
    expectWithinErrorBars(
      { model: idealGas({ Cv: 1000 }), M: 4, left: 1, right: 9 },
      { seed: 105, replicas: 16, duration: 1500 },
      0.5,
    );
  });

  it("Euler-Maruyama with a step whose predicted bias is negligible", () => {
    // Rates 1 and 3 (units gamma/N = 1): h = 0.001 gives a predicted bias ~0.15 % of C11.
    expectWithinErrorBars(
      { model: exclusionProcess({ N: 1000, gamma: 1000 }), M: 2, left: 0, right: 1 },
      { seed: 106, replicas: 8, duration: 300, dt: 1e-3, scheme: "euler-maruyama" },
      0.5,
    );
  });

  it("same seed, same numbers; another seed, other numbers", () => {
    const chain: Chain = { model: idealGas({ Cv: 1000 }), M: 2, left: 1, right: 3 };
    const a = simulateEnergyCorrelations(chain, { seed: 7, replicas: 3, duration: 50 });
    const b = simulateEnergyCorrelations(chain, { seed: 7, replicas: 3, duration: 50 });
    const c = simulateEnergyCorrelations(chain, { seed: 8, replicas: 3, duration: 50 });
    expect(Array.from(a.covariance.data)).toEqual(Array.from(b.covariance.data));
    expect(a.covariance.data[0]).not.toBe(c.covariance.data[0]);
  });
});
