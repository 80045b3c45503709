/**
 * Plain-text output for the terminal: aligned tables, compact numbers, one-line messages and warnings on stderr.
 */

/** Compact number: 4 significant digits, exponent form for very small or large magnitudes. */
export function num(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

/** Aligned text table: numbers right-aligned, text left-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? num(c) : c)));
  const numeric = header.map((_, k) => rows.every((r) => typeof r[k] === "number"));
  const width = header.map((h, k) => Math.max(h.length, ...cells.map((r) => r[k].length)));
  const line = (r: string[]) =>
    r.map((c, k) => (numeric[k] ? c.padStart(width[k]) : c.padEnd(width[k]))).join("  ").trimEnd();
  return [line(header), width.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/**
 * A message as one printable line: line breaks and tabs become spaces, other control characters (a terminal escape
 * in a site name, say) are shown as \xHH instead of being sent to the terminal.
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\r\n\t]+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).trim();
}

/** A warning on stderr, `ness: warning: ...` (never on stdout, where it would mix with the results). */
export function warn(message: string): void {
  console.error(`ness: warning: ${oneLine(message)}`);
}
