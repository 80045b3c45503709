// Node-only figure rendering: a linkedom document for the browser-safe figure
// code, SVG serialisation, PNG conversion with resvg and bundled DejaVu fonts,
// and writing a figure's SVG/PNG/CSV files atomically.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { FONT_FAMILY, SVG_NS, type Figure } from "../figures/figure.js";
import { tableToCsv, writeFileAtomic } from "./files.js";

const XLINK_NS = "http://www.w3.org/1999/xlink";

/** A fresh DOM document (linkedom) to render figures in Node. */
export function createDocument(): Document {
  const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");
  return document as unknown as Document;
}

function positive(value: string | null): number | undefined {
  const x = value === null ? NaN : parseFloat(value);
  return Number.isFinite(x) && x > 0 ? x : undefined;
}

/**
 * Render a figure to a standalone SVG string: root <svg> with xmlns (and xmlns:xlink
 * when xlink is used), explicit width/height/viewBox and the DejaVu Sans font.
 */
export function renderSvg(figure: Figure, document: Document = createDocument()): string {
  const root = figure.render(document);
  if (root.tagName.toLowerCase() !== "svg") {
    throw new Error(`figure "${figure.name}" rendered a <${root.tagName}>, expected one <svg>`);
  }
  root.setAttribute("xmlns", SVG_NS);
  root.setAttribute("font-family", FONT_FAMILY);
  for (const s of Array.from(root.querySelectorAll("svg"))) {
    if (s.hasAttribute("font-family")) s.setAttribute("font-family", FONT_FAMILY);
  }
  const vb = root.getAttribute("viewBox")?.trim().split(/[\s,]+/).map(Number);
  const width = positive(root.getAttribute("width")) ?? (vb && vb.length === 4 ? vb[2] : undefined);
  const height = positive(root.getAttribute("height")) ?? (vb && vb.length === 4 ? vb[3] : undefined);
  if (width === undefined || height === undefined) {
    throw new Error(`figure "${figure.name}": root <svg> has no width/height or viewBox`);
  }
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
  if (!vb || vb.length !== 4) root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  let svg = root.outerHTML;
  if (/\sxlink:/.test(svg) && !/xmlns:xlink=/.test(svg.slice(0, svg.indexOf(">")))) {
    svg = svg.replace(/^<svg/, `<svg xmlns:xlink="${XLINK_NS}"`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}

let fontFilesCache: string[] | undefined;
/** The DejaVu TTF files shipped by the dejavu-fonts-ttf package. */
export function dejavuFontFiles(): string[] {
  if (!fontFilesCache) {
    const pkg = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json");
    const dir = path.join(path.dirname(pkg), "ttf");
    fontFilesCache = readdirSync(dir)
      .filter((f) => /^DejaVuSans(-Bold|-Oblique|-BoldOblique)?\.ttf$/.test(f) || f === "DejaVuSansMono.ttf")
      .map((f) => path.join(dir, f));
    if (fontFilesCache.length === 0) throw new Error(`no DejaVu fonts found in ${dir}`);
  }
  return fontFilesCache;
}

export interface PngOptions {
  /** Zoom factor (default 2, i.e. 2 device px per SVG px). */
  scale?: number;
}

/** Convert an SVG string to PNG bytes with resvg, using only the bundled DejaVu fonts. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const scale = options.scale ?? 2;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`svgToPng: scale must be a positive number, got ${scale}`);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { fontFiles: dejavuFontFiles(), loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

export type FigureFormat = "svg" | "png" | "csv";

export interface WriteFigureOptions {
  formats?: FigureFormat[];
  /** PNG zoom factor (default 2). */
  scale?: number;
}

/** Write name.svg, name.png and name.csv (or the chosen formats) into outDir atomically; returns the paths written. */
export async function writeFigure(figure: Figure, outDir: string, options: WriteFigureOptions = {}): Promise<string[]> {
  const formats = [...new Set(options.formats ?? ["svg", "png", "csv"])];
  for (const f of formats) {
    if (f !== "svg" && f !== "png" && f !== "csv") {
      throw new Error(`writeFigure("${figure.name}"): unknown format "${String(f)}" (use "svg", "png" or "csv")`);
    }
  }
  const written: string[] = [];
  let svg: string | undefined;
  for (const format of formats) {
    const file = path.join(outDir, `${figure.name}.${format}`);
    if (format === "csv") {
      await writeFileAtomic(file, tableToCsv(figure.table));
    } else {
      svg ??= renderSvg(figure);
      await writeFileAtomic(file, format === "svg" ? svg : svgToPng(svg, { scale: options.scale }));
    }
    written.push(file);
  }
  return written;
}

/** Write one file of a figure, the format chosen by the extension (.svg, .png or .csv). */
export async function writeFigureFile(figure: Figure, file: string, options: PngOptions = {}): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case ".svg":
      return writeFileAtomic(file, renderSvg(figure));
    case ".png":
      return writeFileAtomic(file, svgToPng(renderSvg(figure), options));
    case ".csv":
      return writeFileAtomic(file, tableToCsv(figure.table));
    default:
      throw new Error(
        `cannot write figure "${figure.name}" to ${file}: unknown extension "${ext}" (use .svg, .png or .csv)`,
      );
  }
}
