/**
 * Products of a sparse square matrix, held as compressed rows, with a dense row-major matrix: the residual of the
 * Lyapunov solver (lyapunov.ts) when A is a network's drift matrix (a few nonzeros per row), which then costs
 * 2 nnz(A) n flops instead of the 2 n^3 of a dense product. Internal to src/linalg (not re-exported).
 */

/** Compressed rows of an n x n matrix: the nonzeros of row i are val[ptr[i] .. ptr[i+1]), in columns idx[...]. */
export interface CompressedRows {
  n: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

/**
 * The compressed rows of the n x n row-major `a`, or null when it has more than `maxNonzeros` nonzeros (the scan
 * stops there: O(n^2) at most).
 */
export function compressRows(n: number, a: Float64Array, maxNonzeros: number): CompressedRows | null {
  let nnz = 0;
  for (let k = 0; k < n * n; k++) if (a[k] !== 0 && ++nnz > maxNonzeros) return null;
  const ptr = new Int32Array(n + 1),
    idx = new Int32Array(nnz),
    val = new Float64Array(nnz);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < n; j++) {
      const v = a[ri + j];
      if (v !== 0) {
        idx[q] = j;
        val[q++] = v;
      }
    }
    ptr[i + 1] = q;
  }
  return { n, ptr, idx, val };
}

/** out = A X for the compressed A (n x n) and the dense row-major n x m `x` (out n x m, not aliasing x). */
export function compressedTimesDense(a: CompressedRows, x: Float64Array, m: number, out: Float64Array): void {
  const { n, ptr, idx, val } = a;
  out.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let q = ptr[i]; q < ptr[i + 1]; q++) {
      const v = val[q],
        xk = idx[q] * m;
      for (let j = 0; j < m; j++) out[oi + j] += v * x[xk + j];
    }
  }
}
