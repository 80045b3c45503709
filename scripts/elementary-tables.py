# Constants of src/special/elementary.ts, computed with mpmath at 60 digits: the tables of 2^(j/64) and of log(c) at
# the centres of the log reduction, the near-minimax polynomial coefficients (weighted least squares at Chebyshev
# points, rounded to doubles one by one; the script prints each polynomial's worst error on a dense grid), the parts
# of pi/2 and ln 2, the bits of 2/pi for the large-argument reduction, and the table of atan(k/64). Prints
# TypeScript; paste it over the generated block of elementary.ts.
#   python3 scripts/elementary-tables.py
import mpmath as mp

mp.mp.dps = 60


def rnd(v, bits=53):
    """v rounded to the nearest number with `bits` significant bits (a double for bits <= 53)."""
    if v == 0:
        return mp.mpf(0)
    e = int(mp.floor(mp.log(abs(v), 2)))
    q = mp.mpf(2) ** (e - bits + 1)
    return mp.nint(v / q) * q


def lit(v):
    return repr(float(v))


def fit(f, a, b, deg, name, scale):
    """A polynomial of degree deg close to f on [a, b], coefficients doubles; prints the worst error of the rounded
    polynomial times scale(t) (the error it makes in the final function)."""
    # Weighted least squares on 240 Chebyshev points (close to minimax), lowest coefficient first: each is rounded
    # to a double, then the higher ones are refitted to what the rounded ones leave.
    ts = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (i + mp.mpf(0.5)) / 240) for i in range(240)]
    fs = [f(t) for t in ts]
    c = []
    for k in range(deg + 1):
        M = mp.matrix(len(ts), deg - k + 1)
        y = mp.matrix(len(ts), 1)
        for i, t in enumerate(ts):
            w = scale(t)
            y[i] = (fs[i] - sum(v * t**m for m, v in enumerate(c))) * w
            for m in range(deg - k + 1):
                M[i, m] = t ** (k + m) * w
        q, _ = mp.qr_solve(M, y)
        c.append(mp.mpf(float(q[0])))
    worst = 0
    for i in range(2001):
        t = a + (b - a) * i / 2000
        p = mp.mpf(0)
        for v in reversed(c):
            p = p * t + v
        worst = max(worst, abs((p - f(t)) * scale(t)))
    print(f"// {name}: degree {deg}, worst error of the rounded polynomial (in the function) {mp.nstr(worst, 3)}")
    return c


out = []
# exp: x = k ln2 / 64 + r, |r| <= ln2 / 128 (a little more: k comes from a rounded product).
A = mp.log(2) / 128 * mp.mpf("1.002")
ce = fit(lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5), -A, A, 4, "exp: (e^r - 1 - r) / r^2",
         lambda r: r**2)
out.append("const EXP_C = [" + ", ".join(lit(v) for v in ce) + "]; // c2 ... c6")
tab = []
for j in range(64):
    v = mp.mpf(2) ** (mp.mpf(j) / 64)
    hi = rnd(v)
    tab += [hi, rnd(v - hi)]
out.append("const EXP_T = new Float64Array([" + ", ".join(lit(v) for v in tab) + "]); // 2^(j/64) = [2j] + [2j+1]")
ln2 = mp.log(2)
l2h = mp.floor(ln2 * 2**42) / 2**42
out.append(f"const LN2_HI = {lit(l2h)}; // ln 2 to 42 bits: k * LN2_HI exact for |k| < 2^11")
out.append(f"const LN2_LO = {lit(rnd(ln2 - l2h))};")
l64h = rnd(ln2 / 64, 32)
out.append(f"const LN2_64_HI = {lit(l64h)}; // ln 2 / 64 to 32 bits: k * LN2_64_HI exact for |k| < 2^21")
out.append(f"const LN2_64_LO = {lit(rnd(ln2 / 64 - l64h))};")
out.append(f"const INV_LN2_64 = {lit(rnd(64 / ln2))};")

# log: m in [1, 2) in 128 intervals [1 + i/128, 1 + (i+1)/128), centre c = 1 + (i + 1/2)/128, r = (m - c) / c.
B = mp.mpf(1) / 256 * mp.mpf("1.0001")
cl = fit(lambda r: (mp.log1p(r) - r) / r**2 if r != 0 else mp.mpf(-0.5), -B, B, 5, "log: (log(1 + r) - r) / r^2",
         lambda r: r**2)
