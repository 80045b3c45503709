// The demixing map at the stiff stiffness (docs/studies/two-temperature.md, "The map at the stiff stiffness"):
// the criterion (classifyDemixing on the pair N = 30, 60 from the random start, 24 replicas) at every area fraction
// phi and temperature ratio T_hot/T_cold, with T_hot = 0.002, k = 1, range 1 (T_hot/k = 0.002), T_cold = T_hot/ratio.
// The windows are fig7 (c)'s (the stiff point, phi = 0.7, ratio 100: N = 30 burn-in 1e4 + production 2e4, N = 60
// 6e4 + 2e4, samples every 1000) scaled by the cold disks' interdiffusion time, f = (max(ratio, 3) / 100)(0.7 / phi):
// burn-ins 10 and 60 sample intervals, production 20, at an interval of 1000 f.
// Writes the results JSON (ness version, parameters, seeds, per point the verdict, its evidence and the runs' psi,
// S_cc(q -> 0) and psi(t); the second-virial spinodal at this T_hot and stiffness) after every point, cheapest points first, and skips points already in the file that were
// run with the same parameters (so an interrupted run resumes). Render the figure with
// scripts/demixing-stiff-map-figure.js. Needs dist/ (`npm run build`).
// With --slab phi:ratio,... it also runs those points from the separated start (a slab of cold disks, N = 200 by
// default, 8 replicas, burn-in 0) for 1.4 cold-disk interdiffusion times t_cold = (L/2 pi)^2/T_cold, sampled every
// t_cold/20, so that the late window (the last quarter) starts after t_cold; stores the slab test (classifySlab) and
// the verdict of both starts (combineDemixing with the point's random-start verdict) under slabPoints.
// With --slab-mixing phi:ratio,... it runs those points from the separated start on the mixing horizon instead: the
// production long enough that a slab relaxing at the rate of the mixed control at that phi (the stored ratio-1 slab
// point on the t_cold schedule, its label-interdiffusion rate from slabMixingRate) would be below r = e^-3 when the
// late window starts (slabMixingHorizon, from the rate's one-sided 95% lower bound k - t95 dk), so that "dissolves" can be decided
// where labels interdiffuse slowly; such a run's seed is offset by phis * ratios from the control's. Where that control is stored, every slab point's
// "persists" also needs the slab's own rate, at its upper end, below half the control's lower end (classifySlab's
// control argument).
// With --reclassify it runs nothing: it re-derives every stored slab point's slab test and combined verdict (and their
// reasons) from the stored values with today's classifySlab and combineDemixing, and rewrites the file.
// The file's `commands` lists every command that wrote points still in it, oldest first; `unfinished` those among
// them that stopped before their last point (a command is listed there from its start until it completes): their
// stored points are whole runs, the points they did not reach are not stored.
//   nice -n 5 node scripts/demixing-stiff-map.js [--out FILE] [--workers 2] [--seed 1] [--replicas 24]
//     [--phis 0.4,0.55,0.7] [--ratios 1,3,10,30,100] [--last phi:ratio,...]
//     [--slab phi:ratio,...] [--slab-mixing phi:ratio,...] [--slab-N 200] [--slab-replicas 8] [--slab-seed 1001]
//     [--reclassify]
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { NESS_VERSION, confidenceStandardErrors } from "../dist/index.js";
import { boxSide, demixingFiniteSize, runDemixing } from "../dist/studies/two-temperature/demixing.js";
import {
  classifySlab,
  combineDemixing,
  SLAB_MIXING_CONFIDENCE,
  slabMixingHorizon,
  slabMixingRate,
} from "../dist/studies/two-temperature/demixingSlab.js";
import { demixingMapSpinodal } from "../dist/studies/two-temperature/demixingTheory.js";
import { workerRunner } from "../dist/workers/pool.js";

