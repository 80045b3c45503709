/**
 * Plain text of the studies' reports (pure, browser-safe): compact numbers, aligned tables, estimates with their
 * error bars.
 */
import type { Measured } from "./contract.js";

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
    r
      .map((c, k) => (numeric[k] ? c.padStart(width[k]) : c.padEnd(width[k])))
      .join("  ")
      .trimEnd();
  return [line(header), width.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** "value ± error", flagged when the engine does not trust the error bar. */
export function pm(m: { value: number; error: number; reliable?: boolean } | Measured): string {
  return `${num(m.value)} ± ${num(m.error, 2)}${m.reliable === false ? " (unreliable error bar)" : ""}`;
}
