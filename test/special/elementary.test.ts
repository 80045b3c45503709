// The engine-independent exp, log, sin, cos (src/special/elementary.ts) against correctly rounded 50-digit values
// (scripts/elementary-reference.py) and against the engine's own Math functions over many arguments: within about one
// unit in the last place, like the engine's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cos, exp, log, sin } from "../../src/special/elementary.js";

const ref = JSON.parse(readFileSync(new URL("./elementary-reference.json", import.meta.url), "utf8")) as Record<
  string,
  [string, string, string][]
>;
const FN = { exp, log, sin, cos } as const;
const MATH = { exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos } as const;

/** Distance in units in the last place of the correctly rounded value (subnormals: in units of the smallest one). */
function ulps(got: number, want: number): number {
  if (got === want) return 0;
  const u = Math.max(Math.abs(want) * 2 ** -52, 5e-324);
  return Math.abs(got - want) / u;
}

describe("engine-independent elementary functions", () => {
  for (const name of ["exp", "log", "sin", "cos"] as const) {
    it(`${name}: within 1 ulp of the 50-digit values at ${ref[name].length} arguments`, () => {
      let worst = 0;
      for (const [xs, ys, digits] of ref[name]) {
        const x = Number(xs),
          want = Number(ys);
        const got = FN[name](x);
        const d = ulps(got, want);
        if (d > worst) worst = d;
        if (d > 1) throw new Error(`${name}(${xs}) = ${got}, 50 digits ${digits}: ${d} ulp`);
      }
      expect(worst).toBeLessThanOrEqual(1);
    });
    it(`${name}: within 2 ulp of Math.${name} over 200 000 arguments`, () => {
      let s = 12345;
      let worst = 0;
      for (let i = 0; i < 200000; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const u = s / 4294967296;
        const x =
          name === "exp"
            ? -745 + 1454.7 * u
            : name === "log"
              ? i % 2
                ? 0.25 + 4 * u
                : 10 ** (-300 + 600 * u)
              : i % 2
                ? -10 + 20 * u
                : -1.6e6 + 3.2e6 * u;
        const d = ulps(FN[name](x), MATH[name](x));
        if (d > worst) worst = d;
      }
      expect(worst).toBeLessThanOrEqual(2);
    });
  }
  it("special values", () => {
    expect(exp(NaN)).toBeNaN();
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(709.78)).toBeLessThan(Infinity);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(1)).toBe(0);
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
    expect(sin(0)).toBe(0);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(sin(NaN)).toBeNaN();
    expect(cos(Infinity)).toBeNaN();
    // beyond 2^20 pi / 2 the engine's functions are used
    expect(sin(1e7)).toBe(Math.sin(1e7));
  });
});
