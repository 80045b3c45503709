// The engine-independent exp, log, sin, cos, atan (src/special/elementary.ts) against correctly rounded 50-digit values
// (scripts/elementary-reference.py: random arguments and the edge cases: subnormals, overflow and underflow, log near
// 1, the doubles closest to multiples of pi/2 in every binade, arguments up to the largest double, atan at the ends
// of its reduction's intervals) and against the
// engine's own Math functions over many arguments: within one unit in the last place. And the two reductions of sin
// and cos (Cody-Waite below 2^20 pi/2, Payne-Hanek beyond) against each other where both apply.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { atan, cos, exp, log, reduceForTest, sin, sincos, sinOfReduced } from "../../src/special/elementary.js";

const ref = JSON.parse(readFileSync(new URL("./elementary-reference.json", import.meta.url), "utf8")) as Record<
  string,
  [string, string, string, number][]
>;
const FN = { exp, log, sin, cos, atan } as const;
const MATH = { exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, atan: Math.atan } as const;

/** The unit of the tests: |want| 2^-52 (between one and two units in the last place), for subnormals 2^-1074. */
function unit(want: number): number {
  return Math.max(Math.abs(want) * 2 ** -52, 5e-324);
}

/** Distance from want in units of want. */
function ulps(got: number, want: number): number {
  return got === want ? 0 : Math.abs(got - want) / unit(want);
}

describe("engine-independent elementary functions", () => {
  for (const name of ["exp", "log", "sin", "cos", "atan"] as const) {
    it(`${name}: within 0.8 ulp of the exact value at ${ref[name].length} arguments`, () => {
      // Each row: x, the correctly rounded value, 25 digits, and that value's own rounding error in units of
      // |value| 2^-52, so the error is measured against the exact value, not against a rounded one.
      let worst = 0;
      for (const [xs, ys, digits, err] of ref[name]) {
        const x = Number(xs),
          want = Number(ys);
        const got = FN[name](x);
        const d = got === want ? Math.abs(err) : Math.abs((got - want) / unit(want) - err);
        if (d > worst) worst = d;
        if (!(d < 0.8)) throw new Error(`${name}(${xs}) = ${got}, 50 digits ${digits}: ${d} ulp`);
      }
      expect(worst).toBeLessThan(0.8);
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
              : name === "atan"
                ? i % 2
                  ? -4 + 8 * u
                  : (i % 4 === 0 ? 1 : -1) * 10 ** (-20 + 40 * u)
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
    expect(sin(-Infinity)).toBeNaN();
    expect(cos(NaN)).toBeNaN();
    expect(Object.is(sin(-5e-324), -0) || sin(-5e-324) === -5e-324).toBe(true);
  });
  it("atan: special values, atan(-x) = -atan(x) bit for bit, monotone across its reduction's interval ends", () => {
    expect(atan(NaN)).toBeNaN();
    expect(atan(Infinity)).toBe(1.5707963267948966);
    expect(atan(-Infinity)).toBe(-1.5707963267948966);
    expect(Object.is(atan(-0), -0)).toBe(true);
    expect(atan(5e-324)).toBe(5e-324);
    expect(atan(1)).toBe(0.7853981633974483);
    const xs = ref.atan.map((r) => Number(r[0]));
    for (const x of xs) if (!Object.is(atan(-x), -atan(x))) throw new Error(`atan(-${x}) = ${atan(-x)}`);
    // Around each end k/64 +- 1/128 of the intervals (and 1/x of it) the neighbouring doubles' atan never decreases.
    for (let k = 0; k <= 128; k++) {
      for (const v of [k / 128, 128 / k]) {
        if (!(v > 0 && v < Infinity)) continue;
        let x = v;
        for (let i = 0; i < 8; i++) x -= x * 2 ** -53;
        for (let i = 0, prev = atan(x); i < 16; i++) {
          x += x * 2 ** -52;
          const y = atan(x);
          if (y < prev) throw new Error(`atan not monotone at ${x}: ${y} < ${prev}`);
          prev = y;
        }
      }
    }
  });
  it("sin(-x) = -sin(x) and cos(-x) = cos(x) bit for bit at every reference argument and 20 000 more", () => {
    const xs = [...ref.sin.map((r) => Number(r[0])), ...ref.cos.map((r) => Number(r[0]))];
    let s = 777;
    for (let i = 0; i < 20000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      xs.push((s / 4294967296) * 10 ** ((i % 40) - 10));
    }
    for (const x of xs) {
      if (!Object.is(sin(-x), -sin(x))) throw new Error(`sin(-${x}) = ${sin(-x)}, -sin(${x}) = ${-sin(x)}`);
      if (!Object.is(cos(-x), cos(x))) throw new Error(`cos(-${x}) = ${cos(-x)}, cos(${x}) = ${cos(x)}`);
    }
  });
  it("sincos gives the bits of sin and cos (its own code path) at every reference argument and 20 000 more", () => {
    const xs = [...ref.sin.map((r) => Number(r[0])), NaN, Infinity, -Infinity, -0];
    let s = 99;
    for (let i = 0; i < 20000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      xs.push((s / 4294967296 - 0.5) * 10 ** ((i % 30) - 9));
    }
    const out = new Float64Array(2);
    for (const x of xs) {
      sincos(x, out);
      if (!Object.is(out[0], sin(x)) || !Object.is(out[1], cos(x)))
        throw new Error(`sincos(${x}) = ${out[0]}, ${out[1]}; sin ${sin(x)}, cos ${cos(x)}`);
    }
  });
  it("below 2^20 pi/2, sin and cos through the Payne-Hanek reduction give the same bits as their own (Cody-Waite)", () => {
    // The doubles closest to multiples of pi/2 (from the reference) and random arguments over [1, 2^20 pi/2).
    const xs = ref.sin.map((r) => Math.abs(Number(r[0]))).filter((x) => x >= 1 && x < 1647099);
    let s = 4242;
    for (let i = 0; i < 5000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      xs.push(1 + (s / 4294967296) * 10 ** (i % 7));
    }
    let nearMultiples = 0;
    for (const x0 of xs) {
      for (const x of [x0, -x0]) {
        const [n, hi, lo] = reduceForTest(x);
        if (Math.abs(hi) < 1e-6) nearMultiples++;
        const s1 = sinOfReduced(n, hi, lo),
          c1 = sinOfReduced(n + 1, hi, lo);
        if (Math.abs(Math.abs(hi) - Math.PI / 4) < 1e-12) {
          // within rounding of an odd multiple of pi/4 either quadrant is right (and the kernels' results may differ)
          if (ulps(s1, sin(x)) > 1 || ulps(c1, cos(x)) > 1) throw new Error(`x = ${x}`);
          continue;
        }
        if (!Object.is(s1, sin(x)) || !Object.is(c1, cos(x)))
          throw new Error(`x = ${x}: Payne-Hanek ${s1} ${c1}, sin ${sin(x)}, cos ${cos(x)}`);
      }
    }
    expect(nearMultiples).toBeGreaterThan(20);
  });
});
