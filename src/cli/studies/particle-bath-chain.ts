/**
 * `ness study particle-bath-chain` (the effective bath and the chain's current for any parameters, optionally with
 * direct simulations) and `ness reproduce particle-bath-chain` (seed 003's figures with their data).
 */
import { Command } from "commander";
import { SteadyStateError } from "../../errors.js";
import { writeFigure } from "../../io/render.js";
import {
  DEFAULT_PARAMS,
  PARAM_DESCRIPTIONS,
  PARAM_NAMES,
  PARAM_RANGES,
  figurePlan,
  simulateChainCurrent,
  simulateProbeDecay,
  studyPoint,
  validateParams,
  type ChainCurrentEstimate,
  type ParticleBathChainParams,
  type ProbeDecay,
  type StudyPoint,
} from "../../studies/particle-bath-chain/index.js";
import { describeRange } from "../../studies/ranges.js";
import { num, table } from "../format.js";
import { printJson, printText, withoutUndefinedStatistics } from "./output.js";
import { numberOptions, positiveOption, integerOption } from "../options.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

type Options = Partial<Record<string, string | boolean>>;

/** The parameter set given by the options (defaults for the rest); ModelError on bad input. */
export function paramsFromOptions(opts: Options): ParticleBathChainParams {
  return validateParams(numberOptions(opts, PARAM_NAMES));
}

/** A number of the study point, or nothing where the study has none (an unstable chain). */
const defined = <K extends string>(name: K, x: number | null): Partial<Record<K, number>> => (x === null ? {} : ({ [name]: x } as Record<K, number>));

/** The JSON document printed by `ness study particle-bath-chain --json` (every number in full precision). */
export function studyJson(s: StudyPoint, probe?: ProbeDecay, chain?: ChainCurrentEstimate) {
  return withoutUndefinedStatistics({
    parameters: s.parameters,
    gammaL: s.gammaL,
    kEff: s.kEff,
    softening: s.softening,
    criticalTemperature: s.criticalTemperature,
    stable: s.stable,
    ...defined("current", s.current),
    ...defined("currentFrequencyIntegral", s.currentFrequencyIntegral),
    ...defined("currentLongChain", s.currentLongChain),
    ...defined("currentMemory", s.currentMemory),
    ...defined("currentLongChainAsPrinted", s.currentLongChainAsPrinted),
    ...defined("residual", s.residual),
    bathTime: s.bathTime,
    timeScaleSeparation: s.separation,
    ...(s.maximum ? { maximum: { TL: s.maximum.TL, current: s.maximum.current, atStabilityEdge: s.maximum.atStabilityEdge } } : {}),
    highTemperatureCoefficient: s.highTemperatureCoefficient,
    ...(probe
      ? {
          probe: {
            friction: probe.friction,
            stiffness: probe.stiffness,
            formulaFriction: probe.gammaL,
            memoryFriction: probe.memoryFriction,
            dt: probe.dt,
            steps: probe.steps,
          },
        }
      : {}),
    ...(chain ? { simulation: { current: chain.current, springCurrent: chain.springCurrent, dt: chain.dt, steps: chain.steps } } : {}),
  });
}

