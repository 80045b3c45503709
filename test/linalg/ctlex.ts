// Benchmark examples of continuous-time Lyapunov equations from CTLEX (D. Kressner, V. Mehrmann and T. Penzl,
// "CTLEX - a collection of benchmark examples for continuous-time Lyapunov equations", SLICOT Working Note 1999-6;
// SLICOT's BB03AD), the standard ones (E = I): Example 4.1 (a diagonal matrix made strongly non-normal by
// Householder reflections and a diagonal scaling) and Example 4.2 (the same transformations of a Jordan block: one
// defective eigenvalue). CTLEX writes A^T X + X A = Y; here they are returned in ness's convention
// A X + X A^T = Q, i.e. with A transposed, and Q = Y = -B^T B.
import { type Matrix, matrix } from "../../src/linalg/matrix.js";

function dense(n: number, f: (i: number, j: number) => number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = f(i, j);
  return out;
}

function mul(n: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/** H1 = I - (2/n) e e^T, H2 = I - (2/n) f f^T with f_i = (-1)^i, S = diag(s^i): CTLEX's transformations. */
function transformations(n: number, s: number) {
  const h1 = dense(n, (i, j) => (i === j ? 1 : 0) - 2 / n);
  const h2 = dense(n, (i, j) => (i === j ? 1 : 0) - (2 / n) * (-1) ** i * (-1) ** j);
  const S = dense(n, (i, j) => (i === j ? s ** i : 0));
  const Si = dense(n, (i, j) => (i === j ? s ** -i : 0));
  return { h1, h2, S, Si };
}

/** A0 -> H2 S H1 A0 H1 S^-1 H2 and b = b0 H1 S^-1 H2 (row vector); returns ness's (A^T, -b^T b). */
function finish(n: number, a0: Float64Array, b0: Float64Array, s: number): { A: Matrix; Q: Matrix } {
  const { h1, h2, S, Si } = transformations(n, s);
  const a = mul(n, mul(n, mul(n, mul(n, mul(n, mul(n, h2, S), h1), a0), h1), Si), h2);
  const bRow = new Float64Array(n * n);
  bRow.set(b0);
  const b = mul(n, mul(n, mul(n, bRow, h1), Si), h2).subarray(0, n);
  const at = dense(n, (i, j) => a[j * n + i]);
  return {
    A: matrix(n, n, at),
    Q: matrix(
      n,
      n,
      dense(n, (i, j) => -b[i] * b[j]),
    ),
  };
}

/** CTLEX Example 4.1 (n >= 2, r > 1, s > 1): eigenvalues -r^i; conditioning grows with r and s. */
export function ctlex41(n: number, r: number, s: number): { A: Matrix; Q: Matrix } {
  const a0 = dense(n, (i, j) => (i === j ? -(r ** i) : 0));
  return finish(
    n,
    a0,
    Float64Array.from({ length: n }, (_, i) => i + 1),
    s,
  );
}

/** CTLEX Example 4.2 (n >= 2, lambda < 0, s > 1): a Jordan block of eigenvalue lambda; conditioning grows with s. */
export function ctlex42(n: number, lambda: number, s: number): { A: Matrix; Q: Matrix } {
  const a0 = dense(n, (i, j) => (i === j ? lambda : j === i + 1 ? 1 : 0));
  return finish(
    n,
    a0,
    Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)),
    s,
  );
}
