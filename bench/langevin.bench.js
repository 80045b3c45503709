// Langevin engine benchmarks in interleaved rounds (bench/rounds.js), CPU time:
// (a) an ensemble of 10^4 two-oscillator replicas (underdamped, BAOAB, every estimator accumulated at every step,
//     2 batches per replica) against the same work in numpy, written in place and batched over the replicas: BAOAB
//     (same splitting, same coefficients, same number of steps and replicas, from the same zero state), every
//     replica's running sums of the coordinates and of all second moments y_a y_b at every step, batch means per
//     replica, the spring and bath heat currents from the second moments (they are linear in them); state rows
//     (q, p) x replicas contiguous, preallocated force, noise and product arrays, every operation a ufunc with out=
//     (no temporaries in the step), the force one matmul, one thread. Both print the heat currents (they agree
//     within error bars: a check that both do the same work). ness on one thread and on two worker threads (CPU
//     time counts both workers; wall time shows the parallel gain);
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
    # BAOAB over R replicas, state rows Y = (q_1..q_n, p_1..p_n) x R (each row contiguous), every site bathed.
    R, n, dt = a["replicas"], len(a["mass"]), a["dt"]
    m = np.array(a["mass"]); gm = np.array(a["gamma"]); T = np.array(a["T"])
    c1 = np.exp(-gm * dt / m)
    N = 2 * n
    _s.update(R=R, n=n, N=N, steps=a["steps"], batches=a["batches"], h2=dt / 2, negV=-np.array(a["V"]),
              hm=(dt / 2 / m)[:, None], c1=c1[:, None], c2=np.sqrt((1 - c1 * c1) * m * T)[:, None],
              m=m, gm=gm, T=T, springs=a["springs"], rng=np.random.default_rng(1),
              Y=np.zeros((N, R)), f=np.zeros((n, R)), tmp=np.empty((n, R)), z=np.empty((n, R)),
              S1=np.empty((N, R)), S2=np.empty((N * (N + 1) // 2, R)), P=np.empty((N * (N + 1) // 2, R)))
def ensemble(_):
    g = _s
    n, N, h2, negV, hm, c1, c2, rng = g["n"], g["N"], g["h2"], g["negV"], g["hm"], g["c1"], g["c2"], g["rng"]
    Y, f, tmp, z, S1, S2, P = g["Y"], g["f"], g["tmp"], g["z"], g["S1"], g["S2"], g["P"]
    q, p = Y[:n], Y[n:]
    Y.fill(0.0); f.fill(0.0)
    L = g["steps"] // g["batches"]
    rows = [(a, sum(N - b for b in range(a))) for a in range(N)]
    means = []
    for _b in range(g["batches"]):
        S1.fill(0.0); S2.fill(0.0)
        for _ in range(L):
            np.multiply(f, h2, out=tmp); np.add(p, tmp, out=p)          # B
            np.multiply(p, hm, out=tmp); np.add(q, tmp, out=q)          # A
            rng.standard_normal(out=z); np.multiply(z, c2, out=z)       # O
            np.multiply(p, c1, out=p); np.add(p, z, out=p)
            np.multiply(p, hm, out=tmp); np.add(q, tmp, out=q)          # A
            np.matmul(negV, q, out=f)                                   # force -V q
            np.multiply(f, h2, out=tmp); np.add(p, tmp, out=p)          # B
            np.add(S1, Y, out=S1)                                       # means
            for a, off in rows:                                         # second moments y_a y_b, b >= a
                np.multiply(Y[a:], Y[a], out=P[off:off + N - a])
            np.add(S2, P, out=S2)
        # Batch means per replica; the spring and bath heat currents are linear in the second moments.
        M2 = S2 / L
        idx = lambda a, b: rows[min(a, b)][1] + abs(b - a)
        heats = [g["gm"][i] / g["m"][i] * (g["T"][i] - M2[idx(n + i, n + i)] / g["m"][i]) for i in range(n)]
        flux = [k / g["m"][j] * (M2[idx(i, n + j)] - M2[idx(j, n + j)]) for i, j, k in g["springs"]]
        means.append([h.mean() for h in heats] + [s.mean() for s in flux])
    if not np.isfinite(Y).all():
        raise FloatingPointError("blew up")
    return np.mean(means, axis=0).tolist()
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
        springs: [[0, 1, 0.1]],
        batches: 2,
      });
    log(
      `(a) ${replicas} replicas of two coupled oscillators, ${steps} steps of dt = ${dt} (4 dof each); ${rounds} rounds`,
    );
    targets(log, ["ensembles: ness >= 2x faster than in-place numpy on 1 thread"]);
    if (!py) log("    numpy reference skipped (python3 with numpy not found)");
    const res = await interleave(
      [
        { name: "ness", round: () => measure(() => simulateSync(model, spec.scheme, spec.options)) },
        // The pool's idle threads exit after a second, and the rounds between leave it idle longer: "ness2" starts
        // its threads in the round (module loading, JIT warm-up: the cost of a one-off `ness simulate --workers 2`);
        // "ness2 warm" runs right after it on the threads it left (a sweep or reproduce keeps its threads).
        { name: "ness2", round: () => measure(() => simulate(model, spec.scheme, spec.options, { runner: pool })) },
        {
          name: "ness2 warm",
          round: () => measure(() => simulate(model, spec.scheme, spec.options, { runner: pool })),
        },
        py && { name: "numpy", round: () => py.call("ensemble") },
      ],
      rounds,
      log,
    );
    const rate = (xs) => (dofSteps / xs.map((x) => x.cpu).sort((a, b) => a - b)[xs.length >> 1] / 1e6).toFixed(1);
    log(
      `    ness 1 thread (BAOAB + all estimators) ${rate(res.ness)}M dof-steps per cpu-s; 2 workers ${rate(res.ness2)}M (threads started in the round), ${rate(res["ness2 warm"])}M (warm threads)` +
        (res.numpy ? `; numpy in place (BAOAB + the same estimators) ${rate(res.numpy)}M` : ""),
    );
    const last = res.ness?.[res.ness.length - 1]?.value;
    if (last) {
      const flux = ([group, name]) => last.estimates.find((e) => e.group === group && e.name === name);
      const shown = [
        ["bath flux", "into 1"],
        ["bath flux", "into 2"],
        ["spring flux", "1 -> 2"],
      ].map(flux);
      if (shown.every(Boolean))
        log(
          `    heat currents (bath 1, bath 2, spring 1 -> 2): ness ${shown.map((e) => `${e.value.toFixed(4)} ± ${e.error.toFixed(4)}`).join(", ")}` +
            (res.numpy ? `; numpy ${res.numpy[res.numpy.length - 1].value.map((v) => v.toFixed(4)).join(", ")}` : ""),
        );
    }
    if (res.numpy) {
      report(log, "ness 1 thread vs numpy in place", res.ness, res.numpy, { anchorName: "numpy", target: { min: 2 } });
      report(log, "ness 2 workers vs numpy in place (cpu of both workers; see wall)", res.ness2, res.numpy, {
        anchorName: "numpy",
      });
      report(
        log,
        "ness 2 warm workers vs numpy in place (cpu of both workers; see wall)",
        res["ness2 warm"],
        res.numpy,
        {
          anchorName: "numpy",
        },
      );
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

/** The parts of this benchmark, selectable with `node bench/run.js langevin --part ensembles` (or `mixture`). */
export const parts = ["ensembles", "mixture"];

export async function run(log, options = {}) {
  const rounds = roundsFor(options, 5, 3);
  const want = (p) => !options.parts?.length || options.parts.includes(p);
  if (want("ensembles")) await ensembles(log, rounds, options.quick);
  if (want("mixture")) await mixture(log, rounds, options.quick);
}
