// A single subsystem between two baths (M = 1) and the validity condition of eq. 4 (Bunin et al., arXiv:1306.1551).
// Checked against: the ideal gas's elementary variance Cv T1^2; the SDE simulation of the full (nonlinear) energy
// dynamics; the third cumulant's closed form against a quadrature of the exchange integral; the exact two-way Poisson
// relation of the exclusion process; the small-bias limit of the condition.
import { describe, expect, it } from "vitest";
import {
  THIRD_CUMULANT_THRESHOLD,
  blackbody,
  energyCorrelations,
  exchangeThirdCumulant,
  exclusionProcess,
  fermiGas,
  gaussLegendre,
  idealGas,
  simulateEnergyCorrelations,
  thirdCumulantCondition,
} from "../../../src/studies/energy-correlations/index.js";
import { runCli } from "../../helpers/cli.js";

describe("M = 1: one subsystem between two baths", () => {
  it("ideal gas: C11 = Cv T1^2 with T1 = (T0 + T2)/2, and <J> tau (beta2 - beta0)/((beta1 - beta0)(beta2 - beta1)) equals it (eq. 4 exact)", () => {
    for (const [Cv, left, right] of [
      [1000, 1, 3],
      [50, 4, 0.5],
      [2e4, 2, 2.2],
    ]) {
      const ec = energyCorrelations({ model: idealGas({ Cv }), M: 1, left, right });
      const T1 = (left + right) / 2;
      expect(ec.states[0]).toBeCloseTo(T1, 12);
      expect(ec.covariance.data[0] / (Cv * T1 * T1)).toBeCloseTo(1, 12);
      expect(ec.single!.formula! / ec.covariance.data[0]).toBeCloseTo(1, 12);
      // The paper's labelling (subsystem 0, baths 1 and 2) gives the same number.
      const [b1, b0, b2] = ec.single!.betas;
      expect((ec.current * ec.relaxationTime * (b2 - b1)) / ((b0 - b1) * (b2 - b0)) / ec.single!.formula!).toBeCloseTo(
        1,
        12,
      );
      // Both links touch a bath: the decomposition of C11 is all "boundary".
      expect(ec.decomposition.pair).toEqual([1, 1]);
      expect(ec.decomposition.bulk).toBe(0);
      expect(ec.decomposition.boundary / ec.covariance.data[0]).toBeCloseTo(1, 12);
    }
  });

  it("at equal baths there is no current: the formula (0/0) is not given, the variance is the equilibrium Cv T^2", () => {
    const ec = energyCorrelations({ model: idealGas({ Cv: 100 }), M: 1, left: 2, right: 2 });
    expect(ec.single!.formula).toBeUndefined();
    expect(ec.covariance.data[0]).toBeCloseTo(400, 9);
    expect(ec.thirdCumulant).toBeUndefined();
  });

  it("the SDE simulation of the full energy dynamics agrees with <J> tau (beta2 - beta0)/((beta1 - beta0)(beta2 - beta1)) within 4 error bars", () => {
    const chain = { model: idealGas({ Cv: 1000 }), M: 1, left: 1, right: 3 };
    const sim = simulateEnergyCorrelations(chain, { seed: 5, replicas: 16, duration: 2000 });
    const formula = sim.exact.single!.formula!;
    const [v, err] = [sim.covariance.data[0], sim.covarianceError.data[0]];
    expect(sim.reliable).toBe(true);
    expect(err).toBeGreaterThan(0);
    expect(formula / err).toBeGreaterThan(4);
    expect(Math.abs(v - formula), `${v} ± ${err} vs ${formula}`).toBeLessThan(4 * err);
    // The equilibrium variance at either bath temperature is far off: the test can tell.
    expect(Math.abs(v - 1000 * 1 * 1)).toBeGreaterThan(10 * err);
  });

  it("blackbody (exact B, eq. 4 only approximate): the simulation agrees with the Lyapunov C11; the formula is off by about the eq. 4 deviation", () => {
    const chain = { model: blackbody({ aV: 1e4 }), M: 1, left: 1, right: 3 };
    const sim = simulateEnergyCorrelations(chain, { seed: 6, replicas: 16, duration: 2000 });
    const exact = sim.exact.covariance.data[0];
    expect(Math.abs(sim.covariance.data[0] - exact)).toBeLessThan(4 * sim.covarianceError.data[0]);
    const f = sim.exact.single!.formula!;
    const rel = Math.abs(f - exact) / exact;
    expect(rel).toBeGreaterThan(1e-3);
    expect(sim.exact.thirdCumulant!.satisfied).toBe(false);
    // ... and the simulation resolves that failure of the eq. 4 formula (4.43e6 +- 0.03e6 against 3.56e6).
    expect(Math.abs(sim.covariance.data[0] - f)).toBeGreaterThan(10 * sim.covarianceError.data[0]);
    // Near equilibrium eq. 4 holds, the condition is satisfied and the formula matches C11 closely.
    const near = energyCorrelations({ model: blackbody({ aV: 1e4 }), M: 1, left: 1, right: 1.05 });
    expect(near.thirdCumulant!.satisfied).toBe(true);
    expect(Math.abs(near.single!.formula! - near.covariance.data[0]) / near.covariance.data[0]).toBeLessThan(
      near.thirdCumulant!.value,
    );
  });

  it("the CLI accepts --M 1 and prints the variance and its closed form", async () => {
    const r = await runCli("study", "energy-correlations", "--model", "ideal-gas", "--M", "1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 subsystem between baths T0 = 1 and T2 = 3/);
    expect(r.stdout).toMatch(/variance <dE\^2> = C11 = \(B01 \+ B12\) tau \/ 2 = 4000/);
    expect(r.stdout).toMatch(/closed form under eq. 4: .* = 4000 \(relative difference 0\)/);
    const j = await runCli("study", "energy-correlations", "--model", "fermi", "--M", "1", "--json");
    const res = JSON.parse(j.stdout).results;
    expect(res.single.variance).toBe(res.C[0][0]);
    expect(res.thirdCumulant.threshold).toBe(THIRD_CUMULANT_THRESHOLD);
  });
});

describe("the validity condition of eq. 4: (Delta beta)^2 kappa3 << kappa1", () => {
  it("the exchange's third cumulant (40 pi^2/21) k (Tc^6 - Td^6) against a quadrature of K int w^5 (n_c - n_d), and kappa1 = A", () => {
    const k = 1.7,
      K = (15 * k) / Math.PI ** 4;
    for (const [tc, td] of [
      [1, 3],
      [2.5, 0.4],
      [1, 1.01],
    ]) {
      const n = (w: number, t: number) => 1 / Math.expm1(w / t);
      const hi = 80 * Math.max(tc, td);
      const k3 = K * gaussLegendre((w) => w ** 5 * (n(w, tc) - n(w, td)), 1e-12, hi, 200);
      const k1 = K * gaussLegendre((w) => w ** 3 * (n(w, tc) - n(w, td)), 1e-12, hi, 200);
      expect(exchangeThirdCumulant(k, tc, td) / k3).toBeCloseTo(1, 9);
      expect(fermiGas({ kappa: k }).current(tc, td, 0) / k1).toBeCloseTo(1, 9);
      expect(blackbody({ coupling: k }).thirdCumulant!(tc, td, 0)).toBe(exchangeThirdCumulant(k, tc, td));
    }
  });

  it("exclusion process: unit hops both ways, so A = B tanh(Delta beta / 2) exactly and kappa3 = A", () => {
    const m = exclusionProcess({ N: 100, gamma: 2 });
    for (const [a, b] of [
      [0.2, 0.8],
      [0.6, 0.1],
      [0.5, 0.52],
    ]) {
      const dBeta = m.conjugate!(b) - m.conjugate!(a);
      expect(m.current(a, b, 0) / (m.noise(a, b, 0) * Math.tanh(dBeta / 2))).toBeCloseTo(1, 12);
      expect(m.thirdCumulant!(a, b, 0)).toBe(m.current(a, b, 0));
    }
  });

  it("vanishes like the square of the bias: one Fermi link at T and T + d gives (20 pi^2 / 7)(d/T)^2", () => {
    const model = fermiGas();
    for (const d of [1e-2, 1e-3]) {
      // M = 1 chain whose subsystem sits near T: the largest link gap and ratio come from the links around it.
      const T = 2;
      const one = (tc: number, td: number) =>
        (1 / td - 1 / tc) ** 2 * (model.thirdCumulant!(tc, td, 0) / model.current(tc, td, 0));
      expect(one(T + d, T) / ((20 * Math.PI ** 2) / 7) / (d / T) ** 2).toBeCloseTo(1, 1);
      const c = thirdCumulantCondition({ model, M: 1, left: T, right: T + d }, [T + d / 2])!;
      expect(c.value / (d * d)).toBeGreaterThan(0);
      expect(c.satisfied).toBe(true);
    }
    const far = energyCorrelations({ model, M: 2, left: 1, right: 3 });
    expect(far.thirdCumulant!.value).toBeGreaterThan(THIRD_CUMULANT_THRESHOLD);
    expect(far.thirdCumulant!.satisfied).toBe(false);
    // The bound's measured eq. 4 deviation agrees: eq. 4 is far off there, and close near equilibrium.
    expect(far.bound!.fdrDeviation).toBeGreaterThan(0.1);
    const near = energyCorrelations({ model, M: 2, left: 1, right: 1.02 });
    expect(near.thirdCumulant!.satisfied).toBe(true);
    expect(near.bound!.fdrDeviation).toBeLessThan(near.thirdCumulant!.value);
  });

  it("is zero at equilibrium and not reported for the ideal gas (no kappa3: its B is defined by eq. 4)", () => {
    const eq = thirdCumulantCondition({ model: fermiGas(), M: 2, left: 1.5, right: 1.5 }, [1.5, 1.5])!;
    expect(eq.value).toBe(0);
    expect(eq.byLink).toEqual([0, 0, 0]);
    expect(energyCorrelations({ model: idealGas(), M: 2, left: 1, right: 3 }).thirdCumulant).toBeUndefined();
  });
});
