/**
 * ness/linalg: the dense linear algebra kernels (`import { ... } from "ness/linalg"`): row-major matrices, real Schur
 * form, eigenproblems and the continuous Lyapunov equation with its condition estimate. Bad arguments throw
 * MatrixArgumentError; every error class here is a NessError. The kernels run in WebAssembly SIMD where available
 * (setLinalgBackend("js") or NESS_LINALG=js selects the JavaScript path). The in-place and unchecked routines the
 * modules share (gemm, Hessenberg steps, the tiny Lyapunov kernel) are internal: every routine here checks its
 * arguments.
 */
export { MatrixArgumentError } from "./errors.js";
export {
  type Matrix,
  matrix,
  fromRows,
  toRows,
  identity,
  clone,
  transpose,
  multiply,
  frobeniusNorm,
  maxAbs,
  symmetrize,
} from "./matrix.js";
export { SchurConvergenceError, hessenberg, realSchur, schurEigenvalues } from "./schur.js";
export {
  SymmetricEigenConvergenceError,
  eigenvalues,
  symmetricEigen,
  symmetricEigenRows,
  cholesky,
  isPositiveDefinite,
} from "./eigen.js";
export {
  SingularLyapunovError,
  type LyapunovSolution,
  type LyapunovSolver,
  type ComplexNumber,
  prepareLyapunov,
  solveLyapunov,
} from "./lyapunov.js";
export { FORWARD_ERROR_WARNING, type LyapunovCondition, lyapunovCondition } from "./lyapunovCondition.js";
export { linalgBackend, linalgReady, setLinalgBackend } from "./wasm/runtime.js";
