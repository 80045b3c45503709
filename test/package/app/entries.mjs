// Run in the folder where test/package/pack.test.ts installed the packed tarball: the entry points of the package.
const ness = await import("ness");
const linalg = await import("ness/linalg");
const node = await import("ness/node");
let internal = "importable";
try {
  await import("ness/dist/stochastic/kernels.js");
} catch (err) {
  internal = err.code;
}
console.log(
  JSON.stringify({
    ness: typeof ness.solveNetwork === "function" && typeof ness.simulate === "function",
    linalg: typeof linalg.solveLyapunov === "function",
    node: typeof node.workerRunner === "function" && typeof node.writeFigureFile === "function",
    internal,
  }),
);
