// Variance-resonance sweeps (Boffi & De Gregorio 2024): 10^5 values of k = k1/k2 at Figure 4's parameters, in interleaved rounds
// (bench/rounds.js), CPU time:
// (a) in process: ness's sweep on the exact engine (allocation-free 4x4 Lyapunov kernel) against numpy's batched
//     solve of the 10 x 10 Kronecker systems of the symmetric unknowns (the strongest numpy formulation: one
//     np.linalg.solve over a (10^5, 10, 10) stack); also ness's closed forms against eq. 29 vectorised in numpy, and
//     a Python loop over scipy.linalg.solve_continuous_lyapunov on a slice (per point);
// (b) whole processes: `ness study variance-resonance ... --k 0:2:100000 --csv FILE` against a Python script that
//     imports numpy, solves the same batched systems and writes the same CSV columns.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { linspace, sweep } from "../dist/studies/variance-resonance/index.js";
import { pythonEnv, pythonHas } from "./python.js";
import { fmtTime, interleave, measure, pythonSession, report, roundsFor, targets, timeProcess } from "./rounds.js";

export const title =
  "variance-resonance sweep, 10^5 points of k: ness vs numpy batched Kronecker solve (in process and whole process)";

const here = dirname(fileURLToPath(import.meta.url));
const NESS = join(here, "..", "bin", "ness.js");
const POINTS = 100_000;
const BASE = { k: 0, k0: 0.01, q: 4000, T1: 1, T2: 11 };
const LOOP_POINTS = 2000; // scipy loop: per point on a slice (the whole sweep would take seconds per round)

// The seven free covariance elements in ness's column order, as (row, column) of the 4x4 covariance.
const PYTHON = String.raw`
import sys
import numpy as np
import scipy.linalg as sl

COLS = [("sigma11", 0, 0), ("sigma12", 0, 1), ("sigma22", 1, 1), ("sigma33", 2, 2), ("sigma34", 2, 3), ("sigma44", 3, 3), ("sigma23", 1, 2)]

def _packing(n):
    idx = {}
    u = 0
    for i in range(n):
        for j in range(i, n):
            idx[(i, j)] = idx[(j, i)] = u
            u += 1
    terms = []
    r = 0
    for i in range(n):
        for j in range(i, n):
            for k in range(n):
                terms.append((r, idx[(k, j)], i, k))   # (A X)_ij = A_ik X_kj
                terms.append((r, idx[(i, k)], j, k))   # (X A^T)_ij = X_ik A_jk
            r += 1
    return idx, terms

IDX, TERMS = _packing(4)

def drift(p, ks):
    k0, q = p["k0"], p["q"]
    A = np.zeros((len(ks), 4, 4))
    A[:, 0, 2] = -1; A[:, 1, 3] = -1; A[:, 2, 2] = 1 / q; A[:, 3, 3] = 1 / q
    A[:, 2, 1] = -k0; A[:, 3, 0] = -k0; A[:, 3, 1] = 1 + k0
    A[:, 2, 0] = ks + k0
    return A

def batched_lyapunov(A, D):
    """Solves A_b X_b + X_b A_b^T = D for a stack of 4x4 A_b: one batched solve of the 10x10 symmetric systems."""
    P = A.shape[0]
    K = np.zeros((P, 10, 10))
    live = np.abs(A).max(axis=0) != 0          # skip the structurally zero entries of A
    for r, c, i, k in TERMS:
        if live[i, k]:
            K[:, r, c] += A[:, i, k]
    rhs = np.zeros((P, 10, 1))
    for i in range(4):
        for j in range(i, 4):
            rhs[:, IDX[(i, j)], 0] = D[i, j]
    return np.linalg.solve(K, rhs)[:, :, 0]

def sweep(p):
    ks = np.linspace(0.0, 2.0, p["n"])
    D = np.diag([0.0, 0.0, 2 * p["T1"] / p["q"], 2 * p["T2"] / p["q"]])
    u = batched_lyapunov(drift(p, ks), D)
    return ks, u

def batched(p):
    ks, u = sweep(p)
    return [float(u[j, IDX[(0, 0)]]) for j in range(0, p["n"], 9973)]

def loop(p):
    ks = np.linspace(0.0, 2.0, p["n"])[: p["slice"]]
    A = drift(p, ks[:1])[0]
    D = np.diag([0.0, 0.0, 2 * p["T1"] / p["q"], 2 * p["T2"] / p["q"]])
    for k in ks:
        A[2, 0] = k + p["k0"]
        sl.solve_continuous_lyapunov(A, D)

def eq29(p):
    k0, q, T1, T2 = p["k0"], p["q"], p["T1"], p["T2"]
    k = np.linspace(0.0, 2.0, p["n"])
    q2 = q * q
    Aa = (k + 1) * q2 + 2 * k0 * q2 + 2
    B = (k - 1) ** 2 * q2 + k0 * ((k - 1) ** 2 * q2 + k0 * (-(k - 3) * q2 + 2 * k0 * q2 + 2) + 2 * (k + 3)) + 2 * (k + 1)
    E = (k - 1) ** 2 * q2 + 4 * k0 * (k0 * q2 + 1) + 2 * (k + 1)
    v = (k0 ** 2 * T2 * Aa + T1 * B) / ((k + (k + 1) * k0) * E)
    return float(v[9973])

def write_csv(p, path):
    ks, u = sweep(p)
    cols = [ks] + [u[:, IDX[(i, j)]] for _, i, j in COLS]
    with open(path, "w") as f:
        f.write(",".join(["k"] + [c for c, _, _ in COLS]) + "\n")
        f.write("\n".join(",".join(repr(float(x)) for x in row) for row in zip(*cols)))
        f.write("\n")

if __name__ == "__main__" and len(sys.argv) > 1:
    import json
    write_csv(json.loads(sys.argv[1]), sys.argv[2])
`;

