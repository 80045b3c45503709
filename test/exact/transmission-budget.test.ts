// The stall rule where the tolerance is out of reach of double precision (issue 17): small stiff-ended
// chains whose lowest peaks' rounding share exceeds the tolerance, and fluxes by source at nearly equal bath
// temperatures, spent the whole default budget (5e6 evaluations, ~2-6 s each) before the rule saw them.
import { describe, expect, it } from "vitest";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { validateNetwork } from "../../src/model/network.js";
import { stiffEnded } from "../helpers/networks.js";

describe("the stall rule where the tolerance is unreachable", () => {
  // 50-digit Lyapunov references (transmission-rounding.test.ts). Before: 6 sites spent 4 999 990 evaluations.
  it.each([
    [6, 0.00025001233686875417],
    [12, 0.00025001233426611997],
  ])("%i-site chain, springs 1e4 at the ends, friction 1e-3: stops early, deviation within the error", (n, exact) => {
    const tr = solveNetworkTransmission(stiffEnded(n, 1e-10, 1e-3, 1e4), {
      temperatures: false,
      bySource: false,
      tolerance: 1e-9,
    });
    expect(tr.evaluations).toBeLessThan(400_000);
    expect(Math.abs(tr.baths[0].flux - exact)).toBeLessThanOrEqual(tr.baths[0].error);
    expect(Math.abs(tr.baths[1].flux + exact)).toBeLessThanOrEqual(tr.baths[1].error);
    expect(tr.warnings.join("\n")).toMatch(/stopped refining/);
  });

  it("5 sites at T = 1000, temperatures 1e-12 apart (relative), fluxes by source: stops early, fluxes exact", () => {
    // 50-digit reference (test/exact/flux-error.test.ts): every flux is 1.2572966449640756636e-10. Before: the
    // by-source components (~1e12 times the net flux) held the run to 4 999 959 evaluations.
    const model = validateNetwork({
      kind: "network",
      sites: 5,
      pinning: 1,
      springs: [0, 1, 2, 3].map((i) => ({
        between: [String(i + 1), String(i + 2)] as [string, string],
        stiffness: 1,
      })),
      baths: [
        { site: "1", friction: 1, temperature: 1000.000000001 },
        { site: "5", friction: 1, temperature: 1000 },
      ],
    });
    const ref = 1.2572966449640755e-10; // 1.2572966449640756636e-10 rounded to double
    const tr = solveNetworkTransmission(model, {});
    expect(tr.evaluations).toBeLessThan(400_000);
    expect(tr.warnings.join("\n")).toMatch(/fluxes by source, each ~1e\+12 times the net flux/);
    for (const [b, s] of [
      [0, 1],
      [1, -1],
    ]) {
      const d = Math.abs(tr.baths[b].flux - s * ref);
      expect(d).toBeLessThanOrEqual(tr.baths[b].error);
      expect(tr.baths[b].error).toBeLessThan(1e-9 * ref);
    }
    // The spring fluxes sit 2 units in the last place from the reference: their reported errors include the value's
    // own rounding (withValueRounding in transmission.ts; before, 1.1e-26 against a deviation of 2.6e-26).
    for (const sp of tr.springs) expect(Math.abs(sp.flux - ref)).toBeLessThanOrEqual(sp.error!);
  });
});
