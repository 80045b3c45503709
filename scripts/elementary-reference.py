# 50-digit reference values for test/special/elementary.test.ts (exp, log, sin, cos, atan of src/special/elementary.ts):
# arguments drawn with a fixed seed over the ranges the tests cover, then the edge cases (subnormals, near 0, near
# overflow and underflow, log near 1 and at its reduction's interval ends, the doubles closest to multiples of pi/2 in
# every binade, large arguments up to the largest double; atan at the ends of its reduction's intervals, in x and
# 1/x); each function's value correctly rounded to a double by mpmath (sin and cos of large arguments with the working precision raised by the argument's number of digits), and
# the rounding error of that double in units of |value| 2^-52.
# Writes test/special/elementary-reference.json.
#   python3 scripts/elementary-reference.py
import json, random
import mpmath as mp

mp.mp.dps = 50
rng = random.Random(20261207)

def args(kind):
    xs = []
    if kind == "exp":
        xs += [rng.uniform(-1, 1) for _ in range(150)]
        xs += [rng.uniform(-745, 709.7) for _ in range(150)]
        xs += [rng.uniform(-1e-6, 1e-6) for _ in range(30)]
        xs += [-744.5, -720.3, -708.5, 709.5, 0.34657359027997264, -0.34657359027997264]
    elif kind == "log":
        xs += [rng.uniform(0.5, 2) for _ in range(150)]
        xs += [10 ** rng.uniform(-300, 300) for _ in range(150)]
        xs += [1 + rng.uniform(-1e-6, 1e-6) for _ in range(30)]
        xs += [5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308, 1.4142135623730951, 0.7071067811865476]
    elif kind == "atan":
        xs += [rng.uniform(-2, 2) for _ in range(200)]
        xs += [rng.choice((-1, 1)) * 10 ** rng.uniform(-20, 20) for _ in range(200)]
        xs += [rng.uniform(0, 1) * 2.0 ** rng.randint(-80, 80) for _ in range(100)]
    else:
        xs += [rng.uniform(-4, 4) for _ in range(150)]
        xs += [rng.uniform(-1e3, 1e3) for _ in range(100)]
        xs += [rng.uniform(-1.6e6, 1.6e6) for _ in range(80)]
        xs += [1e-9, -3e-12, 0.7853981633974483, 2.356194490192345, 3.141592653589793, 100.0]
    xs += edges(kind)
    return xs


def nearest_multiples(e, count):
    """The doubles in [2^e, 2^(e+1)) closest to multiples of pi/2 (best rational approximations m/n of
    pi/2 2^(52-e) with 2^52 <= m < 2^53: x = m 2^(e-52) = n pi/2 + tiny), and their neighbours."""
    with mp.workdps(60 + int(abs(e) * 0.31)):
        a = mp.pi / 2 * mp.mpf(2) ** (52 - e)
        p0, q0, p1, q1 = 0, 1, 1, 0
        found = []
        t = a
        for _ in range(200):
            c = int(mp.floor(t))
            p0, q0, p1, q1 = p1, q1, c * p1 + p0, c * q1 + q0
            if p1 >= 2**53:
                break
            if p1 >= 2**52:
                found.append(p1)
            if t == c:
                break
            t = 1 / (t - c)
        out = []
        for m in found[-count:]:
            for d in (-1, 0, 1):
                if 2**52 <= m + d < 2**53:
                    out.append(float(mp.ldexp(m + d, e - 52)))
        return out


