// The long-array comparison reports the first difference, and is as strict as toEqual on numbers.
import { describe, expect, it } from "vitest";
import { expectSameArray } from "./arrays.js";

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
