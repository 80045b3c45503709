/**
 * Plain-text output for the terminal: aligned tables, compact numbers, one-line messages and warnings on stderr.
 */
import { num } from "../studies/text.js";

export { num, table } from "../studies/text.js";

/**
 * A message as one printable line: line breaks and tabs become spaces, other control characters (a terminal escape
 * in a site name, say) are shown as \xHH instead of being sent to the terminal.
 */
export function oneLine(message: string): string {
  const spaced = message.replace(/[\r\n\t]+/g, " ");
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/g;
  return spaced.replace(control, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).trim();
}

/** A warning on stderr, `ness: warning: ...` (never on stdout, where it would mix with the results). */
export function warn(message: string): void {
  console.error(`ness: warning: ${oneLine(message)}`);
}

/** Human-readable duration. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${num(seconds / 3600, 2)} hours`;
  if (seconds < 3 * 365 * 86400) return `${num(seconds / 86400, 2)} days`;
  return `${num(seconds / (365.25 * 86400), 2)} years`;
}
