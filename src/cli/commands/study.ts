/**
 * `ness study <name> [parameters]` and `ness reproduce <name> [--out DIR]`: run a study for any parameters, or
 * regenerate a paper's figures with their data. Both are generated from the studies' contracts (src/studies).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import { interruptible } from "../interrupt.js";
import { workersOption } from "../../model/options.js";
import type { Study } from "../../studies/contract.js";
import type { ReproduceProgress } from "../reproduce.js";
import { studyCommand as commandOf } from "../studies/command.js";

/**
 * Each top-level study's module, by name: the study first, then its sub-studies in the catalog's order. `ness study
 * NAME ...` loads NAME's module only (the other studies' modules, a third of the start-up, stay unloaded);
 * test/studies/catalog.test.ts checks this table against src/studies/catalog.ts.
 */
export const STUDY_MODULES: Record<string, () => Promise<Study[]>> = {
  "variance-resonance": async () => {
    const m = await import("../../studies/variance-resonance/definition.js");
    return [m.varianceResonance] as unknown as Study[];
  },
  "energy-correlations": async () => {
    const m = await import("../../studies/energy-correlations/definition.js");
    return [m.energyCorrelationsStudy] as unknown as Study[];
  },
  "particle-bath-chain": async () => {
    const m = await import("../../studies/particle-bath-chain/definition.js");
    return [m.particleBathChain] as unknown as Study[];
  },
  "two-temperature": async () => {
    const m = await import("../../studies/two-temperature/definition.js");
    return [m.twoTemperature, m.runAndChase, m.ratchet, m.demixing, m.polymer] as unknown as Study[];
  },
  "harmonic-conduction": async () => {
    const m = await import("../../studies/harmonic-conduction/definition.js");
    return [m.harmonicConduction] as unknown as Study[];
  },
};

/** `ness study`: with the name of a study (`name`, argv's word after "study"), that study's command only. */
export async function studyCommand(name?: string): Promise<Command> {
  const cmd = new Command("study")
    .description("run a study for any parameters (see `ness study <name> --help`)")
    .enablePositionalOptions();
  if (name !== undefined && Object.hasOwn(STUDY_MODULES, name)) {
    const [study, ...subs] = await STUDY_MODULES[name]();
    cmd.addCommand(commandOf(study, subs).exitOverride());
    return cmd;
  }
  // --help, no name or a misspelt one: every study (the help and the error line list them all)
  const { subStudies, topLevelStudies } = await import("../../studies/catalog.js");
  for (const s of topLevelStudies()) cmd.addCommand(commandOf(s, subStudies(s.name)).exitOverride());
  return cmd;
}

export async function reproduceCommand(): Promise<Command> {
  const { findStudy, topLevelStudies } = await import("../../studies/catalog.js");
  const names = topLevelStudies().map((s) => s.name);
  return new Command("reproduce")
    .description(
      `write a study's figures (SVG, PNG), the data behind them (CSV) and each figure set's results.json: ${names.join(", ")}`,
    )
    .argument("<study>", `one of: ${names.join(", ")}`)
    .option("--out <dir>", "output folder", "out")
    .option("--quick", "fewer points and shorter simulations (same figures, coarser)")
    .option(
      "--workers <W>",
      "worker threads for the replicas and sweep points (default: the available cores; the numbers do not depend on it)",
    )
    .option(
      "--resume",
      "continue an interrupted reproduce in --out: complete figure sets are kept, and the point maps compute only the points not stored yet",
    )
    .option("--only <ids>", "only these figure sets, comma-separated (e.g. fig4-ndc: the stem of its results.json)")
    .action(
      async (
        name: string,
        opts: { out: string; quick?: boolean; workers?: string; resume?: boolean; only?: string },
      ) => {
        const study = findStudy(name);
        if (!study || !names.includes(name))
          throw new ModelError(`unknown study '${name}' (one of: ${names.join(", ")})`);
        const only = opts.only?.split(",").map((id) => id.trim());
        for (const id of only ?? [])
          if (!study.reproduce.some((c) => c.id === id))
            throw new ModelError(
              `--only: ${name} has no figure set '${id}' (one of: ${study.reproduce.map((c) => c.id).join(", ")})`,
            );
        // The reproduce machinery (figure stack, worker pool, the point store) loads when a reproduction runs.
        const [{ reproduceStudy }, { defaultWorkers }] = await Promise.all([
          import("../reproduce.js"),
          import("../../workers/pool.js"),
        ]);
        const workers = workersOption(opts.workers) ?? defaultWorkers();
        const t0 = performance.now();
        // Ctrl-C or SIGTERM: the figure being written is finished, then one line says which figures are complete.
        const progress: ReproduceProgress = { complete: [] };
        const paths = await interruptible(
          (signal) =>
            reproduceStudy(
              study,
              {
                outDir: opts.out,
                quick: opts.quick === true,
                workers,
                resume: opts.resume === true,
                only,
                log: (l) => console.log(l),
              },
              signal,
              progress,
            ),
          (sig) => {
            const done = progress.complete;
            // The points of a figure set being computed stay in OUT/.sweeps for --resume.
            const kept = existsSync(path.join(opts.out, ".sweeps"))
              ? `; the points computed so far are kept in ${path.join(opts.out, ".sweeps")} (--resume continues)`
              : "; nothing else written";
            return `interrupted by ${sig}: ${done.length === 0 ? "no figure written" : `${done.length} figure${done.length > 1 ? "s" : ""} complete in ${opts.out} (${done.join(", ")})`}${kept}`;
          },
        );
        console.log(
          `\n${study.name}: wrote ${paths.length} files into ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      },
    );
}
