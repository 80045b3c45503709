// Every exported function of the package's entry points ("ness", "ness/linalg", "ness/node"), called with bad
// arguments (null, undefined, {}, [], NaN, a string, alone or twice), throws a NessError (or rejects with one), never
// a TypeError from deep inside nor a meaningless number. A new export without a check at its boundary fails here;
// one that takes no arguments goes into NO_ARGUMENTS, one for which a listed value is valid into VALID.
import { describe, expect, it } from "vitest";
import { NessError } from "../src/errors.js";
import * as main from "../src/index.js";
import * as linalg from "../src/linalg/index.js";
import * as node from "../src/node.js";

const BAD: [string, unknown][] = [
  ["null", null],
  ["undefined", undefined],
  ["{}", {}],
  ["[]", []],
  ["NaN", NaN],
  ["a string", "x"],
];

/** Functions that take no arguments (they ignore what they are given). */
const NO_ARGUMENTS = new Set([
  "defaultSha256",
  "forceTermNames",
  "modelJsonSchemas",
  "linalgBackend",
  "linalgReady",
  "closeSplitThreads",
  "createDocument",
  "defaultWorkers",
  "nodeSha256",
]);

/** Values that are valid arguments of a function (a default, an empty input with a defined answer, a lookup). */
const VALID: Record<string, string[]> = {
  resolvedNormalZ: ["undefined"], // the default share
  concentrationWeights: ["[]"], // no labels: no weights
  modelFingerprint: ["{}"], // any JSON object has a fingerprint
  findStudy: ["a string"], // an unknown name: undefined
  fromRows: ["[]"], // the 0 x 0 matrix
};

const isClass = (f: unknown) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

const entries: [string, Record<string, unknown>][] = [
  ["ness", main],
  ["ness/linalg", linalg],
  ["ness/node", node],
];
const functions = entries.flatMap(([entry, m]) =>
  Object.entries(m)
    .filter(([, f]) => typeof f === "function" && !isClass(f))
    .map(([name, f]) => ({ entry, name, f: f as (...args: unknown[]) => unknown })),
);

/** What the call did: "NessError", or a description of anything else. */
async function outcome(f: (...args: unknown[]) => unknown, args: unknown[]): Promise<string> {
  try {
    const r = f(...args);
    if (r instanceof Promise) await r;
    return `returned ${typeof r === "number" ? r : typeof r}`;
  } catch (err) {
    return err instanceof NessError ? "NessError" : `threw ${(err as Error)?.name}: ${(err as Error)?.message}`;
  }
}

describe("the exported functions refuse bad arguments with a NessError", () => {
  it("finds the exports (a broken import would pass every check below)", () => {
    expect(functions.length).toBeGreaterThan(100);
    for (const name of NO_ARGUMENTS) expect(functions.find((x) => x.name === name)?.f.length, name).toBe(0);
  });

  it.each(functions.filter((x) => !NO_ARGUMENTS.has(x.name)).map((x) => [`${x.entry} ${x.name}`, x]))(
    "%s",
    async (_, { name, f }) => {
      const faults: string[] = [];
      for (const [label, value] of BAD) {
        if (VALID[name]?.includes(label)) continue;
        for (const args of [[value], [value, value]]) {
          const o = await outcome(f, args);
          if (o !== "NessError") faults.push(`${name}(${args.map(() => label).join(", ")}) ${o}`);
        }
      }
      expect(faults).toEqual([]);
    },
  );
});
