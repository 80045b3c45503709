// Overdamped hot/cold demixing (Metzger's recitation notes, Section 3.3: the study's default system, as in examples/particles/hot-cold-mixture.yaml) at N = 10^4 and 10^5: ness against
// serial LAMMPS in interleaved rounds (bench/rounds.js: each round runs the three ness variants and one LAMMPS process),
// CPU time per particle-step (ness: process.cpuUsage around the whole simulateSync call; LAMMPS: its timed loop's
// wall time times its reported CPU share).
//
// The system, as the study simulates it (DEFAULT_DEMIXING in src/studies/two-temperature/demixing.ts): 2D, periodic
// square box of side L = sqrt(N pi / (4 * 0.4)) (area fraction 0.4), 50/50 hot (T = 0.02) and cold (T = 0.0002) soft
// disks, U = (k/2)(1 - r/range)^2 for r < range, k = 1, range 1, overdamped with friction 1 (mobility 1):
// dx = F dt + sqrt(2 T dt) xi; dt = 0.1; random initial positions.
//
// What is compared:
// - ness: simulateSync (dist/stochastic/run.js), one replica, one thread, the 2D cell-order pair loops (skin 0.3 x
//   cutoff, wider with the exact pair heat: src/stochastic/particleForces.ts; the flat pair list and the force loops
//   over it in WebAssembly, src/stochastic/neighbours/wasmPairs.ts), with the engine's defaults for this
//   model: scheme Heun (two force evaluations per step) and the exact pair heat (pairHeat.ts, taken in the force loop
//   at the end of each step); then Heun with the plain trapezoid pair heat, scheme "euler-maruyama" (one force
//   evaluation per step, the like-for-like comparison with LAMMPS) with the trapezoid, and Euler-Maruyama with the
//   exact pair heat. The timed run has no burn-in: every timed step accumulates the estimators (Stratonovich heat
//   fluxes, drifts, potential energy: the overdamped heat needs every step); the timing is the whole simulateSync
//   call, after a short JIT warm-up, so it includes the set-up (plan, random initial positions, first neighbour
//   build: about 0.02 s at N = 10^4 and 0.2 s at N = 10^5, 1-4% of the timed run) that LAMMPS's loop time leaves out.
//   From 4096 particles the random start is numbered along a space-filling curve, species by species
//   (src/stochastic/initialOrder.ts), so particles near in space are near in memory.
// - LAMMPS (`lmp`, serial, OMP_NUM_THREADS=1): same box, same random start, `neighbor 0.3 bin`, `neigh_modify every 1
//   delay 0 check yes` (rebuild when a particle moved more than half the skin, as ness), default atom sorting (the
//   atoms sorted by spatial bin in the set-up of every `run`, its Verlet::setup, and every 1000 steps after: its
//   timed loop starts from sorted atoms, as ness's from the curve's numbering).
//   Dynamics: `fix brownian T seed gamma_t 1.0 rng gaussian` per species group when the binary has the BROWNIAN
//   package (its docs: dr = F dt / gamma_t + sqrt(2 kB T / gamma_t) dW, so gamma_t = 1 is mobility 1 as in ness;
//   untested here, the Debian 29Sep2021 build lacks it). Otherwise, as with that build, Euler-Maruyama emulated exactly
//   with `fix nve` + `fix langevin T T damp seed` per group, mass m = gamma dt and damp = dt (drag m/damp = gamma = 1):
//   in velocity Verlet the half-step velocity becomes v = v_prev + (dt/m)(F - gamma v_prev + R) = (F + R)/gamma, so
//   x' = x + dt (F + R)/gamma, with R uniform of variance 2 gamma T / dt: the Euler-Maruyama step with uniform instead
//   of Gaussian noise (fix langevin's own noise, weak order 1 like fix brownian's default), at the cost of one velocity
//   pass and three uniform draws per particle (z included) per step. Pair: `pair_style harmonic/cut` with
//   k' = k / (2 range^2) when present (EXTRA-PAIR, 17Feb2022 and later), else `pair_style table linear 20000` on an
//   r^2-uniform grid from r = 1e-6 to 1 (exact values at the nodes, linear in r^2 between). LAMMPS computes the
//   energy every 10 steps (thermo), ness every step. Timed: one run continuing after a warm-up run, per round.
// - Physics check at N = 10^4: the mean potential energy per particle over steps 201-1000 after the random start in
//   both codes (they relax the same way); ness Euler-Maruyama and LAMMPS should agree within a few percent (Heun
//   differs by its smaller O(dt) bias). A mismatch is printed as such: a benchmark of different physics is worthless.
// A hot disk moves about 0.06 per step against a skin of 0.3, so both codes rebuild their neighbour lists every few
// steps. The machine may be shared: the numbers are noisy (a few tens of percent between runs).
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { validateParticles } from "../dist/model/particles.js";
import { numberAlongCurve } from "../dist/stochastic/initialOrder.js";
import { findEstimate, simulateSync } from "../dist/stochastic/run.js";
import { closeSplitThreads, startSplitThreads } from "../dist/workers/splitThreads.js";
import { lammpsInfo, mixtureBox, runLammps, softPair } from "./lammps.js";
import { fmtTime, interleave, measure, median, report, roundsFor, targets } from "./rounds.js";

