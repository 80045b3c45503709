// Variance-resonance sweeps (seed 000): 10^5 values of k = k1/k2 at Figure 4's parameters on the tiny-system fast
// path (allocation-free 4x4 Lyapunov kernel), against, in the same run, a Python loop over
// scipy.linalg.solve_continuous_lyapunov and a vectorised numpy evaluation of eq. 29 (single-threaded OpenBLAS).
import { linspace, sweep } from "../dist/studies/variance-resonance/index.js";
import { pythonHas, runPython } from "./python.js";

export const title = "variance-resonance sweep: 10^5 points of k (ness vs scipy loop vs numpy eq. 29)";

const POINTS = 100_000;
const BASE = { k: 0, k0: 0.01, q: 4000, T1: 1, T2: 11 };

/** Best of `repeats` wall-clock times (ms) of f(). */
function best(f, repeats) {
  let t = Infinity;
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    out = f();
    t = Math.min(t, performance.now() - t0);
  }
  return { ms: t, out };
}

const PYTHON = String.raw`
import json, sys, time
import numpy as np
import scipy.linalg as sl
p = json.load(sys.stdin)
k0, q, T1, T2, n = p["k0"], p["q"], p["T1"], p["T2"], p["n"]
ks = np.linspace(0.0, 2.0, n)

# 1. A Python loop over scipy.linalg.solve_continuous_lyapunov (A X + X A^T = Q).
A = np.zeros((4, 4)); A[0, 2] = -1; A[1, 3] = -1; A[2, 2] = 1 / q; A[3, 3] = 1 / q
A[2, 1] = -k0; A[3, 0] = -k0; A[3, 1] = 1 + k0
D = np.diag([0.0, 0.0, 2 * T1 / q, 2 * T2 / q])
s11 = np.empty(n)
t0 = time.perf_counter()
for i in range(n):
    A[2, 0] = ks[i] + k0
    s11[i] = sl.solve_continuous_lyapunov(A, D)[0, 0]
loop = time.perf_counter() - t0

# 2. Eq. 29 vectorised with numpy (best of 5).
def eq29(k):
    q2 = q * q
    Aa = (k + 1) * q2 + 2 * k0 * q2 + 2
    B = (k - 1) ** 2 * q2 + k0 * ((k - 1) ** 2 * q2 + k0 * (-(k - 3) * q2 + 2 * k0 * q2 + 2) + 2 * (k + 3)) + 2 * (k + 1)
    E = (k - 1) ** 2 * q2 + 4 * k0 * (k0 * q2 + 1) + 2 * (k + 1)
    return (k0 ** 2 * T2 * Aa + T1 * B) / ((k + (k + 1) * k0) * E)
vec = float("inf")
for _ in range(5):
    t0 = time.perf_counter()
    v = eq29(ks)
    vec = min(vec, time.perf_counter() - t0)
print(json.dumps({"loop": loop, "vec": vec, "sample_loop": s11[::9973].tolist(), "sample_vec": v[::9973].tolist()}))
`;

export async function run(log) {
  const ks = linspace(0, 2, POINTS);
  // Warm up the JIT on the same code path, then time.
  sweep(BASE, "k", ks.subarray(0, 2000));
  sweep(BASE, "k", ks.subarray(0, 2000), { method: "closed-form" });
  const lyap = best(() => sweep(BASE, "k", ks), 5);
  const closed = best(() => sweep(BASE, "k", ks, { method: "closed-form" }), 5);
  const s = lyap.out;
  let dev = 0;
  for (let i = 0; i < POINTS; i++) dev = Math.max(dev, Math.abs(s.sigma11[i] - closed.out.sigma11[i]) / closed.out.sigma11[i]);

  const rows = [
    ["ness sweep, exact engine (tiny Lyapunov kernel)", lyap.ms],
    ["ness sweep, closed forms", closed.ms],
  ];
  let ref = null;
  if (pythonHas("numpy", "scipy")) {
    log(`  running the Python references on ${POINTS} points (single-threaded)...`);
    ref = runPython(PYTHON, { ...BASE, n: POINTS });
  } else {
    log("  (python3 with numpy and scipy not found: no reference timings)");
  }
  if (ref) {
    rows.push(["python loop over scipy solve_continuous_lyapunov", ref.loop * 1000]);
    rows.push(["numpy, eq. 29 vectorised", ref.vec * 1000]);
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  log(`  ${"method".padEnd(w)}  ${"time (ms)".padStart(10)}  ${"per point".padStart(10)}  ${"vs ness exact".padStart(13)}`);
  for (const [name, ms] of rows) {
    const per = `${((ms * 1000) / POINTS).toFixed(3)} us`;
    log(`  ${name.padEnd(w)}  ${ms.toFixed(1).padStart(10)}  ${per.padStart(10)}  ${(ms / lyap.ms).toFixed(2).padStart(12)}x`);
  }
  log(`  ${POINTS} points, k in [0, 2], k0 = ${BASE.k0}, q = ${BASE.q}, T1 = ${BASE.T1}, T2 = ${BASE.T2}; best of 5 (scipy loop: one pass)`);
  log(`  largest Lyapunov residual ${s.maxResidual.toExponential(2)}; exact engine vs closed forms: max relative difference in sigma11 ${dev.toExponential(2)}`);
  if (ref) {
    let d1 = 0, d2 = 0;
    ref.sample_loop.forEach((v, j) => (d1 = Math.max(d1, Math.abs(v - s.sigma11[j * 9973]) / Math.abs(v))));
    ref.sample_vec.forEach((v, j) => (d2 = Math.max(d2, Math.abs(v - s.sigma11[j * 9973]) / Math.abs(v))));
    log(`  agreement with the references (every 9973rd point): scipy ${d1.toExponential(2)}, numpy eq. 29 ${d2.toExponential(2)}`);
  }
}
