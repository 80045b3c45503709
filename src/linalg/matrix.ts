/**
 * Dense real matrices stored row-major in a Float64Array, and the small helpers every kernel shares.
 * Element (i, j) of an r x c matrix is data[i * c + j]. Bad arguments throw MatrixArgumentError.
 */
import { MatrixArgumentError } from "./errors.js";
import type { Matrix } from "./types.js";
import { MAX_MATRIX_ENTRIES, checkDimension, checkMatrix, checkSquare } from "./validate.js";

export type { Matrix } from "./types.js";

/**
 * A rows x cols matrix, zero-filled or wrapping (not copying) the given data (a Float64Array, or an array of numbers,
 * copied).
 *
 * @example
 * ```ts
 * import { matrix } from "ness/linalg";
 *
 * const m = matrix(2, 3, [1, 2, 3, 4, 5, 6]); // row-major
 * console.log(m.data[1 * 3 + 0]); // => 4
 * ```
 */
export function matrix(rows: number, cols: number, data?: Float64Array | ArrayLike<number>): Matrix {
  checkDimension(rows, "matrix: rows");
  checkDimension(cols, "matrix: cols");
  if (rows * cols > MAX_MATRIX_ENTRIES) {
    throw new MatrixArgumentError(
      `matrix: ${rows}x${cols} is too large (${rows * cols} entries; at most ${MAX_MATRIX_ENTRIES}, 1 GiB)`,
    );
  }
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data instanceof Float64Array) {
    if (data.length !== rows * cols) {
      throw new MatrixArgumentError(`matrix ${rows}x${cols} needs ${rows * cols} entries, got ${data.length}`);
    }
    return { rows, cols, data };
  }
  if (typeof data !== "object" || data === null || typeof data.length !== "number") {
    throw new MatrixArgumentError(`matrix: data must be a Float64Array or an array of numbers, got ${typeof data}`);
  }
  if (data.length !== rows * cols) {
    throw new MatrixArgumentError(`matrix ${rows}x${cols} needs ${rows * cols} entries, got ${data.length}`);
  }
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < out.length; k++) {
    const v = data[k];
    if (typeof v !== "number") {
      throw new MatrixArgumentError(`matrix: entry ${k} is ${v === null ? "null" : typeof v}, not a number`);
    }
    out[k] = v;
  }
  return { rows, cols, data: out };
}

