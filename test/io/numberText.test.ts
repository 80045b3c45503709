// writeNumber (src/io/numberText.ts) must write exactly String(x): checked against the engine's own Number::toString
// on random doubles of every kind (random bit patterns, wide log-uniform magnitudes, short decimals, ratios of
// integers) and on the edges of its fast path (powers of two and ten, the ends of its range, zero, -0).
import { describe, expect, it } from "vitest";
import { writeNumber } from "../../src/io/numberText.js";

const out = new Uint8Array(64);
const decoder = new TextDecoder();
const text = (x: number) => decoder.decode(out.subarray(0, writeNumber(x, out, 0)));

/** A small seeded generator (xorshift32) so that a failure can be replayed. */
function xorshift(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function mismatches(xs: Iterable<number>): string[] {
  const bad: string[] = [];
  for (const x of xs) {
    const t = text(x);
    if (t !== String(x) && bad.length < 10) bad.push(`${String(x)} written as ${t}`);
  }
  return bad;
}

describe("writeNumber writes String(x) as bytes", () => {
  it("on the edges of the fast path", () => {
    const xs = [0, -0, 1, -1, 0.1, 0.2, 0.3, 0.5, 1.5, 100, 123456789, 1e-6, 1e-7, 1e-6 - 2e-22];
    xs.push(1e16, 1e17, 1e17 - 16, 1234567890123456 * 10 + 8, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e22);
    xs.push(2 ** -20, 2 ** 56, 2 ** 57, 1 / 3, 2 / 3, -2 / 3, 0.000001234, 4.998000162689903e-5);
    for (let e = -30; e <= 30; e++) xs.push(10 ** e, -(10 ** e), 2 ** e, 3 * 10 ** e, 10 ** e * (1 + 2 ** -52));
    expect(mismatches(xs)).toEqual([]);
    expect(text(-0)).toBe("0");
    expect(text(0.1)).toBe("0.1");
    expect(text(1 / 3)).toBe("0.3333333333333333");
  });

  it("on 10^5 doubles each of four kinds (seeded)", () => {
    const rand = xorshift(20261206);
    const bitsOf = new Float64Array(1);
    const words = new Uint32Array(bitsOf.buffer);
    const n = 100_000;
    const kinds: number[][] = [[], [], [], []];
    for (let i = 0; i < n; i++) {
      words[0] = (rand() * 2 ** 32) >>> 0;
      words[1] = (rand() * 2 ** 32) >>> 0;
      if (Number.isFinite(bitsOf[0])) kinds[0].push(bitsOf[0]); // any bit pattern
      kinds[1].push((rand() - 0.5) * 10 ** (rand() * 30 - 10)); // magnitudes 1e-10 .. 1e20, both signs
      kinds[2].push(Math.round(rand() * 1e7) / 1000); // short decimals (the slow path of 9 digits or fewer)
      kinds[3].push((i + 1) / 7 + i * 1e-6); // computed-looking values, 16-17 digits
    }
    for (const xs of kinds) expect(mismatches(xs)).toEqual([]);
  });
});
