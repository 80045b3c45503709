// Figures written by the CLI record where they came from, as the CSV and JSON outputs do: the ness version, the
// command, the parameters and the random seed, in an SVG's <metadata> and in a PNG's text chunks.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";
import { decodePng, pngTextChunks } from "../io/png.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-figprov-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const study = ["study", "two-temperature", "--simulate", "--time", "40", "--replicas", "4", "--seed", "2"];

/** The provenance every figure of this command must name. */
function expectProvenance(text: string): void {
  expect(text).toContain(`ness ${VERSION}`);
  expect(text).toContain("command: ness study two-temperature --simulate");
  expect(text).toContain("study two-temperature");
  expect(text).toMatch(/(^|; )seed 2(;|\n|$)/m);
  const parameters = text.split("\n").find((l) => l.startsWith("parameters: "));
  expect(parameters, text).toBeDefined();
  expect(JSON.parse(parameters!.slice("parameters: ".length))).toMatchObject({ time: 40, replicas: 4 });
}

describe("figure provenance", () => {
  it("an SVG from `ness study --figure` has a <metadata> element naming version, command, parameters and seed", async () => {
    const file = path.join(dir, "fig.svg");
    const r = await runCli(...study, "--figure", file, "--no-progress");
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(file, "utf8");
    const { document } = parseHTML(svg.replace(/^<\?xml[^>]*>\s*/, ""));
    const metadata = document.querySelector("svg > metadata");
    expect(metadata, svg.slice(0, 400)).not.toBeNull();
    expect(metadata!.querySelector("dc\\:source")?.textContent).toBe(`ness ${VERSION}`);
    expectProvenance(metadata!.querySelector("dc\\:description")?.textContent ?? "");
  });

  it("a PNG from `ness study --figure` has text chunks with valid CRCs naming version, command, parameters and seed", async () => {
    const file = path.join(dir, "fig.png");
    const r = await runCli(...study, "--figure", file, "--no-progress");
    expect(r.code, r.stderr).toBe(0);
    const png = readFileSync(file);
    const chunks = pngTextChunks(png); // throws on a bad CRC
    const text = Object.fromEntries(chunks.map((c) => [c.keyword, c.text]));
    expect(text.Software).toBe(`ness ${VERSION}`);
    expectProvenance(text.Comment ?? "");
    // The image itself still decodes.
    const image = decodePng(png);
    expect(image.width).toBeGreaterThan(100);
  });
});
