import { describe, expect, it } from "vitest";
import { ModelError } from "../../../src/errors.js";
import { configurationStructure } from "../../../src/studies/two-temperature/demixing.js";

/** An n x n square lattice of spacing 1 in a box of side n, cold disks in the stripe x < n/2. */
function stripe(n: number) {
  const N = n * n;
  const x = new Float64Array(2 * N),
    cold = new Uint8Array(N);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      x[2 * (i * n + j)] = i + 0.5;
      x[2 * (i * n + j) + 1] = j + 0.5;
      cold[i * n + j] = i < n / 2 ? 1 : 0;
    }
  return { x, cold, box: [n, n] as [number, number] };
}

describe("configurationStructure", () => {
  it("gives S_cc(q_min) proportional to N for a separated stripe: 1 / (4 sin^2(pi / n)) exactly, by modes and by grid", () => {
    // The smallest shell holds (1,0), (0,1), (1,1), (-1,1); only (1,0) sees the stripe, |rho|^2 = n^2 / sin^2(pi / n).
    const small = stripe(20),
      large = stripe(60);
    const a = configurationStructure(small.x, small.cold, small.box),
      b = configurationStructure(large.x, large.cold, large.box);
    expect(a.method).toBe("modes");
    expect(b.method).toBe("fft");
    expect(a.ideal).toBe(0.25);
    expect(a.sccLowQ).toBeCloseTo(1 / (4 * Math.sin(Math.PI / 20) ** 2), 8);
    expect(Math.abs(b.sccLowQ / (1 / (4 * Math.sin(Math.PI / 60) ** 2)) - 1)).toBeLessThan(1e-3);
    // The domain size follows the box: L grows with it.
    expect(b.lengthScale / a.lengthScale).toBeGreaterThan(2.5);
  });

  it("rejects mismatched labels and a bad range", () => {
    const s = stripe(4);
    expect(() => configurationStructure(s.x, s.cold.subarray(1), s.box)).toThrow(ModelError);
    expect(() => configurationStructure(s.x, s.cold, s.box, 0)).toThrow(/range/);
  });
});
