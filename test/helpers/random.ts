// Seeded pseudo-random numbers and random network models for tests.
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";

/** mulberry32: small, fast, seeded uniform generator on [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded uniform and standard-normal (Box-Muller) draws. */
export function normalRng(seed: number): { uniform: () => number; normal: () => number } {
  const uniform = rng(seed);
  const normal = () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}

/** A random connected, pinned network with baths on a random subset (at least two) of its sites. */
export function randomNetwork(
  seed: number,
  opts: { n?: number; dynamics?: "underdamped" | "overdamped"; equalT?: number } = {},
): NetworkModel {
  const r = rng(seed);
  const n = opts.n ?? 2 + Math.floor(r() * 7);
  const dynamics = opts.dynamics ?? "underdamped";
  const sites = Array.from({ length: n }, (_, k) => `s${k}`);
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (let k = 1; k < n; k++)
    springs.push({ between: [sites[Math.floor(r() * k)], sites[k]], stiffness: 0.2 + 3 * r() });
  for (let e = 0; e < n; e++) {
    const a = Math.floor(r() * n),
      b = Math.floor(r() * n);
    if (a === b || springs.some((s) => s.between.includes(sites[a]) && s.between.includes(sites[b]))) continue;
    springs.push({ between: [sites[a], sites[b]], stiffness: 0.2 + 3 * r() });
  }
  const pinning = Object.fromEntries(sites.map((s) => [s, 0.1 + 2 * r()]));
  const masses = Object.fromEntries(sites.map((s) => [s, 0.5 + 2 * r()]));
  const bathSites = dynamics === "overdamped" ? sites : sites.filter(() => r() < 0.6);
  if (bathSites.length < 2) bathSites.splice(0, bathSites.length, sites[0], sites[n - 1]);
  const baths = bathSites.map((s) => ({
    site: s,
    friction: 0.2 + 2 * r(),
    temperature: opts.equalT ?? 0.5 + 10 * r(),
  }));
  return validateNetwork({
    kind: "network",
    dynamics,
    sites,
    pinning,
    springs,
    baths,
    ...(dynamics === "underdamped" ? { masses } : {}),
  });
}
