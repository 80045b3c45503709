// Deterministic 2D layouts for network figures, and the geometry that keeps a drawing clean. Layouts: a line for
// short chains (rows, like a snake, for long ones), a circle for rings, and for every other graph stress
// majorisation (Gansner, Koren and North, "Graph drawing by stress majorization", GD 2004) started from pivot MDS
// (Brandes and Pich, "Eigensolver methods for progressive multidimensional scaling of large data", GD 2006); no
// randomness, so the same network always looks the same. Geometry: springs that would pass over a third node are
// bent into quadratic curves around it (routeEdges), and labels and boxes are placed on an occupancy grid
// (Occupancy) at the first free candidate position, so nothing overlaps.

import { ModelError } from "../errors.js";

export type Point = [number, number];
type Edge = readonly [number, number];

// ---------------------------------------------------------------------------------------------------------------
// Graphs

function adjacency(n: number, edges: readonly Edge[]): Set<number>[] {
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (a < 0 || b < 0 || a >= n || b >= n)
      throw new ModelError(`networkLayout: edge (${a}, ${b}) out of range for ${n} nodes`);
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

/** Walk a path or cycle graph from `start`, preferring the lower-numbered neighbour first. */
function walk(adj: Set<number>[], start: number): number[] {
  const order = [start];
  const seen = new Set(order);
  let v = start;
  for (;;) {
    let next = -1;
    for (const w of adj[v]) if (!seen.has(w) && (next < 0 || w < next)) next = w;
    if (next < 0) return order;
    order.push(next);
    seen.add(next);
    v = next;
  }
}

/** Breadth-first hop distances from `source` (a connected graph: every entry is set). */
function bfs(adj: Set<number>[], source: number, out: Float64Array): void {
  out.fill(-1);
  out[source] = 0;
  const queue = new Int32Array(adj.length);
  let head = 0;
  let tail = 0;
  queue[tail++] = source;
  while (head < tail) {
    const v = queue[head++];
    for (const w of adj[v]) {
      if (out[w] < 0) {
        out[w] = out[v] + 1;
        queue[tail++] = w;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Layouts (layout units, y up)

/** Sites per row of a chain laid out in rows, and the distance between rows (the spring that turns is vertical). */
export const CHAIN_ROW = 10;
export const CHAIN_ROW_GAP = 1.6;

/** A path on one line, or in rows of at most CHAIN_ROW sites running alternately left and right. */
function pathLayout(order: number[]): Point[] {
  const n = order.length;
  const pos: Point[] = new Array(n);
  const rows = Math.ceil(n / CHAIN_ROW);
  const perRow = Math.ceil(n / rows);
  order.forEach((v, k) => {
    const r = Math.floor(k / perRow);
    const c = k % perRow;
    pos[v] = [r % 2 === 0 ? c : perRow - 1 - c, -r * CHAIN_ROW_GAP];
  });
  return pos;
}

/** A regular polygon, first node bottom left and an edge at the bottom. */
function ringLayout(order: number[]): Point[] {
  const n = order.length;
  const pos: Point[] = new Array(n);
  const start0 = (3 * Math.PI) / 2 - Math.PI / n;
  const radius = 1 / (2 * Math.sin(Math.PI / n)); // unit edges
  order.forEach((v, k) => {
    const a = start0 + (2 * Math.PI * k) / n;
    pos[v] = [radius * Math.cos(a), radius * Math.sin(a)];
  });
  return pos;
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations; eigenvalues descending. */
function jacobiEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((r) => r.slice());
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  const scale = Math.max(1e-300, ...a.map((r) => Math.max(...r.map(Math.abs))));
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off <= 1e-26 * scale * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) <= 1e-300) continue;
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
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i] || i - j);
  const vectors = idx.map((j) => {
    const col = v.map((r) => r[j]);
    const first = col.find((x) => Math.abs(x) > 1e-9) ?? 1; // fixed sign: deterministic
    return first < 0 ? col.map((x) => -x) : col;
  });
  return { values: idx.map((i) => a[i][i]), vectors };
}

/** Largest graphs refined by full stress majorisation (O(n²) memory and time per sweep); beyond, pivot MDS alone. */
const STRESS_MAX = 300;
const PIVOTS = 50;

/**
 * Pivot MDS: hop distances to k pivots chosen farthest-first, double-centred, projected on the two leading
 * eigenvectors. With every node a pivot (n <= 50) it is classical MDS.
 */
function pivotMds(adj: Set<number>[]): Point[] {
  const n = adj.length;
  const k = Math.min(n, PIVOTS);
  const pivots: number[] = [];
  const cols: Float64Array[] = [];
  const nearest = new Float64Array(n).fill(Infinity);
  let next = 0;
  for (let s = 1; s < n; s++) if (adj[s].size > adj[next].size) next = s; // start at the best-connected node
  for (let p = 0; p < k; p++) {
    pivots.push(next);
    const d = new Float64Array(n);
    bfs(adj, next, d);
    cols.push(d);
    let far = -1;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], d[i]);
      if (far < 0 || nearest[i] > nearest[far]) far = i;
    }
    next = far; // farthest from the pivots so far (never a pivot while one is left)
  }
  // C[i][p] = -1/2 (d² - row mean - column mean + grand mean)
  const c = cols.map((d) => Float64Array.from(d, (x) => x * x));
  const rowMean = new Float64Array(n);
  for (const col of c) for (let i = 0; i < n; i++) rowMean[i] += col[i] / k;
  const colMean = c.map((col) => col.reduce((s, x) => s + x, 0) / n);
  const grand = colMean.reduce((s, x) => s + x, 0) / k;
  c.forEach((col, p) => {
    for (let i = 0; i < n; i++) col[i] = -0.5 * (col[i] - rowMean[i] - colMean[p] + grand);
  });
  const ctc = Array.from({ length: k }, (_, p) =>
    Array.from({ length: k }, (_, q) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += c[p][i] * c[q][i];
      return s;
    }),
  );
  const { vectors } = jacobiEigen(ctc);
  const pos: Point[] = Array.from({ length: n }, (_, i): Point => {
    let x = 0;
    let y = 0;
    for (let p = 0; p < k; p++) {
      x += c[p][i] * vectors[0][p];
      y += c[p][i] * (vectors[1] ?? vectors[0])[p];
    }
    return [x, y];
  });
  // Least-squares scale to the hop distances to the pivots, then a tiny deterministic jitter (golden angle) so
  // that no two nodes coincide and a collinear start can still unfold.
  let num = 0;
  let den = 0;
  pivots.forEach((pv, p) => {
    for (let i = 0; i < n; i++) {
      const e = Math.hypot(pos[i][0] - pos[pv][0], pos[i][1] - pos[pv][1]);
      num += cols[p][i] * e;
      den += e * e;
    }
  });
  const s = den > 1e-300 ? num / den : 1;
  return pos.map(([x, y], i): Point => [x * s + 0.01 * Math.cos(2.399963 * i), y * s + 0.01 * Math.sin(2.399963 * i)]);
}

