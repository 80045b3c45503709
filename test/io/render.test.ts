// SVG serialisation, PNG conversion with the bundled DejaVu fonts, and writing figure files.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { composeFigure, svgEl, type Figure } from "../../src/figures/figure.js";
import { networkFigure } from "../../src/figures/network.js";
import { parseHTML } from "linkedom";
import { crc32 } from "../../src/io/pngText.js";
import {
  renderSvg,
  svgToPng,
  svgWithProvenance,
  pngWithProvenance,
  writeFigure,
  writeFigureFile,
  dejavuFontFiles,
} from "../../src/io/render.js";
import { VERSION } from "../../src/version.js";
import { PNG_SIGNATURE, darkPixels, decodePng, pngTextChunks } from "./png.js";

/** A figure that is nothing but text on white: its PNG has dark pixels only if fonts load. */
const textOnly: Figure = {
  name: "text-only",
  title: "Text only",
  caption: "",
  table: { columns: ["a"], rows: [[1]] },
  render(document) {
    const g = svgEl(document, "g");
    g.appendChild(svgEl(document, "text", { x: 0, y: 20, "font-size": 20 }, "ness 0.123 <p²>/m"));
    return composeFigure(document, { title: "Text only", body: { element: g, width: 300, height: 30 } });
  },
};

const network = networkFigure({
  sites: [
    { name: "a", kineticTemperature: 3, bath: { temperature: 4, flux: 1 } },
    { name: "b", kineticTemperature: 1, bath: { temperature: 0.5, flux: -1 } },
  ],
  springs: [{ between: ["a", "b"], flux: 1 }],
});

describe("renderSvg", () => {
  it("gives a standalone svg with xmlns, size, viewBox and the DejaVu font", () => {
    const svg = renderSvg(network);
    const root = /<svg[^>]*>/.exec(svg)![0];
    expect(root).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(root).toContain('font-family="DejaVu Sans, sans-serif"');
    const w = Number(/ width="([\d.]+)"/.exec(root)![1]);
    const h = Number(/ height="([\d.]+)"/.exec(root)![1]);
    expect(root).toContain(`viewBox="0 0 ${w} ${h}"`);
    expect(svg).not.toContain("system-ui");
  });
});

