// Generates a sample of every figure builder (SVG, PNG, CSV) into a temp dir
// (or $NESS_SAMPLES_DIR) so they can be looked at, and checks the files are real.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { networkFigure } from "../../src/figures/network.js";
import type { Figure } from "../../src/figures/figure.js";
import { writeFigure } from "../../src/io/render.js";

const outDir = process.env.NESS_SAMPLES_DIR ?? mkdtempSync(path.join(tmpdir(), "ness-samples-"));

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

async function writeSample(figure: Figure): Promise<void> {
  const files = await writeFigure(figure, outDir);
  expect(files.map((f) => path.basename(f))).toEqual([`${figure.name}.svg`, `${figure.name}.png`, `${figure.name}.csv`]);
  const svg = readFileSync(files[0], "utf8");
  const w = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
  const h = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)![1]);
  expect(pngSize(files[1])).toEqual([Math.round(w * 2), Math.round(h * 2)]);
  const csv = readFileSync(files[2], "utf8");
  expect(csv.split("\n")[0]).toBe(figure.table.columns.join(","));
  expect(csv).not.toMatch(/NaN|Infinity/);
}

export const triangle = networkFigure({
  name: "sample-network-triangle",
  title: "Three-site network with a heat circulation",
  sites: [
    { name: "1", kineticTemperature: 9.02, bath: { temperature: 11, flux: 0.298 } },
    { name: "2", kineticTemperature: 2.61, bath: { temperature: 2, flux: -0.298 } },
    { name: "3", kineticTemperature: 2.35 },
  ],
  springs: [
    { between: ["1", "2"], flux: 0.29 },
    { between: ["2", "3"], flux: -0.008 },
    { between: ["1", "3"], flux: 0.008 },
  ],
});

describe("figure samples", () => {
  it("network triangle", async () => {
    await writeSample(triangle);
    console.log(`samples in ${outDir}`);
  });
});