export const title =
  "Overdamped hot/cold soft-disk demixing (Metzger 2026, Sec. 3.3) at N = 10^4 and 10^5: ness vs serial LAMMPS";

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(1)}k`);

const K = 1,
  RANGE = 1,
  T_HOT = 0.02,
  T_COLD = 0.0002,
  PHI = 0.4,
  DT = 0.1,
  SKIN = 0.3;
// Timed steps per run (LAMMPS: after `warm` untimed steps). N = 10^4's first timed LAMMPS run is also the window of
// the energy check (steps warm + 1 .. warm + steps after the random start).
const SIZES = [
  { N: 10_000, warm: 200, steps: 800 },
  { N: 100_000, warm: 50, steps: 300 },
];
// pairHeat undefined: the engine's default for soft disks ("exact", each pair's heats summing to its exact energy
// change, accounted in the force loop); "trapezoid" is the plain rule (no accounting).
const SCHEMES = [
  { scheme: "heun", pairHeat: undefined, label: "Heun + exact heat (defaults)" },
  { scheme: "heun", pairHeat: "trapezoid", label: "Heun + trapezoid heat" },
  { scheme: "euler-maruyama", pairHeat: "trapezoid", label: "Euler-Maruyama + trapezoid" },
  { scheme: "euler-maruyama", pairHeat: "exact", label: "Euler-Maruyama + exact heat" },
];

// The split runs (SimulationOptions.threads, src/stochastic/splitDisks.ts): one system on 1 and 2 threads, the same
// numbers on both, with the defaults (Heun + the exact pair heat, taken in the split force loop). Timed as the others
// (the whole simulateSync call; CPU of every thread). The 2-thread target is about throughput: its verdict is on
// wall-clock ratios (and means something only on an idle machine: the load is printed with each round's line).
const SPLITS = [
  { scheme: "heun", pairHeat: undefined, threads: 1, label: "split, Heun + exact heat, 1 thread" },
  { scheme: "heun", pairHeat: undefined, threads: 2, label: "split, Heun + exact heat, 2 threads" },
];

const boxSide = (N) => Math.sqrt((N * Math.PI) / (4 * PHI));

function mixture(N) {
  return validateParticles({
    kind: "particles",
    dynamics: "overdamped",
    dimension: 2,
    box: boxSide(N),
    species: [
      { name: "hot", count: N / 2, temperature: T_HOT },
      { name: "cold", count: N / 2, temperature: T_COLD },
    ],
    pairs: [{ potential: "soft", stiffness: K, range: RANGE }],
    initial: "random",
  });
}

// `steps + 0.5` keeps floor(time / dt / batches) from losing a step to rounding.
const options = (steps, burn, batches, pairHeat) => ({
  ...(pairHeat ? { pairHeat } : {}),
  time: (steps + 0.5) * DT,
  burnIn: burn * DT,
  seed: 1,
  replicas: 1,
  batches,
});
/** One simulateSync call of the mixture with a scheme (by name) and options. */
const sim = (model, scheme, opts) => simulateSync(model, { scheme, dt: DT }, opts);

/**
 * CPU seconds of the calling thread alone so far (Linux: /proc/self/task/<pid>/schedstat, nanoseconds on a CPU), or
 * null where that file is missing. process.cpuUsage counts every thread of the process.
 */
function callingThreadCpu() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e9;
  } catch {
    return null;
  }
}

/**
 * One timed ness run: CPU (every thread), the calling thread's CPU (or null) and wall seconds per particle-step.
 */
function nessRound(model, scheme, steps, pairHeat, threads) {
  const o = { ...options(steps, 0, 2, pairHeat), ...(threads ? { threads } : {}) };
  const c0 = callingThreadCpu();
  return measure(() => sim(model, scheme, o)).then((m) => {
    const c1 = callingThreadCpu(),
      ps = m.value.steps * model.speciesOf.length;
    return { cpu: m.cpu / ps, wall: m.wall / ps, caller: c0 === null || c1 === null ? null : (c1 - c0) / ps };
  });
}

/**
 * The split's 2-thread wall time on two free cores, estimated (the machine it runs on is usually shared): per round
 * the calling thread's CPU time per particle-step (thread 0's share of every phase and its spinning at the barriers),
 * against LAMMPS's CPU time; beside it the bound of a perfect split, half the 1-thread split's CPU time. An upper
 * estimate of the speed-up ("at best"): the barrier spins briefly and then sleeps in Atomics.wait, and that sleep
 * (waiting for a slower helper) is wall time the calling thread's CPU does not count. Printed, not judged: only a
 * wall-clock run on two free cores can meet the target.
 */
function twoCoreEstimate(log, two, one, lammps) {
  const n = Math.min(two.length, lammps.length);
  if (n === 0 || two.some((r) => r.caller === null)) {
    log("    2 workers on two free cores: no estimate (the calling thread's CPU time is read on Linux only)");
    return;
  }
  const byRound = [];
  for (let r = 0; r < n; r++) byRound.push(lammps[r].cpu / two[r].caller);
  const mid = median(byRound);
  let half = "";
  if (one && one.length >= n) {
    const h = [];
    for (let r = 0; r < n; r++) h.push(lammps[r].cpu / (one[r].cpu / 2));
    half = `; a perfect split of the 1-thread CPU: ${median(h).toFixed(2)}x (median)`;
  }
  log(
    `    2 workers on two free cores, estimated from the calling thread's CPU (${fmtTime(median(two.map((r) => r.caller)))} per particle-step, median): ` +
      `LAMMPS cpu / caller cpu by round ${byRound.map((x) => x.toFixed(2)).join(" ")}, median ${mid.toFixed(2)}x faster at best (target 2.5x: ${mid >= 2.5 ? "not judged: an upper estimate" : "missed even at best"})${half}`,
  );
}

