// Deterministic 2D layouts for network figures: a line for chains, a circle for
// rings, otherwise a spectral (Laplacian eigenvector) start refined by
// Fruchterman–Reingold. No randomness, so the same network always looks the same.

export type Point = [number, number];

function adjacency(n: number, edges: readonly (readonly [number, number])[]): Set<number>[] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (a < 0 || b < 0 || a >= n || b >= n) throw new Error(`layout: edge (${a}, ${b}) out of range for ${n} nodes`);
    adj[a].add(b);
    adj[b].add(a);
  }
  return adj;
}

/** Connected components, each sorted, ordered by their smallest node. */
function components(adj: Set<number>[]): number[][] {
  const comp = new Array<number>(adj.length).fill(-1);
  const out: number[][] = [];
  for (let s = 0; s < adj.length; s++) {
    if (comp[s] >= 0) continue;
    const members = [s];
    comp[s] = out.length;
    for (let k = 0; k < members.length; k++) {
      for (const w of adj[members[k]]) {
        if (comp[w] < 0) {
          comp[w] = out.length;
          members.push(w);
        }
      }
    }
    out.push(members.sort((a, b) => a - b));
  }
  return out;
}

function isConnected(adj: Set<number>[]): boolean {
  return components(adj).length === 1;
}

/** Lay out each connected component on its own and pack them in rows, left to right. */
function packComponents(comps: number[][], edges: readonly (readonly [number, number])[]): Point[] {
  const pos: Point[] = [];
  const boxes = comps.map((members) => {
    const local = new Map(members.map((v, k) => [v, k]));
    const sub = edges
      .filter(([a, b]) => local.has(a) && local.has(b))
      .map(([a, b]): [number, number] => [local.get(a)!, local.get(b)!]);
    const p = networkLayout(members.length, sub);
    const x0 = Math.min(...p.map((q) => q[0]));
    const y1 = Math.max(...p.map((q) => q[1]));
    const w = Math.max(...p.map((q) => q[0])) - x0;
    const h = y1 - Math.min(...p.map((q) => q[1]));
    return { members, p: p.map(([x, y]): Point => [x - x0, y - y1]), w, h };
  });
  const gap = 1.3;
  const area = boxes.reduce((s, b) => s + (b.w + gap) * (b.h + gap), 0);
  const maxRow = Math.max(Math.sqrt(area) * 1.6, ...boxes.map((b) => b.w));
  let x = 0;
  let y = 0;
  let rowH = 0;
  for (const b of boxes) {
    if (x > 0 && x + b.w > maxRow) {
      x = 0;
      y -= rowH + gap;
      rowH = 0;
    }
    b.members.forEach((v, k) => (pos[v] = [b.p[k][0] + x, b.p[k][1] + y]));
    x += b.w + gap;
    rowH = Math.max(rowH, b.h);
  }
  return pos;
}

/** Walk a path or cycle graph from `start`, preferring the lower-numbered neighbour first. */
function walk(adj: Set<number>[], start: number): number[] {
  const order = [start];
  const seen = new Set(order);
  let v = start;
  for (;;) {
    const next = [...adj[v]].filter((w) => !seen.has(w)).sort((a, b) => a - b)[0];
    if (next === undefined) return order;
    order.push(next);
    seen.add(next);
    v = next;
  }
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations; eigenvalues ascending. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((r) => r.slice());
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i][i] - a[j][j] || i - j);
  const vectors = idx.map((j) => {
    const col = v.map((r) => r[j]);
    // Fix the sign so the result is deterministic: first significant component positive.
    const first = col.find((x) => Math.abs(x) > 1e-9) ?? 1;
    return first < 0 ? col.map((x) => -x) : col;
  });
  return { values: idx.map((i) => a[i][i]), vectors };
}

