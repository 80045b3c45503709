// Scalar helpers of the linear algebra's inner loops (src/linalg only; the WebAssembly twins are in asm/common.ts).

/** norm3 without the argument checks (the sweeps' inner loops, internal to src/linalg). */
export function hypot3(a: number, b: number, c: number): number {
  const s = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
  if (s > 1e150 || s < 1e-150) {
    if (s === 0 || s === Infinity || s !== s) return s;
    const x = a / s,
      y = b / s,
      z = c / s;
    return s * Math.sqrt(x * x + y * y + z * z);
  }
  return Math.sqrt(a * a + b * b + c * c);
}

/** The sign of x with -0 negative (LAPACK's SIGN(1, x)). */
export const signOf = (x: number): number => (x < 0 || (x === 0 && 1 / x < 0) ? -1 : 1);