function studyText(s: StudyPoint, probe?: ProbeDecay, chain?: ChainCurrentEstimate): string {
  const p = s.parameters;
  const out: string[] = [];
  out.push("Harmonic chain driven by a bath of overdamped particles (seed 003)");
  out.push(PARAM_NAMES.map((k) => `${k} = ${num(p[k])}`).join(", "), "");
  out.push("Effective bath on site 1 (second order in eps; k_eff with the minus sign of physics-notes.md)");
  out.push(
    table(
      ["quantity", "value"],
      [
        ["friction gamma_L(T_L)", s.gammaL],
        ["stiffness k_eff(T_L) = K - softening", s.kEff],
        ["softening N_b eps^2 Var(F) / T_L", s.softening],
        ["unstable below T_L", s.criticalTemperature],
        ["slowest bath time zeta L^2/(4 pi^2 T_L)", s.bathTime],
        ["omega_c x bath time (<< 1: separated)", s.separation],
      ],
    ),
    "",
  );
  out.push(`Heat current from the particle bath into the chain (N = ${p.N})`);
  out.push(
    table(
      ["method", "J"],
      [
        ["exact engine (Lyapunov)", s.current!],
        ["frequency integral", s.currentFrequencyIntegral!],
        ["long-chain closed form (corrected)", s.currentLongChain!],
        ["closed form as printed (2x, wrong)", s.currentLongChainAsPrinted!],
        ["with the bath's memory (finite zeta)", s.currentMemory!],
      ],
    ),
  );
  out.push(`Lyapunov residual ${num(s.residual!)}`);
  if (s.separation > 0.3) {
    out.push(`note: the bath is slow (omega_c x bath time = ${num(s.separation)}): the Markov effective theory is not accurate; see the memory value`);
  }
  if (s.maximum) {
    out.push(
      "",
      s.maximum.atStabilityEdge
        ? `at T_R = ${num(p.TR)} the long-chain current is largest at the stability edge T_L = ${num(s.maximum.TL)} (J = ${num(s.maximum.current)})`
        : `NDC: at T_R = ${num(p.TR)} the long-chain current peaks at T_L = ${num(s.maximum.TL)} (J = ${num(s.maximum.current)}) and falls beyond`,
      `high T_L: J ~ ${num(s.highTemperatureCoefficient)} / T_L`,
    );
  }
  if (probe) {
    out.push(
      "",
      `single probe (k = 0), decay of the mean velocity: friction ${num(probe.friction.value)} ± ${num(probe.friction.error)} ` +
        `(formula ${num(probe.gammaL)}, with memory ${num(probe.memoryFriction)}); stiffness ${num(probe.stiffness.value)} ± ${num(probe.stiffness.error)} (k_eff ${num(probe.kEff)})`,
    );
  }
  if (chain) {
    out.push(
      "",
      `full simulation (chain + particles + Langevin bath): J = ${num(chain.current.value)} ± ${num(chain.current.error)} ` +
        `(spring fluxes ${num(chain.springCurrent.value)} ± ${num(chain.springCurrent.error)}); effective theory ${num(s.current!)}, with memory ${num(s.currentMemory!)}`,
    );
  }
  return out.join("\n");
}

function command(): Command {
  const c = new Command("particle-bath-chain")
    .description(
      "harmonic chain driven by a bath of overdamped particles (seed 003): effective friction gamma_L(T_L) and stiffness " +
        "k_eff(T_L), the heat current (exact engine, frequency integral, long-chain closed form), NDC maximum; " +
        "--probe / --simulate run direct simulations",
    );
  for (const name of PARAM_NAMES) {
    c.option(`--${name} <value>`, `${PARAM_DESCRIPTIONS[name]} (default ${DEFAULT_PARAMS[name]}; ${name === "A" ? "|A|: " : ""}${describeRange(PARAM_RANGES[name])})`);
  }
  c.option("--probe", "also simulate a single probe and fit the friction from the decay of its mean velocity")
    .option("--pairs <n>", "antithetic pairs for --probe (default 16)")
    .option("--v0 <value>", "initial velocity for --probe (default 50, as in the seed)")
    .option("--simulate", "also simulate the full system (chain + particles + Langevin bath) and measure the current")
    .option("--replicas <n>", "replicas for --simulate (default 2)")
    .option("--duration <time>", "production time per replica for --simulate (default 2000)")
    .option("--seed <n>", "random seed (default 1)")
    .option("--force", "run a simulation above the work limit (about ten minutes)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const p = paramsFromOptions(opts);
      const s = studyPoint(p);
      if (!s.stable) throw new SteadyStateError(s.message!);
      const seed = integerOption(opts.seed, "--seed", 0) ?? 1;
      const probe = opts.probe
        ? simulateProbeDecay(p, { pairs: integerOption(opts.pairs, "--pairs", 2) ?? 16, v0: positiveOption(opts.v0, "--v0") ?? 50, seed, force: opts.force === true })
        : undefined;
      const chain = opts.simulate
        ? simulateChainCurrent(p, {
            replicas: integerOption(opts.replicas, "--replicas", 1) ?? 2,
            duration: positiveOption(opts.duration, "--duration") ?? 2000,
            burnIn: 200,
            seed,
            force: opts.force === true,
          })
        : undefined;
      if (opts.json) printJson(studyJson(s, probe, chain));
      else printText(studyText(s, probe, chain));
    });
  return c;
}

async function reproduce({ outDir, quick, log }: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  for (const planned of figurePlan({ quick, log })) {
    const t0 = performance.now();
    log(`particle-bath-chain: ${planned.name}`);
    const figure = planned.build();
    const paths = await writeFigure(figure, outDir);
    for (const p of paths) log(`wrote ${p}`);
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    written.push(...paths);
  }
  return written;
}

export const particleBathChainStudy: StudyCli = {
  name: "particle-bath-chain",
  summary: "harmonic chain driven by a bath of overdamped particles: effective friction, current, NDC (seed 003)",
  command,
  reproduce,
};