def edges(kind):
    tiny = [5e-324, -5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 2**-60, -(2**-54), 2**-28, 1e-17]
    if kind == "exp":
        xs = tiny + [0.0, 709.782712893384, 709.7827128933839, 709.78, 709.0, 708.4, -708.3964185322641,
                     -708.4, -709.0, -720.0, -740.0, -745.0, -745.1332191019411, -745.1332191019412, -744.44007192138,
                     1e-10, -1e-10, 0.5, -0.5, 1.0, -1.0, 2.0, 10.0, -10.0, 100.0, -100.0]
        ln2 = mp.log(2)
        for k in (1, 3, 63, 64, 65, 127, 1000, -1, -64, -65, -1000, 6400, -6400, 65535, -68000):
            m = k * ln2 / 128  # the ends of the intervals of the reduction (and their neighbours)
            v = float(m)
            xs += [v, float(mp.mpf(v) * (1 + mp.mpf(2) ** -52)), float(mp.mpf(v) * (1 - mp.mpf(2) ** -52))]
        return [x for x in xs if -746 < x < 709.79]
    if kind == "log":
        xs = [x for x in tiny if x > 0] + [4.9e-322, 3e-320, 1.7976931348623157e308, 1e308, 2.0**1023, 2.0**-1022,
                                            0.5, 2.0, 4.0, 0.25, 8.0, 10.0, 0.1, 3.0]
        u = 2.0**-52
        xs += [1 + u, 1 - u / 2, 1 + 2 * u, 1 - u, 1 + 1e-15, 1 - 1e-15, 1 + 1e-10, 1 - 1e-10, 1 + 1e-3, 1 - 1e-3]
        xs += [0.9375, 0.9375 - u / 2, 0.9375 + u, 1.0625, 1.0625 - u, 1.0625 + 2 * u, 0.9, 1.1, 0.95, 1.05]
        for i in (1, 2, 7, 8, 63, 64, 100, 126, 127):
            c = 1 + i / 128  # the ends of the reduction's intervals, in several binades
            for sc in (1.0, 2.0**-700, 2.0**500, 0.5, 2.0):
                xs += [c * sc, (c - u) * sc]
        return xs
    if kind == "atan":
        u = 2.0**-52
        xs = tiny + [-x for x in tiny] + [7.450580596923828e-9, 7.450580596923827e-9, 7.45058059692383e-9, 1.0,
                                          1 - u / 2, 1 + u, -1.0, 2.0**60, 2.0**60 * (1 - u / 2), 2.0**60 * (1 + u),
                                          1e17, 1e19, 1e100, 1e300, 1.7976931348623157e308, 0.5, 2.0, 3.0, 10.0, 100.0]
        for k in range(65):
            # the ends of the reduction's intervals [k/64 - 1/128, k/64 + 1/128] (and their neighbours), in x and 1/x,
            # and the interval centres themselves
            for v in (k / 64 - 1 / 128, k / 64 + 1 / 128, k / 64):
                if 0 < v <= 1:
                    for w in (v, v * (1 - u), v * (1 + u)):
                        xs += [w, 1 / w, -w]
        return xs
    xs = tiny + [7.450580596923828e-9, 7.45058059692383e-9, 0.7853981633974482, 0.7853981633974484,
                 1647099.3291652855, 1647099.329165286, 1647099.3291652853, 1048576.0, 2.0**30, 1e7, 1e10, 1e15,
                 1e22, 2.0**52, 2.0**53 + 2, 1e100, 1e200, 1e300, 1.7976931348623157e308, -1.7976931348623157e308,
                 float(mp.ldexp(6381956970095103, 797)), float(mp.ldexp(5319372648326541, -50))]
    for e in range(0, 21):
        xs += nearest_multiples(e, 2)
    for e in (21, 25, 30, 40, 52, 53, 60, 100, 200, 300, 500, 700, 900, 1000, 1023):
        xs += nearest_multiples(e, 1)
    for n in (1, 2, 3, 4, 5, 10, 100, 1000, 100000, 1000000):
        v = float(n * mp.pi / 2)
        xs += [v, -v, float(mp.mpf(v) * (1 + mp.mpf(2) ** -52))]
    big = random.Random(20261208 + len(kind))  # its own stream: the draws above stay as they were
    xs += [big.uniform(-1, 1) * 10 ** big.uniform(6, 308) for _ in range(120)]
    return xs

fn = {"exp": mp.exp, "log": mp.log, "sin": mp.sin, "cos": mp.cos, "atan": mp.atan}
out = {}
for name, f in fn.items():
    rows = []
    for x in args(name):
        with mp.workdps(50 + max(0, mp.mpf(x).exp + mp.mpf(x).man.bit_length()) * 31 // 100 if x else 50):
            v = f(mp.mpf(x))
        w = float(v)
        # the rounding error of w in units of max(|w| 2^-52, 2^-1074) (the tests' unit), to measure errors against
        # the exact value rather than against w
        u = max(abs(mp.mpf(w)) * mp.mpf(2) ** -52, mp.mpf(2) ** -1074) if abs(w) != float("inf") else mp.mpf(1)
        rows.append([repr(x), repr(w), mp.nstr(v, 25), float((v - w) / u) if abs(w) != float("inf") else 0.0])
    out[name] = rows
with open("test/special/elementary-reference.json", "w") as fh:
    json.dump(out, fh, indent=0)
