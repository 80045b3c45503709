// Log-spaced grids (sweep ranges, study sweeps, the particle-bath chain's temperature grid) are made with the
// portable exp/log of src/special/elementary.ts, so Node and a browser make the same points to the bit. The engine's
// own Math.exp/Math.log are not specified to the bit (V8's moved ~12 % of such points' last bit against the portable
// kernels): a grid made with them would pass every accuracy check here but the bit-for-bit one.
import { describe, expect, it } from "vitest";
import { exp, log } from "../../src/special/elementary.js";
import { parseRange, points } from "../../src/sweep/axes.js";
import { Rng } from "../../src/stochastic/rng.js";
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
    const m = 200,
      seed = 7;
    const got = points([axis], "latin", m, seed);
    // The same draws as points(): a Fisher-Yates permutation, then one uniform number per point inside its stratum.
    const rng = Rng.stream(seed, 0, 0x5eeb);
    const u = () => rng.nextUint32() / 4294967296;
    const perm = Array.from({ length: m }, (_, i) => i);
    for (let i = m - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const w = Array.from({ length: m }, (_, p) => portable(a, b, (perm[p] + u()) / m));
    expectSameBits(got, w);
  });

  it("the grids are accurate (each point within 4e-15 relative of a (b/a)^t)", () => {
    // t log(b/a) ~ 12 carries a rounding of ~1e-15 into the point; the engine's pow is accurate enough to check that.
    for (let i = 1; i < n - 1; i++) {
      const ref = a * Math.pow(b / a, i / (n - 1));
      expect(Math.abs(want[i] - ref) / ref).toBeLessThan(4e-15);
    }
  });
});
