/**
 * The `ness` command line: parses arguments, runs one command, and turns user-facing errors into one line on
 * stderr and a non-zero exit code (no stack traces for bad input).
 */
import { Command, CommanderError } from "commander";
import { NessError } from "../errors.js";
import { simulateCommand } from "./commands/simulate.js";
import { solveCommand } from "./commands/solve.js";
import { reproduceCommand, studyCommand } from "./commands/study.js";

export function program(): Command {
  const p = new Command("ness")
    .description("Nonequilibrium steady states of systems coupled to heat baths at different temperatures")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    // Options after a subcommand belong to it (nested study commands reuse names such as --time and --seed).
    .enablePositionalOptions()
    .exitOverride();
  for (const c of [solveCommand(), simulateCommand(), studyCommand(), reproduceCommand()]) p.addCommand(c.exitOverride());
  return p;
}

/** Runs the CLI on process-style argv; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode; // commander already printed help, version or the usage error
    }
    if (err instanceof NessError) {
      console.error(`ness: ${err.message}`);
      return 1;
    }
    if (err instanceof Error && (err as NodeJS.ErrnoException).code && (err as NodeJS.ErrnoException).syscall) {
      console.error(`ness: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
