// Compressed rows of a sparse square matrix and its product with a dense matrix (the Lyapunov residual's A X for a
// network's drift matrix), against the dense product.
import { describe, expect, it } from "vitest";
import { compressRows, compressedTimesDense } from "../../src/linalg/sparseProduct.js";
import { normalRng } from "../helpers/random.js";

describe("compressed rows", () => {
  it("multiplies like the dense product (same sums without the zero terms)", () => {
    const n = 37,
      m = 11;
    const r = normalRng(5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = r.normal();
      if (i + 3 < n) a[i * n + i + 3] = r.normal();
      if (i > 0) a[i * n + i - 1] = r.normal();
    }
    a[n * n - 1] = 0; // an explicit zero stays out
    const x = Float64Array.from({ length: n * m }, () => r.normal());
    const rows = compressRows(n, a, n * n);
    expect(rows).not.toBeNull();
    expect(rows!.ptr[n]).toBe(a.filter((v) => v !== 0).length);
    const out = new Float64Array(n * m).fill(NaN); // overwritten, not accumulated
    compressedTimesDense(rows!, x, m, out);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * m + j];
        expect(out[i * m + j]).toBeCloseTo(s, 13);
      }
    }
  });

  it("gives up beyond the allowed number of nonzeros", () => {
    const a = Float64Array.from({ length: 16 }, (_, k) => (k % 3 === 0 ? 1 : 0)); // 6 nonzeros
    expect(compressRows(4, a, 5)).toBeNull();
    expect(compressRows(4, a, 6)?.ptr[4]).toBe(6);
  });
});
