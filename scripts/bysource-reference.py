#!/usr/bin/env python3
"""
High-precision references for the fluxes split by source bath (test/exact/bysource-error.test.ts).

For each small network below, the stationary covariance of every bath alone (that bath at its temperature, every
other at zero) solves the Lyapunov equation A S + S A^T + D_c = 0 with the double-precision model's numbers taken
exactly (mpmath.mpf of each double), in 50 significant digits (Kronecker form, mpmath.lu_solve). The fluxes of each
part follow the conventions of src/exact/network.ts:
  underdamped: spring i -> j  k <q_i p_j> / m_j,       bath into b  (gamma_b / m_b) (T_b [b = c] - <p_b^2> / m_b)
  overdamped:  spring i -> j  -k (S V)_ij / gamma_j,   bath into b  (T_b [b = c] V_bb - (V S V)_bb) / gamma_b
Prints, per network, every spring's and bath's parts to 20 digits (JSON). Needs python3 with mpmath. Run:
  python3 scripts/bysource-reference.py
"""
import json
import mpmath as mp

mp.mp.dps = 50


def network(n, pinning, springs, baths, masses=None, dynamics="underdamped"):
    return {
        "n": n,
        "pinning": pinning if isinstance(pinning, list) else [pinning] * n,
        "springs": springs,  # (i, j, k)
        "baths": baths,  # (site, friction, temperature)
        "masses": masses or [1.0] * n,
        "dynamics": dynamics,
    }


def potential(net):
    n = net["n"]
    V = mp.zeros(n, n)
    for i in range(n):
        V[i, i] = mp.mpf(net["pinning"][i])
    for i, j, k in net["springs"]:
        k = mp.mpf(k)
        V[i, i] += k
        V[j, j] += k
        V[i, j] -= k
        V[j, i] -= k
    return V


def lyapunov(A, D):
    """S with A S + S A^T + D = 0 (S symmetric), by the Kronecker form."""
    N = A.rows
    K = mp.zeros(N * N, N * N)
    rhs = mp.zeros(N * N, 1)
    for i in range(N):
        for j in range(N):
            r = i * N + j
            rhs[r] = -D[i, j]
            for k in range(N):
                K[r, k * N + j] += A[i, k]
                K[r, i * N + k] += A[j, k]
    x = mp.lu_solve(K, rhs)
    S = mp.zeros(N, N)
    for i in range(N):
        for j in range(N):
            S[i, j] = x[i * N + j]
    return S


def parts(net):
    n = net["n"]
    V = potential(net)
    m = [mp.mpf(x) for x in net["masses"]]
    gamma = [mp.mpf(0)] * n
    for site, g, _ in net["baths"]:
        gamma[site] += mp.mpf(g)
    under = net["dynamics"] == "underdamped"
    if under:
        N = 2 * n
        A = mp.zeros(N, N)
        for i in range(n):
            A[i, n + i] = 1 / m[i]
            for j in range(n):
                A[n + i, j] = -V[i, j]
            A[n + i, n + i] = -gamma[i] / m[i]
    else:
        A = mp.zeros(n, n)
        for i in range(n):
            for j in range(n):
                A[i, j] = -V[i, j] / gamma[i]
    spring_parts = [[] for _ in net["springs"]]
    bath_parts = [[] for _ in net["baths"]]
    for c, (site_c, g_c, T_c) in enumerate(net["baths"]):
        g_c, T_c = mp.mpf(g_c), mp.mpf(T_c)
        D = mp.zeros(A.rows, A.rows)
        if under:
            D[n + site_c, n + site_c] = 2 * g_c * T_c
        else:
            D[site_c, site_c] = 2 * T_c / g_c * (g_c / gamma[site_c])  # 2 Gamma T / gamma^2 of this bath's share
        S = lyapunov(A, D)
        for q, (i, j, k) in enumerate(net["springs"]):
            k = mp.mpf(k)
            if under:
                spring_parts[q].append(k * S[i, n + j] / m[j])
            else:
                SV = sum(S[i, a] * V[a, j] for a in range(n))
                spring_parts[q].append(-k * SV / gamma[j])
        for r, (site, g, _) in enumerate(net["baths"]):
            g = mp.mpf(g)
            t = T_c if r == c else mp.mpf(0)
            if under:
                bath_parts[r].append(g / m[site] * (t - S[n + site, n + site] / m[site]))
            else:
                VSV = sum(V[site, a] * S[a, b] * V[b, site] for a in range(n) for b in range(n))
                bath_parts[r].append((t * V[site, site] - VSV) / g)
    fmt = lambda rows: [[mp.nstr(x, 20) for x in row] for row in rows]
    return {"springs": fmt(spring_parts), "baths": fmt(bath_parts)}


def ladder(cols, pinning, hot, cold, friction=1.0, masses=None, extra=None, rung=1.0):
    """2 x cols ladder: sites a_0..a_{cols-1} (0..cols-1), b_0.. (cols..2 cols-1); baths at a_0 (hot), b_last (cold)."""
    springs = []
    for x in range(cols - 1):
        springs.append((x, x + 1, 1.0))
        springs.append((cols + x, cols + x + 1, 1.0))
    for x in range(cols):
        springs.append((x, cols + x, rung))
    baths = [(0, friction, hot), (2 * cols - 1, friction, cold)] + (extra or [])
    return network(2 * cols, pinning, springs, baths, masses)


CASES = {
    # A chain (every spring a bridge) at T = 1000 with temperatures 1e-12 apart (relative).
    "chain-near-equal": network(
        5, 1.0, [(i, i + 1, 1.0) for i in range(4)], [(0, 1.0, 1000.000000001), (4, 1.0, 1000.0)]
    ),
    # Every spring on a cycle; bath temperatures 1e-12 apart (relative): the parts are ~1e12 times the net flux.
    # (Rungs of stiffness 2: with rungs 1 two modes are degenerate and one combination misses both baths.)
    "ladder-near-equal": ladder(3, 1.0, 1000.000000001, 1000.0, rung=2.0),
    # Three baths, unequal masses and frictions, temperatures far apart.
    "ladder-three-baths": ladder(3, 0.5, 2.0, 1.0, 0.7, [1.0, 2.0, 0.5, 1.5, 1.0, 3.0], [(2, 0.3, 1.5)]),
    # Equal temperatures: every net flux vanishes, each bath alone still drives one.
    "chain-equal": network(3, 1.0, [(0, 1, 1.0), (1, 2, 1.0)], [(0, 1.0, 1.0), (2, 1.0, 1.0)]),
    # Overdamped: a bath on every site (the modal method's overdamped path), a cycle (sites 0-1-2).
    "overdamped-four": network(
        4,
        [0.5, 1.0, 0.2, 0.8],
        [(0, 1, 1.0), (1, 2, 2.0), (2, 0, 0.5), (2, 3, 1.5)],
        [(0, 1.0, 2.0), (1, 0.5, 1.0), (2, 2.0, 1.5), (3, 1.0, 1.25)],
        dynamics="overdamped",
    ),
}

if __name__ == "__main__":
    print(json.dumps({name: parts(net) for name, net in CASES.items()}, indent=1))
