/**
 * The `ness` command line: parses arguments, runs one command, and turns user-facing errors into one line on
 * stderr and a non-zero exit code (no stack traces for bad input).
 *
 * The error contract: bad input (a file, an option, a misspelt command) prints one line `ness: ...` on stderr,
 * exits 1 and writes nothing; `--help` and `--version` print to stdout and exit 0; a command stopped by SIGINT or
 * SIGTERM exits 130 or 143 (interrupt.ts); anything else is a bug (bin/ness.js: "internal error", exit 70).
 * Commander's usage errors become that one line too (a suggestion for a misspelt option or command on the same
 * line). Output files named by options (--figure, --psd, --csv, --snapshot, --out) are checked before any work.
 */
import { existsSync, realpathSync } from "node:fs";
import nodePath from "node:path";
import { Command, CommanderError } from "commander";
import { ModelError, NessError } from "../errors.js";
import { oneLine } from "./format.js";
import { setCommandLine } from "./commandLine.js";
import { VERSION } from "../version.js";
import { exitOnSignal, Interrupted } from "./interrupt.js";

/**
 * The commands, in the order of `ness --help`, each loaded when needed: a run of one command loads that command's
 * module only (`ness solve --json` never loads the figure stack, the studies or the sweep engine; `ness --version`
 * loads none). test/architecture.test.ts checks that this file's static imports reach no heavy library.
 */
const COMMANDS: Record<string, (args?: readonly string[]) => Promise<Command>> = {
  solve: async () => (await import("./commands/solve.js")).solveCommand(),
  simulate: async () => (await import("./commands/simulate.js")).simulateCommand(),
  // `ness study NAME ...`: NAME's module only (args are argv[2] on: "study", NAME, ...)
  study: async (args) => (await import("./commands/study.js")).studyCommand(args?.[1]),
  reproduce: async () => (await import("./commands/study.js")).reproduceCommand(),
  sweep: async () => (await import("./commands/sweep.js")).sweepCommand(),
  worker: async () => (await import("./commands/sweep.js")).workerCommand(),
  plot: async () => (await import("./commands/sweep.js")).plotCommand(),
  "plot-trajectory": async () => (await import("./commands/plotTrajectory.js")).plotTrajectoryCommand(),
  entropy: async () => (await import("./commands/entropy.js")).entropyCommand(),
  lab: async () => (await import("./commands/lab.js")).labCommand(),
};

/**
 * The commands a run needs, from its arguments (argv[2] on): the command named first, or none for `--version`, or all
 * of them (`--help`, no command, a misspelt one: the help, suggestions and error lines list every command).
 */
function neededCommands(args: readonly string[] | undefined): string[] {
  const first = args?.[0];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === "--version" || first === "-V") return [];
  return Object.keys(COMMANDS);
}

/** Options that name an output, by attribute name: a figure (.svg, .png, .csv), any file, or a folder. */
const OUTPUT_OPTIONS: Record<string, "figure" | "file" | "folder"> = {
  figure: "figure",
  psd: "figure",
  spectrum: "figure",
  csv: "file",
  snapshot: "file",
  trajectory: "file",
  checkpoint: "file",
  out: "folder",
};

/** Output options whose kind differs in one command (`ness plot-trajectory --out fig.png`). */
const COMMAND_OUTPUTS: Record<string, Record<string, "figure" | "file" | "folder">> = {
  "plot-trajectory": { out: "figure" },
};

/**
 * Checks every output option of the command about to run (before its action does any work). The checks' modules are
 * loaded only when an output option is given (src/io/render.ts brings the figure stack).
 */
async function checkOutputs(cmd: Command): Promise<void> {
  const opts = cmd.opts() as Record<string, unknown>;
  const files: { flag: string; value: string; abs: string }[] = [];
  for (const option of cmd.options) {
    const name = option.attributeName();
    const kind = COMMAND_OUTPUTS[cmd.name()]?.[name] ?? OUTPUT_OPTIONS[name];
    const value = opts[name];
    if (kind === undefined || typeof value !== "string") continue;
    const flag = option.long ?? `--${name}`;
    if (kind === "figure")
      files.push({ flag, value, abs: (await import("../io/render.js")).checkFigurePath(value, flag) });
    else {
      const abs = (await import("../io/files.js")).checkOutputPath(value, flag, kind);
      if (kind === "file") files.push({ flag, value, abs });
    }
  }
  if (files.length > 0) await refuseOverwrites(cmd, files);
}