/** Stress majorisation, node by node (each update lowers the stress), weights 1/d². */
function majorise(adj: Set<number>[], pos: Point[]): Point[] {
  const n = adj.length;
  const dist = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    bfs(adj, i, row);
    dist.set(row, i * n);
  }
  const x = Float64Array.from(pos, (p) => p[0]);
  const y = Float64Array.from(pos, (p) => p[1]);
  for (let sweep = 0; sweep < 400; sweep++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let sx = 0;
      let sy = 0;
      let sw = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = dist[i * n + j];
        const w = 1 / (d * d);
        const dx = x[i] - x[j];
        const dy = y[i] - y[j];
        const e = Math.hypot(dx, dy) || 1e-9;
        sx += w * (x[j] + (d * dx) / e);
        sy += w * (y[j] + (d * dy) / e);
        sw += w;
      }
      const nx = sx / sw;
      const ny = sy / sw;
      moved = Math.max(moved, Math.hypot(nx - x[i], ny - y[i]));
      x[i] = nx;
      y[i] = ny;
    }
    if (moved < 1e-4) break;
  }
  return Array.from({ length: n }, (_, i): Point => [x[i], y[i]]);
}

/** Push apart nodes closer than `minDist` (a star's leaves, say), symmetrically, a bounded number of times. */
function spread(pos: Point[], minDist: number): Point[] {
  const n = pos.length;
  const p = pos.map((q): Point => [q[0], q[1]]);
  for (let it = 0; it < 200; it++) {
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let dx = p[j][0] - p[i][0];
        let dy = p[j][1] - p[i][1];
        let d = Math.hypot(dx, dy);
        if (d >= minDist) continue;
        if (d < 1e-9) {
          dx = Math.cos(2.399963 * (i + j));
          dy = Math.sin(2.399963 * (i + j));
          d = 1;
        }
        const push = (minDist - Math.hypot(p[j][0] - p[i][0], p[j][1] - p[i][1])) / 2 + 1e-6;
        worst = Math.max(worst, push);
        p[i][0] -= (dx / d) * push;
        p[i][1] -= (dy / d) * push;
        p[j][0] += (dx / d) * push;
        p[j][1] += (dy / d) * push;
      }
    }
    if (worst < 1e-3 * minDist) break;
  }
  return p;
}

