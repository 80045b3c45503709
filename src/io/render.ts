// Node-only figure rendering: a linkedom document for the browser-safe figure
// code, SVG serialisation, PNG conversion with resvg and bundled DejaVu fonts,
// and writing a figure's SVG/PNG/CSV files atomically. A figure session (the
// CLI's reproduce and simulate) stops before the next figure once cancelled and
// knows which figures are complete; a figure is written whole or not at all.
import { readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { requireFunction, requireObject, requireOptions, requireString } from "../arguments.js";
import { ModelError } from "../errors.js";
import { FONT_FAMILY, SVG_NS, type Figure } from "../figures/figure.js";
import "../figures/plotLoaded.js"; // the figures drawn here need Observable Plot
import { CancelledError } from "../stochastic/safety.js";
import { VERSION } from "../version.js";
import { checkOutputPath, FileError, tableToCsv, writeFileAtomic } from "./files.js";
import { addPngText } from "./pngText.js";

const XLINK_NS = "http://www.w3.org/1999/xlink";

/**
 * A fresh DOM document (linkedom) to render figures in Node.
 *
 * @example
 * ```ts
 * import { lineChart } from "ness";
 * import { createDocument } from "ness/node";
 *
 * const figure = lineChart({ name: "line", title: "A line", caption: "y = 2x", xLabel: "x", yLabel: "y", series: [{ name: "2x", x: [0, 1], y: [0, 2] }] });
 * const svg = figure.render(createDocument()); // the browser-safe renderer, given a linkedom document
 * console.log(svg.tagName.toLowerCase()); // => svg
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { lineChart } from "ness";
 * import { renderSvg } from "ness/node";
 *
 * const figure = lineChart({ name: "line", title: "A line", caption: "y = 2x", xLabel: "x", yLabel: "y", series: [{ name: "2x", x: [0, 1], y: [0, 2] }] });
 * console.log(renderSvg(figure).startsWith("<?xml")); // => true
 * ```
 */
export function renderSvg(figure: Figure, document: Document = createDocument()): string {
  checkFigure(figure, "renderSvg");
  const root = figure.render(document);
  if (root.tagName.toLowerCase() !== "svg") {
    throw new ModelError(`figure "${figure.name}" rendered a <${root.tagName.toLowerCase()}>, expected one <svg>`);
  }
  root.setAttribute("xmlns", SVG_NS);
  root.setAttribute("font-family", FONT_FAMILY);
  for (const s of Array.from(root.querySelectorAll("svg"))) {
    if (s.hasAttribute("font-family")) s.setAttribute("font-family", FONT_FAMILY);
  }
  const vb = root
    .getAttribute("viewBox")
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  const width = positive(root.getAttribute("width")) ?? (vb && vb.length === 4 ? vb[2] : undefined);
  const height = positive(root.getAttribute("height")) ?? (vb && vb.length === 4 ? vb[3] : undefined);
  if (width === undefined || height === undefined) {
    throw new ModelError(`figure "${figure.name}": root <svg> has no width/height or viewBox`);
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
    if (fontFilesCache.length === 0)
      throw new FileError(`no DejaVu fonts found in ${dir} (the dejavu-fonts-ttf package is damaged: reinstall ness)`);
  }
  return fontFilesCache;
}

export interface PngOptions {
  /** Zoom factor (default 2, i.e. 2 device px per SVG px). */
  scale?: number;
}

/**
 * Convert an SVG string to PNG bytes with resvg, using only the bundled DejaVu fonts.
 *
 * @example
 * ```ts
 * import { lineChart } from "ness";
 * import { renderSvg, svgToPng } from "ness/node";
 *
 * const figure = lineChart({ name: "line", title: "A line", caption: "y = 2x", xLabel: "x", yLabel: "y", series: [{ name: "2x", x: [0, 1], y: [0, 2] }] });
 * const png = svgToPng(renderSvg(figure), { scale: 1 });
 * console.log(png.subarray(1, 4).toString()); // => PNG
 * ```
 */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  requireString(svg, "svgToPng: the SVG text");
  requireOptions(options, "svgToPng: the options");
  const scale = options.scale ?? 2;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new ModelError(`svgToPng: scale must be a positive number, got ${scale}`);
  let resvg: Resvg;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: scale },
      background: "white",
      font: { fontFiles: dejavuFontFiles(), loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
    });
  } catch (err) {
    throw new ModelError(`svgToPng: the text is not an SVG image (${(err as Error).message})`);
  }
  return resvg.render().asPng();
}

/** The extensions `writeFigureFile` writes (PDF and JPEG are not supported: SVG is the vector format). */
export const FIGURE_EXTENSIONS = [".svg", ".png", ".csv"] as const;

function unknownExtension(file: string, option?: string): FileError {
  const ext = path.extname(file);
  const what = ext === "" ? "no extension" : `unknown extension '${ext}'`;
  return new FileError(`${option ? `${option} ${file}` : `cannot write ${file}`}: ${what} (use .svg, .png or .csv)`);
}

/**
 * Checks a figure file named by a command-line option before any work: a supported extension (.svg, .png, .csv)
 * and a writable place (checkOutputPath). Throws a FileError naming the option.
 */
