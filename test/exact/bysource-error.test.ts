/**
 * Errors of the fluxes split by source bath on the frequency-domain paths (transmission and modal). Each part is
 * the flux with one bath at its temperature and every other at zero: at nearly equal temperatures the parts are
 * ~Tmax / spread times the net flux, so the net flux's error says nothing about them; each flux reports
 * `fluxBySourceError`, one error covering each of its parts. References: the Lyapunov equation of every bath alone
 * in 50 digits (scripts/bysource-reference.py, mpmath), 20 digits kept here.
 */
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/index.js";
import { solveNetworkModal } from "../../src/exact/modal.js";
import { solveNetworkTransmission } from "../../src/exact/transmission.js";
import type { NetworkModel } from "../../src/model/networkModel.js";

const REFERENCES: Record<string, { springs: string[][]; baths: string[][] }> = {
  "chain-near-equal": {
    springs: [
      ["125.73099415217251329", "-125.73099415204678363"],
      ["125.73099415217251329", "-125.73099415204678363"],
      ["125.73099415217251329", "-125.73099415204678363"],
      ["125.73099415217251329", "-125.73099415204678363"],
    ],
    baths: [
      ["125.73099415217251329", "-125.73099415204678363"],
      ["-125.73099415217251329", "125.73099415204678363"],
    ],
  },
  "ladder-near-equal": {
    springs: [
      ["72.587382541864237037", "-72.587382541791650422"],
      ["158.70881503480937588", "-158.70881503465066875"],
      ["158.70881503480937588", "-158.70881503465066875"],
      ["72.587382541864237037", "-72.587382541791650422"],
      ["158.70881503480937588", "-158.70881503465066875"],
      ["-86.121432492945138846", "86.121432492859018324"],
      ["158.70881503480937588", "-158.70881503465066875"],
    ],
    baths: [
      ["231.29619757667361292", "-231.29619757644231917"],
      ["-231.29619757667361292", "231.29619757644231917"],
    ],
  },
  "ladder-three-baths": {
    springs: [
      ["0.10556322533288717488", "-0.042254237814361030216", "-0.015791062278123835834"],
      ["0.08182543075651799555", "-0.027664143946208096805", "-0.019872857148076351455"],
      ["0.084113505243145910973", "-0.021584384561555337338", "-0.030708552090026427222"],
      ["0.10327515084625925945", "-0.048333997199013789682", "-0.0049553673361737600671"],
      ["0.08182543075651799555", "-0.027664143946208096805", "-0.019872857148076351455"],
      ["0.021449720089741263904", "-0.020669853252805692877", "0.014917489811902591388"],
      ["0.036561612674878994587", "-0.048362773070451061804", "0.045122950099517346766"],
    ],
    baths: [
      ["0.18738865608940517043", "-0.069918381760569127021", "-0.035663919426200187289"],
      ["-0.13983676352113825404", "0.096696770269464851486", "-0.040167582763343586699"],
      ["-0.047551892568266916385", "-0.026778388508895724466", "0.075831502189543773988"],
    ],
  },
  "overdamped-four": {
    springs: [
      ["0.50817643936986624352", "-0.21000250255986805606", "-0.059846809833323747956", "-0.0052348048785615421633"],
      ["0.088911861032703000093", "0.41194693091588814136", "-0.65915203630698978194", "-0.021210213201141400141"],
      ["-0.13799904486960477315", "-0.0003702133912864343454", "0.09540701342624811563", "0.0072063252607375964585"],
      ["0.019905808222878621795", "0.012780326658063886382", "0.39873631698602688063", "-0.36069680261690139712"],
    ],
    baths: [
      ["0.64617548423947101667", "-0.20963228916858162171", "-0.15525382325957186359", "-0.012441130139299138622"],
      ["-0.41926457833716324342", "0.62194943347575619742", "-0.59930522647366603398", "-0.015975408322579857977"],
      ["-0.20700509767942915145", "-0.39953681764911068932", "1.1532953667192647782", "-0.33228026415502240052"],
      ["-0.019905808222878621795", "-0.012780326658063886382", "-0.39873631698602688063", "0.36069680261690139712"],
    ],
  },
  "chain-equal": {
    springs: [
      ["0.13636363636363636364", "-0.13636363636363636364"],
      ["0.13636363636363636364", "-0.13636363636363636364"],
    ],
    baths: [
      ["0.13636363636363636364", "-0.13636363636363636364"],
      ["-0.13636363636363636364", "0.13636363636363636364"],
    ],
  },
};

const chain = (hot: string, cold: string) =>
  loadModel(`
kind: network
sites: [s0, s1, s2, s3, s4]
pinning: 1
springs: [{between: [s0, s1], stiffness: 1}, {between: [s1, s2], stiffness: 1}, {between: [s2, s3], stiffness: 1}, {between: [s3, s4], stiffness: 1}]
baths: [{site: s0, friction: 1, temperature: ${hot}}, {site: s4, friction: 1, temperature: ${cold}}]
`) as NetworkModel;

/** 2 x 3 ladder (every spring on a cycle), baths at a0 and b2 (and a third at a2). */
const ladder = (o: { pinning: string; hot: string; cold: string; friction: string; rung: string; more?: string }) =>
  loadModel(`
kind: network
sites: [a0, a1, a2, b0, b1, b2]
${o.more ? "masses: {a0: 1, a1: 2, a2: 0.5, b0: 1.5, b1: 1, b2: 3}" : ""}
pinning: ${o.pinning}
springs: [{between: [a0, a1], stiffness: 1}, {between: [b0, b1], stiffness: 1}, {between: [a1, a2], stiffness: 1}, {between: [b1, b2], stiffness: 1}, {between: [a0, b0], stiffness: ${o.rung}}, {between: [a1, b1], stiffness: ${o.rung}}, {between: [a2, b2], stiffness: ${o.rung}}]
baths: [{site: a0, friction: ${o.friction}, temperature: ${o.hot}}, {site: b2, friction: ${o.friction}, temperature: ${o.cold}}${o.more ?? ""}]
`) as NetworkModel;