/** A node at the middle of a longest path (two breadth-first searches): the centre of a tree. */
function treeCentre(adj: Set<number>[]): number {
  const n = adj.length;
  const d = new Float64Array(n);
  const far = () => d.reduce((best, x, i) => (x > d[best] ? i : best), 0);
  bfs(adj, 0, d);
  const u = far();
  bfs(adj, u, d);
  const v = far();
  // Walk back from v towards u half the way.
  const du = Float64Array.from(d);
  let w = v;
  for (let step = 0; step < Math.floor(du[v] / 2); step++) {
    let next = -1;
    for (const x of adj[w]) if (du[x] === du[w] - 1 && (next < 0 || x < next)) next = x;
    w = next;
  }
  return w;
}

/**
 * Radial tree: the centre in the middle, each node on the circle of its depth, in the middle of a wedge
 * proportional to the leaves below it (stars come out as a wheel; used for trees with a node of degree 5 or more,
 * where stress would crowd the neighbours of the hub).
 */
function radialTree(adj: Set<number>[]): Point[] {
  const n = adj.length;
  const root = treeCentre(adj);
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const order = [root];
  parent[root] = root;
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    for (const w of [...adj[v]].sort((a, b) => a - b)) {
      if (parent[w] >= 0) continue;
      parent[w] = v;
      depth[w] = depth[v] + 1;
      order.push(w);
    }
  }
  const children: number[][] = Array.from({ length: n }, () => []);
  for (const v of order) if (v !== root) children[parent[v]].push(v);
  const leaves = new Float64Array(n);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    leaves[v] = children[v].length === 0 ? 1 : children[v].reduce((s, c) => s + leaves[c], 0);
  }
  const from = new Float64Array(n);
  const angle = new Float64Array(n);
  from[root] = -Math.PI / 2;
  angle[root] = 0;
  for (const v of order) {
    const wedge = (2 * Math.PI * leaves[v]) / leaves[root];
    angle[v] = v === root ? 0 : from[v] + wedge / 2;
    let a = from[v];
    for (const c of children[v]) {
      from[c] = a;
      a += (2 * Math.PI * leaves[c]) / leaves[root];
    }
  }
  // Radius of each depth: one more than the last, and enough for its closest two nodes to be 0.7 apart.
  const maxDepth = Math.max(...depth);
  const radius = new Float64Array(maxDepth + 1);
  for (let d = 1; d <= maxDepth; d++) {
    let minWedge = 2 * Math.PI;
    for (let v = 0; v < n; v++)
      if (depth[v] === d) minWedge = Math.min(minWedge, (2 * Math.PI * leaves[v]) / leaves[root]);
    radius[d] = Math.max(radius[d - 1] + 1, 0.7 / (2 * Math.sin(Math.min(minWedge, Math.PI) / 2)));
  }
  return Array.from({ length: n }, (_, v): Point =>
    v === root ? [0, 0] : [radius[depth[v]] * Math.cos(angle[v]), -radius[depth[v]] * Math.sin(angle[v])],
  );
}

