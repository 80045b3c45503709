/**
 * `ness study <name> [parameters]` and `ness reproduce <name> [--out DIR]`: run a study for any parameters, or
 * regenerate a paper's figures with their data.
 */
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import { interruptible } from "../interrupt.js";
import { reproduceStudy, type ReproduceProgress } from "../reproduce.js";
import { studies } from "../studies/index.js";

export function studyCommand(): Command {
  const cmd = new Command("study")
    .description("run a study for any parameters (see `ness study <name> --help`)")
    .enablePositionalOptions();
  for (const s of studies) cmd.addCommand(s.command().exitOverride());
  return cmd;
}

export function reproduceCommand(): Command {
  const names = studies.map((s) => s.name);
  return new Command("reproduce")
    .description(`write a study's figures (SVG, PNG) and the data behind them (CSV): ${names.join(", ") || "(none yet)"}`)
    .argument("<study>", `one of: ${names.join(", ")}`)
    .option("--out <dir>", "output folder", "out")
    .option("--quick", "fewer points and shorter simulations (same figures, coarser)")
    .action(async (name: string, opts: { out: string; quick?: boolean }) => {
      const study = studies.find((s) => s.name === name);
      if (!study) throw new ModelError(`unknown study '${name}' (one of: ${names.join(", ")})`);
      const t0 = performance.now();
      // Ctrl-C or SIGTERM: the figure being written is finished, then one line says which figures are complete.
      const progress: ReproduceProgress = { complete: [] };
      const paths = await interruptible(
        (signal) => reproduceStudy(study, { outDir: opts.out, quick: opts.quick === true, log: (l) => console.log(l) }, signal, progress),
        (sig) => {
          const done = progress.complete;
          return `interrupted by ${sig}: ${done.length === 0 ? "no figure written" : `${done.length} figure${done.length > 1 ? "s" : ""} complete in ${opts.out} (${done.join(", ")})`}; nothing else written`;
        },
      );
      console.log(`\n${study.name}: wrote ${paths.length} files into ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });
}
