/**
 * Ctrl-C (SIGINT) and kill (SIGTERM) during long commands (`ness simulate`, `ness reproduce`): the first signal
 * aborts an AbortSignal the command watches, and the command stops at its next safe point (between slices of a
 * simulation, between figures: a figure being written is finished, its files complete). The CLI then prints one
 * line on stderr and exits 130 (SIGINT) or 143 (SIGTERM), as shells and other CLIs do. A second signal exits at
 * once; exit hooks remove the temp file of a write in flight and the files of a figure not yet complete.
 * JavaScript sees signals only between pieces of work: a long computation in the main thread (building one figure)
 * delays the stop until it ends.
 *
 * Before a command takes over, bin/ness.js has a signal exit at once with 130 or 143 (exitOnSignal: start-up takes a
 * moment and nothing has been written yet); other commands get the default (the process ends at once, even in the
 * middle of a long computation, which a JavaScript handler could not interrupt).
 */
import { NessError } from "../errors.js";

export type StopSignal = "SIGINT" | "SIGTERM";

/** Exit codes after a signal: 128 + its number. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** A command stopped by a signal: main() prints the message and exits with `exitCode`. */
export class Interrupted extends NessError {
  override name = "Interrupted";
  readonly exitCode: number;
  constructor(
    readonly signal: StopSignal,
    message: string,
  ) {
    super(message);
    this.exitCode = SIGNAL_EXIT[signal];
  }
}

const exitNow = (s: StopSignal) => {
  process.stderr.write(`ness: interrupted by ${s} while starting: nothing written\n`);
  process.exit(SIGNAL_EXIT[s]);
};
const early: Record<StopSignal, () => void> = { SIGINT: () => exitNow("SIGINT"), SIGTERM: () => exitNow("SIGTERM") };
let exiting = false;

/** On: SIGINT and SIGTERM exit at once with 130 and 143 and one line (exit hooks still run). Off: the default. */
export function exitOnSignal(on: boolean): void {
  if (on === exiting) return;
  exiting = on;
  for (const s of ["SIGINT", "SIGTERM"] as const) {
    if (on) process.on(s, early[s]);
    else process.removeListener(s, early[s]);
  }
}

/**
 * Runs `work` with SIGINT and SIGTERM turned into an abort of the signal it receives. If a signal arrived, whatever
 * `work` did (finished, threw CancelledError or another error), an Interrupted error with `describe(signal)` is
 * thrown; otherwise its result or error passes through.
 */
export async function interruptible<T>(
  work: (signal: AbortSignal) => Promise<T>,
  describe: (signal: StopSignal) => string,
): Promise<T> {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handlers: Record<StopSignal, () => void> = {
    SIGINT: () => onSignal("SIGINT"),
    SIGTERM: () => onSignal("SIGTERM"),
  };
  function onSignal(s: StopSignal): void {
    if (received) process.exit(SIGNAL_EXIT[s]); // the second signal: stop now (exit hooks clean up)
    received = s;
    controller.abort();
  }
  for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, handlers[s]);
  exitOnSignal(false);
  try {
    const result = await work(controller.signal);
    if (received) throw new Interrupted(received, describe(received));
    return result;
  } catch (err) {
    if (received && !(err instanceof Interrupted)) throw new Interrupted(received, describe(received));
    throw err;
  } finally {
    // After a first signal the handlers stay: the caller is about to print its line and exit, and a second signal
    // arriving meanwhile must still exit with 130/143 (the default action would kill the process without a code).
    if (!received) for (const s of ["SIGINT", "SIGTERM"] as const) process.removeListener(s, handlers[s]);
  }
}