describe("svgToPng", () => {
  it("finds the DejaVu fonts", () => {
    expect(dejavuFontFiles().some((f) => f.endsWith("DejaVuSans.ttf"))).toBe(true);
  });

  it("renders text with the bundled fonts (no system fonts)", () => {
    const png = svgToPng(renderSvg(textOnly), { scale: 1 });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const img = decodePng(png);
    const svg = renderSvg(textOnly);
    expect(img.width).toBe(Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]));
    expect(darkPixels(img)).toBeGreaterThan(200);
  });

  it("converts a network figure at the requested scale, not a single colour", () => {
    const svg = renderSvg(network);
    const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    const h = Number(/<svg[^>]* height="(\d+)"/.exec(svg)![1]);
    const img = decodePng(svgToPng(svg, { scale: 2 }));
    expect([img.width, img.height]).toEqual([2 * w, 2 * h]);
    const colours = new Set<number>();
    for (let k = 0; k < img.width * img.height; k += 7) {
      colours.add((img.rgba[4 * k] << 16) | (img.rgba[4 * k + 1] << 8) | img.rgba[4 * k + 2]);
    }
    expect(colours.size).toBeGreaterThan(20);
    expect(darkPixels(img)).toBeGreaterThan(1000);
    // White background, no transparency.
    expect([...img.rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it("rejects a bad scale", () => {
    expect(() => svgToPng(renderSvg(textOnly), { scale: 0 })).toThrow(/scale/);
  });
});

describe("writeFigure / writeFigureFile", () => {
  it("writes svg, png and csv atomically and returns their paths", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "ness-render-")), "out");
    const files = await writeFigure(network, dir);
    expect(files).toEqual(["svg", "png", "csv"].map((e) => path.join(dir, `network.${e}`)));
    expect(readdirSync(dir).sort()).toEqual(["network.csv", "network.png", "network.svg"]);
    expect(readFileSync(files[1]).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readFileSync(files[2], "utf8").split("\n")[0]).toBe(
      "kind,site,to,kinetic_temperature,bath_temperature,flux",
    );
    expect(await writeFigure(network, dir, { formats: ["csv"] })).toEqual([path.join(dir, "network.csv")]);
  });

  it("chooses the format from the extension and refuses unknown ones", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ness-render-"));
    await writeFigureFile(network, path.join(dir, "x.SVG"));
    await writeFigureFile(network, path.join(dir, "x.png"));
    await writeFigureFile(network, path.join(dir, "x.csv"));
    expect(readFileSync(path.join(dir, "x.SVG"), "utf8")).toContain("<svg");
    expect(readFileSync(path.join(dir, "x.png")).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    await expect(writeFigureFile(network, path.join(dir, "x.pdf"))).rejects.toThrow(
      /unknown extension '.pdf'.*\.svg, \.png or \.csv/,
    );
    expect(existsSync(path.join(dir, "x.pdf"))).toBe(false);
  });

  it("writes no CSV for a table with NaN", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ness-render-"));
    const bad: Figure = { ...textOnly, table: { columns: ["y"], rows: [[NaN]] } };
    await expect(writeFigure(bad, dir, { formats: ["csv"] })).rejects.toThrow(/column "y", row 0/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("figure provenance in SVG and PNG", () => {
  const lines = ["# ness 9.9; command: ness x --a '<b> & c'; seed 7", '# parameters: {"omega":"ω₀","k":2}'];

  it("crc32 gives the CRC-32 check value and agrees with zlib's", () => {
    expect(crc32(Buffer.from("123456789", "latin1"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) % 256));
    const gz = gzipSync(bytes); // the gzip trailer holds zlib's CRC-32 of the data
    expect(crc32(bytes)).toBe(gz.readUInt32LE(gz.length - 8));
  });

  it("an SVG's <metadata> holds the lines escaped, read back verbatim, and the drawing renders as before", () => {
    const plain = renderSvg(textOnly);
    const svg = svgWithProvenance(plain, textOnly.title, lines);
    const { document } = parseHTML(svg.replace(/^<\?xml[^>]*>\s*/, ""));
    const metadata = document.querySelector("svg > metadata")!;
    expect(metadata.querySelector("dc\\:title")?.textContent).toBe("Text only");
    expect(metadata.querySelector("dc\\:source")?.textContent).toBe(`ness ${VERSION}`);
    expect(metadata.querySelector("dc\\:description")?.textContent).toBe(
      'ness 9.9; command: ness x --a \'<b> & c\'; seed 7\nparameters: {"omega":"ω₀","k":2}',
    );
    expect(svg).toContain("&lt;b&gt; &amp; c");
    expect(svg.replace(/<metadata[^]*<\/metadata>/, "")).toBe(plain);
    expect(svgToPng(svg, { scale: 1 }).equals(svgToPng(plain, { scale: 1 }))).toBe(true);
  });

  it("a PNG gets tEXt chunks (iTXt for text outside Latin-1) with valid CRCs; its pixels are unchanged", () => {
    const plain = svgToPng(renderSvg(textOnly), { scale: 1 });
    const png = pngWithProvenance(plain, "Text only", lines);
    const chunks = pngTextChunks(png);
    expect(chunks.map((c) => [c.type, c.keyword])).toEqual([
      ["tEXt", "Title"],
      ["tEXt", "Software"],
      ["iTXt", "Comment"],
    ]);
    expect(chunks[1].text).toBe(`ness ${VERSION}`);
    expect(chunks[2].text).toBe('ness 9.9; command: ness x --a \'<b> & c\'; seed 7\nparameters: {"omega":"ω₀","k":2}');
    expect(decodePng(png)).toEqual(decodePng(plain));
    // Latin-1 text stays tEXt; a damaged byte fails the CRC check.
    const latin = pngWithProvenance(plain, "", ["seed 3; T = 2 °C"]);
    expect(pngTextChunks(latin).map((c) => [c.type, c.keyword, c.text])).toEqual([
      ["tEXt", "Software", `ness ${VERSION}`],
      ["tEXt", "Comment", "seed 3; T = 2 °C"],
    ]);
    const damaged = Buffer.from(latin);
    damaged[latin.length - 30] ^= 1;
    expect(() => pngTextChunks(damaged)).toThrow(/bad CRC/);
  });

  it("writeFigure records the provenance in every format, the same bytes each time", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ness-render-"));
    const first = await writeFigure(network, path.join(dir, "a"), { provenance: lines });
    const second = await writeFigure(network, path.join(dir, "b"), { provenance: lines });
    for (let i = 0; i < 3; i++) expect(readFileSync(first[i]).equals(readFileSync(second[i]))).toBe(true);
    expect(readFileSync(first[0], "utf8")).toContain("seed 7");
    expect(pngTextChunks(readFileSync(first[1])).find((c) => c.keyword === "Comment")?.text).toContain("seed 7");
    expect(readFileSync(first[2], "utf8").split("\n")[0]).toBe(lines[0]);
  });
});