const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = args[i + 1];
  if (v === undefined) {
    console.error(`--${name} needs a value`);
    process.exit(1);
  }
  return v;
}
const list = (s) => s.split(",").map(Number);
const out = opt("out", "docs/studies/data/demixing-stiff-map.results.json");
const workers = Number(opt("workers", "2"));
const seed = Number(opt("seed", "1"));
const replicas = Number(opt("replicas", "24"));
const phis = list(opt("phis", "0.4,0.55,0.7"));
const ratios = list(opt("ratios", "1,3,10,30,100"));
const slabList = (opt("slab", "") || "").split(",").filter(Boolean);
const slabMixingList = (opt("slab-mixing", "") || "").split(",").filter(Boolean);
const slabN = Number(opt("slab-N", "200"));
const slabReplicas = Number(opt("slab-replicas", "8"));
const slabSeed = Number(opt("slab-seed", "1001"));
const reclassify = args.includes("--reclassify");
if (reclassify && (slabList.length || slabMixingList.length)) {
  console.error("--reclassify runs nothing: give it without --slab or --slab-mixing");
  process.exit(1);
}
for (const [name, v] of [
  ["workers", workers],
  ["seed", seed],
  ["replicas", replicas],
  ["slab-N", slabN],
  ["slab-replicas", slabReplicas],
  ["slab-seed", slabSeed],
]) {
  if (!(Number.isInteger(v) && v >= 1)) {
    console.error(`--${name} must be an integer >= 1, got ${v}`);
    process.exit(1);
  }
}
const slabPoint = (horizon) => (t) => {
  const [phi, ratio] = t.split(":").map(Number);
  if (!(phis.includes(phi) && ratios.includes(ratio))) {
    console.error(
      `--slab${horizon === "mixing" ? "-mixing" : ""}: ${t} is not a point phi:ratio of the map (--phis, --ratios)`,
    );
    process.exit(1);
  }
  return { phi, ratio, horizon };
};
const slabWanted = [...slabList.map(slabPoint("cold")), ...slabMixingList.map(slabPoint("mixing"))];
if (![...phis, ...ratios].every((v) => Number.isFinite(v) && v > 0)) {
  console.error("--phis and --ratios must be lists of numbers > 0");
  process.exit(1);
}

const SIZES = [30, 60];
const BASE = { Thot: 0.002, stiffness: 1, range: 1, coldFraction: 0.5, dt: 0.1, neighbourCutoff: 1.5 };
// fig7 (c)'s windows at phi = 0.7, ratio 100, in sample intervals of 1000.
const BURN_INS = [10, 60];
const PRODUCTION = 20;

/** The schedule of one point: windows scaled by the cold disks' interdiffusion time (ratio 1 takes ratio 3's). */
function schedule(phi, ratio) {
  const f = (Math.max(ratio, 3) / 100) * (0.7 / phi);
  // The interval a whole number of time steps.
  const interval = Math.round((1000 * f) / BASE.dt) * BASE.dt;
  const r = (x) => Number(x.toFixed(6));
  return {
    factor: r(f),
    sampleInterval: r(interval),
    burnIns: BURN_INS.map((b) => r(b * interval)),
    times: SIZES.map(() => r(PRODUCTION * interval)),
  };
}

const points = [];
phis.forEach((phi, i) =>
  ratios.forEach((ratio, j) => {
    points.push({ phi, ratio, seed: seed + SIZES.length * (i * ratios.length + j), schedule: schedule(phi, ratio) });
  }),
);
// Cheapest first (work ~ factor), so a partial map holds as many points as possible.
// --last phi:ratio,... moves points to the end (e.g. one already measured elsewhere), keeping the seeds.
const last = (opt("last", "") || "").split(",").filter(Boolean);
const isLast = (p) => last.includes(`${p.phi}:${p.ratio}`);
const order = [...points].sort(
  (a, b) => Number(isLast(a)) - Number(isLast(b)) || a.schedule.factor - b.schedule.factor || a.phi - b.phi,
);

