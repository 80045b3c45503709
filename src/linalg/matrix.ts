/**
 * Dense real matrices stored row-major in a Float64Array, and the small helpers every kernel shares.
 * Element (i, j) of an r x c matrix is data[i * c + j].
 */

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A rows x cols matrix, zero-filled or wrapping (not copying) the given data. */
export function matrix(rows: number, cols: number, data?: Float64Array | ArrayLike<number>): Matrix {
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix ${rows}x${cols} needs ${rows * cols} entries, got ${data.length}`);
  }
  return { rows, cols, data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

/** Matrix from nested arrays (row by row). */
export function fromRows(rows: ArrayLike<ArrayLike<number>>): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError(`row ${i} has ${rows[i].length} entries, expected ${c}`);
    for (let j = 0; j < c; j++) out[i * c + j] = rows[i][j];
  }
  return { rows: r, cols: c, data: out };
}

/** Nested arrays (row by row), for JSON output. */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

export function transpose(m: Matrix): Matrix {
  const out = matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/** C = A B (allocates C unless given). */
export function multiply(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const n = a.rows, m = b.cols, k = a.cols;
  const c = out ?? matrix(n, m);
  const A = a.data, B = b.data, C = c.data;
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

/** Frobenius norm. */
export function frobeniusNorm(m: Matrix): number {
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

/** Largest |entry|. */
export function maxAbs(m: Matrix): number {
  let s = 0;
  for (const x of m.data) s = Math.max(s, Math.abs(x));
  return s;
}

/** Symmetrise in place: X <- (X + X^T)/2. */
export function symmetrize(m: Matrix): Matrix {
  const n = m.rows, d = m.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (d[i * n + j] + d[j * n + i]);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return m;
}
