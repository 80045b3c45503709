// Dense matrix product C = A B^T at n = 250, 500, 1000: ness's WebAssembly SIMD kernel (operands in the kernels'
// memory, as the factorisations use it) and its JavaScript fallback, against numpy's matmul (single-threaded
// OpenBLAS), in interleaved rounds (bench/rounds.js), CPU time, reported as GFlop/s per core (2 n^3 / CPU time).
import { gemmNT, gemmNTJs } from "../dist/linalg/gemm.js";
import { linalgBackend, scratch, withWorkspace } from "../dist/linalg/wasm/runtime.js";
import { pythonHas } from "./python.js";
import { interleave, measure, median, pythonSession, recordTarget, report, roundsFor, targets } from "./rounds.js";

export const title = "matrix product (GEMM) per core: ness WebAssembly SIMD vs JavaScript vs numpy (1 thread)";

const PYTHON = String.raw`
import numpy as np
_m = {}
def setup(n):
    rng = np.random.default_rng(1)
    _m[n] = (rng.standard_normal((n, n)), rng.standard_normal((n, n)), np.empty((n, n)))
def product(n):
    a, b, c = _m[n]
    np.matmul(a, b.T, out=c)
`;

export async function run(log, options = {}) {
  const rounds = roundsFor(options, 5, 3);
  const sizes = options.quick ? [250, 500] : [250, 500, 1000];
  const { backend, fusedMultiplyAdd } = linalgBackend();
  targets(log, [
    ">= 10 GFlop/s per core at n = 1000 with plain WebAssembly SIMD (relaxed SIMD only where the engine has it)",
  ]);
  log(
    `  kernels: ${backend}${backend === "wasm" ? (fusedMultiplyAdd ? " (relaxed SIMD, fused multiply-add)" : " (plain SIMD; node --experimental-wasm-relaxed-simd enables fused multiply-add)") : ""}`,
  );
  const py = pythonHas("numpy") ? pythonSession(PYTHON) : null;
  if (!py) log("  (python3 with numpy not found: numpy reference skipped)");
  try {
    for (const n of sizes) {
      const reps = n <= 250 ? 20 : n <= 500 ? 4 : 1;
      const flops = 2 * n ** 3 * reps;
      if (py) await py.call("setup", n);
      const res = await withWorkspace(3 * n * n + 64, async () => {
        const a = scratch(n * n),
          b = scratch(n * n),
          c = scratch(n * n);
        for (let i = 0; i < n * n; i++) {
          a[i] = Math.sin(i);
          b[i] = Math.cos(0.7 * i);
        }
        const ja = a.slice(),
          jb = b.slice(),
          jc = new Float64Array(n * n);
        gemmNT(n, n, n, 1, a, 0, n, b, 0, n, c, 0, n); // warm-up (tier-up)
        return interleave(
          [
            {
              name: "wasm",
              round: () =>
                measure(() => {
                  for (let r = 0; r < reps; r++) gemmNT(n, n, n, 1, a, 0, n, b, 0, n, c, 0, n);
                }),
            },
            {
              name: "js",
              round: () =>
                measure(() => {
                  for (let r = 0; r < reps; r++) gemmNTJs(n, n, n, 1, ja, 0, n, jb, 0, n, jc, 0, n);
                }),
            },
            py && { name: "numpy", round: () => py.call("product", n, reps) },
          ],
          rounds,
          log,
        );
      });
      const rate = (xs) => (flops / median(xs.map((x) => x.cpu)) / 1e9).toFixed(1);
      log(
        `  n = ${n}: ness WebAssembly ${rate(res.wasm)} GFlop/s, ness JavaScript ${rate(res.js)} GFlop/s` +
          (res.numpy ? `, numpy ${rate(res.numpy)} GFlop/s` : "") +
          " (per cpu-second, medians)" +
          (n === 1000
            ? `; target >= 10: ${flops / median(res.wasm.map((x) => x.cpu)) / 1e9 >= 10 ? "met" : "MISSED"}`
            : ""),
      );
      if (n === 1000) {
        const g = flops / median(res.wasm.map((x) => x.cpu)) / 1e9;
        recordTarget("GEMM per core at n = 1000", `${g.toFixed(1)} GFlop/s, target >= 10`, g >= 10);
      }
      if (res.numpy) report(log, `n = ${n}, ness WebAssembly vs numpy`, res.wasm, res.numpy, { anchorName: "numpy" });
    }
  } finally {
    py?.close();
  }
}
