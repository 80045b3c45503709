// Runs every benchmark in bench/*.bench.js (or those named on the command line) against the built library in dist/.
// Each benchmark module exports `title` and `run(log)`; it prints its own timings and the ratio to a reference
// measured in the same run (scipy/numpy through python3 where present, LAMMPS where installed, or a simpler path).
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(", ")}`);
  process.exit(1);
}
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  console.log(`\n=== ${mod.title ?? f} ===`);
  await mod.run((line) => console.log(line));
}