const header = {
  study: "two-temperature demixing map at the stiff stiffness (T_hot/k = 0.002)",
  version: NESS_VERSION,
  command: `node scripts/demixing-stiff-map.js ${args.join(" ")}`.trim(),
  seed,
  parameters: {
    base: BASE,
    phis,
    ratios,
    sizes: SIZES,
    replicas,
    start: "random",
    schedule:
      "windows of fig7 (c) (phi = 0.7, ratio 100: burn-in 1e4 + 2e4 at N = 30, 6e4 + 2e4 at N = 60, samples every 1000) " +
      "scaled by f = (max(ratio, 3) / 100)(0.7 / phi); point (i, j) runs N = 30 at seed + 2 (i * ratios + j) and N = 60 at that + 1",
  },
  slab: {
    N: slabN,
    start: "slab",
    schedule:
      "burn-in 0; production 1.4 t_cold = 1.4 (L/2 pi)^2/T_cold in 28 samples, so that the late window (the last quarter) " +
      "starts after t_cold (horizon 'cold'), or on the mixing horizon (horizon 'mixing': production " +
      "max(1.4, 3 / (k (1 - 1/4))) t_cold in 28 samples, k the label-interdiffusion rate per t_cold of the ratio-1 " +
      "slab point at the same phi on the 'cold' horizon, from its late r: a mixed slab is below r = e^-3 when the late " +
      "window starts, k - t95 dk the rate's one-sided 95% lower bound, t95 Student's t of its replicas); point (i, j) of the " +
      "lists runs at slab-seed + (i * ratios + j), on the mixing horizon at slab-seed + phis * ratios + (i * ratios + j); where the mixed " +
      "control is stored, 'persists' also needs the slab's own rate resolved below half the control's (k + t dk < (k_ctl - t_ctl dk_ctl) / 2, " +
      "each at the Student-t threshold of its replicas); replicas per point in its parameters",
  },
  // The second-virial spinodal at this T_hot and stiffness, drawn beside the verdicts (the figure only reads it).
  spinodal: demixingMapSpinodal(BASE, phis),
};

let previous = [];
// This command stopped unfinished before (so completing it, even with every point skipped, rewrites the record).
let resumed = false;
let previousSlab = [];
if (existsSync(out)) {
  const old = JSON.parse(readFileSync(out, "utf8"));
  previous = old.points ?? [];
  previousSlab = old.slabPoints ?? [];
  // Every command that wrote points still in the file, oldest first.
  const history = old.commands ?? (old.command ? [old.command] : []);
  header.commands = [...history.filter((c) => c !== header.command), header.command];
  // Commands that stopped before their last point; this one until it completes.
  resumed = (old.unfinished ?? []).includes(header.command);
  header.unfinished = [...(old.unfinished ?? []).filter((c) => c !== header.command), header.command];
} else {
  header.commands = [header.command];
  header.unfinished = [header.command];
}
const sameRun = (p, q) =>
  p.phi === q.phi &&
  p.ratio === q.ratio &&
  p.seed === q.seed &&
  JSON.stringify(p.schedule) === JSON.stringify(q.schedule) &&
  p.runs?.[0]?.parameters?.replicas === replicas &&
  p.runs?.[0]?.parameters?.Thot === BASE.Thot;
const done = previous.filter((p) => points.some((q) => sameRun(p, q)));

let wrote = false;
function write(results) {
  wrote = true;
  const byPoint = (a, b) =>
    a.phi - b.phi || a.ratio - b.ratio || Number(horizonOf(a) === "mixing") - Number(horizonOf(b) === "mixing");
  const text = JSON.stringify(
    {
      ...header,
      points: [...results].sort(byPoint),
      ...(slabResults.length ? { slabPoints: [...slabResults].sort(byPoint) } : {}),
    },
    (_, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`non-finite number in the results: ${v}`);
      return v;
    },
    1,
  );
  writeFileSync(`${out}.tmp`, text + "\n");
  renameSync(`${out}.tmp`, out);
}

