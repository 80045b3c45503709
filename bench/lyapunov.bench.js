// Continuous Lyapunov solve A X + X A^T = Q: ness (dist/linalg) against scipy.linalg.solve_continuous_lyapunov on
// the same matrices (single-threaded OpenBLAS) and, for small n, mathjs's lyap. Also times the allocation-free 4x4
// kernel used by parameter sweeps.
import { lyap } from "mathjs";
import { eigenvalues } from "../dist/linalg/eigen.js";
import { solveLyapunov, tinyLyapunovInto } from "../dist/linalg/lyapunov.js";
import { matrix } from "../dist/linalg/matrix.js";
import { pythonHas, runPython } from "./python.js";

export const title = "Lyapunov equation A X + X A^T = Q (ness vs scipy vs mathjs)";

const SIZES = [4, 20, 100, 400, 1000];
const CHAIN_SIZES = [20, 100, 400, 1000];
const SEED = 20240611;

/** Seeded PRNG (mulberry32) with standard normal draws. */
function rng(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Random stable A = G - (max Re lambda(G) + 1) I and symmetric Q = H + H^T. */
function makeCase(n, seed) {
  const normal = rng(seed);
  const a = matrix(n, n, Float64Array.from({ length: n * n }, normal));
  const shift = Math.max(...eigenvalues(a).re) + 1;
  for (let i = 0; i < n; i++) a.data[i * n + i] -= shift;
  const h = Float64Array.from({ length: n * n }, normal);
  const q = matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q.data[i * n + j] = h[i * n + j] + h[j * n + i];
  return { n, a, q };
}

/** Solves per timed batch, and batches (the best batch is reported, for ness and scipy alike). */
function repeatsFor(n) {
  return n <= 4 ? 20000 : n <= 20 ? 500 : n <= 100 ? 10 : 1;
}
function batchesFor(n) {
  return n <= 100 ? 10 : n <= 400 ? 3 : 2;
}

function frob(d) {
  let s = 0;
  for (const x of d) s += x * x;
  return Math.sqrt(s);
}

/** Relative residual of X (n x n row-major, any symmetry) for A X + X A^T = Q. */
function residual(n, a, x, q) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = -q[i * n + j];
      for (let k = 0; k < n; k++) v += a[i * n + k] * x[k * n + j] + x[i * n + k] * a[j * n + k];
      s += v * v;
    }
  }
  return Math.sqrt(s) / (2 * frob(a) * frob(x) + frob(q));
}

function timeNess(c) {
  const reps = repeatsFor(c.n);
  solveLyapunov(c.a, c.q); // warm-up (JIT)
  if (reps > 1) for (let r = 0; r < Math.min(reps, 50); r++) solveLyapunov(c.a, c.q);
  let sol;
  let best = Infinity;
  for (let b = 0; b < batchesFor(c.n); b++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) sol = solveLyapunov(c.a, c.q);
    best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return { seconds: best, residual: sol.residual, method: sol.method };
}

const PYTHON = String.raw`
import json, sys, time
import numpy as np
from scipy.linalg import solve_continuous_lyapunov
cases = json.load(sys.stdin)
out = []
for c in cases:
    n = c["n"]
    a = np.array(c["a"], dtype=float).reshape(n, n)
    q = np.array(c["q"], dtype=float).reshape(n, n)
    reps = c["reps"]
    x = solve_continuous_lyapunov(a, q)
    dt = float("inf")
    for _ in range(c["batches"]):
        t0 = time.perf_counter()
        for _ in range(reps):
            x = solve_continuous_lyapunov(a, q)
        dt = min(dt, (time.perf_counter() - t0) / reps)
    r = np.linalg.norm(a @ x + x @ a.T - q) / (2 * np.linalg.norm(a) * np.linalg.norm(x) + np.linalg.norm(q))
    out.append({"n": n, "seconds": dt, "residual": float(r)})
print(json.dumps(out))
`;

