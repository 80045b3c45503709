/**
 * Argument checks shared by the exported linear-algebra routines: each throws MatrixArgumentError with a message
 * naming the routine and the argument. They cost O(1), except checkFinite, checkMagnitude and checkFiniteMagnitude (one
 * pass over the entries).
 */
import { MatrixArgumentError } from "./errors.js";
import type { Matrix } from "./types.js";

/** Largest number of entries of a dense matrix (2^27 doubles, 1 GiB): beyond it a dense O(n^3) method is hopeless. */
export const MAX_MATRIX_ENTRIES = 2 ** 27;

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "number") return String(x);
  if (typeof x === "string") return `the string ${JSON.stringify(x.length > 20 ? `${x.slice(0, 20)}...` : x)}`;
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}

/** A matrix dimension: an integer 0 <= n with n^2 entries at most MAX_MATRIX_ENTRIES when `square`. */
export function checkDimension(n: unknown, what: string, square = false): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new MatrixArgumentError(`${what} must be an integer >= 0, got ${describe(n)}`);
  }
  if (square && n * n > MAX_MATRIX_ENTRIES) {
    throw new MatrixArgumentError(
      `${what} = ${n} is too large: a dense ${n}x${n} matrix exceeds ${MAX_MATRIX_ENTRIES} entries (1 GiB)`,
    );
  }
}

/** A Float64Array holding at least `length` entries. */
export function checkArray(a: unknown, length: number, what: string): asserts a is Float64Array {
  if (!(a instanceof Float64Array)) throw new MatrixArgumentError(`${what} must be a Float64Array, got ${describe(a)}`);
  if (a.length < length) throw new MatrixArgumentError(`${what} needs at least ${length} entries, got ${a.length}`);
}

/** A Matrix: integer rows and cols and a Float64Array of exactly rows * cols entries. */
export function checkMatrix(m: unknown, what: string): asserts m is Matrix {
  if (typeof m !== "object" || m === null) {
    throw new MatrixArgumentError(`${what} must be a matrix {rows, cols, data: Float64Array}, got ${describe(m)}`);
  }
  const { rows, cols, data } = m as Partial<Matrix>;
  checkDimension(rows, `${what}: rows`);
  checkDimension(cols, `${what}: cols`);
  if (!(data instanceof Float64Array)) {
    throw new MatrixArgumentError(
      `${what}: data must be a Float64Array (build matrices with matrix() or fromRows()), got ${describe(data)}`,
    );
  }
  if (data.length !== rows * cols) {
    throw new MatrixArgumentError(`${what}: a ${rows}x${cols} matrix needs ${rows * cols} entries, got ${data.length}`);
  }
}

/** A square Matrix. */
export function checkSquare(m: unknown, what: string): asserts m is Matrix {
  checkMatrix(m, what);
  if (m.rows !== m.cols) throw new MatrixArgumentError(`${what} must be square, got ${m.rows}x${m.cols}`);
}

/** Every entry finite (no NaN, no infinity). */
export function checkFinite(m: Matrix, what: string): void {
  const d = m.data;
  let acc = 0;
  for (let i = 0; i < d.length; i++) acc += d[i] * 0; // NaN iff some entry is NaN or infinite
  if (acc === 0) return;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      const r = Math.floor(i / m.cols),
        c = i % m.cols;
      throw new MatrixArgumentError(`${what} has a non-finite entry ${d[i]} at (${r}, ${c})`);
    }
  }
}

/** Largest |entry| a solver accepts: beyond it its intermediate products (squares, A X) may overflow. */
export const MAX_MAGNITUDE = 1e150;

/** Every |entry| at most MAX_MAGNITUDE (after checkFinite). */
export function checkMagnitude(m: Matrix, what: string): void {
  const d = m.data;
  let mx = 0;
  for (let i = 0; i < d.length; i++) {
    const v = Math.abs(d[i]);
    if (v > mx) mx = v;
  }
  if (mx > MAX_MAGNITUDE) {
    throw new MatrixArgumentError(
      `${what} has an entry of magnitude ${mx.toExponential(2).replace("e+", "e")}: beyond ` +
        `${MAX_MAGNITUDE.toExponential(0).replace("e+", "e")} the solve overflows; rescale the problem (other units)`,
    );
  }
}

/**
 * checkFinite and checkMagnitude in one pass (one comparison per entry); the same errors, in the same order.
 */
export function checkFiniteMagnitude(m: Matrix, what: string): void {
  const d = m.data;
  let ok = true;
  for (let i = 0; i < d.length; i++) if (!(Math.abs(d[i]) <= MAX_MAGNITUDE)) ok = false; // false for NaN too
  if (ok) return;
  checkFinite(m, what);
  checkMagnitude(m, what);
}