const measured = (m) => ({
  value: m.value,
  error: m.error,
  reliable: m.reliable,
  ...(m.batches ? { n: m.batches } : {}),
});
const finite = (o) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== "number" || Number.isFinite(v)));

// Slab points: the separated start at the map's (phi, ratio), schedule from the cold disks' interdiffusion time
// (horizon "cold") or from the mixed control's relaxation at that phi (horizon "mixing").
const horizonOf = (p) => p.schedule?.horizon ?? "cold";
const slabSchedule = (phi, ratio, horizon) => {
  const L = boxSide({ N: slabN, phi, range: BASE.range });
  const coldTime = (L / (2 * Math.PI)) ** 2 / (BASE.Thot / ratio);
  const r = (x) => Number(x.toFixed(6));
  if (horizon === "cold") {
    const interval = Math.round(coldTime / 20 / BASE.dt) * BASE.dt;
    return { coldTime: r(coldTime), sampleInterval: r(interval), burnIn: 0, time: r(28 * interval) };
  }
  const control = previousSlab.find((q) => q.phi === phi && q.ratio === 1 && q.N === slabN && horizonOf(q) === "cold");
  if (!control) {
    console.error(
      `--slab-mixing ${phi}:${ratio}: the mixed control (phi = ${phi}, ratio 1, N = ${slabN}, --slab) is not in ${out}: run it first`,
    );
    process.exit(1);
  }
  const rate = slabMixingRate({
    late: control.late,
    lateFrom: control.lateFrom,
    coldTime: control.coldTime,
    time: control.series.time,
  });
  let length;
  try {
    length = slabMixingHorizon(rate, coldTime);
  } catch (e) {
    console.error(`--slab-mixing ${phi}:${ratio}: ${e.message}`);
    process.exit(1);
  }
  const interval = Math.round(length / 28 / BASE.dt) * BASE.dt;
  const lower = rate.value - confidenceStandardErrors(rate.batches, SLAB_MIXING_CONFIDENCE) * rate.error;
  return {
    coldTime: r(coldTime),
    horizon: "mixing",
    mixingRate: { value: rate.value, error: rate.error, n: rate.batches, lower, controlSeed: control.seed },
    sampleInterval: r(interval),
    burnIn: 0,
    time: r(28 * interval),
  };
};
// The mixed control's rate at a phi (the stored ratio-1 slab point on the t_cold schedule), for classifySlab; none
// where it is not stored or its late r is not above 0.
const controlRate = (phi, N) => {
  const control = [...slabResults, ...previousSlab].find(
    (q) => q.phi === phi && q.ratio === 1 && q.N === N && horizonOf(q) === "cold",
  );
  if (!control) return undefined;
  try {
    return slabMixingRate({
      late: control.late,
      lateFrom: control.lateFrom,
      coldTime: control.coldTime,
      time: control.series.time,
    });
  } catch {
    return undefined;
  }
};
// The slab test's verdict and the combined verdict of both starts for a slab point, from its slab series and its
// random-start point: one rule for a new run and for --reclassify.
const slabVerdicts = (p, s, random) => {
  const control = controlRate(p.phi, p.N);
  const test = classifySlab(s, control);
  const largest = random.runs[random.runs.length - 1];
  const both = combineDemixing(
    { verdict: random.verdict, psi: { ...largest.psi, batches: largest.psi.n } },
    [{ parameters: { N: p.N }, slab: s }],
    control,
  );
  return { test, both };
};
const slabPoints = slabWanted.map(({ phi, ratio, horizon }) => ({
  phi,
  ratio,
  N: slabN,
  // A mixing-horizon run draws other numbers than its control (same phi and ratio on the t_cold schedule).
  seed:
    slabSeed +
    (horizon === "mixing" ? phis.length * ratios.length : 0) +
    phis.indexOf(phi) * ratios.length +
    ratios.indexOf(ratio),
  schedule: slabSchedule(phi, ratio, horizon),
}));
const sameSlab = (p, q) =>
  p.phi === q.phi &&
  p.ratio === q.ratio &&
  horizonOf(p) === horizonOf(q) &&
  p.N === q.N &&
  p.seed === q.seed &&
  JSON.stringify(p.schedule) === JSON.stringify(q.schedule) &&
  p.parameters?.replicas === slabReplicas &&
  p.parameters?.Thot === BASE.Thot;