function fmtTime(s) {
  if (s === undefined || s === null) return "-";
  if (s < 1e-3) return `${(s * 1e6).toFixed(s < 1e-5 ? 2 : 1)} us`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

function fmtRes(r) {
  return r === undefined || r === null ? "-" : r.toExponential(1);
}

function pad(s, w) {
  return String(s).padStart(w);
}

/**
 * Drift of a chain of m unit-mass oscillators (n = 2m): A = [[0, I], [-K, -G]], K a pinned nearest-neighbour chain,
 * G weak uniform damping plus two heat baths at the ends; Q = 2 gamma T on the two bath momenta only (the
 * typical right-hand side of the exact engine: few nonzero rows).
 */
function makeChainCase(n) {
  const m = n / 2;
  const a = matrix(n, n);
  const q = matrix(n, n);
  for (let i = 0; i < m; i++) {
    a.data[i * n + m + i] = 1;
    a.data[(m + i) * n + i] = -(1 + 2);
    if (i > 0) a.data[(m + i) * n + i - 1] = 1;
    if (i + 1 < m) a.data[(m + i) * n + i + 1] = 1;
    a.data[(m + i) * n + m + i] = -0.05;
  }
  a.data[m * n + m] -= 1;
  a.data[(n - 1) * n + n - 1] -= 1;
  q.data[m * n + m] = -2 * 1.5;
  q.data[(n - 1) * n + n - 1] = -2 * 0.5;
  return { n, a, q };
}

/** Times ness and (when available) scipy on the cases and prints the comparison table. */
function compare(log, cases) {
  const ness = [];
  for (const c of cases) {
    const r = timeNess(c);
    ness.push(r);
    log(`  ness n=${c.n}: ${fmtTime(r.seconds)} per solve (${r.method}), residual ${fmtRes(r.residual)}`);
  }
  let scipy = null;
  if (pythonHas("numpy", "scipy")) {
    log("  running scipy.linalg.solve_continuous_lyapunov (single-threaded OpenBLAS) on the same matrices ...");
    scipy = runPython(
      PYTHON,
      cases.map((c) => ({
        n: c.n,
        a: Array.from(c.a.data),
        q: Array.from(c.q.data),
        reps: repeatsFor(c.n),
        batches: batchesFor(c.n),
      })),
    );
  } else {
    log("  (python3 with numpy+scipy not found: scipy reference skipped)");
  }
  log("");
  log(`${pad("n", 5)} ${pad("ness time", 11)} ${pad("ness resid", 11)} ${pad("scipy time", 11)} ${pad("scipy resid", 11)} ${pad("scipy/ness", 11)}`);
  cases.forEach((c, k) => {
    const s = scipy?.[k];
    const ratio = s ? (s.seconds / ness[k].seconds).toFixed(2) : "-";
    log(
      `${pad(c.n, 5)} ${pad(fmtTime(ness[k].seconds), 11)} ${pad(fmtRes(ness[k].residual), 11)} ` +
        `${pad(fmtTime(s?.seconds), 11)} ${pad(fmtRes(s?.residual), 11)} ${pad(ratio, 11)}`,
    );
  });
  log("(best of several batches for both; ratio > 1: ness faster; ness time includes computing the relative residual");
  log(" it reports, scipy's does not)");
  return ness;
}

export async function run(log) {
  log("random stable A = G - (max Re lambda(G) + 1) I, dense symmetric Q (seeded):");
  const cases = SIZES.map((n) => makeCase(n, SEED + n));
  const ness = compare(log, cases);

  log("");
  log("oscillator chain drift, heat baths at both ends (Q nonzero on two coordinates):");
  compare(log, CHAIN_SIZES.map(makeChainCase));

  // allocation-free 4x4 kernel
  const c4 = cases[0];
  const x4 = new Float64Array(16);
  const calls = 200_000;
  for (let r = 0; r < 100_000; r++) tinyLyapunovInto(4, c4.a.data, c4.q.data, x4);
  let res4 = 0;
  let per = Infinity;
  for (let b = 0; b < 7; b++) {
    const t0 = performance.now();
    for (let r = 0; r < calls; r++) res4 = tinyLyapunovInto(4, c4.a.data, c4.q.data, x4);
    per = Math.min(per, (performance.now() - t0) / 1000 / calls);
  }
  log("");
  log(`tinyLyapunovInto, n = 4: ${fmtTime(per)} per call (best of 7 x ${calls} calls), residual ${fmtRes(res4)}`);

  // mathjs
  log("");
  log("mathjs lyap (computes P with A P + P A^T = -Q, i.e. the opposite sign of Q from scipy/ness):");
  for (const c of cases.filter((c) => c.n <= 20)) {
    const n = c.n;
    const A = Array.from({ length: n }, (_, i) => Array.from(c.a.data.subarray(i * n, (i + 1) * n)));
    const Q = Array.from({ length: n }, (_, i) => Array.from(c.q.data.subarray(i * n, (i + 1) * n)));
    let P = lyap(A, Q);
    const reps = n <= 4 ? 2000 : 50;
    const t1 = performance.now();
    for (let r = 0; r < reps; r++) P = lyap(A, Q);
    const dt = (performance.now() - t1) / 1000 / reps;
    const p = Float64Array.from(P.flat());
    const asIs = residual(n, c.a.data, p, c.q.data);
    const negated = residual(n, c.a.data, p.map((v) => -v), c.q.data);
    let asym = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) asym = Math.max(asym, Math.abs(p[i * n + j] - p[j * n + i]));
    const nessT = ness[cases.indexOf(c)].seconds;
    log(
      `  n=${pad(n, 3)}: ${fmtTime(dt)} per solve (${(dt / nessT).toFixed(0)}x ness), residual of its P for A X + X A^T = Q: ` +
        `${fmtRes(asIs)}; of -P: ${fmtRes(negated)}; max |P - P^T| = ${asym.toExponential(1)}`,
    );
  }
}
