// The commands whose JSON output is kept as a golden file (test/golden/data/NAME.json): every exact number the
// project prints must stay within round-off across refactors, every simulated estimate within its error bars.
const ex = (p: string) => new URL(`../../examples/${p}`, import.meta.url).pathname;
/** Small models kept for the goldens only (test/golden/models). */
const own = (p: string) => new URL(`./models/${p}`, import.meta.url).pathname;

export const goldenCommands: Record<string, string[]> = {
  "solve-example1-chain": ["solve", ex("networks/example1-chain.yaml"), "--json"],
  "solve-example2-circulation": ["solve", ex("networks/example2-circulation.yaml"), "--json"],
  "solve-example3-triangle": ["solve", ex("networks/example3-thermalized-triangle.yaml"), "--json"],
  "solve-example4-heat-pump": ["solve", ex("networks/example4-heat-pump.yaml"), "--json"],
  "solve-example2-transmission": ["solve", ex("networks/example2-circulation.yaml"), "--method", "transmission", "--json"],
  "study-variance-resonance": ["study", "variance-resonance", "--json"],
  "study-variance-resonance-sweep": ["study", "variance-resonance", "--k", "0.9:1.1:5", "--json"],
  "study-variance-resonance-mechanical": [
    "study", "variance-resonance", "--m", "1", "--k1", "2", "--k2", "2.1", "--K", "0.01", "--gamma", "0.001", "--T1", "1", "--T2", "3", "--json",
  ],
  "study-energy-correlations-ideal-gas": ["study", "energy-correlations", "--model", "ideal-gas", "--json"],
  "study-energy-correlations-ssep": ["study", "energy-correlations", "--model", "ssep", "--M", "4", "--json"],
  "study-energy-correlations-fermi": ["study", "energy-correlations", "--model", "fermi", "--json"],
  "study-energy-correlations-blackbody": ["study", "energy-correlations", "--model", "blackbody", "--json"],
  "study-energy-correlations-simulate": [
    "study", "energy-correlations", "--model", "ideal-gas", "--simulate", "--replicas", "8", "--time", "200", "--seed", "3", "--json",
  ],
  "study-particle-bath-chain": ["study", "particle-bath-chain", "--json"],
  "study-two-temperature": ["study", "two-temperature", "--json"],
  "study-two-temperature-simulate": ["study", "two-temperature", "--simulate", "--time", "40", "--replicas", "4", "--seed", "2", "--json"],
  "study-two-temperature-run-and-chase": ["study", "two-temperature", "run-and-chase", "--json"],
  "study-harmonic-conduction": ["study", "harmonic-conduction", "--n-min", "8", "--n-max", "32", "--samples", "2", "--json"],
  "simulate-example1-chain": ["simulate", ex("networks/example1-chain.yaml"), "--time", "100", "--dt", "0.01", "--seed", "1", "--replicas", "4", "--workers", "1", "--json"],
  "simulate-harmonic-pair": ["simulate", ex("particles/harmonic-pair.yaml"), "--time", "40", "--dt", "0.01", "--seed", "1", "--replicas", "4", "--workers", "1", "--json"],
  // 2D soft disks on the cell-order neighbour list (60 disks, a box of 8): the many-body path of the force field,
  // pair-heat accounting and cell grid (about 0.3 s of CPU).
  "simulate-soft-disks-2d": ["simulate", own("soft-disks-2d.yaml"), "--time", "5", "--dt", "0.002", "--seed", "1", "--replicas", "2", "--workers", "1", "--json"],
  "simulate-ratchet": ["simulate", ex("particles/ratchet.yaml"), "--time", "4", "--dt", "0.0005", "--seed", "1", "--workers", "1", "--json"],
};
