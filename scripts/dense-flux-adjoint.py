"""The first-order error of the dense engine's heat flux from its residual, through the adjoint Lyapunov equation.

For the covariance S computed for A S + S A^T + D = 0 (A the drift, D the diffusion), R = A S + S A^T + D (here in
extended precision) gives the exact error S_true - S = L^-1(-R), L(X) = A X + X A^T, and the error of a flux J = <C, S>
is <C, L^-1(-R)> = <Y, -R> with L*(Y) = A^T Y + Y A = C: an estimate of the actual error, and |<Y, R>| <= ||Y||_F ||R||_F
a bound. The chain: scripts/dense-rounding-spread.js (its covariance written with --dump FILE).
    python3 scripts/dense-flux-adjoint.py FILE
"""

import sys

import numpy as np
import scipy.linalg as sl

n = 330
N = 2 * n
m = np.array([1.0 if i % 2 == 0 else 1.5 for i in range(n)])
V = np.zeros((n, n))
for i in range(n - 1):
    V[i, i] += 1
    V[i + 1, i + 1] += 1
    V[i, i + 1] -= 1
    V[i + 1, i] -= 1
V[0, 0] += 1
V[n - 1, n - 1] += 0.5
gamma = np.zeros(n)
gamma[0], gamma[n - 1] = 2, 0.05
T = np.zeros(n)
T[0], T[n - 1] = 2, 1
# state (q, p): dq = p/m dt, dp = (-V q - gamma p/m) dt + noise of variance 2 gamma T
A = np.zeros((N, N))
A[:n, n:] = np.diag(1 / m)
A[n:, :n] = -V
A[n:, n:] = -np.diag(gamma / m)
D = np.zeros((N, N))
D[n:, n:] = np.diag(2 * gamma * T)

S = np.fromfile(sys.argv[1], dtype="<f8").reshape(N, N)
J = (gamma[0] / m[0]) * (T[0] - S[n, n] / m[0])  # the flux from the hot bath into the chain
Al, Sl = A.astype(np.longdouble), S.astype(np.longdouble)
R = np.array(Al @ Sl + Sl @ Al.T + D.astype(np.longdouble), dtype=np.float64)
C = np.zeros((N, N))
C[n, n] = -gamma[0] / m[0] ** 2  # dJ/dS
Y = sl.solve_continuous_lyapunov(A.T, C)  # A^T Y + Y A = C
estimate = -np.sum(Y * R)
bound = np.linalg.norm(Y) * np.linalg.norm(R)
print(f"dense flux {float(J)!r}")
print(f"||R||_F {np.linalg.norm(R):.3e} (relative {np.linalg.norm(R) / (2 * np.linalg.norm(A) * np.linalg.norm(S)):.3e})")
print(f"first-order error <Y, -R>: {estimate:.3e} ({estimate / J:.3e} relative); corrected flux {float(J + estimate)!r}")
print(f"bound ||Y||_F ||R||_F: {bound:.3e} ({bound / J:.3e} relative)")