/**
 * Move nodes off the edges they sit on: a node closer than `minDist` to an edge it is not on is pushed away from
 * the edge (and the edge's ends the other way), alternating with `spread`, a bounded number of times.
 */
function clearEdges(pos: Point[], adj: Set<number>[], minDist: number): Point[] {
  const n = pos.length;
  let p = pos;
  const edges: [number, number][] = [];
  adj.forEach((s, a) => s.forEach((b) => a < b && edges.push([a, b])));
  for (let round = 0; round < 30; round++) {
    let worst = 0;
    for (const [a, b] of edges) {
      for (let c = 0; c < n; c++) {
        if (c === a || c === b) continue;
        const d = pointSegmentDistance(p[c], p[a], p[b]);
        if (d >= minDist) continue;
        const dx = p[b][0] - p[a][0];
        const dy = p[b][1] - p[a][1];
        const l = Math.hypot(dx, dy) || 1;
        let nx = -dy / l;
        let ny = dx / l;
        const side = (p[c][0] - p[a][0]) * nx + (p[c][1] - p[a][1]) * ny;
        if (side < 0 || (side === 0 && c % 2 === 1)) [nx, ny] = [-nx, -ny];
        const push = (minDist - d) / 2 + 1e-6;
        worst = Math.max(worst, push);
        p[c] = [p[c][0] + nx * push, p[c][1] + ny * push];
        p[a] = [p[a][0] - (nx * push) / 2, p[a][1] - (ny * push) / 2];
        p[b] = [p[b][0] - (nx * push) / 2, p[b][1] - (ny * push) / 2];
      }
    }
    p = spread(p, 0.6);
    if (worst < 1e-3 * minDist) break;
  }
  return p;
}

function stressLayout(adj: Set<number>[]): Point[] {
  const start = pivotMds(adj);
  if (adj.length > STRESS_MAX) return start;
  return clearEdges(spread(majorise(adj, start), 0.6), adj, 0.3);
}