export function checkFigurePath(
  file: string,
  option: string,
  extensions: readonly string[] = FIGURE_EXTENSIONS,
): string {
  const abs = checkOutputPath(file, option, "file");
  if (!extensions.includes(path.extname(file).toLowerCase())) {
    if (extensions === FIGURE_EXTENSIONS) throw unknownExtension(file, option);
    throw new FileError(`${option} ${file}: unknown extension '${path.extname(file)}' (use ${extensions.join(", ")})`);
  }
  return abs;
}

/** What a figure session is told as figures are written (a worker thread passes it on to the main thread). */
export interface FigureEvents {
  /** A figure is about to be written. */
  start?(name: string): void;
  /** One of its files is in place. */
  file?(file: string): void;
  /** All its files are in place. */
  complete?(name: string): void;
  /** Writing it failed; the files it had written are removed. */
  failed?(name: string): void;
}

/** Figures written since a session started, and the files of the one being written. */
export interface FigureSession {
  /** True stops the session before its next figure (CancelledError). */
  shouldStop: () => boolean;
  events: FigureEvents;
  /** Names of the figures written completely. */
  complete: string[];
  /** Files of the figure being written (removed if the process exits before it is complete). */
  partial: string[];
}

let session: FigureSession | null = null;

function removePartialFigure(): void {
  if (!session) return;
  for (const f of session.partial) rmSync(f, { force: true });
  session.partial = [];
}

/**
 * Starts a figure session (one per command): writeFigure and writeFigureFile refuse to start a figure once `stop`
 * (an AbortSignal, or a predicate) says so (CancelledError), record complete figures, and an exit in the middle of
 * a figure removes its files.
 */
export function startFigureSession(stop?: AbortSignal | (() => boolean), events: FigureEvents = {}): FigureSession {
  const shouldStop = typeof stop === "function" ? stop : () => stop?.aborted === true;
  session = { shouldStop, events, complete: [], partial: [] };
  process.on("exit", removePartialFigure);
  return session;
}

/** Ends the figure session started by startFigureSession. */
export function endFigureSession(): void {
  process.removeListener("exit", removePartialFigure);
  session = null;
}

/** Writes the files of one figure as a unit: all of them, or (on an error) none. */
async function asFigure(name: string, files: string[], write: (file: string) => Promise<void>): Promise<void> {
  const s = session;
  if (s?.shouldStop()) throw new CancelledError();
  s?.events.start?.(name);
  const done: string[] = [];
  try {
    for (const file of files) {
      await write(file);
      done.push(file);
      s?.partial.push(file);
      s?.events.file?.(file);
    }
  } catch (err) {
    for (const f of done) rmSync(f, { force: true });
    if (s) s.partial = [];
    s?.events.failed?.(name);
    throw err;
  }
  if (s) {
    s.partial = [];
    s.complete.push(name);
    s.events.complete?.(name);
  }
}

export type FigureFormat = "svg" | "png" | "csv";

/** Where a figure file records where it came from. */
export interface FigureProvenanceOptions {
  /**
   * Provenance lines (ness version, command, parameters, random seed): `#` comments before a CSV's column names, a
   * `<metadata>` element of an SVG (Dublin Core `dc:description`), a PNG `Comment` text chunk. Every SVG and PNG
   * also names the ness version that wrote it (`dc:source`, PNG `Software`) and the figure's title.
   */
  provenance?: readonly string[];
  /** The former name of `provenance`, used when `provenance` is not given. */
  csvComments?: readonly string[];
}

export interface WriteFigureOptions extends FigureProvenanceOptions {
  formats?: FigureFormat[];
  /** PNG zoom factor (default 2). */
  scale?: number;
}

