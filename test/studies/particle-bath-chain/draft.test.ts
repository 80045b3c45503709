import { describe, expect, it } from "vitest";
import { particleBathChain } from "../../../src/studies/particle-bath-chain/definition.js";
import { effectiveCurrent, validateParams } from "../../../src/studies/particle-bath-chain/index.js";
import { runStudy } from "../../../src/studies/run.js";

// The lab draws a draft of the study's J(T_L) figure at once and the full one when idle: the draft must show the
// same numbers, and its curve must be points of the same exact curve.
describe("particle-bath-chain draft figures (context.draft)", () => {
  it("gives the same numbers as a full run, and a curve on fewer points of the same exact J(T_L)", async () => {
    const input = { TL: 3, N: 8 };
    const full = await runStudy(particleBathChain, input, { figures: true });
    const draft = await runStudy(particleBathChain, input, { figures: true, draft: true });
    const { curves: fullCurves, ...fullNumbers } = full;
    const { curves: draftCurves, ...draftNumbers } = draft;
    expect(draftNumbers).toEqual(fullNumbers);
    expect(particleBathChain.report(draft)).toBe(particleBathChain.report(full));
    const [f] = fullCurves!;
    const [d] = draftCurves!;
    expect(d.TL.length).toBeLessThan(f.TL.length);
    // The same T_L range, and the same values at its ends (the same solves).
    expect(d.TL[0]).toBe(f.TL[0]);
    expect(d.TL[d.TL.length - 1]).toBeCloseTo(f.TL[f.TL.length - 1], 12);
    expect(d.theory[0]).toBe(f.theory[0]);
    expect(d.memory[0]).toBe(f.memory[0]);
    // Every draft point is the library's exact current at its T_L.
    const p = validateParams({ ...input, TR: full.parameters.TR });
    d.TL.forEach((TL, i) => {
      expect(d.theory[i]).toBe(effectiveCurrent({ ...p, TL }, "exact"));
      expect(d.memory[i]).toBe(effectiveCurrent({ ...p, TL }, "memory"));
    });
  });

  it("is asked for only without a simulation (a draft would run it twice)", () => {
    const parse = (x: object) => particleBathChain.parameters.parse(x);
    expect(particleBathChain.draftFigures?.(parse({}))).toBe(true);
    expect(particleBathChain.draftFigures?.(parse({ simulate: true }))).toBe(false);
    expect(particleBathChain.draftFigures?.(parse({ probe: true }))).toBe(false);
  });
});
