// Reference values for the conditioning of A X + X A^T = Q, independent of the solvers under test: the Kronecker
// form of the Lyapunov operator on symmetric matrices (its n(n+1)/2 packed unknowns), factorised by Gaussian
// elimination with partial pivoting in double-double arithmetic (about 32 significant digits), so that condition
// numbers up to ~1e20 still give accurate inverses. ||L^-1||_F = 1 / sigma_min(I (x) A + A (x) I) (Byers and Nash:
// the smallest singular value of the Lyapunov operator has a symmetric singular vector); the test checks this against
// the full n^2 x n^2 Kronecker matrix.
import { symmetricEigen } from "../../src/linalg/eigen.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";

// ---- double-double arithmetic: a value is hi + lo with |lo| <= ulp(hi) / 2 ----------------------------------------
const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a),
    al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b),
    bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

type DD = [number, number];

function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  const [t, f] = twoSum(x[1], y[1]);
  const [s2, e2] = twoSum(s, e + t);
  return twoSum(s2, e2 + f);
}

function mul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return twoSum(p, e + (x[0] * y[1] + x[1] * y[0]));
}

function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = add(x, neg(mul([q1, 0], y)));
  const q2 = r[0] / y[0];
  const r2 = add(r, neg(mul([q2, 0], y)));
  const q3 = r2[0] / y[0];
  return add(twoSum(q1, q2), [q3, 0]);
}

function neg(x: DD): DD {
  return [-x[0], -x[1]];
}

// ---- the packed Lyapunov operator ------------------------------------------------------------------------------

/** Packed index of the unknowns X_ij, i <= j, row by row. */
function packedIndex(n: number): Int32Array {
  const t = new Int32Array(n * n);
  let u = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      t[i * n + j] = u;
      t[j * n + i] = u;
      u++;
    }
  }
  return t;
}

/**
 * The exact inverse of the packed m x m Kronecker matrix of X -> A X + X A^T (rows: equations (i, j), i <= j;
 * columns: unknowns X_ij = X_ji), rounded to double, and its solution of the packed right-hand side of q (if given).
 */
function packedInverse(a: Matrix, q?: Matrix): { inverse: Float64Array; solution?: Float64Array; m: number } {
  const n = a.rows;
  const m = (n * (n + 1)) / 2;
  const idx = packedIndex(n);
  const cols = m + m + (q ? 1 : 0); // [K | I | rhs]
  const hi = new Float64Array(m * cols),
    lo = new Float64Array(m * cols);
  const at = (r: number, c: number): DD => [hi[r * cols + c], lo[r * cols + c]];
  const set = (r: number, c: number, v: DD): void => {
    hi[r * cols + c] = v[0];
    lo[r * cols + c] = v[1];
  };
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      for (let k = 0; k < n; k++) {
        set(r, idx[k * n + j], add(at(r, idx[k * n + j]), [a.data[i * n + k], 0]));
        set(r, idx[i * n + k], add(at(r, idx[i * n + k]), [a.data[j * n + k], 0]));
      }
      set(r, m + r, [1, 0]);
      if (q) set(r, 2 * m, [0.5 * (q.data[i * n + j] + q.data[j * n + i]), 0]);
      r++;
    }
  }
  // Gauss-Jordan elimination with partial pivoting
  for (let k = 0; k < m; k++) {
    let p = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(hi[i * cols + k]) > Math.abs(hi[p * cols + k])) p = i;
    if (hi[p * cols + k] === 0) throw new Error("kroneckerTruth: singular Kronecker matrix");
    if (p !== k) {
      for (let c = 0; c < cols; c++) {
        const h = hi[k * cols + c],
          l = lo[k * cols + c];
        hi[k * cols + c] = hi[p * cols + c];
        lo[k * cols + c] = lo[p * cols + c];
        hi[p * cols + c] = h;
        lo[p * cols + c] = l;
      }
    }
    const pivot = at(k, k);
    for (let c = k; c < cols; c++) set(k, c, div(at(k, c), pivot));
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const f = at(i, k);
      if (f[0] === 0) continue;
      for (let c = k; c < cols; c++) {
        const v = at(k, c);
        if (v[0] === 0) continue;
        set(i, c, add(at(i, c), neg(mul(f, v))));
      }
    }
  }
  const inverse = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) inverse[i * m + j] = hi[i * cols + m + j] + lo[i * cols + m + j];
  let solution: Float64Array | undefined;
  if (q) solution = Float64Array.from({ length: m }, (_, i) => hi[i * cols + 2 * m] + lo[i * cols + 2 * m]);
  return { inverse, solution, m };
}

