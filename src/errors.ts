/**
 * User-facing errors: bad input or a physical system without the requested answer. The CLI prints their message
 * alone (no stack trace) and exits non-zero; library users can catch them by class.
 *
 * Messages are one line of plain text: control characters (a terminal escape sequence, a newline, a tab in a site
 * name or a file name) and the invisible bidirectional-text controls are shown escaped (\x1b, \n, \u202e) instead of
 * being written to the user's terminal.
 */

export class NessError extends Error {
  override name = "NessError";
  constructor(message: string) {
    super(printable(message));
  }
}

/** A model file or parameter set that does not describe a valid system. */
export class ModelError extends NessError {
  override name = "ModelError";
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
  }
}

/** A valid model whose steady state does not exist or is not unique. `source` names the model file, if any. */
export class SteadyStateError extends NessError {
  override name = "SteadyStateError";
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
  }
}

// C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates (U+202A-E, U+2066-9).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** True when the text holds a control character that printable() would escape. */
export function hasControlCharacters(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/** The text with every control character shown as an escape (\n, \t, \x1b, \u202e): safe to print on one line. */
export function printable(text: string): string {
  return String(text).replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** A sweep spec, a sweep's store or its queue that cannot be used as asked (src/sweep, `ness sweep`). */
export class SweepError extends NessError {
  override name = "SweepError";
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(source ? `${source}: ${message}` : message);
  }
}
