/**
 * The dense linear algebra layer: row-major matrices, real Schur form, eigenproblems and the continuous Lyapunov
 * equation with its condition estimate (re-exported as `linalg` from the package entry point). Bad arguments throw
 * MatrixArgumentError; every error class here is a NessError. The kernels run in WebAssembly SIMD where available
 * (setLinalgBackend("js") or NESS_LINALG=js selects the JavaScript path). The *Unchecked routines the modules share
 * internally are not re-exported: every routine here checks its arguments.
 */
export * from "./errors.js";
export * from "./matrix.js";
export { gemmNN, gemmNNJs, gemmNT, gemmNTJs, mirrorUpper, multiplyNT, multiplyNTJs, transposeInto } from "./gemm.js";
export {
  SchurConvergenceError,
  type StandardBlock,
  hessenberg,
  hessenbergInPlace,
  hessenbergQR,
  norm3,
  realSchur,
  realSchurTransposed,
  schurEigenvalues,
  standardiseBlock,
} from "./schur.js";
export * from "./eigen.js";
export * from "./lyapunov.js";
export {
  FORWARD_ERROR_WARNING,
  type LyapunovCondition,
  type SymmetricSolve,
  estimateInverseLyapunovNorm,
  lyapunovCondition,
} from "./lyapunovCondition.js";
export { linalgBackend, linalgReady, setLinalgBackend } from "./wasm/runtime.js";