const provenanceText = (lines: readonly string[]) =>
  lines.map((l) => l.replace(/[\r\n]+/g, " ").replace(/^# ?/, "")).join("\n");

// Characters XML 1.0 does not allow (C0 controls but tab and line feed; CR too, as a line ends in LF), lone
// surrogates, U+FFFE/U+FFFF.
const xmlText = (s: string) =>
  s
    .replace(
      // eslint-disable-next-line no-control-regex -- removing the control characters XML forbids
      /[\x00-\x08\x0b-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      " ",
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");

/**
 * An SVG with a `<metadata>` element (first child of the root) recording its provenance as RDF / Dublin Core, the
 * form Inkscape and other SVG tools read: `dc:title` (the figure's title), `dc:source` (ness and its version) and
 * `dc:description` (the provenance lines, one per line). The drawing is unchanged.
 */
export function svgWithProvenance(svg: string, title: string, lines: readonly string[]): string {
  const start = svg.indexOf("<svg");
  const end = start < 0 ? -1 : svg.indexOf(">", start);
  if (end < 0) throw new ModelError("svgWithProvenance: no <svg> element");
  if (svg[end - 1] === "/") throw new ModelError("svgWithProvenance: the <svg> element is empty");
  const description = provenanceText(lines);
  const metadata =
    `<metadata id="ness-provenance"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"` +
    ` xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">` +
    (title.trim() !== "" ? `<dc:title>${xmlText(title)}</dc:title>` : "") +
    `<dc:source>ness ${xmlText(VERSION)}</dc:source>` +
    (description !== "" ? `<dc:description>${xmlText(description)}</dc:description>` : "") +
    `</rdf:Description></rdf:RDF></metadata>`;
  return svg.slice(0, end + 1) + metadata + svg.slice(end + 1);
}

/**
 * PNG bytes with text chunks recording their provenance: `Title` (the figure's title), `Software` (ness and its
 * version) and `Comment` (the provenance lines, one per line); tEXt when Latin-1, iTXt (UTF-8) otherwise.
 */
export function pngWithProvenance(png: Uint8Array, title: string, lines: readonly string[]): Buffer {
  const description = provenanceText(lines);
  return addPngText(png, [
    ...(title.trim() !== "" ? [["Title", title] as const] : []),
    ["Software", `ness ${VERSION}`],
    ...(description !== "" ? [["Comment", description] as const] : []),
  ]);
}

/** A figure's file in one format, with its provenance. */
function figureBytes(
  figure: Figure,
  format: string,
  svg: () => string,
  options: FigureProvenanceOptions & PngOptions,
): string | Buffer {
  const lines = options.provenance ?? options.csvComments ?? [];
  if (format === "csv") return tableToCsv(figure.table, lines);
  if (format === "svg") return svgWithProvenance(svg(), figure.title, lines);
  return pngWithProvenance(svgToPng(svg(), { scale: options.scale }), figure.title, lines);
}

/**
 * Write name.svg, name.png and name.csv (or the chosen formats) into outDir atomically; returns the paths written.
 * Each file records `options.provenance` and the ness version (see FigureProvenanceOptions).
 *
 * @example
 * ```ts
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { lineChart } from "ness";
 * import { writeFigure } from "ness/node";
 *
 * const figure = lineChart({ name: "line", title: "A line", caption: "y = 2x", xLabel: "x", yLabel: "y", series: [{ name: "2x", x: [0, 1], y: [0, 2] }] });
 * const dir = mkdtempSync(join(tmpdir(), "ness-"));
 * try {
 *   const files = await writeFigure(figure, dir, { formats: ["svg", "csv"] });
 *   console.log(files.length); // => 2
 * } finally {
 *   rmSync(dir, { recursive: true, force: true });
 * }
 * ```
 */
export async function writeFigure(figure: Figure, outDir: string, options: WriteFigureOptions = {}): Promise<string[]> {
  checkFigure(figure, "writeFigure");
  requireString(outDir, "writeFigure: the directory");
  requireOptions(options, "writeFigure: the options");
  const formats = [...new Set(options.formats ?? ["svg", "png", "csv"])];
  for (const f of formats) {
    if (f !== "svg" && f !== "png" && f !== "csv") {
      throw new ModelError(`writeFigure("${figure.name}"): unknown format "${String(f)}" (use "svg", "png" or "csv")`);
    }
  }
  const written = formats.map((format) => path.join(outDir, `${figure.name}.${format}`));
  let svg: string | undefined;
  const drawn = () => (svg ??= renderSvg(figure));
  await asFigure(figure.name, written, async (file) => {
    await writeFileAtomic(file, figureBytes(figure, path.extname(file).slice(1), drawn, options));
  });
  return written;
}

/**
 * Write one file of a figure, the format chosen by the extension (.svg, .png or .csv), recording
 * `options.provenance` and the ness version (see FigureProvenanceOptions).
 *
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { lineChart } from "ness";
 * import { writeFigureFile } from "ness/node";
 *
 * const figure = lineChart({ name: "line", title: "A line", caption: "y = 2x", xLabel: "x", yLabel: "y", series: [{ name: "2x", x: [0, 1], y: [0, 2] }] });
 * const dir = mkdtempSync(join(tmpdir(), "ness-"));
 * try {
 *   await writeFigureFile(figure, join(dir, "line.svg")); // .svg, .png or .csv
 *   console.log(readFileSync(join(dir, "line.svg"), "utf8").includes("<svg")); // => true
 * } finally {
 *   rmSync(dir, { recursive: true, force: true });
 * }
 * ```
 */
export async function writeFigureFile(
  figure: Figure,
  file: string,
  options: PngOptions & FigureProvenanceOptions = {},
): Promise<void> {
  checkFigure(figure, "writeFigureFile");
  requireString(file, "writeFigureFile: the file name");
  requireOptions(options, "writeFigureFile: the options");
  const ext = path.extname(file).toLowerCase();
  if (!(FIGURE_EXTENSIONS as readonly string[]).includes(ext)) throw unknownExtension(file);
  await asFigure(figure.name, [file], async () => {
    await writeFileAtomic(
      file,
      figureBytes(figure, ext.slice(1), () => renderSvg(figure), options),
    );
  });
}

/** The figure argument of the writers: an object with a name and a render function (what the figure builders return). */
function checkFigure(figure: unknown, where: string): asserts figure is Figure {
  requireObject(figure, `${where}: the figure`);
  requireString(figure.name, `${where}: the figure's name`);
  requireFunction(figure.render, `${where}: the figure's render`);
}
