// Reported errors of the transmission method on networks drawn by scripts/fuzz-exact-methods.js.
import { describe, expect, it } from "vitest";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { validateNetwork } from "../../src/model/network.js";

// A three-site chain (seed 4, case 150 of scripts/fuzz-exact-methods.js): kinetic temperatures integrate both springs,
// bridges; the sum rule at one end found no deficit, and the missing-weight bound counted it as 0, so each bridge took
// min(its side's bath-flux errors, 0) (reported +- 1.3e-21 against actual errors of 5.4e-20). Reference: the Lyapunov equation solved
// in 45-digit mpmath from the pinning and stiffnesses themselves (scripts/fuzz-exact-reference.py's solve), printed to
// 20 digits and stored as the nearest doubles.
describe("an integrated bridge whose end site's deficit fell below detection", () => {
  it("every bridge flux within its error of the 45-digit solve", () => {
    const tr = solveNetworkTransmission(
      validateNetwork({
        kind: "network",
        dynamics: "underdamped",
        sites: ["s1", "s2", "s3"],
        pinning: { s2: 2.8055746642326384e-5 },
        springs: [
          { between: ["s2", "s1"], stiffness: 41.69924953793719 },
          { between: ["s3", "s2"], stiffness: 0.010899696459128914 },
        ],
        baths: [
          { site: "s1", friction: 831.3425440998632, temperature: 4.2872502680683395e-9 },
          { site: "s2", friction: 0.001555726014983458, temperature: 8.372475509808628e-10 },
          { site: "s3", friction: 2.924897569643379, temperature: 3.813779504546584e-9 },
        ],
        masses: { s1: 0.3332781081926111 },
      }),
    );
    const springs = [-5.211993374563493e-12, -6.247610522462636e-15];
    tr.springs.forEach((s, k) => expect(Math.abs(s.flux - springs[k])).toBeLessThanOrEqual(s.error));
  });
});