/** Largest singular value of the m x m row-major b. */
function largestSingularValue(m: number, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  const g = matrix(m, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += (b[k * m + i] / scale) * (b[k * m + j] / scale);
      g.data[i * m + j] = s;
    }
  }
  const { values } = symmetricEigen(g);
  return scale * Math.sqrt(values[m - 1]);
}

/**
 * ||L^-1||_F = 1 / sep(A, -A^T) of L(X) = A X + X A^T on symmetric matrices, and (given Q) the solution X of
 * A X + X A^T = Q, both accurate to many digits even when the condition number approaches 1e20.
 */
export function kroneckerTruth(a: Matrix, q?: Matrix): { inverseNorm: number; X?: Matrix } {
  const n = a.rows;
  const { inverse, solution, m } = packedInverse(a, q);
  // Frobenius coordinates: X_ij (i < j) counts twice in ||X||_F^2, so scale the packed coordinates by sqrt(w)
  const w = new Float64Array(m);
  let u = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w[u++] = i === j ? 1 : Math.SQRT2;
  const scaled = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) scaled[i * m + j] = (w[i] * inverse[i * m + j]) / w[j];
  const inverseNorm = largestSingularValue(m, scaled);
  let X: Matrix | undefined;
  if (solution) {
    X = matrix(n, n);
    const idx = packedIndex(n);
    for (let k = 0; k < n * n; k++) X.data[k] = solution[idx[k]];
  }
  return { inverseNorm, X };
}

/** 1 / sigma_min of the full n^2 x n^2 Kronecker matrix I (x) A + A (x) I, in double precision (moderate cases). */
export function fullKroneckerInverseNorm(a: Matrix): number {
  const n = a.rows,
    N = n * n;
  const K = new Float64Array(N * N);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const row = (i * n + j) * N;
      for (let k = 0; k < n; k++) {
        K[row + k * n + j] += a.data[i * n + k];
        K[row + i * n + k] += a.data[j * n + k];
      }
    }
  }
  // inverse by Gauss-Jordan with partial pivoting
  const inv = new Float64Array(N * N);
  for (let i = 0; i < N; i++) inv[i * N + i] = 1;
  for (let k = 0; k < N; k++) {
    let p = k;
    for (let i = k + 1; i < N; i++) if (Math.abs(K[i * N + k]) > Math.abs(K[p * N + k])) p = i;
    for (let c = 0; c < N; c++) {
      [K[k * N + c], K[p * N + c]] = [K[p * N + c], K[k * N + c]];
      [inv[k * N + c], inv[p * N + c]] = [inv[p * N + c], inv[k * N + c]];
    }
    const d = K[k * N + k];
    for (let c = 0; c < N; c++) {
      K[k * N + c] /= d;
      inv[k * N + c] /= d;
    }
    for (let i = 0; i < N; i++) {
      if (i === k) continue;
      const f = K[i * N + k];
      if (f === 0) continue;
      for (let c = 0; c < N; c++) {
        K[i * N + c] -= f * K[k * N + c];
        inv[i * N + c] -= f * inv[k * N + c];
      }
    }
  }
  return largestSingularValue(N, inv);
}

/**
 * ||L^-1||_1 on symmetric matrices with the entrywise 1-norm sum_ij |X_ij| (the quantity the condition estimator
 * bounds from below, in the basis of A): the largest ||L^-1(E)||_1 over E = E_ii and (E_ij + E_ji) / 2.
 */
export function inverseOneNorm(a: Matrix): number {
  const n = a.rows;
  const { inverse, m } = packedInverse(a);
  const w = new Float64Array(m);
  let u = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w[u++] = i === j ? 1 : 2;
  // packed column k solves L(Y) = C with C_ij = C_ji = 1: ||C||_1 = w_k, ||Y||_1 = sum_l w_l |Y_l|
  let best = 0;
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let l = 0; l < m; l++) s += w[l] * Math.abs(inverse[l * m + k]);
    best = Math.max(best, s / w[k]);
  }
  return best;
}
