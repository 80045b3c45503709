/**
 * The cost of a study's simulation, checked before it starts: the settings (time, time step, replicas) against their
 * declared ranges, and the work, in particle-steps (steps x replicas x particles), against a limit of about ten
 * minutes. A run that would take hours (or never end, as with --time 1e308) is refused with its estimate instead of
 * hanging. Browser-safe.
 */
import { ModelError } from "../errors.js";
import { checkRange, type ParameterRange } from "./ranges.js";

/** Most particle-steps of one study simulation (unless forced): about 10 minutes at a typical 0.3 us per particle-step. */
export const MAX_PARTICLE_STEPS = 2e9;

/** Typical cost of one particle-step (Heun, short-range pair forces), for the time estimate in messages. */
const SECONDS_PER_PARTICLE_STEP = 0.3e-6;

/** The domain of the simulation settings shared by the particle studies. */
export const SIMULATION_SETTING_RANGES: Readonly<Record<"time" | "dt" | "replicas" | "burnIn", ParameterRange>> =
  Object.freeze({
    time: { min: 1e-6, max: 1e9 },
    dt: { min: 1e-9, max: 10 },
    replicas: { min: 1, max: 10_000, integer: true },
    burnIn: { min: 0, max: 1e9 },
  });

export interface SimulationCost {
  /** Simulated time per replica, burn-in included. */
  time: number;
  dt: number;
  replicas: number;
  /** Particles (or degrees of freedom) updated per step. */
  particles: number;
  /** Run above MAX_PARTICLE_STEPS anyway (the settings' ranges still apply). */
  force?: boolean;
}

function minutes(seconds: number): string {
  return seconds < 90
    ? `${Math.ceil(seconds)} s`
    : seconds < 5400
      ? `${Math.ceil(seconds / 60)} min`
      : `${Math.ceil(seconds / 3600)} h`;
}

/**
 * Throws a ModelError naming the setting if time, dt or replicas is outside its range, or if the run would exceed
 * MAX_PARTICLE_STEPS (the message gives the estimate and what to reduce). `flag` maps a setting to its option name.
 */
export function checkSimulationCost(
  c: SimulationCost,
  flag: (name: "time" | "dt" | "replicas") => string = (n) => `--${n}`,
): void {
  checkRange(flag("time"), c.time, SIMULATION_SETTING_RANGES.time);
  checkRange(flag("dt"), c.dt, SIMULATION_SETTING_RANGES.dt);
  checkRange(flag("replicas"), c.replicas, SIMULATION_SETTING_RANGES.replicas);
  checkSimulationWork(c, flag);
}

/**
 * Throws a ModelError with the estimate if the run would exceed MAX_PARTICLE_STEPS (settings already checked);
 * `advice` replaces the default "reduce --time or --replicas, or use a larger --dt".
 */
export function checkSimulationWork(
  c: SimulationCost,
  flag: (name: "time" | "dt" | "replicas") => string = (n) => `--${n}`,
  advice = `reduce ${flag("time")} or ${flag("replicas")}, or use a larger ${flag("dt")}`,
): void {
  const steps = Math.ceil(c.time / c.dt);
  const work = steps * c.replicas * c.particles;
  if (work > MAX_PARTICLE_STEPS && c.force !== true) {
    throw new ModelError(
      `the simulation would take ${steps.toExponential(2)} steps x ${c.replicas} replicas x ${c.particles} particles = ` +
        `${work.toExponential(2)} particle-steps (about ${minutes(work * SECONDS_PER_PARTICLE_STEP)}); the limit is ` +
        `${MAX_PARTICLE_STEPS.toExponential(0)} (about ${minutes(MAX_PARTICLE_STEPS * SECONDS_PER_PARTICLE_STEP)}): ${advice} (or add --force)`,
    );
  }
}