out.append("const LOG_C = [" + ", ".join(lit(v) for v in cl) + "]; // c2 ... c7")
tab = []
for i in range(128):
    c = 1 + (mp.mpf(i) + mp.mpf(0.5)) / 128
    lc = mp.log(c)
    hi = mp.nint(lc * 2**42) / 2**42
    tab += [rnd(1 / c), hi, rnd(lc - hi)]
out.append("const LOG_T = new Float64Array([" + ", ".join(lit(v) for v in tab) + "]); // 1/c, log c hi (42 bits), lo")

# sin and cos on |r| <= pi/4 (a little more: the reduced argument carries a tail).
Z = (mp.pi / 4) ** 2 * mp.mpf("1.001")
cs = fit(lambda z: (mp.sin(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z != 0 else mp.mpf(-1) / 6, mp.mpf(0), Z, 6,
         "sin: (sin(r)/r - 1) / r^2 in z = r^2", lambda z: z)
out.append("const SIN_C = [" + ", ".join(lit(v) for v in cs) + "]; // r^3 ... r^15")
cc = fit(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2 if z != 0 else mp.mpf(1) / 24, mp.mpf(0), Z, 6,
         "cos: (cos(r) - 1 + r^2/2) / r^4 in z = r^2", lambda z: z**2)
out.append("const COS_C = [" + ", ".join(lit(v) for v in cc) + "]; // r^4 ... r^16")

h = mp.pi / 2
p1 = rnd(h, 33)
p2 = rnd(h - p1, 33)
p3 = rnd(h - p1 - p2, 33)
p3t = rnd(h - p1 - p2 - p3)
out.append(f"const PIO2_1 = {lit(p1)}; // pi/2 = PIO2_1 + PIO2_2 + PIO2_3 + PIO2_3T, the first three of 33 bits")
out.append(f"const PIO2_1T = {lit(rnd(h - p1))}; // pi/2 - PIO2_1 to 53 bits")
out.append(f"const PIO2_2 = {lit(p2)};")
out.append(f"const PIO2_3 = {lit(p3)};")
out.append(f"const PIO2_3T = {lit(p3t)};")
ph = rnd(h)
out.append(f"const PIO2_H = {lit(ph)}; // pi/2 = PIO2_H + PIO2_L to 106 bits")
out.append(f"const PIO2_L = {lit(rnd(h - ph))};")
out.append(f"const TWO_OVER_PI = {lit(rnd(2 / mp.pi))};")
mp.mp.dps = 500
g = mp.floor((2 / mp.pi) * mp.mpf(2) ** (24 * 60))
words = []
for j in range(60):
    words.append(int(g % (1 << 24)))
    g = mp.floor(g / (1 << 24))
words.reverse()
out.append("// 2/pi in 24-bit words: 2/pi = sum of W[j] 2^(-24 (j + 1))")
out.append("const TWO_OVER_PI_24 = new Float64Array([" + ", ".join(str(w) for w in words) + "]);")
mp.mp.dps = 60
# atan: y in [0, 1] as c = k/64 plus a remainder, atan(y) = atan(c) + atan(t), t = (y - c) / (1 + y c), |t| <= 1/128
# (a little more: y carries a tail when it is 1/x).
T2 = (mp.mpf(1) / 128) ** 2 * mp.mpf("1.001")
ca = fit(lambda z: (mp.atan(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z != 0 else mp.mpf(-1) / 3, mp.mpf(0), T2, 3,
         "atan: (atan(t)/t - 1) / t^2 in z = t^2", lambda z: z)
out.append("const ATAN_C = [" + ", ".join(lit(v) for v in ca) + "]; // t^3 ... t^9")
tab = []
for k in range(65):
    v = mp.atan(mp.mpf(k) / 64)
    hi = rnd(v)
    tab += [hi, rnd(v - hi)]
out.append("const ATAN_T = new Float64Array([" + ", ".join(lit(v) for v in tab) + "]); // atan(k/64) = [2k] + [2k+1]")
print("\n".join(out))
