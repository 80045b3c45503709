// Langevin engine benchmarks in interleaved rounds (bench/rounds.js), CPU time:
// (a) an ensemble of 10^4 two-oscillator replicas (underdamped, BAOAB, every estimator accumulated at every step)
//     against numpy Euler-Maruyama over the same replicas (integration only, no estimators), written in place:
//     preallocated state, force and noise arrays, every operation with out= (no temporaries), one thread. ness
//     on one thread and on two worker threads (CPU time counts both workers; wall time shows the parallel gain);
// (b) a 2D 50/50 hot/cold soft-disk mixture, N = 10^4, area fraction 0.6 (underdamped, BAOAB, Verlet list with skin
//     0.3), against serial LAMMPS (`lmp`: fix langevin per group + fix nve, the harmonic soft repulsion,
//     neighbor 0.3 bin): CPU time per particle-step, ness's whole simulateSync call against LAMMPS's timed loop.
// References are skipped with a notice when absent.
import { validateNetwork } from "../dist/model/network.js";
import { validateParticles } from "../dist/model/particles.js";
import { simulate, simulateSync } from "../dist/stochastic/run.js";
import { workerRunner } from "../dist/workers/pool.js";
import { lammpsInfo, mixtureBox, runLammps, softPair } from "./lammps.js";
import { pythonHas } from "./python.js";
import { interleave, measure, pythonSession, report, roundsFor, targets } from "./rounds.js";

export const title =
  "Langevin engine: oscillator ensembles (vs in-place numpy) and a hot/cold soft-disk mixture (vs LAMMPS)";

const NUMPY_IN_PLACE = String.raw`
import numpy as np
_s = {}
def setup(a):
    R = a["replicas"]
    _s.update(R=R, steps=a["steps"], dt=a["dt"], V=np.array(a["V"]), gm=np.array(a["gamma"]) / np.array(a["mass"]),
              im=1 / np.array(a["mass"]), s=np.sqrt(2 * np.array(a["gamma"]) * np.array(a["T"]) * a["dt"]),
              rng=np.random.default_rng(1), q=np.zeros((R, 2)), p=np.zeros((R, 2)), f=np.empty((R, 2)),
              noise=np.empty((R, 2)), tmp=np.empty((R, 2)))
def ensemble(_):
    g = _s
    q, p, f, noise, tmp, V, gm, im, s, dt, rng = g["q"], g["p"], g["f"], g["noise"], g["tmp"], g["V"], g["gm"], g["im"], g["s"], g["dt"], g["rng"]
    for _ in range(g["steps"]):
        np.matmul(q, V, out=f)              # f = q V (V symmetric), force -f
        np.multiply(p, gm, out=tmp)         # gamma p / m
        np.add(f, tmp, out=f)
        np.multiply(f, -dt, out=f)          # dt (force - gamma p / m)
        rng.standard_normal(out=noise)
        np.multiply(noise, s, out=noise)
        np.add(p, f, out=p)
        np.add(p, noise, out=p)
        np.multiply(p, im * dt, out=tmp)
        np.add(q, tmp, out=q)
    return bool(np.isfinite(q).all())
`;

