/**
 * The command line of this process's `ness` call, as typed (set by main before a command runs; recorded in the
 * provenance of the files and documents the command writes), and the provenance of the commands on a model file
 * (`ness solve`, `ness simulate`). Only the version is imported: main loads this at start-up.
 */
import { VERSION } from "../version.js";

let current: string[] = [];

export function setCommandLine(args: readonly string[]): void {
  current = [...args];
}

/** "ness ARGS", each argument quoted for a POSIX shell where it needs it. */
export function commandLine(args: readonly string[] = current): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ["ness", ...args.map(quote)].join(" ");
}

/** The units of the numbers of `ness solve` and `ness simulate`: those of the model file. */
export const MODEL_UNITS =
  "kB = 1; the model file's units: masses, stiffnesses, frictions, temperatures (energy) and lengths as given there, time in the unit they imply; heat fluxes in energy/time, entropy production in kB/time";

/** Provenance fields of a JSON document written for a model file: version, command, units. */
export function modelProvenance(): { ness: string; command: string; units: string } {
  return { ness: VERSION, command: commandLine(), units: MODEL_UNITS };
}

/** The `#` lines of a CSV file written for a model file. */
export function modelCsvComments(): string[] {
  return [`# ness ${VERSION}; command: ${commandLine()}`, `# units: ${MODEL_UNITS}`];
}
