/**
 * The dense linear algebra layer: row-major matrices, real Schur form, eigenproblems and the continuous Lyapunov
 * equation (re-exported as `linalg` from the package entry point).
 */
export * from "./matrix.js";
export * from "./gemm.js";
export * from "./schur.js";
export * from "./eigen.js";
export * from "./lyapunov.js";
export { linalgBackend, linalgReady, setLinalgBackend } from "./wasm/runtime.js";