/** The LAMMPS input: the study's mixture, fix brownian (or its exact emulation), the soft repulsion. */
function lammpsInput(dir, N, warm, steps, info) {
  const dynamics = info.brownian
    ? `mass * 1.0
fix 1 hot brownian ${T_HOT} 48279 gamma_t 1.0 rng gaussian
fix 2 cold brownian ${T_COLD} 8279 gamma_t 1.0 rng gaussian
fix 3 all enforce2d`
    : `mass * ${DT}
fix 1 all nve
fix 2 hot langevin ${T_HOT} ${T_HOT} ${DT} 48279
fix 3 cold langevin ${T_COLD} ${T_COLD} ${DT} 8279
fix 4 all enforce2d`;
  return `${mixtureBox(N, boxSide(N))}
${softPair(dir, info, K, RANGE)}
neighbor ${SKIN} bin
neigh_modify every 1 delay 0 check yes
${dynamics}
timestep ${DT}
thermo_style custom step pe
thermo 10
run ${warm}
run ${steps}
`;
}

/** Runs LAMMPS once; returns its timed loop's CPU and wall seconds per particle-step, the mean pe per particle over the
 * timed run, and the time breakdown. Throws with LAMMPS's last line on failure. */
function lammpsRound(N, warm, steps, info) {
  const r = runLammps((dir) => lammpsInput(dir, N, warm, steps, info), 2);
  if (r.error) throw new Error(r.error);
  const blocks = r.out.split(/\nLoop time of /).slice(1);
  const l = r.loops[1];
  // Thermo rows "step pe" printed by the timed run (the text between the first and second "Loop time").
  let sum = 0,
    count = 0;
  for (const line of blocks[0].split("\n")) {
    const m = line.match(/^\s*(\d+)\s+([-\d.eE+]+)\s*$/);
    if (m && Number(m[1]) > warm && Number(m[1]) <= warm + steps) {
      sum += Number(m[2]);
      count++;
    }
  }
  const share = (name) => (blocks[1].match(new RegExp(`\\n${name}\\s*\\|[^\\n]*\\|\\s*([\\d.]+)\\s*\\n`)) ?? [])[1];
  const builds = (blocks[1].match(/Neighbor list builds = (\d+)/) ?? [])[1];
  return {
    cpu: l.cpuSeconds / (l.steps * l.atoms),
    wall: l.seconds / (l.steps * l.atoms),
    pe: count > 0 ? sum / count : NaN,
    samples: count,
    pair: share("Pair"),
    neigh: share("Neigh"),
    modify: share("Modify"),
    builds,
  };
}

