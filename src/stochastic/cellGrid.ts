/**
 * A periodic cell grid for pair searches, in 1, 2 or 3 dimensions: particles counting-sorted into cells at least
 * `reach` wide, and the list of cell pairs to visit (each cell with itself and each neighbouring cell once), so every
 * pair of particles closer than `reach` (minimum image) is in one visited cell pair. An axis that is open (no box)
 * or would have fewer than three cells keeps one cell: all pairs along it. Layouts are cached, so a reach that
 * changes from call to call costs nothing after the first of each grid. Browser-safe.
 */
export class CellGrid {
  /** Cell order: order[i] is the particle at position i. */
  readonly order: Int32Array;
  /** Particles of cell c are order[start[c]] .. order[start[c + 1] - 1]. */
  start: Int32Array<ArrayBufferLike> = new Int32Array(0);
  /** Flattened (c, c2) cell pairs to visit, c <= c2. */
  cellPairs: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private readonly cellOf: Int32Array;
  private fill = new Int32Array(0);
  private readonly grid = [0, 0, 0];
  private readonly layouts = new Map<string, { start: Int32Array; pairs: Int32Array }>();

  /** `box`: side per axis (Infinity for an open axis). */
  constructor(private readonly d: number, private readonly box: ArrayLike<number>, private readonly N: number) {
    this.order = new Int32Array(N);
    this.cellOf = new Int32Array(N);
  }

  /** Sorts the particles at x (row-major N x d, any periodic image) into cells at least `reach` wide. */
  sort(x: Float64Array, reach: number): void {
    const d = this.d, N = this.N, L = this.box;
    const n = [1, 1, 1];
    for (let k = 0; k < d; k++) {
      const m = L[k] === Infinity ? 1 : Math.floor(L[k] / reach);
      n[k] = m >= 3 ? m : 1;
    }
    if (n[0] !== this.grid[0] || n[1] !== this.grid[1] || n[2] !== this.grid[2]) this.layout(n);
    const ncell = n[0] * n[1] * n[2];
    const start = this.start, order = this.order;
    start.fill(0);
    if (ncell === 1) {
      start[1] = N; // one cell: particles in their own order
      for (let a = 0; a < N; a++) order[a] = a;
      return;
    }
    for (let a = 0; a < N; a++) {
      let c = 0;
      for (let k = 0; k < 3; k++) {
        let idx = 0;
        if (k < d && n[k] > 1) {
          const u = x[a * d + k] / L[k];
          idx = Math.min(n[k] - 1, Math.floor((u - Math.floor(u)) * n[k]));
        }
        c = c * n[k] + idx;
      }
      this.cellOf[a] = c;
      start[c + 1]++;
    }
    for (let c = 0; c < ncell; c++) start[c + 1] += start[c];
    if (this.fill.length < ncell) this.fill = new Int32Array(ncell);
    const fill = this.fill;
    fill.set(start.subarray(0, ncell));
    for (let a = 0; a < N; a++) order[fill[this.cellOf[a]]++] = a;
  }

  /** Selects the grid n[0] x n[1] x n[2] and its cell pairs, cached by grid. */
  private layout(n: number[]): void {
    this.grid[0] = n[0];
    this.grid[1] = n[1];
    this.grid[2] = n[2];
    const key = n.join(",");
    let cached = this.layouts.get(key);
    if (!cached) {
      const out: number[] = [];
      const seen = new Set<number>();
      for (let cx = 0; cx < n[0]; cx++) for (let cy = 0; cy < n[1]; cy++) for (let cz = 0; cz < n[2]; cz++) {
        const c = (cx * n[1] + cy) * n[2] + cz;
        seen.clear();
        for (let ox = -1; ox <= 1; ox++) for (let oy = -1; oy <= 1; oy++) for (let oz = -1; oz <= 1; oz++) {
          const c2 = ((((cx + ox + n[0]) % n[0]) * n[1] + ((cy + oy + n[1]) % n[1])) * n[2]) + ((cz + oz + n[2]) % n[2]);
          if (c2 < c || seen.has(c2)) continue; // each unordered cell pair once (grids of one cell per axis repeat)
          seen.add(c2);
          out.push(c, c2);
        }
      }
      cached = { start: new Int32Array(n[0] * n[1] * n[2] + 1), pairs: Int32Array.from(out) };
      this.layouts.set(key, cached);
    }
    this.start = cached.start;
    this.cellPairs = cached.pairs;
  }
}
