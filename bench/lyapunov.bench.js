// Continuous Lyapunov equation A X + X A^T = Q: ness (dist/linalg) against scipy.linalg.solve_continuous_lyapunov
// (single-threaded OpenBLAS) on the same matrices, in interleaved rounds (bench/rounds.js), CPU time. Two families:
// random dense stable A with dense Q, and the drift of an oscillator chain with heat baths at both ends (sparse A,
// Q nonzero on two coordinates: the exact engine's typical input). Also the allocation-free 4x4 kernel of
// parameter sweeps, and mathjs's lyap for small n.
import { spawnSync } from "node:child_process";
import { lyap } from "mathjs";
import { eigenvalues } from "../dist/linalg/eigen.js";
import { solveLyapunov, tinyLyapunovInto } from "../dist/linalg/lyapunov.js";
import { matrix } from "../dist/linalg/matrix.js";
import { pythonEnv, pythonHas } from "./python.js";
import { fmtTime, interleave, measure, median, pythonSession, report, roundsFor, targets } from "./rounds.js";

export const title = "Lyapunov equation A X + X A^T = Q: ness vs scipy (1 thread), interleaved rounds, CPU time";

const SIZES = [4, 20, 50, 100, 400, 1000];
const QUICK_SIZES = [4, 20, 100, 400];
const SEED = 20240611;

/** Issue 18's targets for the ratio ness / scipy of CPU times. */
export function lyapunovTarget(n) {
  if (n <= 4) return { max: 1 / 7 };
  if (n <= 100) return { max: 0.8 };
  return { max: 1.0 };
}

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

/**
 * Drift of a chain of m unit-mass oscillators (n = 2m): A = [[0, I], [-K, -G]], K a pinned nearest-neighbour chain,
 * G weak uniform damping plus two heat baths at the ends; Q = 2 gamma T on the two bath momenta only.
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

/**
 * CPU seconds of warm-up before the rounds. V8 runs new WebAssembly and JavaScript code in its baseline tiers and
 * compiles the hot functions again in the background: at n = 20 a solve takes ~1.7x its steady time over its first
 * 50 calls and ~1.15x until some 1000 calls (the first bench round used to read 1.2-1.5x). The cost of a first call
 * is measured apart (firstCalls).
 */
const WARM_UP_CPU = 0.5;

/** Solves per round, so that a round takes ~0.1-0.5 s for both codes. */
function repeatsFor(n) {
  return n <= 4 ? 20000 : n <= 20 ? 1000 : n <= 100 ? 40 : n <= 400 ? 2 : 1;
}

const PYTHON = String.raw`
import numpy as np
from scipy.linalg import solve_continuous_lyapunov
_cases = {}
def setup(c):
    n = c["n"]
    _cases[c["key"]] = (np.array(c["a"], dtype=float).reshape(n, n), np.array(c["q"], dtype=float).reshape(n, n))
def solve(key):
    a, q = _cases[key]
    solve_continuous_lyapunov(a, q)
def residual(key):
    a, q = _cases[key]
    x = solve_continuous_lyapunov(a, q)
    return float(np.linalg.norm(a @ x + x @ a.T - q) / (2 * np.linalg.norm(a) * np.linalg.norm(x) + np.linalg.norm(q)))
`;

/** Sum of the condition numbers read in the bench (kept live so that the reads are not optimised away). */
let conditionSink = 0;

