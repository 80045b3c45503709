// Where the modal method's errors are estimates rather than bounds (modalErrorIsEstimate): the eigenpairs' own
// rounding, which no error term bounds, can reach a flux beside a spring 1e6 or more times weaker per mass than the
// stiffest, or among eigenvalues 1e8 or more apart. Three 3-site networks against 60-digit solves (the values below
// from `python3 scripts/fuzz-exact-reference.py --values`, Lyapunov equation in mpmath): one outside that regime (not
// flagged), one underdamped and one overdamped inside it (flagged, with the note saying why). Every value is also
// checked against the reference within its reported error.
import { describe, expect, it } from "vitest";
import { modalJson } from "../../src/cli/commands/solveModal.js";
import {
  EIGENVALUE_SPREAD,
  modalErrorIsEstimate,
  solveNetworkModal,
  WEAK_SPRING_SPREAD,
} from "../../src/exact/modal.js";
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";

/** A 3-site chain a - b - c (masses 1, 2, 0.5 underdamped), pinning 0.5 and 0.25 at the ends. */
function chain(k1: number, k2: number, overdamped: boolean): NetworkModel {
  return validateNetwork({
    kind: "network",
    ...(overdamped ? { dynamics: "overdamped" } : { masses: { a: 1, b: 2, c: 0.5 } }),
    sites: ["a", "b", "c"],
    pinning: { a: 0.5, c: 0.25 },
    springs: [
      { between: ["a", "b"], stiffness: k1 },
      { between: ["b", "c"], stiffness: k2 },
    ],
    baths: overdamped
      ? [
          { site: "a", friction: 1, temperature: 2 },
          { site: "b", friction: 2, temperature: 1.5 },
          { site: "c", friction: 0.5, temperature: 1 },
        ]
      : [
          { site: "a", friction: 1, temperature: 2 },
          { site: "c", friction: 0.5, temperature: 1 },
        ],
  });
}

/** 60-digit references (bath fluxes, spring fluxes, kinetic temperatures), to 20 digits (strings: as printed). */
const REFERENCE = {
  plain: {
    baths: ["0.11878247958426132146", "-0.11878247958426132146"],
    springs: ["0.11878247958426132146", "0.11878247958426132146"],
    kt: ["1.8812175204157386785", "1.4357832219747587231", "1.1187824795842613215"],
  },
  weakUnderdamped: {
    baths: ["1.1964042930283639168e-6", "-1.1964042930283639168e-6"],
    springs: ["1.1964042930283639168e-6", "1.1964042930283639168e-6"],
    kt: ["1.9999988035957069716", "1.0000047856331002658", "1.0000011964042930284"],
  },
  weakOverdamped: {
    baths: ["3.9906903822297437771e-7", "19999.95995976090433", "-19999.959960159973368"],
    springs: ["3.9906903822297437771e-7", "19999.959960159973368"],
    kt: [],
  },
};

function checkAgainst(model: NetworkModel, digits: (typeof REFERENCE)["plain"]) {
  const ref = { baths: digits.baths.map(Number), springs: digits.springs.map(Number), kt: digits.kt.map(Number) };
  const ss = solveNetworkModal(model);
  ss.baths.forEach((b, q) => expect(Math.abs(b.flux - ref.baths[q])).toBeLessThanOrEqual(b.error));
  ss.springs.forEach((s, q) => expect(Math.abs(s.flux - ref.springs[q])).toBeLessThanOrEqual(s.error));
  ref.kt.forEach((t, i) =>
    expect(Math.abs(ss.kineticTemperature![i] - t)).toBeLessThanOrEqual(ss.kineticTemperatureError![i]),
  );
  return ss;
}

describe("modal errors: bound or estimate", () => {
  it("a chain of comparable springs is not flagged, and its errors cover a 60-digit solve", () => {
    const ss = checkAgainst(chain(1, 2, false), REFERENCE.plain);
    expect(ss.errorIsEstimate).toBe(false);
    expect(ss.notes.some((n) => n.includes("estimates"))).toBe(false);
  });

  it("a spring 2.8e8 times weaker (per mass) than the stiffest: flagged, with the spread in the note", () => {
    const model = chain(1e-3, 1e5, false);
    const ss = checkAgainst(model, REFERENCE.weakUnderdamped);
    expect(ss.errorIsEstimate).toBe(true);
    // (1e5 + 0.25) / 0.5 at c against 1e-3 / sqrt(1 * 2) between a and b.
    const note = ss.notes.find((n) => n.startsWith("the errors are estimates, not bounds"));
    expect(note).toContain("2.8e+8 times weaker (per mass)");
    // The CLI's JSON carries the flag.
    expect(modalJson(model, ss, "test").errorIsEstimate).toBe(true);
  });

  it("the same overdamped (per friction): flagged, its errors still cover a 60-digit solve", () => {
    const ss = checkAgainst(chain(1e-3, 1e5, true), REFERENCE.weakOverdamped);
    expect(ss.errorIsEstimate).toBe(true);
    expect(ss.notes.join(" ")).toContain("times weaker (per friction)");
  });

  it("the thresholds: just below is not flagged, at them is", () => {
    // K's largest diagonal entry is (k2 + 0.25) / 0.5 at c, the weakest spring k1 / sqrt(1 * 2) between a and b.
    const base = chain(1, 1, false);
    const lam = new Float64Array([1, 2, 3]);
    const k2 = 1e5;
    const flagged = (k1: number) => {
      const m = {
        ...base,
        springs: [
          { ...base.springs[0], stiffness: k1 },
          { ...base.springs[1], stiffness: k2 },
        ],
      };
      return modalErrorIsEstimate(m, base.mass, lam) !== undefined;
    };
    const kAt = (((k2 + 0.25) / 0.5) * Math.sqrt(2)) / WEAK_SPRING_SPREAD;
    expect(flagged(kAt * 1.001)).toBe(false);
    expect(flagged(kAt * 0.999)).toBe(true);
    // Eigenvalues: spread EIGENVALUE_SPREAD and just under.
    const comparable = chain(1, 2, false);
    expect(modalErrorIsEstimate(comparable, comparable.mass, new Float64Array([1, 2, EIGENVALUE_SPREAD]))).toContain(
      `squared mode frequencies span ${EIGENVALUE_SPREAD.toExponential(1)}`,
    );
    expect(modalErrorIsEstimate(comparable, comparable.mass, new Float64Array([-1e-18, 2, 3]))).toContain(
      "smallest squared mode frequency is within rounding of zero",
    );
    expect(modalErrorIsEstimate(comparable, comparable.mass, new Float64Array([1, 2, 0.99 * EIGENVALUE_SPREAD]))).toBe(
      undefined,
    );
  });
});
