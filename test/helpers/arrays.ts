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

/** A number as written in a failure message: -0 as -0. */
const show = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/**
 * The n x n row-major matrix `y` (n * n entries) is symmetric to the bit: y[i][j] and y[j][i] equal as toBe compares them (Object.is)
 * for every i > j. One assertion (an expect per entry costs microseconds: 10^5 entries cost a CPU-second); on failure
 * the first asymmetric pair in row order, with both entries.
 */
export function expectSymmetric(n: number, y: ArrayLike<number>, label = "matrix"): void {
  // First the length: a short array's missing entries would compare undefined with undefined and pass.
  expect(y.length, `${label}: length (n x n, n = ${n})`).toBe(n * n);
  let first: string | null = null;
  search: for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      if (!Object.is(y[i * n + j], y[j * n + i])) {
        first = `(${i}, ${j}): ${show(y[i * n + j])}, (${j}, ${i}): ${show(y[j * n + i])}`;
        break search;
      }
  expect(first, `${label}: first asymmetric entry`).toBeNull();
}

/**
 * `y` has n * n entries, and every entry (i, j) of the n x n row-major matrix `y` for which `where(i, j)` holds is 0 as toBe(0) has it (Object.is:
 * -0 is not 0). One assertion; on failure the first such entry that is not, in row order.
 */
export function expectZeroWhere(
  n: number,
  y: ArrayLike<number>,
  where: (i: number, j: number) => boolean,
  label = "matrix",
): void {
  // First the length: entries past a short array's end, where `where` does not hold, would go unseen.
  expect(y.length, `${label}: length (n x n, n = ${n})`).toBe(n * n);
  let first: string | null = null;
  search: for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (where(i, j) && !Object.is(y[i * n + j], 0)) {
        first = `(${i}, ${j}): ${show(y[i * n + j])}`;
        break search;
      }
  expect(first, `${label}: first entry that should be 0`).toBeNull();
}