async function compare(log, family, cases, rounds, py) {
  for (const c of cases) {
    const key = `${family}-${c.n}`;
    const reps = repeatsFor(c.n);
    if (py) await py.call("setup", { key, n: c.n, a: Array.from(c.a.data), q: Array.from(c.q.data) });
    let sol = solveLyapunov(c.a, c.q); // warm-up (JIT, wasm tier-up): WARM_UP_CPU seconds, and scipy one round
    const c0 = process.cpuUsage();
    for (let r = 0; r < 100_000; r++) {
      sol = solveLyapunov(c.a, c.q);
      const used = process.cpuUsage(c0);
      if (r >= 20 && used.user + used.system >= WARM_UP_CPU * 1e6) break;
    }
    if (py) await py.call("solve", key, reps);
    const res = await interleave(
      [
        {
          name: "ness",
          round: () =>
            measure(() => {
              for (let r = 0; r < reps; r++) sol = solveLyapunov(c.a, c.q);
            }),
        },
        py && { name: "scipy", round: () => py.call("solve", key, reps) },
        // solveLyapunov estimates the condition number when it is first read (scipy has none): the solve with it
        c.n > 6 && {
          name: "withCondition",
          round: () =>
            measure(() => {
              for (let r = 0; r < reps; r++) conditionSink += solveLyapunov(c.a, c.q).condition;
            }),
        },
      ],
      rounds,
      log,
    );
    const pyRes = py ? (await py.call("residual", key)).value : null;
    const label = `n=${String(c.n).padStart(4)} (${sol.method}, residual ness ${sol.residual.toExponential(1)}${pyRes === null ? "" : `, scipy ${pyRes.toExponential(1)}`})`;
    if (res.scipy)
      report(log, label, res.ness, res.scipy, { per: reps, target: lyapunovTarget(c.n), anchorName: "scipy" });
    else log(`  ${label}: ness ${fmtTime(res.ness[0].cpu / reps)} cpu per solve`);
    if (res.scipy && res.withCondition)
      report(log, `  the same, its condition estimate read`, res.withCondition, res.scipy, {
        per: reps,
        anchorName: "scipy",
      });
    if (!Number.isFinite(conditionSink)) log(`  (a condition estimate read was not finite)`);
  }
}

/**
 * The first call in a fresh process (not a target; the rounds above compare steady states): CPU of loading the
 * library (ness: dist/linalg/lyapunov.js with its WebAssembly kernels; scipy: `import scipy.linalg`), of the first
 * solve and of the second, medians over `rounds` processes, on the random case of order n.
 */
function firstCalls(log, sizes, rounds, withPython) {
  const nodeScript = (n) => `
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
    const c0 = cpu();
    const { solveLyapunov } = await import(${JSON.stringify(new URL("../dist/linalg/lyapunov.js", import.meta.url).href)});
    const { matrix } = await import(${JSON.stringify(new URL("../dist/linalg/matrix.js", import.meta.url).href)});
    const c1 = cpu();
    const { a, q } = JSON.parse((await import("node:fs")).readFileSync(0, "utf8"));
    const A = matrix(${n}, ${n}, Float64Array.from(a)), Q = matrix(${n}, ${n}, Float64Array.from(q));
    const c2 = cpu(); solveLyapunov(A, Q); const c3 = cpu(); solveLyapunov(A, Q); const c4 = cpu();
    console.log(JSON.stringify([c1 - c0, c3 - c2, c4 - c3]));`;
  const pyScript = (n) => `
import json, sys, time
c0 = time.process_time()
import numpy as np
from scipy.linalg import solve_continuous_lyapunov
c1 = time.process_time()
d = json.load(sys.stdin)
a = np.array(d["a"]).reshape(${n}, ${n}); q = np.array(d["q"]).reshape(${n}, ${n})
c2 = time.process_time(); solve_continuous_lyapunov(a, q); c3 = time.process_time(); solve_continuous_lyapunov(a, q); c4 = time.process_time()
print(json.dumps([c1 - c0, c3 - c2, c4 - c3]))`;
  const runs = (cmd, args, env, input) => {
    const out = [];
    for (let r = 0; r < rounds; r++) {
      const p = spawnSync(cmd, args, { env, input, encoding: "utf8" });
      if (p.status !== 0) return null;
      out.push(JSON.parse(p.stdout.trim().split("\n").pop()));
    }
    return [0, 1, 2].map((k) => median(out.map((o) => o[k])));
  };
  const fmt = (t) => `load ${fmtTime(t[0])}, first solve ${fmtTime(t[1])}, second ${fmtTime(t[2])}`;
  log("");
  log(`first calls in a fresh process (CPU, medians of ${rounds} processes; not a target):`);
  for (const n of sizes) {
    const c = makeCase(n, SEED + n);
    const input = JSON.stringify({ a: Array.from(c.a.data), q: Array.from(c.q.data) });
    const ness = runs(process.execPath, ["--input-type=module", "-e", nodeScript(n)], process.env, input);
    const scipy = withPython ? runs("python3", ["-c", pyScript(n)], pythonEnv(), input) : null;
    log(`  n=${String(n).padStart(4)}: ness ${ness ? fmt(ness) : "failed"}${scipy ? `; scipy ${fmt(scipy)}` : ""}`);
  }
}

