// Langevin engine benchmarks, each with its reference measured in the same run:
// (a) an ensemble of 10^4 two-oscillator replicas (underdamped, BAOAB, every estimator accumulated at every step)
//     against a vectorised numpy Euler-Maruyama loop over the same replicas (integration only), in dof-steps per
//     second (4 phase-space coordinates per replica for both); ness on one thread and on two worker threads;
// (b) a 2D 50/50 hot/cold soft-disk mixture, N = 10^4, area fraction 0.6 (underdamped, BAOAB, Verlet list with skin
//     0.3), against serial LAMMPS (`lmp`: fix langevin per group + fix nve, pair_style table with the harmonic soft
//     repulsion, neighbor 0.3 bin), in particle-steps per second. References are skipped when absent.
import { validateNetwork } from "../dist/model/network.js";
import { validateParticles } from "../dist/model/particles.js";
import { simulate, simulateSync } from "../dist/stochastic/run.js";
import { workerRunner } from "../dist/workers/pool.js";
import { lammpsInfo, mixtureBox, runLammps, softPair } from "./lammps.js";
import { pythonHas, runPython } from "./python.js";

export const title = "Langevin engine: oscillator ensembles (vs numpy) and a hot/cold soft-disk mixture (vs LAMMPS)";

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : `${(x / 1e3).toFixed(1)}k`);

const NUMPY_EM = `
import json, sys, time
import numpy as np
a = json.loads(sys.stdin.read())
R, steps, dt = a["replicas"], a["steps"], a["dt"]
V = np.array(a["V"]); gam = np.array(a["gamma"]); T = np.array(a["T"]); m = np.array(a["mass"])
rng = np.random.default_rng(1)
q = np.zeros((R, 2)); p = np.zeros((R, 2))
s = np.sqrt(2 * gam * T * dt)
best = 1e9
for rep in range(3):
    t0 = time.perf_counter()
    for _ in range(steps):
        f = -q @ V
        p += (f - gam * p / m) * dt + s * rng.standard_normal((R, 2))
        q += p / m * dt
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"seconds": best, "finite": bool(np.isfinite(q).all())}))
`;

async function ensembles(log) {
  const model = validateNetwork({
    kind: "network", sites: 2, pinning: 1, springs: [{ between: [1, 2], stiffness: 0.1 }],
    baths: [{ site: 1, friction: 0.1, temperature: 1 }, { site: 2, friction: 0.1, temperature: 2 }],
  });
  const replicas = 10_000, dt = 0.01, steps = 2000;
  const spec = { model, options: { dt, time: steps * dt, burnIn: 0, seed: 1, replicas, batches: 2 } };
  const dofSteps = replicas * steps * 4;
  simulateSync({ model, options: { ...spec.options, replicas: 500 } }); // warm-up
  const time = async (f) => {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await f();
      best = Math.min(best, (performance.now() - t0) / 1e3);
    }
    return best;
  };
  const one = await time(() => simulateSync(spec));
  const pool = workerRunner(2);
  await simulate({ model, options: { ...spec.options, replicas: 500 } }, { runner: pool }); // warm threads
  const two = await time(() => simulate(spec, { runner: pool }));
  await pool.close();
  log(`(a) ${replicas} replicas of two coupled oscillators, ${steps} steps of dt = ${dt} (4 dof each)`);
  log(`    ness, 1 thread (BAOAB + all estimators):  ${fmt(dofSteps / one)} dof-steps/s  (${one.toFixed(2)} s)`);
  log(`    ness, 2 worker threads:                   ${fmt(dofSteps / two)} dof-steps/s  (${two.toFixed(2)} s)`);
  if (!pythonHas("numpy")) {
    log("    numpy reference skipped (python3 with numpy not found)");
    return;
  }
  const V = [[1.1, -0.1], [-0.1, 1.1]];
  const ref = runPython(NUMPY_EM, { replicas, steps, dt, V, gamma: [0.1, 0.1], T: [1, 2], mass: [1, 1] });
  if (!ref) return;
  const numpy = dofSteps / ref.seconds;
  log(`    numpy Euler-Maruyama, 1 thread:           ${fmt(numpy)} dof-steps/s  (${ref.seconds.toFixed(2)} s)`);
  log(`    ratio vs numpy: 1 thread ${(dofSteps / one / numpy).toFixed(2)}x (target >= 1.5x), 2 workers ${(dofSteps / two / numpy).toFixed(2)}x (target >= 3x)`);
}

/** The LAMMPS input of the mixture: fix langevin per group + fix nve, the soft repulsion (bench/lammps.js). */
function lammpsInput(dir, info, N, L, k, steps, warm) {
  return `${mixtureBox(N, L)}
mass * 1.0
${softPair(dir, info, k, 1)}
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
velocity all create 0.5 4928459 dist gaussian
fix 1 all nve
fix 2 hot langevin 1.0 1.0 0.2 48279
fix 3 cold langevin 0.1 0.1 0.2 8279
fix 4 all enforce2d
timestep 0.005
thermo ${steps}
run ${warm}
run ${steps}
run ${steps}
`;
}

async function mixture(log) {
  const N = 10_000, phi = 0.6, k = 50, dt = 0.005, steps = 2000, warm = 200;
  const L = Math.sqrt((N * Math.PI) / 4 / phi);
  const model = validateParticles({
    kind: "particles", dynamics: "underdamped", dimension: 2, box: L,
    species: [{ name: "hot", count: N / 2, temperature: 1, friction: 5 }, { name: "cold", count: N / 2, temperature: 0.1, friction: 5 }],
    pairs: [{ potential: "soft", stiffness: k, range: 1 }], initial: "random",
  });
  log(`(b) 2D hot/cold soft-disk mixture: N = ${N}, area fraction ${phi}, box ${L.toFixed(2)}, k = ${k}, dt = ${dt}, ${steps} steps (+${warm} warm-up)`);
  const spec = { model, options: { dt, time: steps * dt, burnIn: warm * dt, seed: 1, replicas: 1, batches: 2, sampleEvery: 10 } };
  simulateSync({ model, options: { ...spec.options, time: 20 * dt, burnIn: 0 } }); // JIT warm-up
  let best = Infinity;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    simulateSync(spec);
    best = Math.min(best, (performance.now() - t0) / 1e3);
  }
  const ours = ((steps + warm) * N) / best;
  log(`    ness, 1 thread (BAOAB, estimators every 10 steps): ${fmt(ours)} particle-steps/s (best of 2)`);
  const info = lammpsInfo();
  if (!info) {
    log("    LAMMPS reference skipped (lmp not installed: apt-get install lammps)");
    return;
  }
  const r = runLammps((dir) => lammpsInput(dir, info, N, L, k, steps, warm), 3);
  if (r.error) {
    log(`    LAMMPS reference failed: ${r.error}`);
    return;
  }
  // Best of the two timed runs (the first `run` is the warm-up).
  const lammps = Math.max(...r.loops.slice(1).map((l) => (l.steps * l.atoms) / l.seconds));
  log(`    LAMMPS (serial, fix langevin per group):          ${fmt(lammps)} particle-steps/s (best of 2)`);
  log(`    ratio vs LAMMPS: ${(ours / lammps).toFixed(2)}x (target >= 1.5x)`);
}

export async function run(log) {
  await ensembles(log);
  await mixture(log);
}