// Slab points already stored are kept (with the same parameters, skipped; others stay until rerun).
const slabResults = previousSlab.filter(
  (p) =>
    slabPoints.some((q) => sameSlab(p, q)) ||
    !slabPoints.some((q) => q.phi === p.phi && q.ratio === p.ratio && horizonOf(q) === horizonOf(p)),
);

if (reclassify) {
  if (!existsSync(out)) {
    console.error(`--reclassify: ${out} does not exist`);
    process.exit(1);
  }
  // Every stored point stays as it is; only the slab points' verdicts and reasons are derived again.
  for (const p of slabResults) {
    const random = previous.find((q) => q.phi === p.phi && q.ratio === p.ratio);
    if (!random) {
      console.error(`--reclassify: slab at phi = ${p.phi}, ratio ${p.ratio} has no random-start point in ${out}`);
      process.exit(1);
    }
    const s = { late: p.late, lateFrom: p.lateFrom, coldTime: p.coldTime, time: p.series.time };
    const { test, both } = slabVerdicts(p, s, random);
    const was = `${p.slabVerdict} / ${p.verdict}`;
    Object.assign(p, {
      slabVerdict: test.verdict,
      slabReasons: test.reasons,
      randomVerdict: random.verdict,
      verdict: both.verdict,
      reasons: both.reasons,
    });
    console.log(
      `slab at phi = ${p.phi}, ratio ${p.ratio} (${horizonOf(p)} horizon): ${was} -> ${test.verdict} / ${both.verdict}`,
    );
  }
  header.unfinished = header.unfinished.filter((c) => c !== header.command);
  write(previous);
  process.exit(0);
}