async function ensembles(log, rounds, quick) {
  const model = validateNetwork({
    kind: "network",
    sites: 2,
    pinning: 1,
    springs: [{ between: [1, 2], stiffness: 0.1 }],
    baths: [
      { site: 1, friction: 0.1, temperature: 1 },
      { site: 2, friction: 0.1, temperature: 2 },
    ],
  });
  const replicas = 10_000,
    dt = 0.01,
    steps = quick ? 500 : 2000;
  const spec = { model, scheme: { dt }, options: { time: steps * dt, burnIn: 0, seed: 1, replicas, batches: 2 } };
  const dofSteps = replicas * steps * 4;
  simulateSync(model, spec.scheme, { ...spec.options, replicas: 500 }); // warm-up
  const pool = workerRunner(2);
  await simulate(model, spec.scheme, { ...spec.options, replicas: 500 }, { runner: pool }); // warm threads
  const py = pythonHas("numpy") ? pythonSession(NUMPY_IN_PLACE) : null;
  try {
    if (py)
      await py.call("setup", {
        replicas,
        steps,
        dt,
        V: [
          [1.1, -0.1],
          [-0.1, 1.1],
        ],
        gamma: [0.1, 0.1],
        T: [1, 2],
        mass: [1, 1],
      });
    log(
      `(a) ${replicas} replicas of two coupled oscillators, ${steps} steps of dt = ${dt} (4 dof each); ${rounds} rounds`,
    );
    targets(log, ["ensembles: ness >= 2x faster than in-place numpy on 1 thread"]);
    if (!py) log("    numpy reference skipped (python3 with numpy not found)");
    const res = await interleave(
      [
        { name: "ness", round: () => measure(() => simulateSync(model, spec.scheme, spec.options)) },
        { name: "ness2", round: () => measure(() => simulate(model, spec.scheme, spec.options, { runner: pool })) },
        py && { name: "numpy", round: () => py.call("ensemble") },
      ],
      rounds,
      log,
    );
    const rate = (xs) => (dofSteps / xs.map((x) => x.cpu).sort((a, b) => a - b)[xs.length >> 1] / 1e6).toFixed(1);
    log(
      `    ness 1 thread (BAOAB + all estimators) ${rate(res.ness)}M dof-steps per cpu-s; 2 workers ${rate(res.ness2)}M` +
        (res.numpy ? `; numpy in place (Euler-Maruyama, integration only) ${rate(res.numpy)}M` : ""),
    );
    if (res.numpy) {
      report(log, "ness 1 thread vs numpy in place", res.ness, res.numpy, { anchorName: "numpy", target: { min: 2 } });
      report(log, "ness 2 workers vs numpy in place (cpu of both workers; see wall)", res.ness2, res.numpy, {
        anchorName: "numpy",
      });
    }
  } finally {
    py?.close();
    await pool.close();
  }
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
`;
}

async function mixture(log, rounds, quick) {
  const N = 10_000,
    phi = 0.6,
    k = 50,
    dt = 0.005,
    steps = quick ? 500 : 2000,
    warm = 200;
  const L = Math.sqrt((N * Math.PI) / 4 / phi);
  const model = validateParticles({
    kind: "particles",
    dynamics: "underdamped",
    dimension: 2,
    box: L,
    species: [
      { name: "hot", count: N / 2, temperature: 1, friction: 5 },
      { name: "cold", count: N / 2, temperature: 0.1, friction: 5 },
    ],
    pairs: [{ potential: "soft", stiffness: k, range: 1 }],
    initial: "random",
  });
  log(
    `(b) 2D hot/cold soft-disk mixture: N = ${N}, area fraction ${phi}, box ${L.toFixed(2)}, k = ${k}, dt = ${dt}, ${steps} steps (+${warm} warm-up); ${rounds} rounds`,
  );
  targets(log, ["soft disks: ness >= 1.5x faster than serial LAMMPS per core"]);
  const spec = {
    scheme: { dt },
    options: { time: steps * dt, burnIn: warm * dt, seed: 1, replicas: 1, batches: 2, sampleEvery: 10 },
  };
  simulateSync(model, spec.scheme, { ...spec.options, time: 20 * dt, burnIn: 0 }); // JIT warm-up
  const info = lammpsInfo();
  if (!info) log("    LAMMPS reference skipped (lmp not installed: apt-get install lammps)");
  const particleSteps = (steps + warm) * N;
  const res = await interleave(
    [
      {
        name: "ness",
        round: async () => {
          const m = await measure(() => simulateSync(model, spec.scheme, spec.options));
          return { cpu: m.cpu / particleSteps, wall: m.wall / particleSteps };
        },
      },
      info && {
        name: "lammps",
        round: () => {
          const r = runLammps((dir) => lammpsInput(dir, info, N, L, k, steps, warm), 2);
          if (r.error) throw new Error(r.error);
          const l = r.loops[1];
          return { cpu: l.cpuSeconds / (l.steps * l.atoms), wall: l.seconds / (l.steps * l.atoms) };
        },
      },
    ],
    rounds,
    log,
  );
  const med = (xs) => xs.map((x) => x.cpu).sort((a, b) => a - b)[xs.length >> 1];
  log(
    `    ness 1 thread (BAOAB, estimators every 10 steps, whole call): ${(1 / med(res.ness) / 1e6).toFixed(2)}M particle-steps per cpu-s` +
      (res.lammps ? `; LAMMPS serial (timed loop): ${(1 / med(res.lammps) / 1e6).toFixed(2)}M` : ""),
  );
  if (res.lammps)
    report(log, "ness vs LAMMPS, cpu per particle-step", res.ness, res.lammps, {
      anchorName: "LAMMPS",
      target: { min: 1.5 },
    });
}

export async function run(log, options = {}) {
  const rounds = roundsFor(options, 5, 3);
  await ensembles(log, rounds, options.quick);
  await mixture(log, rounds, options.quick);
}
