# 50-digit reference values for test/special/elementary.test.ts (exp, log, sin, cos of src/special/elementary.ts):
# arguments drawn with a fixed seed over the ranges the tests cover, each function's value correctly rounded to a
# double by mpmath. Writes test/special/elementary-reference.json.
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
    else:
        xs += [rng.uniform(-4, 4) for _ in range(150)]
        xs += [rng.uniform(-1e3, 1e3) for _ in range(100)]
        xs += [rng.uniform(-1.6e6, 1.6e6) for _ in range(80)]
        xs += [1e-9, -3e-12, 0.7853981633974483, 2.356194490192345, 3.141592653589793, 100.0]
    return xs

fn = {"exp": mp.exp, "log": mp.log, "sin": mp.sin, "cos": mp.cos}
out = {}
for name, f in fn.items():
    rows = []
    for x in args(name):
        v = f(mp.mpf(x))
        rows.append([repr(x), repr(float(v)), mp.nstr(v, 25)])
    out[name] = rows
with open("test/special/elementary-reference.json", "w") as fh:
    json.dump(out, fh, indent=0)
