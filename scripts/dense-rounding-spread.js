// Measures the rounding error of the dense engine's heat flux on an ill-conditioned chain (the 330-site diatomic
// chain of test/exact/transmission.test.ts: masses 1 and 1.5, pinned 1 and 0.5 at its ends, damping 2 and 0.05,
// temperatures 2 and 1): the same chain with its sites listed in other orders (the same Lyapunov equation, its
// arithmetic in another order) against the pole path at tolerance 1e-13. With `--dump FILE` it also writes the
// covariance of the order as given (660 x 660 doubles, row-major, little-endian) for scripts/dense-flux-adjoint.py.
// Needs dist/ (`npm run build`).
//   node scripts/dense-rounding-spread.js [--dump FILE]      (about 15 CPU-seconds)
import { writeFileSync } from "node:fs";
import { solveNetwork, solveNetworkTransmission, validateNetwork } from "../dist/index.js";

const n = 330;
const labels = Array.from({ length: n }, (_, i) => String(i + 1));
const chain = (order) =>
  validateNetwork({
    kind: "network",
    sites: order,
    masses: Object.fromEntries(labels.map((s, i) => [s, i % 2 === 0 ? 1 : 1.5])),
    pinning: { 1: 1, [String(n)]: 0.5 },
    springs: labels.slice(1).map((s, i) => ({ between: [labels[i], s], stiffness: 1 })),
    baths: [
      { site: "1", friction: 2, temperature: 2 },
      { site: String(n), friction: 0.05, temperature: 1 },
    ],
  });

// a fixed linear congruential generator: the same shuffles every run
let state = 12345;
const uniform = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const shuffled = (a) => {
  const b = [...a];
  for (let i = b.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [b[i], b[j]] = [b[j], b[i]];
  }
  return b;
};
const orders = [
  ["as given", labels],
  ["reversed", [...labels].reverse()],
  ["odd sites first", [...labels.filter((_, i) => i % 2 === 0), ...labels.filter((_, i) => i % 2 === 1)]],
];
for (let k = 1; k <= 5; k++) orders.push([`shuffle ${k}`, shuffled(labels)]);

const ref = solveNetworkTransmission(chain(labels), { temperatures: false, bySource: false, tolerance: 1e-13 });
const J = ref.baths[0].flux;
console.log(`pole path (tolerance 1e-13): flux ${J}, reported error ${ref.baths[0].error.toExponential(2)}`);
const deviations = [];
for (const [name, order] of orders) {
  const d = solveNetwork(chain(order), { bySource: false });
  const rel = d.baths[0].flux / J - 1;
  deviations.push(rel);
  console.log(
    `${name.padEnd(16)} dense flux ${d.baths[0].flux}  relative to the pole path ${rel.toExponential(2)}  ` +
      `reported error ${d.baths[0].error.toExponential(2)}  condition ${d.condition.toExponential(2)}`,
  );
  const dump = process.argv.indexOf("--dump");
  if (dump >= 0 && name === "as given") writeFileSync(process.argv[dump + 1], d.covariance.data);
}
console.log(
  `spread: ${Math.min(...deviations).toExponential(2)} .. ${Math.max(...deviations).toExponential(2)} relative`,
);
