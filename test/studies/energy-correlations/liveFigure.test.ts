// The study's own figure (with figures asked for, as on the lab's page) follows the study's parameters: C12 of the
// chain's first two subsystems against its right bath, with its model, model parameters, M and left bath. Checked
// against the closed form of two ideal-gas subsystems, C12 = Cv (T0 - T3)^2 / 27 (Bunin, Kafri, Lecomte, Podolsky
// and Polkovnikov, arXiv:1306.1551, eq. 8), and against separate solves of the chain at the swept baths.
import { describe, expect, it } from "vitest";
import {
  energyCorrelationsStudy,
  type CorrelationResults,
} from "../../../src/studies/energy-correlations/definition.js";
import { chainFromParameters } from "../../../src/studies/energy-correlations/definition.js";
import { energyCorrelations } from "../../../src/studies/energy-correlations/index.js";
import { runStudy } from "../../../src/studies/run.js";

const run = (q: Record<string, unknown>) =>
  runStudy(energyCorrelationsStudy, q, { seed: 1, figures: true }) as Promise<CorrelationResults>;

function finiteTable(r: CorrelationResults): void {
  for (const f of energyCorrelationsStudy.figures(r))
    for (const row of f.table.rows)
      for (const v of row) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
}

describe("energy-correlations: the study's figure follows its parameters", () => {
  it("ideal gases, M = 2, Cv = 2, T0 = 1.5, T3 = 4: C12 = Cv (T0 - T3)^2 / 27 along the sweep, the chain in the middle", async () => {
    const r = await run({ model: "ideal-gas", Cv: 2, T0: 1.5, T3: 4 });
    const s = r.biasSweep!;
    expect(s.difference.length).toBe(41);
    expect(s.difference[0]).toBe(0);
    expect(s.difference[40]).toBeCloseTo(5, 12);
    expect(s.difference[20]).toBeCloseTo(2.5, 12);
    s.difference.forEach((d, i) => {
      const closed = (2 * d * d) / 27;
      // At d = 0 (no current) C12 vanishes up to rounding on the scale Cv T0^2.
      expect(Math.abs(s.c12[i] - closed)).toBeLessThanOrEqual(1e-10 * closed + 1e-14 * 2 * 1.5 ** 2);
      expect(s.closedForm[i]).toBeCloseTo(closed, 12);
    });
    expect(s.chain).toMatchObject({ M: 2, left: 1.5, right: 4 });
    expect(s.chain!.c12).toBe(r.C[0][1]);
    expect(r.C[0][1]).toBeCloseTo((2 * 2.5 ** 2) / 27, 10);
    const figs = energyCorrelationsStudy.figures(r);
    expect(figs.map((f) => f.name)).toEqual(["energy-correlations-c12", "energy-correlations-decomposition"]);
    finiteTable(r);
  });

  it("the exclusion process with M = 5: the right density over [0, 1], C12 as separate solves give, no closed form", async () => {
    const r = await run({ model: "ssep", M: 5, T0: 0.3 });
    const s = r.biasSweep!;
    expect(s.difference[0]).toBeCloseTo(-0.3, 12);
    expect(s.difference.at(-1)).toBeCloseTo(0.7, 12);
    expect(s.closedForm).toEqual([]);
    const chain = chainFromParameters({ model: "ssep", M: 5, T0: 0.3 });
    for (const i of [0, 13, 40]) {
      const ec = energyCorrelations({ ...chain, right: 0.3 + s.difference[i] });
      expect(s.c12[i]).toBeCloseTo(ec.covariance.data[1], 14);
    }
    expect(s.c12[40]).toBeLessThan(0);
    finiteTable(r);
  });

  it("long chains get fewer points; a single subsystem has its variance figure instead of C12's", async () => {
    const r = await run({ model: "fermi", M: 30 });
    expect(r.biasSweep!.difference.length).toBe(6);
    expect(r.biasSweep!.c12Approx?.length).toBe(6);
    finiteTable(r);
    const one = await run({ model: "ideal-gas", M: 1 });
    expect(one.biasSweep).toBeUndefined();
    // M = 1: <dE^2> = C11 against the bath difference; ideal gas (Cv = 1000, T0 = 1): Cv (1 + d/2)^2 on the whole
    // curve, and the chain's own point at d = 2.
    expect(energyCorrelationsStudy.figures(one).map((f) => f.name)).toEqual(["energy-correlations-variance"]);
    const s = one.singleSweep!;
    s.difference.forEach((d, i) => expect(s.variance[i] / (1000 * (1 + d / 2) ** 2)).toBeCloseTo(1, 10));
    expect(s.chainVariance / (1000 * 4)).toBeCloseTo(1, 12);
  });
});
