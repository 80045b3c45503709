/**
 * Provenance of every file and JSON document the CLI writes (`ness reproduce`, `ness study --csv/--json/--figure
 * x.csv`, `ness simulate --json`): the ness version, the command line, the study, figure set and parameters, the
 * random seed and the units. JSON documents carry it as fields (`ness`, `command`, `study`, `case`, `parameters`,
 * `seed`, `units`); CSV files as `#` comment lines before the column names, as the sweep exports do (read them with
 * `pandas.read_csv(file, comment="#")`).
 */
import { fieldsOf } from "../studies/schema.js";
import type { Study } from "../studies/contract.js";
import { VERSION } from "../version.js";
import { commandLine } from "./commandLine.js";

/** The units of a document: the study's convention and each parameter's unit (by key). */
export interface Units {
  convention: string;
  parameters?: Record<string, string>;
}

export interface Provenance {
  ness: string;
  /** The command that wrote it, as typed (`ness study variance-resonance --k 0:2:11 --csv s.csv`). */
  command: string;
  study?: string;
  /** The figure set of `ness reproduce`. */
  case?: string;
  parameters?: unknown;
  seed?: number;
  units: Units;
}

/** A study's units: its convention sentence and the units of the parameters present in `parameters`. */
export function studyUnits(study: Study, parameters?: unknown, convention?: string): Units {
  const units: Record<string, string> = {};
  const given = parameters !== null && typeof parameters === "object" ? (parameters as Record<string, unknown>) : {};
  for (const f of fieldsOf(study.parameters)) if (f.key in given && f.unit) units[f.key] = f.unit;
  return {
    convention: convention ?? study.units ?? "kB = 1; the parameters in their own units",
    ...(Object.keys(units).length > 0 ? { parameters: units } : {}),
  };
}

/** The provenance of a study's output (`units`: the convention of a figure set whose units are not the study's). */
export function studyProvenance(
  study: Study,
  o: { command?: string; parameters: unknown; seed?: number; case?: string; units?: string },
): Provenance {
  return {
    ness: VERSION,
    command: o.command ?? commandLine(),
    study: study.name,
    ...(o.case !== undefined ? { case: o.case } : {}),
    parameters: o.parameters,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    units: studyUnits(study, o.parameters, o.units),
  };
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");

/** The `#` lines that start a CSV file: version, command, study and figure set, seed; parameters; units. */
export function csvProvenance(p: Provenance): string[] {
  const head = [
    `ness ${p.ness}`,
    `command: ${p.command}`,
    ...(p.study !== undefined ? [`study ${p.study}`] : []),
    ...(p.case !== undefined ? [`figure set ${p.case}`] : []),
    ...(p.seed !== undefined ? [`seed ${p.seed}`] : []),
  ];
  return [
    `# ${oneLine(head.join("; "))}`,
    ...(p.parameters !== undefined ? [`# parameters: ${oneLine(JSON.stringify(p.parameters))}`] : []),
    `# units: ${oneLine(p.units.convention)}${p.units.parameters ? `; parameters: ${JSON.stringify(p.units.parameters)}` : ""}`,
  ];
}