/**
 * Matrix from nested arrays (row by row) of numbers.
 *
 * @example
 * ```ts
 * import { fromRows } from "ness/linalg";
 *
 * console.log(fromRows([[1, 2], [3, 4]]).data.join(",")); // => 1,2,3,4
 * ```
 */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
  if (typeof rows !== "object" || rows === null || typeof rows.length !== "number") {
    throw new MatrixArgumentError("fromRows needs an array of rows (arrays of numbers)");
  }
  const r = rows.length;
  const first = r === 0 ? [] : rows[0];
  if (typeof first !== "object" || first === null || typeof first.length !== "number") {
    throw new MatrixArgumentError("fromRows: row 0 is not an array of numbers");
  }
  const c = first.length;
  if (r * c > MAX_MATRIX_ENTRIES) throw new MatrixArgumentError(`fromRows: ${r}x${c} is too large`);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (typeof row !== "object" || row === null || typeof row.length !== "number") {
      throw new MatrixArgumentError(`fromRows: row ${i} is not an array of numbers`);
    }
    if (row.length !== c) throw new MatrixArgumentError(`fromRows: row ${i} has ${row.length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) {
      const v = row[j];
      if (typeof v !== "number") {
        throw new MatrixArgumentError(
          `fromRows: entry (${i}, ${j}) is ${v === null ? "null" : typeof v}, not a number`,
        );
      }
      out[i * c + j] = v;
    }
  }
  return { rows: r, cols: c, data: out };
}

/**
 * Nested arrays (row by row), for JSON output.
 *
 * @example
 * ```ts
 * import { identity, toRows } from "ness/linalg";
 *
 * console.log(JSON.stringify(toRows(identity(2)))); // => [[1,0],[0,1]]
 * ```
 */
export function toRows(m: Matrix): number[][] {
  checkMatrix(m, "toRows");
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * The n x n identity matrix.
 *
 * @example
 * ```ts
 * import { identity } from "ness/linalg";
 *
 * console.log(identity(3).data.join("")); // => 100010001
 * ```
 */
export function identity(n: number): Matrix {
  checkDimension(n, "identity: n", true);
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * A copy of the matrix (its own data).
 *
 * @example
 * ```ts
 * import { clone, fromRows } from "ness/linalg";
 *
 * const a = fromRows([[1, 2]]);
 * const b = clone(a);
 * b.data[0] = 9;
 * console.log(a.data[0]); // => 1
 * ```
 */
export function clone(m: Matrix): Matrix {
  checkMatrix(m, "clone");
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/**
 * The transpose, as a new matrix.
 *
 * @example
 * ```ts
 * import { fromRows, toRows, transpose } from "ness/linalg";
 *
 * console.log(JSON.stringify(toRows(transpose(fromRows([[1, 2, 3]]))))); // => [[1],[2],[3]]
 * ```
 */
export function transpose(m: Matrix): Matrix {
  checkMatrix(m, "transpose");
  const out = matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/**
 * C = A B (allocates C unless given; `out` must not be a or b).
 *
 * @example
 * ```ts
 * import { fromRows, multiply } from "ness/linalg";
 *
 * console.log(multiply(fromRows([[1, 2], [3, 4]]), fromRows([[0, 1], [1, 0]])).data.join(",")); // => 2,1,4,3
 * ```
 */
export function multiply(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  checkMatrix(a, "multiply: A");
  checkMatrix(b, "multiply: B");
  if (a.cols !== b.rows) {
    throw new MatrixArgumentError(`multiply: cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  }
  if (out !== undefined) {
    checkMatrix(out, "multiply: out");
    if (out.rows !== a.rows || out.cols !== b.cols) {
      throw new MatrixArgumentError(`multiply: out must be ${a.rows}x${b.cols}, got ${out.rows}x${out.cols}`);
    }
    if (out.data === a.data || out.data === b.data) throw new MatrixArgumentError("multiply: out must not be A or B");
  }
  const n = a.rows,
    m = b.cols,
    k = a.cols;
  const c = out ?? matrix(n, m);
  const A = a.data,
    B = b.data,
    C = c.data;
  C.fill(0);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let l = 0; l < k; l++) {
      const ail = A[i * k + l];
      if (ail === 0) continue;
      const bl = l * m;
      for (let j = 0; j < m; j++) C[ci + j] += ail * B[bl + j];
    }
  }
  return c;
}

/**
 * Frobenius norm.
 *
 * @example
 * ```ts
 * import { fromRows, frobeniusNorm } from "ness/linalg";
 *
 * console.log(frobeniusNorm(fromRows([[3, 0], [0, 4]]))); // => 5
 * ```
 */
export function frobeniusNorm(m: Matrix): number {
  checkMatrix(m, "frobeniusNorm");
  let s = 0;
  let scale = 0;
  for (const x of m.data) scale = Math.max(scale, Math.abs(x));
  if (scale === 0) return 0;
  for (const x of m.data) {
    const y = x / scale;
    s += y * y;
  }
  return scale * Math.sqrt(s);
}

/**
 * Largest |entry|.
 *
 * @example
 * ```ts
 * import { fromRows, maxAbs } from "ness/linalg";
 *
 * console.log(maxAbs(fromRows([[1, -7], [3, 2]]))); // => 7
 * ```
 */
export function maxAbs(m: Matrix): number {
  checkMatrix(m, "maxAbs");
  let s = 0;
  for (const x of m.data) s = Math.max(s, Math.abs(x));
  return s;
}

/**
 * Symmetrise in place: X <- (X + X^T)/2.
 *
 * @example
 * ```ts
 * import { fromRows, symmetrize } from "ness/linalg";
 *
 * console.log(symmetrize(fromRows([[1, 2], [0, 1]])).data.join(",")); // => 1,1,1,1
 * ```
 */
export function symmetrize(m: Matrix): Matrix {
  checkSquare(m, "symmetrize");
  const n = m.rows,
    d = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (d[i * n + j] + d[j * n + i]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return m;
}
