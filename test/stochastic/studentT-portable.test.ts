/**
 * Student's two-sided tail (src/studentT.ts), which sets how many error bars make an estimate resolved, uses the
 * portable atan, sin and cos (src/special/elementary.ts): an engine whose Math functions round otherwise gets the
 * same bits, so Node and a browser agree on every flag. Checked by perturbing the Math functions' last bits.
 */
import { describe, expect, it, vi } from "vitest";

const NAMES = ["atan", "sin", "cos", "tan", "exp", "log", "log1p", "pow", "atan2"] as const;

/** Runs f while every Math function of NAMES returns other last bits; returns f's result and which were called. */
async function perturbed<T>(f: () => Promise<T>): Promise<{ value: T; called: string[] }> {
  const spies = NAMES.map((name) => {
    const real = Math[name] as (...a: number[]) => number;
    return vi.spyOn(Math, name).mockImplementation((...a: number[]) => real(...a) * (1 + 2 ** -50));
  });
  try {
    const value = await f();
    return { value, called: NAMES.filter((_, i) => spies[i].mock.calls.length > 0) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** A fresh copy of the module (resolvedStandardErrors caches its thresholds). */
async function fresh() {
  vi.resetModules();
  return import("../../src/studentT.js");
}

function tails(m: Awaited<ReturnType<typeof fresh>>): number[] {
  const out: number[] = [];
  for (const df of [1, 2, 3, 4, 5, 7, 8, 15, 31, 64, 999, 1000, 5000])
    for (const t of [0, 0.3, 1, 2.5, 4, 7.77, 32.6, 1e4]) out.push(m.studentTwoSidedTail(t, df));
  return out;
}

describe("Student's tail and the resolved threshold are engine-independent", () => {
  it("give the same bits whatever the engine's atan, sin, cos, exp and log", async () => {
    const m = await fresh();
    const before = tails(m);
    const thresholds = [2, 3, 4, 8, 16, 33, 1001].map((n) => m.resolvedStandardErrors(n));
    const after = await perturbed(async () => {
      const m2 = await fresh();
      return { tails: tails(m2), thresholds: [2, 3, 4, 8, 16, 33, 1001].map((n) => m2.resolvedStandardErrors(n)) };
    });
    expect(after.called).toEqual([]);
    expect(after.value.tails).toEqual(before);
    expect(after.value.thresholds).toEqual(thresholds);
  });
});
