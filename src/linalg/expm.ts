/**
 * Matrix exponential by scaling and squaring with a degree-13 Pade approximant (Higham 2005, "The scaling and
 * squaring method for the matrix exponential revisited"): A is scaled by 2^-s so that ||A 2^-s||_1 <= 5.37, the
 * [13/13] Pade approximant r(A) = q(A)^-1 p(A) is formed with 6 matrix products and one LU solve, and squared s
 * times. Backward error below double precision unit roundoff for every matrix (in exact arithmetic).
 */
import { MatrixArgumentError } from "./errors.js";
import { matrix, type Matrix } from "./matrix.js";
import { checkDimension, checkFinite, checkSquare } from "./validate.js";

const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

function mul(n: number, a: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

function norm1(n: number, a: Float64Array): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    best = Math.max(best, s);
  }
  return best;
}

/** Solves Q X = P for X (n x n), Gaussian elimination with partial pivoting; Q and P are destroyed, X in P. */
function solveInPlace(n: number, q: Float64Array, p: Float64Array): void {
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(q[i * n + k]) > Math.abs(q[piv * n + k])) piv = i;
    if (q[piv * n + k] === 0) throw new MatrixArgumentError("expm: singular Pade denominator (non-finite input?)");
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        let t = q[k * n + j];
        q[k * n + j] = q[piv * n + j];
        q[piv * n + j] = t;
        t = p[k * n + j];
        p[k * n + j] = p[piv * n + j];
        p[piv * n + j] = t;
      }
    }
    const d = q[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = q[i * n + k] / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) q[i * n + j] -= f * q[k * n + j];
      for (let j = 0; j < n; j++) p[i * n + j] -= f * p[k * n + j];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const d = q[k * n + k];
    for (let j = 0; j < n; j++) {
      let s = p[k * n + j];
      for (let i = k + 1; i < n; i++) s -= q[k * n + i] * p[i * n + j];
      p[k * n + j] = s / d;
    }
  }
}

/** e^A for a square matrix A. */
export function expm(a: Matrix): Matrix {
  checkSquare(a, "expm");
  checkDimension(a.rows, "expm: the size", true);
  checkFinite(a, "expm");
  const n = a.rows;
  const nrm = norm1(n, a.data);
  const s = nrm > THETA13 ? Math.max(0, Math.ceil(Math.log2(nrm / THETA13))) : 0;
  const scale = 2 ** -s;
  const A = a.data.map((x) => x * scale);
  const A2 = mul(n, A, A, new Float64Array(n * n));
  const A4 = mul(n, A2, A2, new Float64Array(n * n));
  const A6 = mul(n, A4, A2, new Float64Array(n * n));
  const b = B13;
  const tmp = new Float64Array(n * n);
  const inner = new Float64Array(n * n);
  // U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
  for (let k = 0; k < n * n; k++) inner[k] = b[13] * A6[k] + b[11] * A4[k] + b[9] * A2[k];
  mul(n, A6, inner, tmp);
  for (let k = 0; k < n * n; k++) tmp[k] += b[7] * A6[k] + b[5] * A4[k] + b[3] * A2[k];
  for (let i = 0; i < n; i++) tmp[i * n + i] += b[1];
  const U = mul(n, A, tmp, new Float64Array(n * n));
  // V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
  for (let k = 0; k < n * n; k++) inner[k] = b[12] * A6[k] + b[10] * A4[k] + b[8] * A2[k];
  const V = mul(n, A6, inner, new Float64Array(n * n));
  for (let k = 0; k < n * n; k++) V[k] += b[6] * A6[k] + b[4] * A4[k] + b[2] * A2[k];
  for (let i = 0; i < n; i++) V[i * n + i] += b[0];
  const P = new Float64Array(n * n);
  const Q = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) {
    P[k] = V[k] + U[k];
    Q[k] = V[k] - U[k];
  }
  solveInPlace(n, Q, P);
  let R = P;
  let S = tmp;
  for (let k = 0; k < s; k++) {
    mul(n, R, R, S);
    const t = R;
    R = S;
    S = t;
  }
  let acc = 0;
  for (let k = 0; k < n * n; k++) acc += R[k] * 0;
  if (acc !== 0) {
    throw new MatrixArgumentError(`expm: e^A overflows (||A||_1 = ${nrm.toExponential(2).replace("e+", "e")})`);
  }
  return matrix(n, n, R === P ? P : Float64Array.from(R));
}