/** Scale and centre points so that the median edge length (or point spacing) is 1. */
function normalise(pos: Point[], edges: readonly Edge[]): Point[] {
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

/** Rotate so that the dominant edge directions (modulo 90°) are horizontal and vertical: lattices come out square. */
function alignToEdges(pos: Point[], edges: readonly Edge[]): Point[] {
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
  const out = pos.map(([x, y]): Point => [x * cr - y * sr, x * sr + y * cr]);
  // Wider than tall.
  const spanX = Math.max(...out.map((p) => p[0])) - Math.min(...out.map((p) => p[0]));
  const spanY = Math.max(...out.map((p) => p[1])) - Math.min(...out.map((p) => p[1]));
  return spanY > spanX * 1.05 ? out.map(([x, y]): Point => [-y, x]) : out;
}

/** Lay out each connected component on its own and pack them in rows, left to right. */
function packComponents(comps: number[][], edges: readonly Edge[]): Point[] {
  const pos: Point[] = [];
  const boxes = comps.map((members) => {
    const local = new Map(members.map((v, k) => [v, k]));
    const sub = edges
      .filter(([a, b]) => local.has(a) && local.has(b))
      .map(([a, b]): [number, number] => [local.get(a)!, local.get(b)!]);
    const p = networkLayout(members.length, sub);
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const [x, y] of p) {
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    return { members, p: p.map(([x, y]): Point => [x - x0, y - y1]), w: x1 - x0, h: y1 - y0 };
  });
  const gap = 1.5;
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

/**
 * Positions (y up) for `n` nodes joined by `edges`. Uses `given` when every node has a position; otherwise a line
 * (rows of at most CHAIN_ROW nodes) for a chain, a regular polygon for a ring, a radial tree for a tree with a hub
 * (a node of degree 5 or more), and stress majorisation from a pivot-MDS start for anything else (other trees,
 * lattices, general graphs), components packed side by side. Deterministic; edges of
 * the automatic layouts are about 1 long.
 */
export function networkLayout(n: number, edges: readonly Edge[], given?: readonly (Point | undefined)[]): Point[] {
  if (!Number.isInteger(n) || n < 0 || n > 100000) {
    throw new ModelError(`networkLayout: the number of nodes must be an integer in [0, 100000], got ${String(n)}`);
  }
  if (!Array.isArray(edges)) throw new ModelError("networkLayout: edges must be a list of [a, b] node pairs");
  edges.forEach((e, k) => {
    if (!Array.isArray(e) || e.length !== 2 || !e.every((v) => Number.isInteger(v))) {
      throw new ModelError(`networkLayout: edges[${k}] must be a pair of node numbers [a, b]`);
    }
  });
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
  if (m === n - 1 && degrees.every((d) => d <= 2)) return pathLayout(walk(adj, degrees.indexOf(1)));
  if (m === n && degrees.every((d) => d === 2)) return ringLayout(walk(adj, 0));
  if (m === n - 1 && Math.max(...degrees) >= 5) return radialTree(adj);
  return alignToEdges(normalise(stressLayout(adj), edges), edges);
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry (drawing units, any orientation)

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boxAround(cx: number, cy: number, w: number, h: number): Box {
  return { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
}

/** Distance from p to the segment a–b. */
export function pointSegmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

export function segmentSegmentDistance(a: Point, b: Point, c: Point, d: Point): number {
  if (segmentsCross(a, b, c, d)) return 0;
  return Math.min(
    pointSegmentDistance(a, c, d),
    pointSegmentDistance(b, c, d),
    pointSegmentDistance(c, a, b),
    pointSegmentDistance(d, a, b),
  );
}

export function pointBoxDistance(p: Point, b: Box): number {
  const dx = Math.max(b.x0 - p[0], 0, p[0] - b.x1);
  const dy = Math.max(b.y0 - p[1], 0, p[1] - b.y1);
  return Math.hypot(dx, dy);
}

export function segmentBoxDistance(a: Point, b: Point, box: Box): number {
  const inside = (p: Point) => p[0] >= box.x0 && p[0] <= box.x1 && p[1] >= box.y0 && p[1] <= box.y1;
  if (inside(a) || inside(b)) return 0;
  const corners: Point[] = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x1, box.y1],
    [box.x0, box.y1],
  ];
  let best = Infinity;
  for (let k = 0; k < 4; k++) best = Math.min(best, segmentSegmentDistance(a, b, corners[k], corners[(k + 1) % 4]));
  return best;
}

export function boxBoxDistance(p: Box, q: Box): number {
  const dx = Math.max(q.x0 - p.x1, 0, p.x0 - q.x1);
  const dy = Math.max(q.y0 - p.y1, 0, p.y0 - q.y1);
  return Math.hypot(dx, dy);
}

/** Point at t of the Bézier curve with control points `pts` (de Casteljau). */
export function bezierAt(pts: readonly Point[], t: number): Point {
  const p = pts.map((q): Point => [q[0], q[1]]);
  for (let r = p.length - 1; r > 0; r--) {
    for (let i = 0; i < r; i++) p[i] = [p[i][0] + t * (p[i + 1][0] - p[i][0]), p[i][1] + t * (p[i + 1][1] - p[i][1])];
  }
  return p[0];
}

/** The Bézier curve with control points `pts` as a polyline of `segments` pieces. */
export function bezierPolyline(pts: readonly Point[], segments = 24): Point[] {
  return Array.from({ length: segments + 1 }, (_, k) => bezierAt(pts, k / segments));
}

/** A drawn shape: a disc, a thick segment (a capsule) or a box. */
export type Shape =
  | { kind: "circle"; c: Point; r: number }
  | { kind: "segment"; a: Point; b: Point; r: number }
  | { kind: "box"; box: Box };

export function shapeBox(s: Shape): Box {
  if (s.kind === "box") return s.box;
  if (s.kind === "circle") return { x0: s.c[0] - s.r, y0: s.c[1] - s.r, x1: s.c[0] + s.r, y1: s.c[1] + s.r };
  return {
    x0: Math.min(s.a[0], s.b[0]) - s.r,
    y0: Math.min(s.a[1], s.b[1]) - s.r,
    x1: Math.max(s.a[0], s.b[0]) + s.r,
    y1: Math.max(s.a[1], s.b[1]) + s.r,
  };
}

/** Gap between two shapes (0 when they touch or overlap). */
export function shapeDistance(p: Shape, q: Shape): number {
  if (p.kind === "box" && q.kind !== "box") return shapeDistance(q, p);
  if (p.kind === "segment" && q.kind === "circle") return shapeDistance(q, p);
  let core: number;
  if (p.kind === "circle") {
    if (q.kind === "circle") core = Math.hypot(p.c[0] - q.c[0], p.c[1] - q.c[1]);
    else if (q.kind === "segment") core = pointSegmentDistance(p.c, q.a, q.b);
    else core = pointBoxDistance(p.c, q.box);
  } else if (p.kind === "segment") {
    if (q.kind === "segment") core = segmentSegmentDistance(p.a, p.b, q.a, q.b);
    else core = segmentBoxDistance(p.a, p.b, (q as { box: Box }).box);
  } else {
    core = boxBoxDistance(p.box, (q as { box: Box }).box);
  }
  const r = (p.kind === "box" ? 0 : p.r) + (q.kind === "box" ? 0 : q.r);
  return Math.max(0, core - r);
}

/** What occupies a place in the drawing, for collision checks. */
export type Layer = "node" | "spring" | "arrow" | "bath" | "label";

interface Item {
  shape: Shape;
  layer: Layer;
  owner: string;
}

/**
 * Everything drawn so far, on a uniform grid of cells for fast look-up. `free` tells whether a shape keeps a margin
 * from every item (optionally ignoring some layers or owners); `add` records a drawn shape; `bounds` is the box of all.
 */
export class Occupancy {
  private readonly cells = new Map<string, number[]>();
  private readonly items: Item[] = [];
  private stamp: Int32Array = new Int32Array(64);
  private visit = 0;

  constructor(private readonly cell = 48) {}

  private keys(b: Box): string[] {
    const out: string[] = [];
    const i0 = Math.floor(b.x0 / this.cell);
    const i1 = Math.floor(b.x1 / this.cell);
    const j0 = Math.floor(b.y0 / this.cell);
    const j1 = Math.floor(b.y1 / this.cell);
    for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) out.push(`${i},${j}`);
    return out;
  }

  add(shape: Shape, layer: Layer, owner = ""): void {
    const id = this.items.length;
    this.items.push({ shape, layer, owner });
    if (this.stamp.length <= id) {
      const s = new Int32Array(this.stamp.length * 2);
      s.set(this.stamp);
      this.stamp = s;
    }
    for (const k of this.keys(shapeBox(shape))) {
      const list = this.cells.get(k);
      if (list) list.push(id);
      else this.cells.set(k, [id]);
    }
  }

  /** Items within `margin` of `shape`, except those `skip` says to ignore. */
  hits(shape: Shape, margin: number, skip?: (layer: Layer, owner: string) => boolean): Item[] {
    const b = shapeBox(shape);
    const grown = { x0: b.x0 - margin, y0: b.y0 - margin, x1: b.x1 + margin, y1: b.y1 + margin };
    this.visit++;
    const out: Item[] = [];
    for (const k of this.keys(grown)) {
      for (const id of this.cells.get(k) ?? []) {
        if (this.stamp[id] === this.visit) continue;
        this.stamp[id] = this.visit;
        const it = this.items[id];
        if (skip?.(it.layer, it.owner)) continue;
        if (shapeDistance(shape, it.shape) < margin) out.push(it);
      }
    }
    return out;
  }

  free(shape: Shape, margin: number, skip?: (layer: Layer, owner: string) => boolean): boolean {
    return this.hits(shape, margin, skip).length === 0;
  }

  bounds(): Box {
    const b: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    for (const it of this.items) {
      const s = shapeBox(it.shape);
      b.x0 = Math.min(b.x0, s.x0);
      b.y0 = Math.min(b.y0, s.y0);
      b.x1 = Math.max(b.x1, s.x1);
      b.y1 = Math.max(b.y1, s.y1);
    }
    return b;
  }
}

/**
 * Routes each edge a–b (drawing units) so that it stays at least `clearance[k]` away from every other node: straight
 * when it already does, else a quadratic Bézier bent away from the nodes it would pass over, with the smallest bend
 * that clears them (the side away from them first), else a cubic one (an S or a deeper arc). When nothing clears
 * `clearance`, the first curve that clears `minimum` is taken, else the one keeping the largest distance (only nodes
 * almost on top of each other, as a given layout may have, force that). Returns the inner control points of each edge: [] straight, [c] quadratic,
 * [c1, c2] cubic.
 */
export function routeEdges(
  pos: readonly Point[],
  edges: readonly Edge[],
  clearance: readonly number[],
  minimum = 0,
): Point[][] {
  const grid = new Occupancy(64);
  pos.forEach((p, i) => grid.add({ kind: "circle", c: p, r: 0 }, "node", String(i)));
  const nearest = (pts: Point[], a: number, b: number, clear: number): number => {
    let best = Infinity;
    for (let k = 0; k + 1 < pts.length; k++) {
      const seg: Shape = { kind: "segment", a: pts[k], b: pts[k + 1], r: 0 };
      for (const it of grid.hits(seg, clear, (_l, o) => o === String(a) || o === String(b))) {
        best = Math.min(best, shapeDistance(seg, it.shape));
      }
    }
    return best;
  };
  return edges.map(([a, b], e) => {
    const pa = pos[a] as Point;
    const pb = pos[b] as Point;
    const clear = clearance[e];
    const len = Math.hypot(pb[0] - pa[0], pb[1] - pa[1]);
    if (a === b || len < 1e-9 || nearest([pa, pb], a, b, clear) >= clear) return [];
    // Side away from the offending nodes (weighted by how deep they are inside the clearance).
    const nx = -(pb[1] - pa[1]) / len;
    const ny = (pb[0] - pa[0]) / len;
    let side = 0;
    const seg: Shape = { kind: "segment", a: pa, b: pb, r: 0 };
    for (const it of grid.hits(seg, clear, (_l, o) => o === String(a) || o === String(b))) {
      const c = (it.shape as { c: Point }).c;
      const s = (c[0] - pa[0]) * nx + (c[1] - pa[1]) * ny;
      if (Math.abs(s) > 1e-9 * len) side -= Math.sign(s) * (clear - shapeDistance(seg, it.shape)); // on the chord: no side
    }
    const first = side > 1e-9 ? 1 : side < -1e-9 ? -1 : e % 2 === 0 ? 1 : -1; // no preference: alternate sides
    const at = (t: number, h: number): Point => [
      pa[0] + t * (pb[0] - pa[0]) + nx * h * len,
      pa[1] + t * (pb[1] - pa[1]) + ny * h * len,
    ];
    const candidates: Point[][] = [];
    // Quadratic: apex offset h·len, so the control point is 2h·len from the chord's middle.
    for (const h of [0.1, 0.16, 0.22, 0.3, 0.4, 0.5, 0.65, 0.8, 1])
      for (const sg of [first, -first]) candidates.push([at(0.5, 2 * sg * h)]);
    // Cubic: control points at a third and two thirds, offsets h1, h2 (S-curves when their signs differ).
    const hs = [0.15, 0.3, 0.5, 0.8];
    for (const h1 of hs)
      for (const h2 of hs)
        for (const s1 of [first, -first])
          for (const s2 of [s1, -s1]) candidates.push([at(1 / 3, 2 * s1 * h1), at(2 / 3, 2 * s2 * h2)]);
    let best: { inner: Point[]; d: number } = { inner: [], d: nearest([pa, pb], a, b, clear) };
    let fallback: Point[] | undefined;
    for (const inner of candidates) {
      const d = nearest(bezierPolyline([pa, ...inner, pb]), a, b, clear);
      if (d >= clear) return inner;
      if (d >= minimum && !fallback) fallback = inner;
      if (d > best.d) best = { inner, d };
    }
    return fallback ?? best.inner;
  });
}
