// Reported errors of the transmission method on networks drawn by scripts/fuzz-exact-methods.js.
//
// Overdamped networks whose static response passes through stiff springs (a pinning of 2.7 reached through a
// spring of 3e6): rounding in V - i w Gamma (V's diagonal as formed from the pinning and stiffnesses, and the
// factorisation's backward error) moves every integrand smoothly in w, which the quadrature's error estimate does not
// see. Two networks drawn by scripts/fuzz-exact-methods.js (DYN=overdamped, seed 2, cases 137 and 263); references:
// the Lyapunov equation solved in 45-digit mpmath from the pinning and stiffnesses themselves
// (scripts/fuzz-exact-reference.py's solve), printed to 20 digits and stored as the nearest doubles. Before the rounding term (Evaluator.roundingBound) the actual errors were
// up to 13.8x and 4.4e3x the reported ones.
import { describe, expect, it } from "vitest";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { validateNetwork } from "../../src/model/network.js";

const cases: { name: string; input: unknown; baths: number[]; springs: number[] }[] = [
  {
    name: "a tree with a 3e6 spring (fluxes from the elimination paths)",
    input: {
      kind: "network",
      dynamics: "overdamped",
      sites: ["s1", "és2", "s3", "s4", "s5", "s6"],
      pinning: { s1: 2.700572464690877, és2: 2.2223649089438652e-5 },
      springs: [
        { between: ["és2", "s1"], stiffness: 3048929.633016171 },
        { between: ["s3", "és2"], stiffness: 0.001684142020246216 },
        { between: ["s4", "s3"], stiffness: 0.05100621745202085 },
        { between: ["s5", "és2"], stiffness: 39943.95698979396 },
        { between: ["s6", "és2"], stiffness: 0.17540764211730436 },
      ],
      baths: [
        { site: "s1", friction: 29.25224982952794, temperature: 48537.73851962951 },
        { site: "és2", friction: 0.19583361692656123, temperature: 468.6662736044549 },
        { site: "s3", friction: 1.457224543491909, temperature: 1000000 },
        { site: "s4", friction: 0.4362873949402982, temperature: 1 },
        { site: "s5", friction: 1.9678838114688697, temperature: 0.001019796798750863 },
        { site: "s6", friction: 0.02030731424194838, temperature: 1e-9 },
      ],
    },
    baths: [
      4973053167.850597, -4912488966.836763, 26734.435783699966, -26733.935919373907, -60563951.79388154,
      -249.71981721531913,
    ],
    springs: [-4973053167.850597, 0.4998643260588276, -26733.935919373907, -60563951.79388154, -249.71981721531913],
  },
  {
    name: "a network with cycles and a 6.5e4 spring (springs integrated)",
    input: {
      kind: "network",
      dynamics: "overdamped",
      sites: ["s1", "s2", "s3", "s4", "és5"],
      pinning: { s1: 0.15488563908370484, és5: 0.03183802249816185 },
      springs: [
        { between: ["s2", "s1"], stiffness: 64590.89459142065 },
        { between: ["s3", "s2"], stiffness: 37.70479258841899 },
        { between: ["s4", "s1"], stiffness: 0.0012005123916029247 },
        { between: ["és5", "s4"], stiffness: 0.036378021447233864 },
        { between: ["és5", "s1"], stiffness: 0.06569687609178562 },
        { between: ["s3", "és5"], stiffness: 0.4870534151451942 },
      ],
      baths: [
        { site: "s1", friction: 0.00019859137377397498, temperature: 2.384860690873091 },
        { site: "s2", friction: 8.985061118155123, temperature: 25.59618946398912 },
        { site: "s3", friction: 25.84803125122633, temperature: 1.2183010186635346 },
        { site: "s4", friction: 3.3362296571172334, temperature: 56.80140492315685 },
        { site: "és5", friction: 0.03495132980757378, temperature: 225.1857047298054 },
      ],
    },
    baths: [-166854.9791720472, 166880.95796598025, -29.374467131751008, -0.07916458810749775, 3.4748377867984392],
    springs: [
      166854.79654315504, -26.161422825210597, 0.0010097338459859387, 0.0801743219534837, 0.18161915830454517,
      -3.2130443065404104,
    ],
  },
];

describe("overdamped transmission errors cover the rounding of the solves (45-digit references)", () => {
  it.each(cases)("$name: every bath and spring flux within its error", ({ input, baths, springs }) => {
    const tr = solveNetworkTransmission(validateNetwork(input));
    tr.baths.forEach((b, k) => expect(Math.abs(b.flux - baths[k])).toBeLessThanOrEqual(b.error));
    tr.springs.forEach((s, k) => expect(Math.abs(s.flux - springs[k])).toBeLessThanOrEqual(s.error));
  });
});

// A three-site chain (seed 4, case 150 of scripts/fuzz-exact-methods.js): kinetic temperatures integrate both springs,
// bridges; the sum rule at one end found no deficit, and the missing-weight bound counted it as 0, so each bridge took
// min(its side's bath-flux errors, 0) (reported +- 1.3e-21 against actual errors of 5.4e-20). References as above.
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
