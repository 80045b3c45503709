/**
 * The dense matrix type every kernel shares (its own module so that the argument checks, validate.ts, and the
 * constructors, matrix.ts, can both use it without importing each other).
 */

/** A rows x cols real matrix stored row-major: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}
