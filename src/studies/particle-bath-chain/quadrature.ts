/**
 * Globally adaptive Gauss-Kronrod (7-15) quadrature over a list of finite panels, for integrands with sharp peaks at
 * known places (put the peaks on panel boundaries). The interval with the largest error estimate is bisected until
 * the summed error estimate is below tolerance; used for the frequency integral of the chain's transmission.
 */

// Gauss-Kronrod 7-15 nodes (positive half, the centre last) and weights (QUADPACK qk15).
const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
// Gauss 7-point weights for the nodes XGK[1], XGK[3], XGK[5], XGK[7].
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

interface Piece {
  a: number;
  b: number;
  value: number;
  error: number;
}

function gk15(f: (x: number) => number, a: number, b: number): Piece {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let resK = fc * WGK[7];
  let resG = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j];
    const s = f(c - dx) + f(c + dx);
    resK += WGK[j] * s;
    if (j % 2 === 1) resG += WG[(j - 1) / 2] * s;
  }
  const value = resK * h;
  const error = Math.abs((resK - resG) * h);
  return { a, b, value, error };
}

export interface QuadratureResult {
  value: number;
  /** Summed Gauss-Kronrod error estimates (conservative). */
  error: number;
  evaluations: number;
  converged: boolean;
}

export interface QuadratureOptions {
  /** Relative tolerance on the total (default 1e-12). */
  relTol?: number;
  /** Absolute tolerance (default 0). */
  absTol?: number;
  /** Maximum number of panels (default 200000). */
  maxPieces?: number;
}

/** Integral of f over the union of the panels [breaks[i], breaks[i+1]] (breaks ascending and finite). */
export function integratePanels(
  f: (x: number) => number,
  breaks: readonly number[],
  options: QuadratureOptions = {},
): QuadratureResult {
  const relTol = options.relTol ?? 1e-12;
  const absTol = options.absTol ?? 0;
  const maxPieces = options.maxPieces ?? 200_000;
  // Binary max-heap on error.
  const heap: Piece[] = [];
  const push = (p: Piece) => {
    heap.push(p);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].error >= heap[i].error) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  };
  const pop = (): Piece => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l].error > heap[m].error) m = l;
        if (r < heap.length && heap[r].error > heap[m].error) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  let value = 0;
  let error = 0;
  let evaluations = 0;
  for (let i = 0; i + 1 < breaks.length; i++) {
    if (!(breaks[i + 1] > breaks[i])) continue;
    const p = gk15(f, breaks[i], breaks[i + 1]);
    evaluations += 15;
    value += p.value;
    error += p.error;
    push(p);
  }
  let converged = true;
  while (error > Math.max(absTol, relTol * Math.abs(value))) {
    if (heap.length >= maxPieces) {
      converged = false;
      break;
    }
    const p = pop();
    const m = 0.5 * (p.a + p.b);
    if (!(m > p.a && m < p.b)) {
      // Cannot split further in floating point: keep it as it is.
      converged = false;
      break;
    }
    const l = gk15(f, p.a, m);
    const r = gk15(f, m, p.b);
    evaluations += 30;
    value += l.value + r.value - p.value;
    error += l.error + r.error - p.error;
    push(l);
    push(r);
  }
  // Re-sum to remove the drift of the running totals.
  value = 0;
  error = 0;
  const sorted = heap.slice().sort((x, y) => Math.abs(x.value) - Math.abs(y.value));
  for (const p of sorted) {
    value += p.value;
    error += p.error;
  }
  return { value, error, evaluations, converged };
}
