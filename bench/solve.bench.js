// Whole processes, `ness solve --json CHAIN.json` against an equivalent Python script, in interleaved rounds
// (bench/rounds.js), CPU time of each process (bash's `times`): a pinned harmonic chain of n sites (state dimension
// 2n), heat baths at both ends, n = 4, 20, 100, 400, 1000. The script reads the same model file, builds the drift and
// the diffusion of each bath, solves A S_b + S_b A^T = D_b with scipy.linalg.solve_continuous_lyapunov for each
// bath (single-threaded OpenBLAS) and sums them (the full covariance, as the temperatures enter linearly), computes
// the residual of the full solve, every spring and bath flux with its split by source bath, the kinetic and
// configurational temperatures, the entropy production and the energy balance, and prints the same JSON document
// (the covariance included) with indent 2. It leaves out what has no scipy one-liner: the relaxation time (ness
// gets it from its Schur form) and ness's checks of the model (confinement, decoupled modes).
// Also the start-up cost of each: `ness --version` and `python3 -c "import numpy, scipy.linalg"`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pythonEnv, pythonHas } from "./python.js";
import { fmtTime, interleave, median, report, roundsFor, targets, timeProcess } from "./rounds.js";

export const title =
  "ness solve --json (whole process) vs a Python script with scipy's Lyapunov solver, chains of n sites";

const here = dirname(fileURLToPath(import.meta.url));
const NESS = join(here, "..", "bin", "ness.js");
const SIZES = [4, 20, 100, 400, 1000];
const QUICK_SIZES = [4, 20, 100];

/** A pinned chain of n unit-mass sites, springs of stiffness 1, baths (friction 0.5) at T = 2 and 1 on the ends. */
function chainModel(n) {
  const sites = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  return {
    kind: "network",
    name: `chain of ${n} sites`,
    dynamics: "underdamped",
    sites,
    pinning: 0.5,
    springs: sites.slice(1).map((s, i) => ({ between: [sites[i], s], stiffness: 1 })),
    baths: [
      { site: sites[0], friction: 0.5, temperature: 2 },
      { site: sites[n - 1], friction: 0.5, temperature: 1 },
    ],
  };
}

const SCRIPT = String.raw`
import json, sys
import numpy as np
from scipy.linalg import solve_continuous_lyapunov

model = json.load(open(sys.argv[1]))
sites = model["sites"]
n = len(sites)
index = {s: i for i, s in enumerate(sites)}
mass = np.ones(n)
V = np.diag(np.full(n, float(model["pinning"])))
springs = [(index[s["between"][0]], index[s["between"][1]], float(s["stiffness"])) for s in model["springs"]]
for i, j, k in springs:
    V[i, i] += k; V[j, j] += k; V[i, j] -= k; V[j, i] -= k
baths = [(index[b["site"]], float(b["friction"]), float(b["temperature"])) for b in model["baths"]]
gamma = np.zeros(n)
for i, g, T in baths:
    gamma[i] = g
N = 2 * n
A = np.zeros((N, N))
A[:n, n:] = -np.diag(1 / mass)
A[n:, :n] = V
A[n:, n:] = np.diag(gamma / mass)

def fluxes(S, temps):
    spring = [k * S[i, n + j] / mass[j] for i, j, k in springs]
    bath = [(g / mass[i]) * (temps[i] - S[n + i, n + i] / mass[i]) for i, g, T in baths]
    return spring, bath

parts = []
for i, g, T in baths:
    D = np.zeros((N, N)); D[n + i, n + i] = 2 * g * T
    temps = np.zeros(n); temps[i] = T
    Sb = solve_continuous_lyapunov(A, D)
    parts.append((Sb, fluxes(Sb, temps)))
S = sum(p[0] for p in parts)
temps = np.zeros(n)
D = np.zeros((N, N))
for i, g, T in baths:
    temps[i] = T; D[n + i, n + i] = 2 * g * T
residual = np.linalg.norm(A @ S + S @ A.T - D) / (2 * np.linalg.norm(A) * np.linalg.norm(S) + np.linalg.norm(D))
spring, bath = fluxes(S, temps)
inflow = np.zeros(n)
for (i, j, k), f in zip(springs, spring):
    inflow[j] += f; inflow[i] -= f
for (i, g, T), f in zip(baths, bath):
    inflow[i] += f
scale = max((g / mass[i]) * T for i, g, T in baths)
config = np.einsum("ik,ki->i", S[:n, :n], V)
src = lambda k, part: {("bath " + sites[b[0]]): p[1][part][k] for b, p in zip(baths, parts)}
doc = {
    "name": model.get("name"), "dynamics": "underdamped", "sites": sites,
    "covariance": {"order": ["q:" + s for s in sites] + ["p:" + s for s in sites], "matrix": S.tolist()},
    "positionVariance": {s: float(S[i, i]) for i, s in enumerate(sites)},
    "kineticTemperature": {s: float(S[n + i, n + i] / mass[i]) for i, s in enumerate(sites)},
    "configurationalTemperature": {s: float(config[i]) for i, s in enumerate(sites)},
    "springs": [{"between": [sites[i], sites[j]], "stiffness": k, "flux": float(spring[m]), "fluxBySource": src(m, 0)}
                for m, (i, j, k) in enumerate(springs)],
    "baths": [{"site": sites[i], "temperature": T, "friction": g, "flux": float(bath[m]), "fluxBySource": src(m, 1)}
              for m, (i, g, T) in enumerate(baths)],
    "entropyProduction": float(-sum(f / T for (i, g, T), f in zip(baths, bath))),
    "energyBalanceResidual": float(np.abs(inflow).max() / scale),
    "residual": float(residual),
    "warnings": [],
}
print(json.dumps(doc, indent=2))
`;