export async function run(log, options = {}) {
  const rounds = roundsFor(options);
  targets(log, ["10^5-point sweep, whole process: ness >= 1.5x faster than numpy batched"]);
  const ks = linspace(0, 2, POINTS);
  sweep(BASE, "k", ks.subarray(0, 2000)); // JIT warm-up on the same code path
  sweep(BASE, "k", ks.subarray(0, 2000), { method: "closed-form" });
  const p = { ...BASE, n: POINTS, slice: LOOP_POINTS };
  const py = pythonHas("numpy", "scipy") ? pythonSession(PYTHON) : null;
  if (!py) log("  (python3 with numpy and scipy not found: references skipped)");
  let s;
  try {
    log(
      `(a) in process, ${POINTS} points, k in [0, 2], k0 = ${BASE.k0}, q = ${BASE.q}, T1 = ${BASE.T1}, T2 = ${BASE.T2}; ${rounds} rounds`,
    );
    const exact = await interleave(
      [
        { name: "ness", round: () => measure(() => (s = sweep(BASE, "k", ks))) },
        py && { name: "numpy", round: () => py.call("batched", p) },
      ],
      rounds,
      log,
    );
    if (exact.numpy) {
      report(log, "exact engine vs numpy batched Kronecker solve", exact.ness, exact.numpy, {
        anchorName: "numpy",
        target: { min: 1.5 },
      });
      const sample = exact.numpy[0].value;
      let d = 0;
      sample.forEach((v, j) => (d = Math.max(d, Math.abs(v - s.sigma11[j * 9973]) / Math.abs(v))));
      log(
        `    agreement with numpy (sigma11, every 9973rd point): ${d.toExponential(2)}; ness largest residual ${s.maxResidual.toExponential(2)}`,
      );
    } else log(`  ness exact engine: ${fmtTime(exact.ness[0].cpu)} cpu`);
    let c;
    const closed = await interleave(
      [
        { name: "ness", round: () => measure(() => (c = sweep(BASE, "k", ks, { method: "closed-form" }))) },
        py && { name: "numpy", round: () => py.call("eq29", p) },
      ],
      rounds,
      log,
    );
    if (closed.numpy)
      report(log, "closed forms vs numpy eq. 29 vectorised", closed.ness, closed.numpy, { anchorName: "numpy" });
    let dev = 0;
    for (let i = 0; i < POINTS; i++) dev = Math.max(dev, Math.abs(s.sigma11[i] - c.sigma11[i]) / c.sigma11[i]);
    log(`    exact engine vs closed forms: max relative difference in sigma11 ${dev.toExponential(2)}`);
    if (py) {
      const sub = ks.subarray(0, LOOP_POINTS);
      const loop = await interleave(
        [
          { name: "ness", round: () => measure(() => sweep(BASE, "k", sub)) },
          { name: "scipy", round: () => py.call("loop", p) },
        ],
        Math.min(rounds, 3),
        log,
      );
      report(
        log,
        `exact engine vs a Python loop over scipy solve_continuous_lyapunov (${LOOP_POINTS} points)`,
        loop.ness,
        loop.scipy,
        { per: LOOP_POINTS, anchorName: "scipy loop" },
      );
    }
  } finally {
    py?.close();
  }

  log("");
  log(
    `(b) whole process: ness study variance-resonance --k 0:2:${POINTS} --csv FILE vs python3 script (numpy batched, same CSV columns)`,
  );
  const dir = mkdtempSync(join(tmpdir(), "ness-vr-"));
  try {
    const script = join(dir, "sweep.py");
    writeFileSync(script, PYTHON);
    const nessCsv = join(dir, "ness.csv"),
      pyCsv = join(dir, "python.csv");
    const args = [
      NESS,
      "study",
      "variance-resonance",
      "--k0",
      String(BASE.k0),
      "--q",
      String(BASE.q),
      "--T1",
      String(BASE.T1),
      "--T2",
      String(BASE.T2),
      "--k",
      `0:2:${POINTS}`,
      "--csv",
      nessCsv,
    ];
    const haveNumpy = pythonHas("numpy", "scipy");
    const res = await interleave(
      [
        { name: "ness", round: () => timeProcess(process.execPath, args) },
        haveNumpy && {
          name: "python",
          round: () => timeProcess("python3", [script, JSON.stringify(p), pyCsv], { env: pythonEnv() }),
        },
      ],
      rounds,
      log,
    );
    if (res.python) {
      report(log, "whole process", res.ness, res.python, { anchorName: "python", target: { min: 1.5 } });
      // ness's CSV opens with "#" provenance lines: compare from the header on
      const lines = (file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => !l.startsWith("#"));
      const a = lines(nessCsv),
        b = lines(pyCsv);
      let d = 0;
      for (let r = 1; r < a.length - 1; r += 997) {
        const x = a[r].split(",").map(Number),
          y = b[r].split(",").map(Number);
        for (let j = 1; j < x.length; j++) d = Math.max(d, Math.abs(x[j] - y[j]) / Math.max(Math.abs(y[j]), 1e-300));
      }
      log(
        `    CSV files: ${a.length - 2} rows each (header: ${a[0] === b[0] ? "same" : "DIFFERENT"}); largest relative difference (every 997th row) ${d.toExponential(2)}`,
      );
    } else log(`  ness whole process: ${fmtTime(res.ness[0].cpu)} cpu (python reference skipped)`);
    const version = await interleave(
      [{ name: "ness", round: () => timeProcess(process.execPath, [NESS, "--version"]) }],
      rounds,
      log,
    );
    const py0 = haveNumpy
      ? await interleave(
          [
            {
              name: "python",
              round: () => timeProcess("python3", ["-c", "import numpy, scipy.linalg"], { env: pythonEnv() }),
            },
          ],
          rounds,
          log,
        )
      : null;
    const med = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
    log(
      `    start-up: ness --version ${fmtTime(med(version.ness.map((x) => x.cpu)))} cpu` +
        (py0 ? `; python3 -c "import numpy, scipy.linalg" ${fmtTime(med(py0.python.map((x) => x.cpu)))} cpu` : ""),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