/**
 * The parts of this benchmark, selectable with `node bench/run.js lyapunov --part small` (n <= 100 against scipy),
 * `large` (n >= 400) or `kernels` (the 4x4 kernel and mathjs).
 */
export const parts = ["small", "large", "kernels"];

export async function run(log, options = {}) {
  const rounds = roundsFor(options);
  const want = (p) => !options.parts?.length || options.parts.includes(p);
  const sizes = (options.quick ? QUICK_SIZES : SIZES).filter((n) => want(n <= 100 ? "small" : "large"));
  targets(log, [
    "ness/scipy <= 0.14 (7x faster) at n = 4",
    "<= 0.8 for n = 20..100",
    "<= 1.0 at n = 400 and 1000",
    "residual <= 1e-12",
  ]);
  log(
    "  last measured (December 2026, load 13-21, CPU medians random / chain, condition not read; docs/performance.md): " +
      "n = 4 0.11; n = 20 0.59 / 0.62; n = 50 0.70 / 0.67; n = 100 0.72 / 0.53; n = 400 1.03 / 0.99; n = 1000 0.78 / 0.90",
  );
  const py = pythonHas("numpy", "scipy") ? pythonSession(PYTHON) : null;
  if (!py) log("  (python3 with numpy and scipy not found: scipy reference skipped)");
  try {
    log(`random stable A = G - (max Re lambda(G) + 1) I, dense symmetric Q (seeded); ${rounds} rounds:`);
    const cases = sizes.map((n) => makeCase(n, SEED + n));
    await compare(log, "random", cases, rounds, py);
    log("");
    log("oscillator chain drift, heat baths at both ends (Q nonzero on two coordinates):");
    await compare(log, "chain", sizes.filter((n) => n >= 20).map(makeChainCase), rounds, py);
  } finally {
    py?.close();
  }
  if (want("small")) firstCalls(log, options.quick ? [20] : [20, 100], Math.min(rounds, 5), !!py);
  if (!want("kernels")) return;

  // allocation-free 4x4 kernel
  const c4 = makeCase(4, SEED + 4);
  const x4 = new Float64Array(16);
  const calls = 200_000;
  for (let r = 0; r < 100_000; r++) tinyLyapunovInto(4, c4.a.data, c4.q.data, x4);
  let res4 = 0;
  const t = await interleave(
    [
      {
        name: "ness",
        round: () =>
          measure(() => {
            for (let r = 0; r < calls; r++) res4 = tinyLyapunovInto(4, c4.a.data, c4.q.data, x4);
          }),
      },
    ],
    rounds,
    log,
  );
  const best = Math.min(...t.ness.map((x) => x.cpu)) / calls;
  log("");
  log(
    `tinyLyapunovInto, n = 4: ${fmtTime(best)} cpu per call (best of ${rounds} rounds of ${calls} calls), residual ${res4.toExponential(1)}`,
  );

  // mathjs (a weak reference: pure-JS dense algebra), interleaved too
  log("");
  log("mathjs lyap (solves A P + P A^T = -Q, the opposite sign of Q):");
  for (const n of [4, 20]) {
    const c = makeCase(n, SEED + n);
    const A = Array.from({ length: n }, (_, i) => Array.from(c.a.data.subarray(i * n, (i + 1) * n)));
    const Q = Array.from({ length: n }, (_, i) => Array.from(c.q.data.subarray(i * n, (i + 1) * n)));
    const reps = n <= 4 ? 50 : 1;
    const res = await interleave(
      [
        {
          name: "ness",
          round: () =>
            measure(() => {
              for (let r = 0; r < reps; r++) solveLyapunov(c.a, c.q);
            }),
        },
        {
          name: "mathjs",
          round: () =>
            measure(() => {
              for (let r = 0; r < reps; r++) lyap(A, Q);
            }),
        },
      ],
      Math.min(rounds, 3),
      log,
    );
    report(log, `n=${n}`, res.ness, res.mathjs, { per: reps, anchorName: "mathjs" });
  }
}
