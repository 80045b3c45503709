// Log-spaced grids (sweep ranges, study sweeps, the particle-bath chain's temperature grid) are made with the
// portable exp/log of src/special/elementary.ts, so Node and a browser make the same points to the bit. The engine's
// own Math.exp/Math.log are not specified to the bit (V8's moved ~12 % of such points' last bit against the portable
// kernels): a grid made with them would pass every accuracy check here but the bit-for-bit one.
import { describe, expect, it } from "vitest";
import { exp, log } from "../../src/special/elementary.js";
import { parseRange, points } from "../../src/sweep/axes.js";
import { sweepValues } from "../../src/studies/schema.js";
import { logSpace } from "../../src/studies/particle-bath-chain/ndc.js";

const a = 0.037,
  b = 4.1e3,
  n = 101;
const portable = (lo: number, hi: number, t: number) => exp(log(lo) + t * (log(hi) - log(lo)));

function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Object.is(got[i], want[i]), `point ${i}: ${got[i]} vs ${want[i]}`).toBe(true);
}

describe("log-spaced grids use the portable exp/log", () => {
  const want = Array.from({ length: n }, (_, i) => (i === 0 ? a : i === n - 1 ? b : portable(a, b, i / (n - 1))));

  it("sweep ranges (ness sweep --log)", () => {
    expectSameBits(parseRange(`${a}:${b}:${n}`, "test", true, true).values, want);
  });

  it("study sweeps", () => {
    const got = sweepValues({ start: a, stop: b, count: n, spacing: "log" });
    const w = Array.from({ length: n }, (_, i) => exp(log(a) + ((log(b) - log(a)) * i) / (n - 1)));
    w[0] = a;
    w[n - 1] = b;
    expectSameBits(got, w);
  });

  it("the particle-bath chain's log grid", () => {
    const w = Array.from({ length: n }, (_, i) =>
      i === 0 ? a : i === n - 1 ? b : exp(log(a) + ((log(b) - log(a)) * i) / (n - 1)),
    );
    expectSameBits(logSpace(a, b, n), w);
  });

  it("a Latin hypercube over a log axis", () => {
    const axis = { name: "x", path: "x", lo: a, hi: b, log: true, values: [] as number[] };
    const got = points([axis], "latin", 200, 7);
    for (let i = 0; i < got.length; i++) {
      expect(got[i]).toBeGreaterThanOrEqual(a * (1 - 1e-15));
      expect(got[i]).toBeLessThan(b * (1 + 1e-15));
    }
    // The same seed, the same points.
    expectSameBits(points([axis], "latin", 200, 7), got);
  });

  it("the grids are accurate (each point within 4e-15 relative of a (b/a)^t)", () => {
    // t log(b/a) ~ 12 carries a rounding of ~1e-15 into the point; the engine's pow is accurate enough to check that.
    for (let i = 1; i < n - 1; i++) {
      const ref = a * Math.pow(b / a, i / (n - 1));
      expect(Math.abs(want[i] - ref) / ref).toBeLessThan(4e-15);
    }
  });
});
