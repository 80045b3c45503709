// The coarsening of the cold domains from a random start, fitted (docs/studies/two-temperature.md, "Coarsening at the
// stiff point"): reads one-replica runs of `ness study two-temperature demixing --json` (one file per seed, the same
// point and schedule), fits L(t) ~ t^alpha with jackknife error bars over the replicas (coarseningFit) and writes the
// results JSON (ness version, the runs' commands, parameters and seeds, the fit) for
// scripts/demixing-coarsening-figure.js. No simulation. Needs dist/ (`npm run build`).
//   node scripts/demixing-coarsening.js RUN.json... [--fit-from 5000] [--window-factor 2]
//     [--out docs/studies/data/demixing-coarsening.results.json]
// --refit recomputes the fit of an existing results file from the S_cc(q, t) stored in it (its fitFrom and
// windowFactor; no run files), records the refit's ness version and command, and keeps the runs' commands and seeds:
//   node scripts/demixing-coarsening.js --refit [--out docs/studies/data/demixing-coarsening.results.json]
// The runs of the stored results (seeds 101-104; each run's command is stored with the results):
//   ness study two-temperature demixing --start random --N 1600 --phi 0.7 --Thot 0.002 --Tcold 2e-5 --burn-in 0 \
//     --time 40000 --sample-interval 500 --replicas 1 --workers 1 --seed 101 --force --json --no-progress > s101.json
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { NESS_VERSION } from "../dist/index.js";
import { boxSide } from "../dist/studies/two-temperature/demixing.js";
import { coarseningFit } from "../dist/studies/two-temperature/demixingCoarsening.js";

const args = process.argv.slice(2);
const value = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const files = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const out = value("out", "docs/studies/data/demixing-coarsening.results.json");

/** Writes the results JSON (no non-finite number) atomically. */
function write(results) {
  const text = JSON.stringify(
    results,
    (_, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`non-finite number in the results: ${v}`);
      return v;
    },
    1,
  );
  writeFileSync(`${out}.tmp`, text + "\n");
  renameSync(`${out}.tmp`, out);
}

if (args.includes("--refit")) {
  let old;
  try {
    old = JSON.parse(readFileSync(out, "utf8"));
  } catch (e) {
    console.error(`cannot read the results ${out}: ${e.message}`);
    process.exit(1);
  }
  if (!old.input || !(old.fitFrom >= 0) || !(old.windowFactor > 1)) {
    console.error(`${out} holds no stored S_cc(q, t) (input), fitFrom and windowFactor to refit`);
    process.exit(1);
  }
  const fit = coarseningFit({ ...old.input, fitFrom: old.fitFrom, windowFactor: old.windowFactor });
  write({
    ...old,
    version: NESS_VERSION,
    refit: { version: NESS_VERSION, command: `node scripts/demixing-coarsening.js ${args.join(" ")}`.trim() },
    fit,
  });
  console.log(
    `${out}: refitted from its stored S_cc(q, t); alpha = ${fit.exponent.value.toFixed(3)} ± ${fit.exponent.error.toFixed(3)}`,
  );
  process.exit(0);
}
const fitFrom = Number(value("fit-from", "5000"));
const windowFactor = Number(value("window-factor", "2"));
if (files.length < 2) {
  console.error("give at least two run files (one replica each) for the jackknife error bars");
  process.exit(1);
}
if (!(fitFrom >= 0) || !(windowFactor > 1)) {
  console.error("--fit-from must be >= 0 and --window-factor above 1");
  process.exit(1);
}
const runs = files.map((f) => {
  try {
    return JSON.parse(readFileSync(f, "utf8"));
  } catch (e) {
    console.error(`cannot read the run ${f}: ${e.message}`);
    process.exit(1);
  }
});
// The same point and schedule in every run (only the seed differs), one replica each.
const key = (r) => JSON.stringify({ ...r.parameters, seed: undefined });
for (const r of runs) {
  if (r.study !== "two-temperature/demixing" || r.parameters.replicas !== 1 || r.parameters.start !== "random") {
    console.error(`${r.command}: not a one-replica random-start demixing run`);
    process.exit(1);
  }
  if (key(r) !== key(runs[0])) {
    console.error(`the runs differ in more than the seed: ${r.command}`);
    process.exit(1);
  }
}
const p = runs[0].parameters;
const fit = coarseningFit({
  q: runs[0].results.structure.q,
  count: runs[0].results.structure.count,
  ideal: runs[0].results.structure.ideal,
  replicas: runs.map((r) => ({ seed: r.seed, time: r.results.series.time, structure: r.results.series.structure })),
  fitFrom,
  windowFactor,
});
const L = boxSide(p);
const results = {
  study: "two-temperature demixing: coarsening from a random start",
  version: NESS_VERSION,
  command: `node scripts/demixing-coarsening.js ${args.join(" ")}`.trim(),
  runs: runs.map((r) => ({ ness: r.ness, command: r.command, seed: r.seed })),
  parameters: {
    N: p.N,
    phi: p.phi,
    coldFraction: p.coldFraction,
    Thot: p.Thot,
    Tcold: p.Tcold,
    stiffness: p.stiffness,
    range: p.range,
    dt: p.dt,
    time: p.time,
    burnIn: p.burnIn,
    sampleInterval: p.sampleInterval,
  },
  seeds: runs.map((r) => r.seed),
  fitFrom,
  windowFactor,
  // The fit's input (each replica's S_cc(q, t)), so that the fit can be checked against it.
  input: {
    q: runs[0].results.structure.q,
    count: runs[0].results.structure.count,
    ideal: runs[0].results.structure.ideal,
    replicas: runs.map((r) => ({ seed: r.seed, time: r.results.series.time, structure: r.results.series.structure })),
  },
  boxSide: L,
  coldTime: (L / (2 * Math.PI)) ** 2 / p.Tcold,
  fit,
};
write(results);
const e = fit.exponent;
console.log(
  `${out}: alpha = ${e.value.toFixed(3)} ± ${e.error.toFixed(3)} over t = ${e.from}-${e.to} (${e.points} samples, ${e.batches} replicas); ` +
    `(alpha - 1/3)/error = ${fit.lifshitzSlyozovZ === undefined ? "(no spread)" : fit.lifshitzSlyozovZ.toFixed(2)} (threshold ${fit.threshold.toFixed(2)}); effective: ` +
    fit.effective.map((w) => `${w.from}-${w.to}: ${w.value.toFixed(3)} ± ${w.error.toFixed(3)}`).join(", "),
);