const runner = workerRunner(workers);
const results = [...done];
try {
  for (const p of order) {
    if (done.some((q) => sameRun(q, p))) {
      console.log(`phi = ${p.phi}, ratio ${p.ratio}: in ${out}, skipped`);
      continue;
    }
    const t0 = process.cpuUsage();
    const fs = await demixingFiniteSize(
      {
        sizes: SIZES,
        base: {
          ...BASE,
          phi: p.phi,
          Tcold: BASE.Thot / p.ratio,
          replicas,
          seed: p.seed,
          sampleInterval: p.schedule.sampleInterval,
          // The base is validated on its own too: give it the first size's windows.
          burnIn: p.schedule.burnIns[0],
          time: p.schedule.times[0],
        },
        burnIns: p.schedule.burnIns,
        times: p.schedule.times,
        force: true,
      },
      { runner },
    );
    const c = process.cpuUsage(t0);
    const cpu = (c.user + c.system) / 1e6;
    const ev = fs.evidence;
    results.push({
      phi: p.phi,
      ratio: p.ratio,
      seed: p.seed,
      schedule: p.schedule,
      verdict: fs.verdict,
      evidence: { ...finite({ ...ev, sccLowQ: undefined }), sccLowQ: ev.sccLowQ },
      runs: fs.runs.map((r) => ({
        parameters: r.parameters,
        psi: measured(r.psi),
        sccLowQ: measured(r.sccLowQ),
        largestCluster: measured(r.largestCluster),
        series: { time: [...r.series.time], psi: [...r.series.psi] },
      })),
      cpuSeconds: Number(cpu.toFixed(1)),
    });
    try {
      write(results);
    } catch (e) {
      // Keep the other points: this one is left out of the file (and logged).
      console.error(`phi = ${p.phi}, ratio ${p.ratio}: not written: ${e.message}`);
      results.pop();
    }
    console.log(
      `phi = ${p.phi}, ratio ${p.ratio}: ${fs.verdict}; S_cc(q->0) ${ev.sccLowQ.map((s) => `${s.value.toFixed(3)} ± ${s.error.toFixed(3)}`).join(", ")}; ` +
        `${cpu.toFixed(1)} CPU-s (${new Date().toISOString()})`,
    );
  }
  for (const p of slabPoints) {
    if (slabResults.some((q) => sameSlab(q, p))) {
      console.log(`slab at phi = ${p.phi}, ratio ${p.ratio} (${horizonOf(p)} horizon): in ${out}, skipped`);
      continue;
    }
    const random = results.find((q) => q.phi === p.phi && q.ratio === p.ratio);
    if (!random) {
      console.error(`slab at phi = ${p.phi}, ratio ${p.ratio}: the random-start point is not in the map, skipped`);
      continue;
    }
    const t0 = process.cpuUsage();
    const r = await runDemixing(
      {
        ...BASE,
        N: p.N,
        phi: p.phi,
        Tcold: BASE.Thot / p.ratio,
        replicas: slabReplicas,
        seed: p.seed,
        start: "slab",
        burnIn: p.schedule.burnIn,
        time: p.schedule.time,
        sampleInterval: p.schedule.sampleInterval,
      },
      { force: true },
      { runner },
    );
    const c = process.cpuUsage(t0);
    const cpu = (c.user + c.system) / 1e6;
    const s = r.slab;
    const { test, both } = slabVerdicts(p, s, random);
    const last = s.profile.length - 1;
    // The late profile: the cold fraction per bin pooled over the late window's samples.
    const lateRows = s.time.map((t, i) => i).filter((i) => s.time[i] >= s.lateFrom);
    const lateProfile = s.binCentre.map(
      (_, b) => lateRows.reduce((a, i) => a + s.profile[i][b], 0) / Math.max(lateRows.length, 1),
    );
    slabResults.push({
      ...p,
      parameters: r.parameters,
      boxSide: r.boxSide,
      hotTime: s.hotTime,
      coldTime: s.coldTime,
      lateFrom: s.lateFrom,
      late: s.late,
      psi: measured(r.psi),
      sccLowQ: measured(r.sccLowQ),
      series: {
        time: s.time,
        retention: s.retention,
        retentionError: s.retentionError,
        hotExclusion: s.hotExclusion,
        hotExclusionError: s.hotExclusionError,
        compression: s.compression,
        compressionError: s.compressionError,
      },
      binCentre: s.binCentre,
      startProfile: s.profile[0],
      lateProfile,
      endProfile: s.profile[last],
      slabVerdict: test.verdict,
      slabReasons: test.reasons,
      randomVerdict: random.verdict,
      verdict: both.verdict,
      reasons: both.reasons,
      warnings: r.warnings,
      cpuSeconds: Number(cpu.toFixed(1)),
    });
    try {
      write(results);
    } catch (e) {
      console.error(`slab at phi = ${p.phi}, ratio ${p.ratio}: not written: ${e.message}`);
      slabResults.pop();
    }
    console.log(
      `slab at phi = ${p.phi}, ratio ${p.ratio}, N = ${p.N} (${horizonOf(p)} horizon): ${test.verdict} (r = ${s.late.retention.value.toFixed(3)} ± ${s.late.retention.error.toFixed(3)}, ` +
        `h = ${s.late.hotExclusion.value.toFixed(3)}, kappa = ${s.late.compression.value.toFixed(3)}); both starts: ${both.verdict}; ${cpu.toFixed(1)} CPU-s (${new Date().toISOString()})`,
    );
  }
  // Completed: no longer unfinished (a command that wrote nothing and was not unfinished leaves the file as it was).
  if (wrote || resumed) {
    header.unfinished = header.unfinished.filter((c) => c !== header.command);
    write(results);
  }
} finally {
  await runner.close();
}