/**
 * The parts of this benchmark, selectable with `node bench/run.js solve --part small` (4, 20 and 100 sites),
 * `large` (400 and 1000 sites) or `startup` (ness --version against python3 importing scipy).
 */
export const parts = ["startup", "small", "large"];

export async function run(log, options = {}) {
  const want = (p) => !options.parts?.length || options.parts.includes(p);
  const sizes = (options.quick ? QUICK_SIZES : SIZES).filter((n) => want(n <= 100 ? "small" : "large"));
  targets(log, ["ness solve --json whole process <= 1.0x the Python script at every n from 4 to 1000"]);
  const havePython = pythonHas("numpy", "scipy");
  if (!havePython) log("  (python3 with numpy and scipy not found: the Python script is skipped)");
  const dir = mkdtempSync(join(tmpdir(), "ness-solve-"));
  try {
    const script = join(dir, "solve.py");
    writeFileSync(script, SCRIPT);
    if (want("startup")) await startup(log, options, havePython);
    for (const n of sizes) {
      const file = join(dir, `chain-${n}.json`);
      writeFileSync(file, JSON.stringify(chainModel(n)));
      const rounds = roundsFor(options, n >= 400 ? 3 : 7, n >= 400 ? 2 : 3);
      const res = await interleave(
        [
          { name: "ness", round: () => timeProcess(process.execPath, [NESS, "solve", file, "--json"]) },
          havePython && { name: "python", round: () => timeProcess("python3", [script, file], { env: pythonEnv() }) },
        ],
        rounds,
        log,
      );
      const ours = JSON.parse(res.ness[0].value);
      // `ness solve` chooses its method (--method auto): the dense Lyapunov solve, or the transmission method's
      // frequency integrals for large sparse networks (no covariance; its linear solves' residual and the
      // quadrature's error estimate instead)
      const method = ours.method ?? "lyapunov";
      const residual = ours.residual ?? ours.solveResidual;
      const accuracy =
        `residual ness ${residual.toExponential(1)}` +
        (ours.quadratureError !== undefined ? ` (quadrature error ${ours.quadratureError.toExponential(1)})` : "");
      const label = `n = ${n} sites (dimension ${2 * n}), ness method ${method}`;
      if (!res.python) {
        log(`  ${label}: ness ${fmtTime(median(res.ness.map((x) => x.cpu)))} cpu, ${accuracy}`);
        continue;
      }
      const theirs = JSON.parse(res.python[0].value);
      const df = Math.max(
        ...ours.springs.map((s, k) => Math.abs(s.flux - theirs.springs[k].flux) / Math.abs(theirs.springs[k].flux)),
      );
      report(
        log,
        `${label}, ${accuracy}, scipy ${theirs.residual.toExponential(1)}, spring fluxes agree to ${df.toExponential(1)}`,
        res.ness,
        res.python,
        { anchorName: "python", target: { max: 1.0 } },
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Start-up cost of each: `ness --version` and python3 importing numpy and scipy.linalg. */
async function startup(log, options, havePython) {
  const startNess = await interleave(
    [{ name: "ness", round: () => timeProcess(process.execPath, [NESS, "--version"]) }],
    roundsFor(options, 5, 3),
    log,
  );
  const startPy = havePython
    ? await interleave(
        [
          {
            name: "python",
            round: () => timeProcess("python3", ["-c", "import json, numpy, scipy.linalg"], { env: pythonEnv() }),
          },
        ],
        roundsFor(options, 5, 3),
        log,
      )
    : null;
  log(
    `  start-up: ness --version ${fmtTime(median(startNess.ness.map((x) => x.cpu)))} cpu` +
      (startPy
        ? `, python3 -c "import json, numpy, scipy.linalg" ${fmtTime(median(startPy.python.map((x) => x.cpu)))} cpu (medians)`
        : ""),
  );
}
