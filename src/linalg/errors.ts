/**
 * Errors of the linear-algebra layer. All are NessErrors (src/errors.ts): a library user calling these routines with
 * unsuitable arguments, or on a problem without a solution, gets a message naming the problem.
 */
import { NessError } from "../errors.js";

/** A routine was called with arguments it cannot take: a wrong shape or size, a non-finite entry, a bad dimension. */
export class MatrixArgumentError extends NessError {
  override name = "MatrixArgumentError";
}