/** A study's spellings of one output (its own check refuses two of them, whatever the files). */
const ONE_OUTPUT = ["--figure", "--psd", "--snapshot"];

/** The files of a sweep's folder that `ness plot DIR` reads or that the sweep exported there. */
const SWEEP_FILES = ["sweep.sqlite", "results.csv", "results.parquet", "failures.csv"];

/**
 * Two output options naming one file (`--csv s.csv --figure s.csv`: the second write would silently replace the
 * first), or an output naming one of the command's input files (`ness plot-trajectory run.csv --out run.csv` would
 * replace the trajectory it reads), are refused before any work. An output is compared by where its write lands:
 * the resolved path of its nearest existing folder joined with the rest of its name (`sub/s.csv` with `sub -> .` is
 * `s.csv`, even before either exists); a file is written to a temp file renamed over the name, so an output that is
 * itself a symbolic link replaces the link, not its target. An input is compared by its resolved path (reading
 * follows links).
 */
async function refuseOverwrites(cmd: Command, files: { flag: string; value: string; abs: string }[]): Promise<void> {
  const { FileError } = await import("../io/files.js");
  const landing = (abs: string): string => {
    let dir = nodePath.dirname(abs);
    while (!existsSync(dir) && nodePath.dirname(dir) !== dir) dir = nodePath.dirname(dir);
    return nodePath.join(realpathSync(dir), nodePath.relative(dir, abs));
  };
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return landing(nodePath.resolve(p));
    }
  };
  const outputs = files.map((f) => ({ ...f, real: landing(f.abs) }));
  for (let i = 0; i < outputs.length; i++)
    for (let j = 0; j < i; j++)
      if (
        outputs[i].real === outputs[j].real &&
        !(ONE_OUTPUT.includes(outputs[i].flag) && ONE_OUTPUT.includes(outputs[j].flag))
      )
        throw new FileError(`${outputs[j].flag} and ${outputs[i].flag} name the same file ${outputs[j].value}`);
  const opts = cmd.opts() as Record<string, unknown>;
  const inputs: { what: string; value: string }[] = cmd.args
    .filter((a) => typeof a === "string" && a !== "")
    .map((a) => ({ what: "the input file", value: a }));
  if (typeof opts.model === "string") inputs.push({ what: "the --model file", value: opts.model });
  // `ness plot DIR`: the sweep's store and its exports in DIR (a figure named results.csv would replace the export).
  if (cmd.name() === "plot" && cmd.args.length > 0)
    for (const name of SWEEP_FILES) inputs.push({ what: "the sweep's file", value: nodePath.join(cmd.args[0], name) });
  for (const input of inputs) {
    const r = real(input.value);
    const hit = outputs.find((o) => o.real === r);
    if (hit)
      throw new FileError(
        `${hit.flag} ${hit.value} is ${input.what} ${input.value}: writing it would replace it; give another file`,
      );
  }
}

/** Commands that stop cleanly on SIGINT/SIGTERM (interrupt.ts). */
const INTERRUPTIBLE = ["ness simulate", "ness reproduce", "ness worker"];

/** The command whose error or help-on-error commander reported last (set by the output hooks below). */
let reporting: Command | null = null;

