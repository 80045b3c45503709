// Helpers shared by the kernels of asm/ (imported by each file; @inline functions are inlined where used).
// Conventions as in asm/linalg.ts: a matrix argument is a byte address, element i of an array at p is at p + 8 i.

@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}
/** The sign of x with -0 negative (LAPACK's SIGN(1, x)). */
@inline export function signOf(x: f64): f64 {
  return x < 0 || (x == 0 && 1 / x < 0) ? -1.0 : 1.0;
}

/** sqrt(a^2 + b^2 + c^2) without overflow or underflow. */
export function norm3(a: f64, b: f64, c: f64): f64 {
  const s = max(max(abs(a), abs(b)), abs(c));
  if (s > 1e150 || s < 1e-150) {
    if (s == 0 || s == Infinity || s != s) return s;
    const x = a / s, y = b / s, z = c / s;
    return s * sqrt(x * x + y * y + z * z);
  }
  return sqrt(a * a + b * b + c * c);
}
