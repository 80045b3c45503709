// Library calls with bad arguments (test/corpus/README.md): each call, the NessError subclass it must throw and a
// fragment of its message. No raw TypeError/RangeError, no result.
import { describe, expect, it } from "vitest";
import { ModelError, NessError } from "../../src/errors.js";
import { validateNetwork } from "../../src/model/network.js";
import { validateParticles } from "../../src/model/particles.js";
import { simulateSync } from "../../src/stochastic/run.js";
import { SimulationError } from "../../src/stochastic/safety.js";

const network = validateNetwork({ kind: "network", sites: 1, pinning: 1, baths: [{ site: 1, friction: 1, temperature: 1 }] });
const pair = validateParticles({
  kind: "particles", dynamics: "overdamped", dimension: 1,
  species: [{ name: "hot", count: 1, temperature: 5 }, { name: "cold", count: 1, temperature: 1 }],
  pairs: [{ between: ["hot", "cold"], potential: "harmonic", stiffness: 1 }], external: [{ potential: "harmonic", stiffness: 1 }],
});

const cases: [string, () => unknown, new (...a: never[]) => NessError, string][] = [
  ["simulate: negative burn-in", () => simulateSync({ model: network, options: { dt: 0.01, time: 1, seed: 1, burnIn: -1 } }), ModelError, "burn-in must be a finite number >= 0"],
  ["simulate: burn-in as a string", () => simulateSync({ model: network, options: { dt: 0.01, time: 1, seed: 1, burnIn: "5" as unknown as number } }), ModelError, "burn-in must be a finite number >= 0"],
  ["simulate: burn-in of uncountable steps", () => simulateSync({ model: network, options: { dt: 0.01, time: 1, seed: 1, burnIn: 1e308 } }), ModelError, "more than can be counted"],
  ["simulate: a single batch value", () => simulateSync({ model: network, options: { dt: 0.01, time: 1, seed: 1, batches: 1 } }), ModelError, "at least 2 batch values"],
  ["simulate: harmonic pair beyond its whole-field limit", () => simulateSync({ model: pair, options: { dt: 0.99, time: 10, seed: 1 } }), SimulationError, "dt < 2/lambda = 0.667"],
];

describe("library calls with bad arguments", () => {
  for (const [name, call, kind, fragment] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        call();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(kind);
      expect(error).toBeInstanceOf(NessError);
      expect((error as Error).message).toContain(fragment);
    });
  }
});
