/**
 * Opt-in long test (`npm run test:long`; not part of `npm test`: about 40 CPU-s, nearly all of it the dense solves):
 * the chain pole path, whose Newton iterations start from chainPoleStart's estimates (src/exact/transmission.ts),
 * against the dense Lyapunov engine on 1000-site diatomic chains, bath fluxes to 1e-9 relative, weakly and
 * asymmetrically damped. A pole missed or found twice, or a wrong residue, moves the current by about one mode's
 * share (~1e-3 of J), far beyond 1e-9. (test/exact/transmission-pole-start.test.ts compares 400 sites.)
 */
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { chainPolesTesting, solveNetworkTransmission } from "../../src/exact/transmission.js";
import { diatomicChain } from "../helpers/networks.js";

describe("chain poles from chainPoleStart's starts against the dense engine (1000 sites)", () => {
  for (const [g0, g1] of [
    [0.5, 0.5],
    [2, 0.05],
  ]) {
    it(`frictions ${g0} and ${g1}: bath fluxes to 1e-9`, () => {
      const model = diatomicChain(1000, g0, g1);
      let started = 0;
      try {
        chainPolesTesting.recorded = (_k, start, firstOrder) => {
          if (start[0] !== firstOrder[0] || start[1] !== firstOrder[1]) started++;
        };
        const r = solveNetworkTransmission(model, { temperatures: false, bySource: false, tolerance: 1e-11 });
        // Measured: 463 and 304 of ~980 poles started from the estimate.
        expect(started).toBeGreaterThan(200);
        const dense = solveNetwork(model, { bySource: false });
        for (const b of [0, 1]) expect(Math.abs(r.baths[b].flux / dense.baths[b].flux - 1)).toBeLessThan(1e-9);
        const J = dense.baths[0].flux;
        expect(Math.abs(r.baths[0].flux - J)).toBeLessThanOrEqual(r.baths[0].error + 1e-12 * Math.abs(J));
      } finally {
        chainPolesTesting.recorded = undefined;
      }
    });
  }
});
