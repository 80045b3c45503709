// Library calls with bad arguments (transmission engine, harmonic-conduction study): each call, the NessError subclass it must throw and a fragment of the message.
import { describe, expect, it } from "vitest";
import { ModelError, NessError, SteadyStateError } from "../../src/errors.js";
import { solveNetworkModal } from "../../src/exact/modal.js";
import { SolveAbortedError } from "../../src/exact/solveControl.js";
import { estimateSolveCost } from "../../src/exact/solveCost.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import { validateNetwork } from "../../src/model/network.js";
import { validateParams as conductionParams } from "../../src/studies/harmonic-conduction/params.js";

const pair = (extra: object = {}) =>
  validateNetwork({
    kind: "network",
    sites: 2,
    pinning: 1,
    springs: [{ between: ["1", "2"], stiffness: 1 }],
    baths: [
      { site: "1", friction: 1, temperature: 1 },
      { site: "2", friction: 1, temperature: 2 },
    ],
    ...extra,
  });
const manyBaths = validateNetwork({
  kind: "network",
  dynamics: "overdamped",
  sites: 17,
  pinning: 1,
  springs: Array.from({ length: 16 }, (_, i) => ({
    between: [String(i + 1), String(i + 2)] as [string, string],
    stiffness: 1,
  })),
  baths: Array.from({ length: 17 }, (_, i) => ({ site: String(i + 1), friction: 1, temperature: 1 + i })),
});

const table: [string, () => unknown, abstract new (...args: never[]) => NessError, string][] = [
  [
    "transmission: quartic terms",
    () => solveNetworkTransmission(pair({ springs: [{ between: ["1", "2"], stiffness: 1, quartic: 1 }] })),
    SteadyStateError,
    "linear networks only",
  ],
  ["transmission: unconfined", () => solveNetworkTransmission(pair({ pinning: 0 })), SteadyStateError, "not confined"],
  [
    "transmission: spectrum of 17 baths",
    () => solveNetworkTransmission(manyBaths, { spectrum: true }),
    ModelError,
    "at most 16 baths",
  ],
  [
    "transmission: an AbortSignal aborted before the solve",
    () => solveNetworkTransmission(pair(), { signal: AbortSignal.abort() }),
    SolveAbortedError,
    "aborted (AbortSignal) before it started",
  ],
  [
    "transmission: maxSeconds -1",
    () => solveNetworkTransmission(pair(), { maxSeconds: -1 }),
    ModelError,
    "maxSeconds must be a finite number >= 0, got -1",
  ],
  [
    "transmission: stallEvaluations NaN",
    () => solveNetworkTransmission(pair(), { stallEvaluations: NaN }),
    ModelError,
    "stallEvaluations must be a finite number >= 0",
  ],
  [
    "estimateSolveCost: a particles model",
    () =>
      estimateSolveCost({ kind: "particles" } as unknown as Parameters<typeof estimateSolveCost>[0], "transmission"),
    ModelError,
    "estimateSolveCost: takes a network model; this is a particles model",
  ],
  [
    "transmission: tolerance 0",
    () => solveNetworkTransmission(pair(), { tolerance: 0 }),
    ModelError,
    "tolerance must be in (0, 1)",
  ],
  [
    "transmission: an ordered 100000-site chain (fluxes: every mode transmits)",
    () =>
      solveNetworkTransmission(
        validateNetwork({
          kind: "network",
          sites: 100000,
          pinning: { "1": 1, "100000": 1 },
          springs: Array.from({ length: 99999 }, (_, i) => ({
            between: [String(i + 1), String(i + 2)] as [string, string],
            stiffness: 1,
          })),
          baths: [
            { site: "1", friction: 1, temperature: 1 },
            { site: "100000", friction: 1, temperature: 2 },
          ],
        }),
      ),
    ModelError,
    "not localised enough to be left out",
  ],
  [
    "transmission: 30001 sites, not a two-terminal chain",
    () =>
      solveNetworkTransmission(
        validateNetwork({
          kind: "network",
          sites: 30001,
          pinning: 1,
          springs: Array.from({ length: 30000 }, (_, i) => ({
            between: [String(i + 1), String(i + 2)] as [string, string],
            stiffness: 1,
          })),
          baths: [
            { site: "1", friction: 1, temperature: 1 },
            { site: "15000", friction: 1, temperature: 1.5 },
            { site: "30001", friction: 1, temperature: 2 },
          ],
        }),
      ),
    ModelError,
    "would take hours",
  ],
  [
    "modal: bySource not a boolean",
    () => solveNetworkModal(pair(), { bySource: "yes" as unknown as boolean }),
    ModelError,
    "bySource must be true or false",
  ],
  [
    "modal: overdamped, unconfined",
    () => solveNetworkModal(manyBaths, {}) && solveNetworkModal({ ...manyBaths, pinning: new Float64Array(17) }),
    SteadyStateError,
    "not confined",
  ],
  [
    "harmonic-conduction: unknown parameter",
    () => conductionParams({ length: 3 }),
    ModelError,
    "unknown parameter 'length'",
  ],
  [
    "harmonic-conduction: equal temperatures",
    () => conductionParams({ TL: 1, TR: 1 }),
    ModelError,
    "TL and TR must differ",
  ],
  [
    "harmonic-conduction: non-integer samples",
    () => conductionParams({ samples: 2.5 }),
    ModelError,
    "must be an integer",
  ],
];

describe("library calls with bad arguments", () => {
  for (const [name, call, cls, fragment] of table) {
    it(name, () => {
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(cls);
      expect((caught as Error).message).toContain(fragment);
    });
  }
});
