/** Number formats shared by messages of the problem layer and the engines (not part of the public API). */

/** A byte count as "800 MB" or "1.2 GB". */
export function formatBytes(b: number): string {
  return b >= 1e9 ? `${Number((b / 1e9).toPrecision(2))} GB` : `${Math.max(1, Math.round(b / 1e6))} MB`;
}