/** Spectral start (Laplacian eigenvectors 2 and 3) refined by Fruchterman–Reingold. */
function forceLayout(n: number, adj: Set<number>[]): Point[] {
  let pos: Point[];
  if (n <= 200) {
    const lap = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? adj[i].size : adj[i].has(j) ? -1 : 0)),
    );
    const { vectors } = symmetricEigen(lap);
    pos = Array.from({ length: n }, (_, i): Point => [vectors[1][i], (vectors[2] ?? vectors[1])[i]]);
  } else {
    pos = [];
  }
  // Fall back to a circle (or nudge coincident points) so forces are well defined.
  const spread = Math.max(0, ...pos.map(([x, y]) => Math.hypot(x, y)));
  for (let i = 0; i < n; i++) {
    const circle: Point = [Math.cos((2 * Math.PI * i) / n), Math.sin((2 * Math.PI * i) / n)];
    if (!(spread > 1e-9) || pos.length < n) pos[i] = circle;
    else pos[i] = [pos[i][0] / spread + 0.05 * circle[0], pos[i][1] / spread + 0.05 * circle[1]];
  }
  const k = 1 / Math.sqrt(n); // ideal edge length in a unit area
  let temp = 0.1;
  const iterations = 400;
  for (let it = 0; it < iterations; it++) {
    const disp: Point[] = pos.map(() => [0, 0]);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = pos[i][0] - pos[j][0];
        let dy = pos[i][1] - pos[j][1];
        let d = Math.hypot(dx, dy);
        if (d < 1e-9) {
          dx = 1e-3 * (i - j);
          dy = 1e-3;
          d = Math.hypot(dx, dy);
        }
        let f = (k * k) / d; // repulsion
        if (adj[i].has(j)) f -= (d * d) / k; // attraction
        disp[i][0] += (dx / d) * f;
        disp[i][1] += (dy / d) * f;
        disp[j][0] -= (dx / d) * f;
        disp[j][1] -= (dy / d) * f;
      }
      // Mild gravity keeps disconnected parts together.
      disp[i][0] -= 0.05 * k * pos[i][0] * n;
      disp[i][1] -= 0.05 * k * pos[i][1] * n;
    }
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(disp[i][0], disp[i][1]);
      if (d > 0) {
        const step = Math.min(d, temp);
        pos[i] = [pos[i][0] + (disp[i][0] / d) * step, pos[i][1] + (disp[i][1] / d) * step];
      }
    }
    temp = 0.1 * (1 - (it + 1) / iterations) + 0.002;
  }
  return pos;
}

/** Scale and centre points so that the median edge length (or point spacing) is 1. */
function normalise(pos: Point[], edges: readonly (readonly [number, number])[]): Point[] {
  const n = pos.length;
  const cx = pos.reduce((s, p) => s + p[0], 0) / n;
  const cy = pos.reduce((s, p) => s + p[1], 0) / n;
  const lengths = edges
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => Math.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]))
    .filter((d) => d > 1e-12)
    .sort((a, b) => a - b);
  const unit = lengths.length > 0 ? lengths[Math.floor(lengths.length / 2)] : 1;
  return pos.map(([x, y]) => [(x - cx) / unit, (y - cy) / unit]);
}

/**
 * Positions (y up) for `n` nodes joined by `edges`. Uses `given` when every node has a
 * position; otherwise a line for a chain, a regular polygon for a ring, and a spectral +
 * Fruchterman–Reingold layout for anything else. Deterministic.
 */
export function networkLayout(
  n: number,
  edges: readonly (readonly [number, number])[],
  given?: readonly (Point | undefined)[],
): Point[] {
  if (given && given.length === n && given.every((p) => p !== undefined)) {
    return given.map((p) => [p![0], p![1]]);
  }
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  const adj = adjacency(n, edges);
  const comps = components(adj);
  if (comps.length > 1) return packComponents(comps, edges);
  const degrees = adj.map((s) => s.size);
  const m = degrees.reduce((s, d) => s + d, 0) / 2;
  const connected = isConnected(adj);
  if (connected && m === n - 1 && degrees.every((d) => d <= 2)) {
    const start = degrees.findIndex((d) => d === 1);
    const pos: Point[] = new Array(n);
    walk(adj, start).forEach((v, k) => (pos[v] = [k, 0]));
    return normalise(pos, edges);
  }
  if (connected && m === n && degrees.every((d) => d === 2)) {
    const pos: Point[] = new Array(n);
    const start0 = (3 * Math.PI) / 2 - Math.PI / n; // first node bottom left, an edge at the bottom
    walk(adj, 0).forEach((v, k) => {
      const a = start0 + (2 * Math.PI * k) / n;
      pos[v] = [Math.cos(a), Math.sin(a)];
    });
    return normalise(pos, edges);
  }
  return alignToEdges(normalise(forceLayout(n, adj), edges), edges);
}

/** Rotate so that the dominant edge directions (modulo 90°) are horizontal and vertical: lattices come out square. */
function alignToEdges(pos: Point[], edges: readonly (readonly [number, number])[]): Point[] {
  let c = 0;
  let s = 0;
  for (const [a, b] of edges) {
    const dx = pos[b][0] - pos[a][0];
    const dy = pos[b][1] - pos[a][1];
    const len = Math.hypot(dx, dy);
    if (a === b || len < 1e-12) continue;
    const t = 4 * Math.atan2(dy, dx);
    c += len * Math.cos(t);
    s += len * Math.sin(t);
  }
  if (Math.hypot(c, s) < 1e-9 * Math.max(1, edges.length)) return pos;
  const rot = -Math.atan2(s, c) / 4;
  const cr = Math.cos(rot);
  const sr = Math.sin(rot);
  return pos.map(([x, y]) => [x * cr - y * sr, x * sr + y * cr]);
}
