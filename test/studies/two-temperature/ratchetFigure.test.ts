// The ratchet study's figure (the lab's page) draws its result and
// computes nothing: the drift velocities with their error bars, as the study computed them, and the combination
// v_cm = (v_hot + v_cold) / 2 on the same run (a conservation of the estimators, independent of the figure code).
import { describe, expect, it } from "vitest";
import { ratchet } from "../../../src/studies/two-temperature/definition.js";
import { runStudy } from "../../../src/studies/run.js";

describe("two-temperature ratchet: the figure of the result", () => {
  it("draws the three drift velocities with their error bars and says whether the sign is resolved", async () => {
    const r = await runStudy(ratchet, { time: 20, replicas: 2 }, { seed: 3, figures: true });
    const [f, ...rest] = ratchet.figures(r);
    expect(rest).toEqual([]);
    expect(f.name).toBe("ratchet-drift");
    const rows = f.table.rows.map((row) => ({ series: row[0], y: row[2], err: row[3] }));
    expect(rows).toEqual([
      { series: "centre of mass", y: r.centreOfMass.value, err: r.centreOfMass.error },
      { series: "hot particle", y: r.hot.value, err: r.hot.error },
      { series: "cold particle", y: r.cold.value, err: r.cold.error },
    ]);
    expect(r.centreOfMass.value).toBeCloseTo((r.hot.value + r.cold.value) / 2, 12);
    expect(f.caption).toMatch(/random seed 3/);
    expect(f.caption).toMatch(/error bars (from zero|of zero)/);
    // Equal temperatures: equilibrium, the caption says the current is zero by detailed balance.
    const eq = await runStudy(ratchet, { time: 20, replicas: 2, Thot: 0.5, Tcold: 0.5 }, { seed: 3 });
    expect(ratchet.figures(eq)[0].caption).toMatch(/Equal temperatures: equilibrium, zero by detailed balance/);
  });
});