/**
 * The parts of this benchmark, selectable with `node bench/run.js demixing --part split` (or `engine`); `numbering`
 * (run only when asked) times the numbering of the particles instead of comparing with LAMMPS (numberingRounds).
 */
export const parts = ["engine", "split", "numbering"];

/** A small seeded generator of uniform numbers in [0, 1) (mulberry32): the numbering part's positions. */
function uniforms(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What renumbering the particles during a run could gain, measured in this process: one uniform draw of positions
 * per species (hot particles 0 .. N/2 - 1, cold the rest), handed to the engines as `initial` in seven numberings,
 * timed in interleaved rounds (the whole simulateSync call of `steps` Heun steps with the defaults, CPU and wall time
 * per particle-step), each against the curve's in the same round (CPU ratio):
 *   - "curve": each species along the Z-order curve from a random point (the engines' random start from 4096
 *     particles, initialOrder.ts);
 *   - "cells": each species in the cell order (rows of cells of the pair range plus the skin): what a renumbering
 *     into cell order gives right after it ran (LAMMPS's atom sort);
 *   - "draw": the draw's order (numbers random in space: no numbering at all);
 *   - "cells + 300 steps", "cells + 10^3 steps", "curve + 10^3 steps", "curve + 10^4 steps": those numberings, each
 *     position then moved by free diffusion over that many steps at its species' temperature (the hot disks 1.1, 2
 *     and 6.3 per axis after 300, 10^3 and 10^4 steps, about 1, 1.5 and 5 cells; the cold ones a tenth of that):
 *     the order a run of that length has lost, which a renumbering during the run would restore (how fast the
 *     cell order's gain fades says how often a renumbering would have to run).
 * The engines: the default (one thread) and the split on one thread (SimulationOptions.threads).
 */
async function numberingRounds(log, rounds, sizes) {
  const engines = [
    { label: "default engine", threads: undefined },
    { label: "split, 1 thread", threads: 1 },
  ];
  for (const { N, steps } of sizes) {
    const L = boxSide(N),
      u = uniforms(N + 17),
      half = N / 2;
    const draw = new Float64Array(2 * N);
    for (let i = 0; i < 2 * N; i++) draw[i] = u() * L;
    const speciesOf = new Int32Array(N).fill(1, half);
    const curve = draw.slice();
    numberAlongCurve(curve, speciesOf, 2, 2, [L, L], [u() * L, u() * L]);
    // Each species in the order of its cells (row by row), particles of a cell in the draw's order.
    const side = Math.floor(L / (RANGE * (1 + SKIN)));
    const cells = new Float64Array(2 * N);
    for (const [a0, a1] of [
      [0, half],
      [half, N],
    ]) {
      const key = (a) => Math.floor((draw[2 * a + 1] / L) * side) * side + Math.floor((draw[2 * a] / L) * side);
      const ids = Array.from({ length: a1 - a0 }, (_, k) => a0 + k).sort((p, q) => key(p) - key(q) || p - q);
      ids.forEach((b, k) => cells.set(draw.subarray(2 * b, 2 * b + 2), 2 * (a0 + k)));
    }
    const gauss = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const diffused = (from, n) => {
      const out = from.slice();
      for (let a = 0; a < N; a++) {
        const sd = Math.sqrt(2 * (a < half ? T_HOT : T_COLD) * n * DT);
        for (let k = 0; k < 2; k++) {
          const v = out[2 * a + k] + sd * gauss();
          out[2 * a + k] = v - L * Math.floor(v / L);
        }
      }
      return out;
    };
    const numberings = [
      ["curve", curve],
      ["cells", cells],
      ["draw", draw],
      ["cells + 300 steps", diffused(cells, 300)],
      ["cells + 10^3 steps", diffused(cells, 1000)],
      ["curve + 10^3 steps", diffused(curve, 1000)],
      ["curve + 10^4 steps", diffused(curve, 10_000)],
    ];
    const models = numberings.map(([, x]) => {
      const m = mixture(N);
      return validateParticles({
        kind: "particles",
        dynamics: "overdamped",
        dimension: 2,
        box: L,
        species: m.species.map((s, k) => ({
          name: s.name,
          count: k === 0 ? half : N - half,
          temperature: s.temperature,
        })),
        pairs: [{ potential: "soft", stiffness: K, range: RANGE }],
        initial: Array.from({ length: N }, (_, a) => [x[2 * a], x[2 * a + 1]]),
      });
    });
    log(
      `N = ${N}: ${steps} Heun steps (the defaults) per call, ${rounds} rounds; load average ${loadavg()[0].toFixed(1)}`,
    );
    for (const { label, threads } of engines) {
      // Rounds in alternating order (forward, then backward: A B C D E E D C B A ...), so that drift within a
      // round reaches every numbering alike.
      const res = models.map(() => []);
      for (let r = 0; r < rounds; r++) {
        const ks = models.map((_, k) => k);
        if (r % 2 === 1) ks.reverse();
        for (const k of ks) res[k].push(await nessRound(models[k], "heun", steps, undefined, threads));
      }
      log(
        `  ${label}: CPU and wall time per particle-step (medians), and the CPU ratio to the curve's in the same round (median; per round)`,
      );
      numberings.forEach(([name], k) => {
        const r = res[k],
          c = res[0];
        const ratios = r.map((x, i) => x.cpu / c[i].cpu);
        log(
          `    ${name.padEnd(20)} cpu ${fmtTime(median(r.map((x) => x.cpu))).padStart(9)}  wall ${fmtTime(median(r.map((x) => x.wall))).padStart(9)}  ${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(", ")})`,
        );
      });
    }
    log(`  load average after N = ${N}: ${loadavg()[0].toFixed(1)}`);
  }
}

export async function run(log, opts = {}) {
  const rounds = roundsFor(opts, 3, 2);
  if (opts.parts?.includes("numbering")) {
    // An even number of rounds (an odd count is rounded up): each numbering as often early as late in a round.
    const even = rounds + (rounds % 2);
    const warmModel = mixture(2000);
    sim(warmModel, "heun", options(40, 0, 2));
    sim(warmModel, "heun", { ...options(40, 0, 2), threads: 1 });
    await numberingRounds(
      log,
      even,
      opts.quick
        ? [{ N: 10_000, steps: 300 }]
        : [
            { N: 10_000, steps: 300 },
            { N: 100_000, steps: 100 },
          ],
    );
    if (opts.parts.length === 1) return;
  }
  const info = lammpsInfo();
  const want = (p) => !opts.parts?.length || opts.parts.includes(p);
  const schemes = want("engine") ? SCHEMES : [],
    splits = want("split") ? SPLITS : [];
  log(
    `2D, area fraction ${PHI}, hot T = ${T_HOT} / cold T = ${T_COLD}, soft disks k = ${K}, range ${RANGE}, mobility 1, dt = ${DT}, random start; ${rounds} rounds`,
  );
  targets(log, [
    "2D soft disks, N = 10^4 and 10^5: ness (default scheme) >= 1.5x faster than serial LAMMPS per core (CPU ratio <= 0.67; the split on 1 thread too)",
    "the same with 2 workers >= 2.5x (one system split across 2 threads, wall clock on two free cores: judged on the wall time when the machine is idle, else estimated from the calling thread's CPU: the split lines below)",
  ]);
  if (info) {
    log(
      `LAMMPS: ${info.version}; dynamics ${info.brownian ? "fix brownian (rng gaussian)" : "fix nve + fix langevin with m = dt, damp = dt (exact Euler-Maruyama, uniform noise; no BROWNIAN package)"}; ` +
        `pair ${info.harmonicCut ? "harmonic/cut" : "table (no harmonic/cut in this build)"}`,
    );
  } else {
    log("LAMMPS reference skipped (lmp not installed: apt-get install lammps)");
  }
  const warmModel = mixture(2000);
  for (const { scheme, pairHeat } of schemes) sim(warmModel, scheme, options(40, 0, 2, pairHeat)); // JIT warm-up
  await startSplitThreads(2);
  for (const { scheme, pairHeat, threads } of splits)
    sim(warmModel, scheme, { ...options(40, 0, 2, pairHeat), threads });

  let check = null;
  for (const { N, warm, steps } of opts.quick ? SIZES.slice(0, 1) : SIZES) {
    const model = mixture(N);
    const loadBefore = loadavg()[0];
    log(`N = ${N} (box ${boxSide(N).toFixed(2)}), ${steps} timed steps; load average ${loadBefore.toFixed(1)}`);
    const res = await interleave(
      [
        ...schemes.map(({ scheme, pairHeat }, k) => ({
          name: `ness${k}`,
          round: () => nessRound(model, scheme, steps, pairHeat),
        })),
        ...splits.map(({ scheme, pairHeat, threads }, k) => ({
          name: `split${k}`,
          round: () => nessRound(model, scheme, steps, pairHeat, threads),
        })),
        info && { name: "lammps", round: () => lammpsRound(N, warm, steps, info) },
      ],
      rounds,
      log,
    );
    const loadAfter = loadavg()[0];
    log(`    load average after the rounds ${loadAfter.toFixed(1)} (on ${availableParallelism()} cores)`);
    const med = (xs) => xs.map((x) => x.cpu).sort((a, b) => a - b)[xs.length >> 1];
    const medWall = (xs) => xs.map((x) => x.wall).sort((a, b) => a - b)[xs.length >> 1];
    schemes.forEach(({ label }, k) => {
      log(
        `    ness ${label.padEnd(30)} ${fmt(1 / med(res[`ness${k}`])).padStart(7)} particle-steps per cpu-s (estimators every step, whole call)`,
      );
    });
    splits.forEach(({ label }, k) => {
      const r = res[`split${k}`];
      if (r)
        log(
          `    ness ${label.padEnd(34)} ${fmt(1 / med(r)).padStart(7)} particle-steps per cpu-s, ${fmt(1 / medWall(r)).padStart(7)} per wall-s`,
        );
    });
    if (!res.lammps) continue;
    const ref = res.lammps[0];
    log(
      `    LAMMPS serial ${"".padEnd(26)} ${fmt(1 / med(res.lammps)).padStart(7)} particle-steps per cpu-s (timed loop of ${steps} steps after ${warm} warm-up; ` +
        `time: pair ${ref.pair}%, neighbour ${ref.neigh}%, fixes ${ref.modify}%; ${ref.builds} list builds)`,
    );
    schemes.forEach(({ label }, k) => {
      report(log, `${label} vs LAMMPS, N = ${N}`, res[`ness${k}`], res.lammps, {
        anchorName: "LAMMPS",
        target: k === 0 ? { min: 1.5 } : undefined,
      });
    });
    splits.forEach(({ label, threads }, k) => {
      if (!res[`split${k}`]) return;
      report(log, `${label} vs LAMMPS, N = ${N}`, res[`split${k}`], res.lammps, {
        anchorName: "LAMMPS",
        basis: threads > 1 ? "wall" : "cpu",
        target: { min: threads > 1 ? 2.5 : 1.5 },
        load: Math.max(loadBefore, loadAfter),
        cores: availableParallelism(),
      });
      if (threads > 1) twoCoreEstimate(log, res[`split${k}`], res.split0, res.lammps);
    });
    if (N === SIZES[0].N && schemes.length > 0) check = { N, warm, steps, ref };
  }
  await closeSplitThreads();

  if (!check) {
    log("Physics check (mean potential energy, ness vs LAMMPS) skipped: it needs the LAMMPS run at N = 10^4");
    return;
  }
  // Physics check: mean potential energy per particle over the same window after the random start.
  const { N, warm, steps, ref } = check;
  const model = mixture(N);
  const pe = [SCHEMES[0], SCHEMES[2]].map(({ scheme, pairHeat }) => {
    const res = sim(model, scheme, options(steps, warm, 4, pairHeat));
    return findEstimate(res, "potential energy", "per particle");
  });
  const em = pe[1].value,
    diff = (ref.pe - em) / em;
  log(
    `Physics check, N = ${N}: mean potential energy per particle over steps ${warm + 1}-${warm + steps} after the random start`,
  );
  log(
    `    ness Euler-Maruyama ${em.toPrecision(4)} +- ${pe[1].error.toPrecision(4)}, ness Heun ${pe[0].value.toPrecision(4)} +- ${pe[0].error.toPrecision(4)}, ` +
      `LAMMPS ${ref.pe.toPrecision(4)} (${ref.samples} samples, every 10 steps)`,
  );
  log(
    `    LAMMPS vs ness Euler-Maruyama: ${(100 * diff).toFixed(2)}%; ` +
      (Math.abs(diff) < 0.03
        ? "same physics (within 3%)"
        : "MISMATCH (> 3%): the two codes do not simulate the same system; the ratios above compare different physics"),
  );
}
