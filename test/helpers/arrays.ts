// Long arrays compared entry by entry, reported by their first difference. toEqual's diff of two arrays of 10^4 to
// 10^5 entries that differ nearly everywhere takes minutes (a mutant or a wrong kernel then hangs the file instead of
// failing it); this reports the length, or the first index where they differ, at once.
import { expect } from "vitest";

/**
 * `got` and `want` have the same length and the same entries, compared as toEqual compares numbers (Object.is: NaN
 * equals NaN, 0 and -0 differ; bigints by value). On failure: the first differing index, with both entries.
 */
export function expectSameArray(
  got: ArrayLike<number | bigint>,
  want: ArrayLike<number | bigint>,
  label = "arrays",
): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  let i = 0;
  while (i < want.length && Object.is(got[i], want[i])) i++;
  const first = i < want.length ? { index: i, got: got[i], want: want[i] } : null;
  expect(first, `${label}: first differing entry`).toBeNull();
}