const MODELS: Record<string, () => NetworkModel> = {
  "chain-near-equal": () => chain("1000.000000001", "1000"),
  "ladder-near-equal": () => ladder({ pinning: "1", hot: "1000.000000001", cold: "1000", friction: "1", rung: "2" }),
  "ladder-three-baths": () =>
    ladder({
      pinning: "0.5",
      hot: "2",
      cold: "1",
      friction: "0.7",
      rung: "1",
      more: ", {site: a2, friction: 0.3, temperature: 1.5}",
    }),
  "overdamped-four": () =>
    loadModel(`
kind: network
dynamics: overdamped
sites: [s0, s1, s2, s3]
pinning: {s0: 0.5, s1: 1, s2: 0.2, s3: 0.8}
springs: [{between: [s0, s1], stiffness: 1}, {between: [s1, s2], stiffness: 2}, {between: [s2, s0], stiffness: 0.5}, {between: [s2, s3], stiffness: 1.5}]
baths: [{site: s0, friction: 1, temperature: 2}, {site: s1, friction: 0.5, temperature: 1}, {site: s2, friction: 2, temperature: 1.5}, {site: s3, friction: 1, temperature: 1.25}]
`) as NetworkModel,
  "chain-equal": () =>
    loadModel(`
kind: network
sites: [s0, s1, s2]
pinning: 1
springs: [{between: [s0, s1], stiffness: 1}, {between: [s1, s2], stiffness: 1}]
baths: [{site: s0, friction: 1, temperature: 1}, {site: s2, friction: 1, temperature: 1}]
`) as NetworkModel,
};

interface Flux {
  fluxBySource?: number[];
  fluxBySourceError?: number;
}

/** Every part within its flux's reported error, and that error well below the part (an error bar, not a shrug). */
function checkParts(name: string, ss: { springs: Flux[]; baths: Flux[] }, finest: number): void {
  const ref = REFERENCES[name];
  const rows = [
    ...ss.springs.map((s, q) => [s, ref.springs[q]] as const),
    ...ss.baths.map((b, r) => [b, ref.baths[r]] as const),
  ];
  expect(rows.length).toBe(ref.springs.length + ref.baths.length);
  for (const [f, digits] of rows) {
    expect(f.fluxBySource).toHaveLength(digits.length);
    expect(f.fluxBySourceError).toBeGreaterThanOrEqual(0);
    f.fluxBySource!.forEach((x, c) => {
      const exact = Number(digits[c]);
      expect(Math.abs(x - exact)).toBeLessThanOrEqual(f.fluxBySourceError!);
      expect(f.fluxBySourceError!).toBeLessThan(finest * Math.abs(exact));
    });
  }
}

describe("transmission: fluxes by source carry their own errors", () => {
  const cache = new Map<string, ReturnType<typeof solveNetworkTransmission>>();
  const solved = (name: string) => {
    if (!cache.has(name)) cache.set(name, solveNetworkTransmission(MODELS[name](), {}));
    return cache.get(name)!;
  };
  it.each(["chain-near-equal", "ladder-near-equal", "ladder-three-baths", "overdamped-four"])(
    "%s: every part within its error, and the error small",
    (name) => {
      const ss = solved(name);
      checkParts(name, ss, 1e-9);
    },
  );

  it("temperatures 1e-12 apart: the stall warning gives the parts' own error, which covers them (quadratureError does not)", () => {
    const ss = solved("ladder-near-equal");
    const m = /fluxes by source carry their own errors \(fluxBySourceError\), up to (\S+) of the largest part/.exec(
      ss.warnings.join("\n"),
    );
    expect(m).not.toBeNull();
    const ref = REFERENCES["ladder-near-equal"];
    const exact = [...ref.springs, ...ref.baths].map((row) => row.map(Number));
    const parts = [...ss.springs, ...ss.baths].map((f) => f.fluxBySource!);
    let largest = 0;
    let worst = 0;
    parts.forEach((row, k) =>
      row.forEach((x, c) => {
        largest = Math.max(largest, Math.abs(x));
        worst = Math.max(worst, Math.abs(x - exact[k][c]));
      }),
    );
    const net = Math.max(...ss.baths.map((b) => Math.abs(b.flux)));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(Number(m![1]) * largest);
    expect(worst).toBeGreaterThan(ss.quadratureError * net); // the net flux's scale: ~1e12 times smaller
  });

  it("equal temperatures: the parts (which do not vanish) are left out with a note, not reported as zeros", () => {
    const ss = solveNetworkTransmission(MODELS["chain-equal"](), {});
    for (const f of [...ss.springs, ...ss.baths]) {
      expect(f.flux).toBe(0);
      expect(f.fluxBySource).toBeUndefined();
    }
    expect(ss.notes.join("\n")).toMatch(/fluxes by source bath not computed/);
  });
});

describe("modal: fluxes by source carry their own errors", () => {
  it.each(["chain-near-equal", "ladder-near-equal", "ladder-three-baths", "overdamped-four", "chain-equal"])(
    "%s: every part within its error, and the error small",
    (name) => {
      const ss = solveNetworkModal(MODELS[name](), { bySource: true });
      checkParts(name, ss, 1e-9);
    },
  );
});
