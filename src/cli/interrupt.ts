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

/**
 * One listener per signal, attached while a handler is set and swapped by assignment only. Removing a listener and
 * adding another leaves a moment without any, and a signal landing then kills the process with the default action
 * (no line, no exit code: measured on `ness worker`, a signal right after its start line died that way in 12 of 30
 * runs). So a command takes over from the start-up handler, and a second signal from the first, without a gap.
 */
let handler: ((s: StopSignal) => void) | null = null;
const listeners: Record<StopSignal, () => void> = {
  SIGINT: () => handler?.("SIGINT"),
  SIGTERM: () => handler?.("SIGTERM"),
};

/**
 * Sets what SIGINT and SIGTERM do: `h` receives them, or with null the default action (the process ends at once,
 * even in the middle of a long computation, which a JavaScript handler could not interrupt).
 */
export function onStopSignal(h: ((s: StopSignal) => void) | null): void {
  if (h !== null && handler === null) for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, listeners[s]);
  if (h === null && handler !== null)
    for (const s of ["SIGINT", "SIGTERM"] as const) process.removeListener(s, listeners[s]);
  handler = h;
}

/** On: SIGINT and SIGTERM exit at once with 130 and 143 and one line (exit hooks still run). Off: the default. */
export function exitOnSignal(on: boolean): void {
  onStopSignal(on ? exitNow : null);
}

/** A second signal after the first: stop now with 130 or 143 (exit hooks clean up). */
export const exitOnNextSignal = (): void => void onStopSignal((s) => process.exit(SIGNAL_EXIT[s]));

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
  // Takes over from the start-up handler without a moment in between (see onStopSignal).
  onStopSignal((s) => {
    received = s;
    exitOnNextSignal(); // the caller is about to print its line and exit; a second signal stops now
    controller.abort();
  });
  try {
    const result = await work(controller.signal);
    if (received) throw new Interrupted(received, describe(received));
    return result;
  } catch (err) {
    if (received && !(err instanceof Interrupted)) throw new Interrupted(received, describe(received));
    throw err;
  } finally {
    // After a first signal the handler for the second stays until the process exits.
    if (!received) onStopSignal(null);
  }
}
