/**
 * Parameters of the harmonic-conduction study, declared (name, description, unit, default, range) so that the CLI,
 * documentation and a later schema are generated from one list; validated at the boundary with ModelErrors naming
 * the parameter.
 */
import { ModelError } from "../../errors.js";

export interface ParamSpec {
  name: string;
  description: string;
  /** Unit in the study's reduced units (k = <m> = kB = 1), "" for dimensionless counts. */
  unit: string;
  default: number;
  /** Inclusive range. */
  min: number;
  max: number;
  integer?: boolean;
}

export const PARAMS: readonly ParamSpec[] = Object.freeze([
  { name: "disorder", description: "mass disorder d: masses uniform in [1 - d, 1 + d]", unit: "", default: 0.5, min: 0, max: 0.95 },
  { name: "gamma", description: "friction of the two Langevin baths", unit: "sqrt(k m)", default: 1, min: 1e-3, max: 1e3 },
  { name: "TL", description: "temperature of the left bath", unit: "kB = 1", default: 2, min: 1e-6, max: 1e6 },
  { name: "TR", description: "temperature of the right bath", unit: "kB = 1", default: 1, min: 1e-6, max: 1e6 },
  { name: "nMin", description: "shortest chain (the lengths are powers of 2 from nMin to nMax)", unit: "sites", default: 32, min: 4, max: 65536, integer: true },
  { name: "nMax", description: "longest chain", unit: "sites", default: 1024, min: 8, max: 100000, integer: true },
  { name: "samples", description: "disorder realisations per length", unit: "", default: 4, min: 1, max: 1000, integer: true },
  { name: "freePin", description: "pinning of the end sites for free boundaries (the engine needs a confined chain; free for omega >> sqrt(freePin))", unit: "k", default: 1e-6, min: 1e-12, max: 1e-2 },
  { name: "tolerance", description: "relative tolerance of the frequency quadrature", unit: "", default: 1e-8, min: 1e-13, max: 1e-3 },
  { name: "seed", description: "random seed of the masses", unit: "", default: 1, min: 0, max: 2 ** 31 - 1, integer: true },
]);

export type ConductionParams = Record<(typeof PARAMS)[number]["name"], number> & {
  disorder: number;
  gamma: number;
  TL: number;
  TR: number;
  nMin: number;
  nMax: number;
  samples: number;
  freePin: number;
  tolerance: number;
  seed: number;
};

export const DEFAULT_PARAMS: Readonly<ConductionParams> = Object.freeze(
  Object.fromEntries(PARAMS.map((p) => [p.name, p.default])) as ConductionParams,
);

/** Validates (and completes with defaults) a parameter set; throws a ModelError naming the first bad parameter. */
export function validateParams(raw: Partial<Record<string, unknown>>, source?: string): ConductionParams {
  const out = { ...DEFAULT_PARAMS } as ConductionParams;
  const names = PARAMS.map((p) => p.name);
  for (const key of Object.keys(raw)) {
    if (!names.includes(key)) throw new ModelError(`unknown parameter '${key}' (parameters are ${names.join(", ")})`, source);
  }
  for (const p of PARAMS) {
    const v = raw[p.name];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ModelError(`${p.name} (${p.description}) must be a finite number, got ${JSON.stringify(v)}`, source);
    }
    if (p.integer && !Number.isInteger(v)) throw new ModelError(`${p.name} (${p.description}) must be an integer, got ${v}`, source);
    if (v < p.min || v > p.max) throw new ModelError(`${p.name} (${p.description}) must be in [${p.min}, ${p.max}], got ${v}`, source);
    (out as Record<string, number>)[p.name] = v;
  }
  if (out.nMax < 4 * out.nMin) throw new ModelError(`nMax must be at least 4 nMin (three lengths for a fit), got nMin = ${out.nMin}, nMax = ${out.nMax}`, source);
  if (out.TL === out.TR) throw new ModelError("TL and TR must differ (no current flows at equal temperatures)", source);
  return Object.freeze(out);
}
