// Renders the coarsening figure from its results JSON (written by scripts/demixing-coarsening.js):
// demixing-coarsening.png (and .svg / .csv with --formats) next to the JSON, or into --out-dir. No simulation.
// Needs dist/ (`npm run build`).
//   node scripts/demixing-coarsening-figure.js [results JSON] [--out-dir DIR] [--formats png,csv]
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { demixingCoarseningFitFigure } from "../dist/studies/two-temperature/demixingCoarsening.js";
import { writeFigure } from "../dist/node.js";

const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const file = positional[0] ?? "docs/studies/data/demixing-coarsening.results.json";
const outDir = value("out-dir") ?? dirname(file);
const formats = (value("formats") ?? "png").split(",");

let results;
try {
  results = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`cannot read the results ${file}: ${e.message}`);
  process.exit(1);
}
for (const f of await writeFigure(demixingCoarseningFitFigure(results), outDir, { formats })) console.log(f);
