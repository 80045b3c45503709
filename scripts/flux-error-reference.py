"""50-digit references of the heat fluxes of test/exact/flux-error.test.ts: the five-site chain (unit masses, pinning 1,
springs 1, baths at its ends) solved in mpmath from its Lyapunov equation A S + S A^T = D (Kronecker form on the upper
triangle, mpmath.lu_solve), the model's numbers (temperatures and frictions as the doubles they parse to) taken exactly.
With --rounded-diffusion, D = 2 gamma T is rounded to double first, as the engine builds it: the answer of that equation
is what the engine's arithmetic would give without further rounding, and differs from the model's (2e-9 relative for
temperatures 1 + 1e-8 and 1 at friction 1e-3).
    python3 scripts/flux-error-reference.py [--rounded-diffusion]      (a few CPU-seconds)
"""

import sys

from mpmath import lu_solve, matrix, mp, mpf

mp.dps = 50
ROUNDED = "--rounded-diffusion" in sys.argv


def fluxes(hot, cold, friction):
    n, N = 5, 10
    V = [[mpf(0)] * n for _ in range(n)]
    for i in range(n):
        V[i][i] = mpf(1)
    for i in range(n - 1):
        V[i][i] += 1
        V[i + 1][i + 1] += 1
        V[i][i + 1] -= 1
        V[i + 1][i] -= 1
    gamma, T = [mpf(0)] * n, [mpf(0)] * n
    gamma[0] = gamma[n - 1] = mpf(float(friction))
    T[0], T[n - 1] = mpf(float(hot)), mpf(float(cold))
    # the engine's sign convention: A = -(drift), A S + S A^T = D
    A = [[mpf(0)] * N for _ in range(N)]
    for i in range(n):
        A[i][n + i] = mpf(-1)
        for j in range(n):
            A[n + i][j] = V[i][j]
        A[n + i][n + i] = gamma[i]
    D = [[mpf(0)] * N for _ in range(N)]
    for i in range(n):
        D[n + i][n + i] = mpf(2.0 * float(gamma[i]) * float(T[i])) if ROUNDED else 2 * gamma[i] * T[i]
    index = {}
    for i in range(N):
        for j in range(i, N):
            index[(i, j)] = len(index)
    key = lambda i, j: index[(min(i, j), max(i, j))]
    K, b = matrix(len(index), len(index)), matrix(len(index), 1)
    for (i, j), r in index.items():
        for k in range(N):
            if A[i][k] != 0:
                K[r, key(k, j)] += A[i][k]
            if A[j][k] != 0:
                K[r, key(i, k)] += A[j][k]
        b[r] = D[i][j]
    x = lu_solve(K, b)
    S = lambda i, j: x[key(i, j)]
    springs = [S(i, n + i + 1) for i in range(n - 1)]  # k <q_i p_j> / m_j
    baths = [gamma[0] * (T[0] - S(n, n)), gamma[n - 1] * (T[n - 1] - S(N - 1, N - 1))]
    return springs, baths


for hot, cold, friction in [("1000.000000001", "1000", "1"), ("1.00000001", "1", "1e-3"), ("2", "1", "1")]:
    springs, baths = fluxes(hot, cold, friction)
    print(f"T {hot} and {cold}, friction {friction}:")
    print("  springs", " ".join(mp.nstr(s, 20) for s in springs))
    print("  baths  ", " ".join(mp.nstr(s, 20) for s in baths))
