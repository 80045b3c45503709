/** Network models shared by the exact engine's tests. */
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";

/**
 * A uniform chain of n unit masses pinned with `pin` everywhere, springs 1 except stiffness k on the first and last
 * bond, and baths (friction g, temperatures 2 and 1) at its ends: its lowest peaks are narrow and low while rounding
 * moves them by ~eps k (the frequency quadrature's rounding cases, issue 17).
 */
export function stiffEnded(n: number, pin: number, g: number, k: number): NetworkModel {
  return validateNetwork({
    kind: "network",
    sites: n,
    pinning: pin,
    springs: Array.from({ length: n - 1 }, (_, i) => ({
      between: [String(i + 1), String(i + 2)] as [string, string],
      stiffness: i === 0 || i === n - 2 ? k : 1,
    })),
    baths: [
      { site: "1", friction: g, temperature: 2 },
      { site: String(n), friction: g, temperature: 1 },
    ],
  });
}

/**
 * A diatomic chain of n sites (masses 1 and 1.5 alternating, springs 1), pinned by 1 at its first site and 0.5 at
 * its last, baths of friction g0 (temperature 2) and g1 (temperature 1) at its ends: ordered, so every mode is
 * extended and the dense engine solves it at 1000 sites (a disordered chain of that length has modes too weakly
 * damped for it).
 */
export function diatomicChain(n: number, g0: number, g1: number): NetworkModel {
  return validateNetwork({
    kind: "network",
    sites: n,
    masses: Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), i % 2 === 0 ? 1 : 1.5])),
    pinning: { "1": 1, [String(n)]: 0.5 },
    springs: Array.from({ length: n - 1 }, (_, i) => ({
      between: [String(i + 1), String(i + 2)] as [string, string],
      stiffness: 1,
    })),
    baths: [
      { site: "1", friction: g0, temperature: 2 },
      { site: String(n), friction: g1, temperature: 1 },
    ],
  });
}
