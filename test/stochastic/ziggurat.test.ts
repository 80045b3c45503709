// The ziggurat's pinned tables (src/stochastic/zigguratTables.ts): the file is what scripts/ziggurat-tables.js computes
// (correctly rounded exp and log in BigInt fixed point), the tables satisfy their defining relations checked here with
// the engine's Math.exp and Math.log (a few units in the last place apart from correctly rounded), and the seeded
// streams that use them are the ones ness has drawn since the tables were computed at start-up.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CounterRng, counterNormalsJs } from "../../src/stochastic/counterRng.js";
import { Rng } from "../../src/stochastic/rng.js";
import { FN, KN, WN, ZIG_R, ZIG_V } from "../../src/stochastic/zigguratTables.js";

const M1 = 2 ** 24;
/** The spacing of doubles at |x| (normal range). */
const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
const x = (i: number) => WN[i] * M1;
const sha = (...arrays: ArrayBufferView[]) => {
  const h = createHash("sha256");
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex");
};

describe("ziggurat tables", () => {
  it("are what scripts/ziggurat-tables.js computes (--check)", () => {
    const r = spawnSync(process.execPath, ["scripts/ziggurat-tables.js", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/zigguratTables\.ts is up to date/);
  });

  it("are the tables the seeded streams have always used (their bytes' hash)", () => {
    expect(sha(KN, WN, FN)).toBe("fa00481abeeba68235bd15111afeae36ee3bc177e1741456bbaff59bce94b79c");
  });

  it("have heights exp(-x_i^2 / 2) at their abscissae and follow the recurrence, to 2-4 units in the last place", () => {
    expect(x(127)).toBe(ZIG_R);
    expect(FN[0]).toBe(1);
    for (let i = 1; i < 128; i++) {
      if (i > 1) expect(x(i)).toBeGreaterThan(x(i - 1)); // x_1 < ... < x_127 = r (WN[0] is the base layer's)
      expect(Math.abs(FN[i] - Math.exp(-0.5 * x(i) * x(i)))).toBeLessThanOrEqual(2 * ulp(FN[i]));
    }
    for (let i = 1; i < 127; i++) {
      const xi = Math.sqrt(-2 * Math.log(ZIG_V / x(i + 1) + Math.exp(-0.5 * x(i + 1) * x(i + 1))));
      expect(Math.abs(xi - x(i))).toBeLessThanOrEqual(4 * ulp(x(i)));
    }
  });

  it("cut the density into layers of equal area v, the base layer with the tail included", () => {
    // layer i (1 <= i <= 126): the rectangle [0, x_(i+1)] x [f(x_(i+1)), f(x_i)]
    for (let i = 1; i < 127; i++) expect(Math.abs(x(i + 1) * (FN[i] - FN[i + 1]) - ZIG_V)).toBeLessThan(1e-13 * ZIG_V);
    // the top layer [0, x_1] x [f(x_1), 1] closes the ziggurat to the accuracy of r and v's digits (13 and 15)
    expect(Math.abs(x(1) * (1 - FN[1]) - ZIG_V)).toBeLessThan(1e-8 * ZIG_V);
    // base: r f(r) plus the tail integral of exp(-t^2 / 2) beyond r (Mills ratio by its continued fraction, which
    // converges fast at r = 3.44: 200 terms are far more than enough)
    let cf = 0;
    for (let k = 200; k >= 1; k--) cf = k / (ZIG_R + cf);
    const tail = Math.exp(-0.5 * ZIG_R * ZIG_R) / (ZIG_R + cf);
    expect(Math.abs(ZIG_R * FN[127] + tail - ZIG_V)).toBeLessThan(1e-14 * ZIG_V);
    // the base layer's width q = v / f(r) (a draw beyond r goes to the tail)
    expect(WN[0] * M1).toBe(ZIG_V / FN[127]);
  });

  it("accept at once the draws inside the next layer up (thresholds floor(x_(i-1) / x_i 2^24))", () => {
    expect(KN[0]).toBe(Math.floor((ZIG_R / (ZIG_V / FN[127])) * M1));
    expect(KN[1]).toBe(0);
    for (let i = 1; i < 127; i++) expect(KN[i + 1]).toBe(Math.floor((x(i) / x(i + 1)) * M1));
  });
});

describe("seeded normal streams", () => {
  // Hashes of the numbers drawn before the tables were pinned (computed then from the same calls): the xoshiro stream
  // (two fills and single draws: 5000 numbers, with tail and wedge draws) and the counter stream (1024 numbers at
  // steps 0 and 1000).
  it("are unchanged", () => {
    const a = new Float64Array(5000);
    const r = Rng.stream(12345, 0, 1);
    r.fillNormal(a, 0, 3000);
    for (let k = 3000; k < 4000; k++) a[k] = r.normal();
    r.fillNormal(a, 4000, 1000);
    expect(sha(a).slice(0, 16)).toBe("1129343fc0644a3d");
    const c = new Float64Array(2048);
    const cr = CounterRng.counterStream(12345, 0, 0);
    counterNormalsJs(c, 0, 0, 1024, cr.stepKey0(), cr.stepKey1(), cr.state[2]);
    for (let q = 0; q < 1000; q++) cr.skip();
    counterNormalsJs(c, 1024, 0, 1024, cr.stepKey0(), cr.stepKey1(), cr.state[2]);
    expect(sha(c).slice(0, 16)).toBe("18379a3fce6d9fe3");
  });
});
