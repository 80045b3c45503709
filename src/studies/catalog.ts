/**
 * Every study of ness, as contracts (src/studies/contract.ts), in the order of the documentation. A sub-study is
 * named "parent/child". Browser-safe.
 */
import { ModelError } from "../errors.js";
import type { Study } from "./contract.js";
import { energyCorrelationsStudy } from "./energy-correlations/definition.js";
import { harmonicConduction } from "./harmonic-conduction/definition.js";
import { particleBathChain } from "./particle-bath-chain/definition.js";
import { demixing, polymer, ratchet, runAndChase, twoTemperature } from "./two-temperature/definition.js";
import { varianceResonance } from "./variance-resonance/definition.js";

export const STUDIES: readonly Study[] = [
  varianceResonance,
  energyCorrelationsStudy,
  particleBathChain,
  twoTemperature,
  runAndChase,
  ratchet,
  demixing,
  polymer,
  harmonicConduction,
] as unknown as Study[];

/**
 * The study of that name ("two-temperature/run-and-chase" for a sub-study), or undefined.
 *
 * @example
 * ```ts
 * import { findStudy, STUDIES } from "ness";
 *
 * console.log(findStudy("two-temperature/ratchet")?.name); // => two-temperature/ratchet
 * console.log(STUDIES.length > 5); // => true
 * ```
 */
export function findStudy(name: string): Study | undefined {
  if (typeof name !== "string") throw new ModelError(`findStudy: a study's name must be a string, got ${typeof name}`);
  return STUDIES.find((s) => s.name === name);
}

/** The studies with no parent (the `ness study` and `ness reproduce` names). */
export function topLevelStudies(): Study[] {
  return STUDIES.filter((s) => !s.name.includes("/"));
}

/** The sub-studies of a study. */
export function subStudies(name: string): Study[] {
  return STUDIES.filter((s) => s.name.startsWith(`${name}/`));
}
