/**
 * Registry of studies available from the CLI. Add one import and one entry per study.
 */
import type { StudyCli } from "./registry.js";
import { varianceResonanceStudy } from "./variance-resonance.js";
import { energyCorrelationsStudy } from "./energy-correlations.js";
import { particleBathChainStudy } from "./particle-bath-chain.js";
import { twoTemperatureStudy } from "./two-temperature.js";
import { harmonicConductionStudy } from "./harmonic-conduction.js";

export const studies: StudyCli[] = [
  varianceResonanceStudy,
  energyCorrelationsStudy,
  particleBathChainStudy,
  twoTemperatureStudy,
  harmonicConductionStudy,
];
