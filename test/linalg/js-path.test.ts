// The JavaScript path of the linear algebra (the fallback where WebAssembly SIMD is missing, and the cross-check of
// the WebAssembly kernels): the whole Schur, eigenvalue, Lyapunov, triangular-solve and condition-estimate suites again with the kernels switched off.
import { expect, it } from "vitest";
import { linalgBackend, setLinalgBackend } from "../../src/linalg/wasm/runtime.js";

setLinalgBackend("js");
it("runs on the JavaScript path", () => expect(linalgBackend().backend).toBe("js"));
await import("./schur.test.js");
await import("./eigen.test.js");
await import("./lyapunov.test.js");
await import("./triangularLyapunov.test.js");
await import("./lyapunovCondition.test.js");