function path(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * Refuses a single-valued option given twice (`--time 5 --time 50`: commander keeps the last without a word), also
 * under two spellings of one option (`--burn-in 1 --burnIn 2`, the hidden spelling of earlier versions). Options
 * that collect repeats through their own parser (`--field`) or are variadic may repeat; so may flags without a value
 * (`--json --json` asks for the same thing twice).
 */
function refuseRepeats(cmd: Command): void {
  const given = new Map<string, { flag: string; value: unknown }>();
  const shown = (v: unknown) => (typeof v === "string" ? `'${v}'` : "without a value");
  for (const option of cmd.options) {
    if (!(option.required || option.optional) || option.variadic || option.parseArg !== undefined) continue;
    const flag = option.long ?? option.short ?? option.name();
    cmd.on(`option:${option.name()}`, (value: unknown) => {
      const first = given.get(option.attributeName());
      if (first !== undefined) {
        const flags =
          first.flag === flag ? `${flag} was given twice` : `${first.flag} and ${flag} (one option) were both given`;
        throw new ModelError(`${flags} (${shown(first.value)} and ${shown(value)}): give it once`);
      }
      given.set(option.attributeName(), { flag, value });
    });
  }
}

/** Exit override, no help dump after errors, suggestions on, and errors kept for main() to print as one line. */
function configure(cmd: Command): void {
  refuseRepeats(cmd);
  cmd
    .exitOverride()
    .showHelpAfterError(false)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeErr: () => void (reporting = cmd),
      outputError: () => void (reporting = cmd),
    });
  for (const sub of cmd.commands) configure(sub);
}

/**
 * The `ness` program. Given the arguments after `ness` (argv[2] on), only the commands that run needs are built
 * (and their modules loaded); without them, every command.
 */
export async function program(args?: readonly string[]): Promise<Command> {
  const p = new Command("ness")
    .description("Nonequilibrium steady states of systems coupled to heat baths at different temperatures")
    .version(VERSION)
    // Options after a subcommand belong to it (nested study commands reuse names such as --time and --seed).
    .enablePositionalOptions();
  const names = args === undefined ? Object.keys(COMMANDS) : neededCommands(args);
  for (const c of await Promise.all(names.map((name) => COMMANDS[name](args)))) p.addCommand(c);
  p.hook("preAction", async (_root, action) => {
    // simulate and reproduce handle Ctrl-C themselves (interruptible); the others get the default at once.
    if (!INTERRUPTIBLE.includes(path(action))) exitOnSignal(false);
    await checkOutputs(action);
  });
  configure(p);
  return p;
}

/** Commander's message as one line: "error: unknown option '--x'\n(Did you mean --y?)" -> "unknown option '--x' (did you mean --y?)". */
function usageLine(err: CommanderError): string {
  let line = oneLine(err.message.replace(/^error:\s*/, "").replace(/\n\(Did you mean/g, " (did you mean"));
  const cmd = reporting as Command | null;
  if (cmd && err.code === "commander.unknownCommand" && !/did you mean/.test(line)) {
    line += ` (${path(cmd)} takes ${cmd.commands.map((c) => c.name()).join(", ")})`;
  } else if (cmd && err.code === "commander.unknownOption" && !/did you mean/.test(line)) {
    line += ` (see ${path(cmd)} --help)`;
  }
  return line;
}

/** Runs the CLI on process-style argv; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  reporting = null;
  setCommandLine(argv.slice(2));
  try {
    await (await program(argv.slice(2))).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version: printed on stdout
      if (err.code === "commander.help" || err.code === "commander.executeSubCommandAsync") {
        // A command that needs a subcommand was given none.
        const cmd = reporting as Command | null;
        const subs = cmd ? cmd.commands.map((c) => c.name()).join(", ") : "";
        console.error(
          `ness: ${cmd ? `${path(cmd)} needs a command: ${subs}` : "missing command"} (see ${cmd ? path(cmd) : "ness"} --help)`,
        );
        return 1;
      }
      console.error(`ness: ${usageLine(err)}`);
      return 1;
    }
    if (err instanceof Interrupted) {
      console.error(`ness: ${oneLine(err.message)}`);
      return err.exitCode;
    }
    if (err instanceof NessError) {
      console.error(`ness: ${oneLine(err.message)}`);
      return 1;
    }
    if (err instanceof Error && (err as NodeJS.ErrnoException).code && (err as NodeJS.ErrnoException).syscall) {
      console.error(`ness: ${oneLine(err.message)}`);
      return 1;
    }
    throw err;
  }
}
