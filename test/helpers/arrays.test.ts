// The long-array comparison reports the first difference, and is as strict as toEqual on numbers.
import { describe, expect, it } from "vitest";
import { expectSameArray, expectSymmetric, expectZeroWhere } from "./arrays.js";

describe("expectSameArray", () => {
  it("passes equal arrays (NaN equals NaN) and names the first difference, a length or 0 against -0", () => {
    expectSameArray(Float64Array.of(1, NaN, 3), [1, NaN, 3]);
    expectSameArray([1n, 2n], BigInt64Array.of(1n, 2n));
    const big = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const other = big.map((x) => x + 1);
    expect(() => expectSameArray(big, other)).toThrow(/index: \+0, got: \+0, want: 1/);
    const late = big.slice();
    late[99_999] = -1;
    expect(() => expectSameArray(late, big)).toThrow(/index: 99999, got: -1, want: 99999/);
    expect(() => expectSameArray([1, 2], [1, 2, 3])).toThrow(/length/);
    expect(() => expectSameArray([0], [-0])).toThrow(/first differing entry/);
  });
});

describe("expectSymmetric and expectZeroWhere", () => {
  it("pass what an expect per entry passes and fail where it fails, naming the first entry", () => {
    const n = 300;
    const y = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) y[i * n + j] = y[j * n + i] = i < 200 && j < 200 ? i + j + 0.5 : 0;
    y[5 * n + 5] = NaN; // the diagonal is not compared
    expectSymmetric(n, y);
    expectZeroWhere(n, y, (i, j) => i >= 200 || j >= 200);
    const late = y.slice();
    late[299 * n + 298] = 1e-300;
    expect(() => expectSymmetric(n, late)).toThrow(/\(299, 298\): 1e-300, \(298, 299\): 0/);
    expect(() => expectZeroWhere(n, late, (i, j) => i >= 200 || j >= 200)).toThrow(/\(299, 298\): 1e-300/);
    expectZeroWhere(n, late, (i, j) => i < 299 && (i >= 200 || j >= 200));
    const nan = y.slice();
    nan[1 * n + 0] = nan[0 * n + 1] = NaN; // NaN equals NaN (Object.is), as toBe has it
    expectSymmetric(n, nan);
    const signed = y.slice();
    signed[250 * n + 3] = -0; // -0 is not +0
    expect(() => expectSymmetric(n, signed)).toThrow(/\(250, 3\): -0, \(3, 250\): 0/);
    expect(() => expectZeroWhere(n, signed, (i) => i >= 200)).toThrow(/\(250, 3\): -0/);
  });

  it("fail a short or long array (missing entries would compare undefined with undefined)", () => {
    const n = 3;
    const sym = Float64Array.of(1, 2, 0, 2, 1, 0, 0, 0, 1);
    expectSymmetric(n, sym);
    expectZeroWhere(n, sym, (i, j) => i !== j && (i === 2 || j === 2));
    // Every pair compared is missing: undefined against undefined.
    expect(() => expectSymmetric(n, sym.subarray(0, 1))).toThrow(/length \(n x n, n = 3\)/);
    // The entry asked to be 0 is there; the rest is cut off.
    expect(() => expectZeroWhere(n, sym.subarray(0, 5), (i, j) => i * n + j === 2)).toThrow(/length/);
    expect(() => expectSymmetric(n, [...sym, 0])).toThrow(/length/);
    expect(() => expectZeroWhere(n, [...sym, 0], () => false)).toThrow(/length/);
  });
});
