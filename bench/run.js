// Runs every benchmark in bench/*.bench.js (or those whose file name contains one of the words on the command line)
// against the built library in dist/. Each benchmark module exports `title` and `run(log, options)`; it times ness
// and its references (scipy/numpy through python3 where present, LAMMPS where installed, whole `ness` processes)
// in interleaved rounds (bench/rounds.js) and prints per-round CPU-time ratios with their min and median and the
// targets of issue 18. A missing reference is skipped with a notice, never an error.
//
//   node bench/run.js [--quick] [--rounds N] [--part P] [--list] [name ...]
//     --quick     fewer rounds and the smaller sizes only (a few minutes in all)
//     --rounds N  rounds per comparison (default 7, quick 3)
//     --part P    run only part P of the selected benchmarks that have parts (repeatable; e.g.
//                 `node bench/run.js langevin --part ensembles` skips the LAMMPS mixture)
//     --list      print the benchmarks and exit
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setSection, verdicts } from "./rounds.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options = { quick: false, rounds: undefined, parts: [] };
const wanted = [];
let list = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--quick") options.quick = true;
  else if (a === "--list") list = true;
  else if (a === "--part") {
    const p = args[++i];
    if (!p || p.startsWith("--")) {
      console.error("bench: --part needs the name of a part (e.g. --part ensembles)");
      process.exit(1);
    }
    options.parts.push(p);
  } else if (a === "--rounds") {
    options.rounds = Number(args[++i]);
    if (!(Number.isInteger(options.rounds) && options.rounds >= 1)) {
      console.error("bench: --rounds needs a positive integer");
      process.exit(1);
    }
  } else if (a.startsWith("--")) {
    console.error(`bench: unknown option ${a} (use --quick, --rounds N, --part P, --list, or names of benchmarks)`);
    process.exit(1);
  } else wanted.push(a);
}
const all = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .sort();
if (list) {
  for (const f of all) console.log(f.replace(/\.bench\.js$/, ""));
  process.exit(0);
}
const files = all.filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
if (files.length === 0) {
  console.error(
    `no benchmark matches ${wanted.join(", ")} (have: ${all.map((f) => f.replace(/\.bench\.js$/, "")).join(", ")})`,
  );
  process.exit(1);
}
console.log(
  `ness benchmarks${options.quick ? " (quick)" : ""}: interleaved rounds, CPU-time ratios ness/reference (< 1: ness faster)`,
);
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  const unknown = options.parts.filter((p) => mod.parts && !mod.parts.includes(p));
  if (unknown.length > 0) {
    console.error(`bench: ${f} has no part ${unknown.join(", ")} (its parts: ${mod.parts.join(", ")})`);
    process.exit(1);
  }
  console.log(`\n=== ${mod.title ?? f} ===`);
  setSection(f.replace(/\.bench\.js$/, ""));
  await mod.run((line) => console.log(line), options);
}
if (verdicts.length > 0) {
  const met = verdicts.filter((v) => v.met === true).length,
    unjudged = verdicts.filter((v) => v.met === null).length;
  console.log(
    `\n=== targets of issue 18: ${met} of ${verdicts.length} met${unjudged ? `, ${unjudged} not judged (load)` : ""} (CPU-time medians over the rounds) ===`,
  );
  for (const v of verdicts)
    console.log(
      `  ${v.met === null ? "------" : v.met ? "met   " : "MISSED"} [${v.section}] ${v.label.trim()}: ${v.reached}`,
    );
}
