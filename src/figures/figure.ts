// The Figure abstraction used by every study, plus the browser-safe SVG
// primitives that compose one self-contained <svg>: title, panels, legends
// (swatches and colour ramps drawn as plain SVG) and a wrapped caption.
import type * as Plot from "@observablehq/plot";
import { plotLib } from "./plot.js";

/** The data behind a figure, written next to it as CSV. */
export interface Table {
  columns: string[];
  rows: (number | string)[][];
  /**
   * What some columns hold (the axis label or quantity, with its unit where it has one), by column name: the CSV
   * writer puts them in a `# columns:` line.
   */
  descriptions?: Record<string, string>;
}

/** A publication figure: a name (file stem), the data behind it and a renderer. */
export interface Figure {
  /** File stem, e.g. "fig4-cold-oscillator". */
  name: string;
  title: string;
  /** Shown under the figure; may note misprints in the published source. */
  caption: string;
  table: Table;
  /**
   * One self-contained <svg> element: title, panels, legend and caption are all inside it. Called as a method
   * (`figure.render(document)`): it draws the `title` and `caption` of the figure it is called on, so a copy with
   * another caption draws that one.
   */
  render(document: Document): Element;
}

export const SVG_NS = "http://www.w3.org/2000/svg";
/** Font used by every figure; the Node renderer ships DejaVu Sans so PNGs look the same everywhere. */
export const FONT_FAMILY = "DejaVu Sans, sans-serif";

/** A laid-out piece of a figure: an SVG element and the box it occupies (origin at its top left). */
export interface Block {
  element: SVGElement;
  width: number;
  height: number;
}

export type LineStyle = "solid" | "dashed" | "dotted" | "dashdot";
export type MarkerShape = "circle" | "square" | "triangle" | "diamond";

/** stroke-dasharray of each line style (undefined = solid). */
export function dashArray(style: LineStyle | undefined): string | undefined {
  switch (style) {
    case "dashed":
      return "7,4";
    case "dotted":
      return "1.5,3";
    case "dashdot":
      return "7,3,1.5,3";
    default:
      return undefined;
  }
}

/** matplotlib's named default colours ("tab10" cycle, plus the single-letter "m" magenta). */
export const MPL = {
  blue: "#1f77b4",
  orange: "#ff7f0e",
  green: "#2ca02c",
  red: "#d62728",
  purple: "#9467bd",
  brown: "#8c564b",
  pink: "#e377c2",
  gray: "#7f7f7f",
  olive: "#bcbd22",
  cyan: "#17becf",
  magenta: "#bf00bf",
  black: "#000000",
} as const;

/** matplotlib's default colour cycle. */
export const MPL_CYCLE: readonly string[] = [
  MPL.blue,
  MPL.orange,
  MPL.green,
  MPL.red,
  MPL.purple,
  MPL.brown,
  MPL.pink,
  MPL.gray,
  MPL.olive,
  MPL.cyan,
];

/** Resolve a colour given by matplotlib name ("blue", "magenta", ...) or any CSS colour. */
export function resolveColor(color: string | undefined, index: number): string {
  if (color === undefined) return MPL_CYCLE[index % MPL_CYCLE.length];
  return (MPL as Record<string, string>)[color] ?? color;
}

type Attrs = Record<string, string | number | undefined>;

/** Create an SVG element with attributes (undefined attributes are skipped). */
export function svgEl(document: Document, tag: string, attrs: Attrs = {}, text?: string): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined) el.setAttribute(k, typeof v === "number" ? fmtNum(v) : v);
  }
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Compact number formatting for SVG coordinates. */
export function fmtNum(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Place a block at (x, y): nested <svg> get x/y, other elements a translate. */
export function place(block: Block, x: number, y: number): SVGElement {
  const el = block.element;
  if (el.tagName.toLowerCase() === "svg") {
    el.setAttribute("x", fmtNum(x));
    el.setAttribute("y", fmtNum(y));
    return el;
  }
  const g = el.ownerDocument.createElementNS(SVG_NS, "g") as SVGElement;
  g.setAttribute("transform", `translate(${fmtNum(x)},${fmtNum(y)})`);
  g.appendChild(el);
  return g;
}

// Approximate advance widths of DejaVu Sans, in em, used to lay out text without a canvas.
const NARROW = new Set("iljtf.,;:!|'`()[]{} ".split(""));
const WIDE = new Set("mwMW@%".split(""));
/** Estimated width in px of `text` set in DejaVu Sans at `fontSize` (slightly generous). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.36;
    else if (WIDE.has(ch)) em += 0.9;
    else if (ch >= "A" && ch <= "Z") em += 0.7;
    else em += 0.62;
  }
  return em * fontSize * (bold ? 1.1 : 1);
}

/** Greedy word wrap to `maxWidth` px (explicit "\n" starts a new line). */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    // Break at ordinary spaces only: a no-break space (\u00a0) keeps "T = 11" together.
    for (const word of paragraph.split(/[ \t]+/).filter((w) => w.length > 0)) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (line !== "" && textWidth(candidate, fontSize, bold) > maxWidth) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** A block of wrapped text lines. */
export function textBlock(
  document: Document,
  text: string,
  opts: {
    width: number;
    fontSize: number;
    bold?: boolean;
    anchor?: "start" | "middle";
    color?: string;
    lineHeight?: number;
  },
): Block {
  const lh = opts.lineHeight ?? 1.3;
  const lines = wrapText(text, opts.width, opts.fontSize, opts.bold);
  const g = svgEl(document, "g", {
    "font-size": opts.fontSize,
    "font-weight": opts.bold ? "bold" : undefined,
    fill: opts.color ?? "#000",
    "text-anchor": opts.anchor ?? "start",
  });
  const x = opts.anchor === "middle" ? opts.width / 2 : 0;
  lines.forEach((line, i) => {
    g.appendChild(svgEl(document, "text", { x, y: opts.fontSize * (0.85 + i * lh) }, line));
  });
  const height = lines.length === 1 && lines[0] === "" ? 0 : opts.fontSize * (lines.length * lh - (lh - 1) + 0.15);
  return { element: g, width: opts.width, height };
}

/** One entry of a swatch legend. */
export interface LegendItem {
  label: string;
  color: string;
  /** Draw a line sample (default true). */
  line?: boolean;
  style?: LineStyle;
  strokeWidth?: number;
  /** Draw a marker sample. */
  marker?: MarkerShape;
  /** Draw a filled square instead of a line (categories, areas). */
  fill?: boolean;
  /** Draw an arrow (line with a head) instead of a plain line. */
  arrow?: boolean;
  /** Draw a vertical error bar through the marker. */
  errorBar?: boolean;
}

/** SVG path (centred at 0,0) of a marker of the given radius. */
export function markerPath(shape: MarkerShape, r: number): string {
  const f = fmtNum;
  switch (shape) {
    case "square":
      return `M${f(-r)},${f(-r)}H${f(r)}V${f(r)}H${f(-r)}Z`;
    case "triangle":
      return `M0,${f(-1.2 * r)}L${f(1.1 * r)},${f(0.75 * r)}H${f(-1.1 * r)}Z`;
    case "diamond":
      return `M0,${f(-1.3 * r)}L${f(r)},0L0,${f(1.3 * r)}L${f(-r)},0Z`;
    default:
      return `M${f(-r)},0A${f(r)},${f(r)} 0 1,0 ${f(r)},0A${f(r)},${f(r)} 0 1,0 ${f(-r)},0Z`;
  }
}

/**
 * A legend grouped by series: items labelled "SERIES: what" (and an item labelled "SERIES" itself) form one row per
 * series, their columns aligned (the width of a column is its widest entry); items of no group make the last row.
 * Undefined when there are fewer than two groups of two or the grid is wider than maxWidth.
 */
function legendGrid<E extends { it: LegendItem; w: number }>(entries: E[], maxWidth: number): E[][] | undefined {
  const key = (label: string) => {
    const k = label.indexOf(": ");
    return k > 0 ? label.slice(0, k) : undefined;
  };
  const keys = new Set(entries.map((e) => key(e.it.label)).filter((k): k is string => k !== undefined));
  const groups = new Map<string, E[]>();
  const rest: E[] = [];
  for (const e of entries) {
    const k = key(e.it.label) ?? (keys.has(e.it.label) ? e.it.label : undefined);
    if (k === undefined) rest.push(e);
    else groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const rows = [...groups.values()];
  if (rows.filter((r) => r.length >= 2).length < 2) return undefined;
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => r[c]?.w ?? 0)));
  if (widths.reduce((a, b) => a + b, 0) - 16 > maxWidth) return undefined;
  const aligned = rows.map((r) => r.map((e, c) => ({ ...e, w: widths[c] })));
  return rest.length > 0 ? [...aligned, rest] : aligned;
}

/** A legend of swatches and labels, wrapped into rows no wider than maxWidth (grouped by series where it can). */
export function swatchLegend(document: Document, items: LegendItem[], maxWidth: number, fontSize = 12): Block {
  const g = svgEl(document, "g", { "font-size": fontSize, class: "legend" });
  const sw = 30;
  const rowH = fontSize * 1.6;
  const entries = items.map((it) => ({ it, w: sw + 6 + textWidth(typeset(it.label), fontSize) + 16 }));
  let rows = legendGrid(entries, maxWidth);
  if (!rows) {
    rows = [[]];
    let rowW = 0;
    for (const e of entries) {
      if (rowW + e.w > maxWidth && rows[rows.length - 1].length > 0) {
        rows.push([]);
        rowW = 0;
      }
      rows[rows.length - 1].push(e);
      rowW += e.w;
    }
  }
  let width = 0;
  for (const r of rows) width = Math.max(width, r.reduce((s, e) => s + e.w, 0) - 16);
  rows.forEach((row, r) => {
    const w = row.reduce((s, e) => s + e.w, 0) - 16;
    let x = rows.length === 1 ? (width - w) / 2 : 0;
    const cy = r * rowH + rowH / 2;
    for (const { it, w: ew } of row) {
      const item = svgEl(document, "g", { class: "legend-item" });
      if (it.arrow) {
        item.appendChild(
          svgEl(document, "line", {
            x1: x,
            x2: x + sw - 8,
            y1: cy,
            y2: cy,
            stroke: it.color,
            "stroke-width": it.strokeWidth ?? 3,
          }),
        );
        item.appendChild(svgEl(document, "path", { d: `M${fmtNum(x + sw)},${fmtNum(cy)}l-10,-6v12z`, fill: it.color }));
      } else if (it.fill) {
        item.appendChild(
          svgEl(document, "rect", { x: x + sw / 2 - 6, y: cy - 6, width: 12, height: 12, fill: it.color }),
        );
      } else if (it.line !== false) {
        item.appendChild(
          svgEl(document, "line", {
            x1: x,
            x2: x + sw,
            y1: cy,
            y2: cy,
            stroke: it.color,
            "stroke-width": it.strokeWidth ?? 2,
            "stroke-dasharray": dashArray(it.style),
          }),
        );
      }
      if (it.errorBar) {
        item.appendChild(
          svgEl(document, "line", {
            x1: x + sw / 2,
            x2: x + sw / 2,
            y1: cy - 7,
            y2: cy + 7,
            stroke: it.color,
            "stroke-width": 1.2,
          }),
        );
      }
      if (it.marker) {
        item.appendChild(
          svgEl(document, "path", {
            d: markerPath(it.marker, 3.5),
            transform: `translate(${fmtNum(x + sw / 2)},${fmtNum(cy)})`,
            fill: it.color,
            stroke: "white",
            "stroke-width": 0.6,
          }),
        );
      }
      item.appendChild(svgEl(document, "text", { x: x + sw + 6, y: cy, dy: "0.35em" }, it.label));
      g.appendChild(item);
      x += ew;
    }
  });
  return { element: g, width, height: rows.length * rowH };
}

/** A continuous colour scale: domain and a Plot colour scheme (e.g. "viridis", "turbo", "rdylbu"). */
export interface ColorRamp {
  label: string;
  domain: [number, number];
  scheme?: string;
  reverse?: boolean;
}

/** A colour function for a ramp (uses Plot's scale machinery; no DOM needed). */
export function rampColor(ramp: ColorRamp): (v: number) => string {
  const [lo, hi] = ramp.domain[0] === ramp.domain[1] ? [ramp.domain[0] - 1, ramp.domain[1] + 1] : ramp.domain;
  const scale = plotLib().scale({
    color: {
      type: "linear",
      domain: [lo, hi],
      scheme: (ramp.scheme ?? "viridis") as Plot.ColorScheme,
      reverse: ramp.reverse,
    },
  });
  return (v: number) => String(scale.apply(v));
}

/** Nice tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  }
  return ticks;
}

/** Short, readable number label. */
export function formatNumber(x: number, digits = 3): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(Math.max(0, digits - 1)).replace("e+", "e");
  return String(Number(x.toPrecision(digits)));
}

/** A horizontal colour-ramp legend (SVG rects, so it converts to PNG), with ticks and a label. */
export function rampLegend(document: Document, ramp: ColorRamp, width = 260, fontSize = 11): Block {
  const color = rampColor(ramp);
  const [lo, hi] = ramp.domain;
  const g = svgEl(document, "g", { "font-size": fontSize, class: "ramp-legend" });
  const barY = fontSize * 1.5;
  const barH = 10;
  g.appendChild(svgEl(document, "text", { x: 0, y: fontSize, "font-weight": "bold" }, ramp.label));
  const n = 64;
  for (let i = 0; i < n; i++) {
    const v = lo + ((hi - lo) * (i + 0.5)) / n;
    g.appendChild(
      svgEl(document, "rect", { x: (width * i) / n, y: barY, width: width / n + 0.6, height: barH, fill: color(v) }),
    );
  }
  g.appendChild(
    svgEl(document, "rect", { x: 0, y: barY, width, height: barH, fill: "none", stroke: "#555", "stroke-width": 0.5 }),
  );
  const ticks = hi > lo ? niceTicks(lo, hi, Math.max(2, Math.floor(width / 55))) : [lo];
  for (const t of ticks) {
    const x = hi > lo ? ((t - lo) / (hi - lo)) * width : width / 2;
    g.appendChild(svgEl(document, "line", { x1: x, x2: x, y1: barY + barH, y2: barY + barH + 4, stroke: "#000" }));
    g.appendChild(
      svgEl(document, "text", { x, y: barY + barH + 5 + fontSize, "text-anchor": "middle" }, formatNumber(t)),
    );
  }
  // The title may be wider than the bar: the block is as wide as both, so that nothing is placed over it.
  return {
    element: g,
    width: Math.max(width, textWidth(ramp.label, fontSize, true)),
    height: barY + barH + 7 + fontSize * 1.2,
  };
}

/** Stack blocks vertically (centred) with a gap. */
export function stack(document: Document, blocks: Block[], gap = 8): Block {
  const g = svgEl(document, "g");
  const width = Math.max(0, ...blocks.map((b) => b.width));
  let y = 0;
  blocks.forEach((b, i) => {
    if (i > 0) y += gap;
    g.appendChild(place(b, (width - b.width) / 2, y));
    y += b.height;
  });
  return { element: g, width, height: y };
}

/** Put blocks side by side (top aligned) with a gap. */
export function row(document: Document, blocks: Block[], gap = 16): Block {
  const g = svgEl(document, "g");
  const height = Math.max(0, ...blocks.map((b) => b.height));
  let x = 0;
  blocks.forEach((b, i) => {
    if (i > 0) x += gap;
    g.appendChild(place(b, x, 0));
    x += b.width;
  });
  return { element: g, width: x, height };
}

/** Make Plot's (or any) svg use the figure font. */
export function useFigureFont(svg: Element): void {
  if (svg.tagName.toLowerCase() === "svg") svg.setAttribute("font-family", FONT_FAMILY);
  for (const s of Array.from(svg.querySelectorAll("svg"))) s.setAttribute("font-family", FONT_FAMILY);
}

export interface ComposeOptions {
  title?: string;
  body: Block;
  /** Legend blocks placed under the body, side by side. */
  legends?: Block[];
  caption?: string;
  /** Minimum total width in px. */
  minWidth?: number;
  /**
   * Typeset every text (Greek names, subscripts: see typeset; default true). Off for drawings of a user's model,
   * whose names (hot_end) are identifiers.
   */
  typeset?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Typography: one style in every figure (Unicode symbols, subscripts), whatever spelling a study's text uses.

const GREEK: Record<string, string> = {
  alpha: "α",
  zeta: "ζ",
  gamma: "γ",
  sigma: "σ",
  lambda: "λ",
  psi: "ψ",
  epsilon: "ε",
  eps: "ε",
  rho: "ρ",
  omega: "ω",
  kappa: "κ",
  beta: "β",
  tau: "τ",
  phi: "φ",
  pi: "π",
  Delta: "Δ",
};
const GREEK_WORD = new RegExp(`(?<![A-Za-z])(${Object.keys(GREEK).join("|")})(?![A-Za-z])`, "g");
const SUB_DIGITS: Record<string, string> = {
  "0": "₀",
  "1": "₁",
  "2": "₂",
  "3": "₃",
  "4": "₄",
  "5": "₅",
  "6": "₆",
  "7": "₇",
  "8": "₈",
  "9": "₉",
};
/** Unicode superscripts of the digits and the minus sign (exponents in labels and log-axis ticks). */
export const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/**
 * A figure text in the figures' typography: Greek letters for their ASCII names (zeta -> ζ, gamma_L -> γ_L), ⟨x⟩ for
 * an average written <x> (and ⟨v_cm·e⟩ for <v_cm o e>), x² for x^2, and numeric subscripts as Unicode (sigma11,
 * sigma_11, T_1, T1, C12 -> σ₁₁, σ₁₁, T₁, T₁, C₁₂), ≤ ≥ → for <= >= ->, − for a minus written "a - b" or "-1". Letter subscripts (T_L, N_b, k_eff) and
 * powers without a Unicode form (t^(1/3), N^-0.49) stay as written here and become real sub- and superscripts in the
 * SVG (typesetSubscripts).
 */
export function typeset(text: string): string {
  return (
    text
      .replace(GREEK_WORD, (w) => GREEK[w])
      // Relations and arrows (before the <x> averages: "0 < |q| <= π" is no average).
      .replace(/<=/g, "≤")
      .replace(/>=/g, "≥")
      .replace(/(?<![<-])->(?!>)/g, "→")
      // A minus written with the hyphen: between two operands (|T_L - T_R|, (1 - x)) and before a number (-0.05).
      .replace(/(?<=[\w)\]|⟩'′²³¹⁰-⁹₀-₉]) - (?=[\w(|⟨[])/g, " − ")
      .replace(/(?<=^|[\s([=,;:])-(?=\.?\d)/g, "−")
      .replace(/(?<=[α-ωΔ])(\d+)(?![\d.])/g, (d: string) => d.replace(/./g, (c) => SUB_DIGITS[c]))
      .replace(/<([^<>\s](?:[^<>]{0,28}[^<>\s])?)>/g, (_, inner: string) => `⟨${inner.replace(/ o /g, "·")}⟩`)
      // Integer powers only (N^-0.49 keeps its caret: there is no superscript decimal point).
      .replace(/\^(-?\d+)(?![.\d])/g, (_, e: string) => e.replace(/./g, (c) => SUPERSCRIPT[c]))
      .replace(/(?<=[A-Za-zα-ωΔ)])_(\d+)(?![A-Za-z])/g, (_, d: string) => d.replace(/./g, (c) => SUB_DIGITS[c]))
      // Indexed symbols written plainly: T1, x2, k0, C12, u1 -> T₁, x₂, k₀, C₁₂, u₁ (one letter, one or two digits).
      .replace(
        /(?<![A-Za-z0-9_.])([TxkCuvqJ])(\d{1,2})(?![A-Za-z0-9]|\.\d)/g,
        (_, l: string, d: string) => l + d.replace(/./g, (c) => SUB_DIGITS[c]),
      )
  );
}

/**
 * A letter subscript in a typeset text (T_L, N_b, v_cm, k_eff, f_{cc}: groups 1, 2) or a superscript that has no
 * Unicode form (t^(1/3), N^-0.49, N^-α: groups 3, 4); integer powers were made Unicode superscripts by typeset.
 */
const SUBSCRIPT =
  /(?<=[A-Za-zα-ωΔ⟩)])_(?:\{([^}]+)\}|([A-Za-z0-9]+))|(?<=[A-Za-zα-ωΔ⟩)\d])\^(?:\(([^()]+)\)|(-?(?:\d*\.\d+|[A-Za-zα-ω])))/g;

/**
 * Every text of an SVG typeset (see typeset), letter subscripts and non-integer powers drawn as sub- and
 * superscripts (a tspan with baseline-shift, which browsers and resvg render alike).
 */
export function typesetSubscripts(root: Element): void {
  const document = root.ownerDocument;
  const visit = (node: Node, inText: boolean): void => {
    const tag = node.nodeType === 1 ? (node as Element).tagName.toLowerCase() : "";
    if (tag === "style" || tag === "title" || tag === "desc") return;
    if (node.nodeType === 3) {
      if (!inText) return;
      const text = typeset(node.nodeValue ?? "");
      SUBSCRIPT.lastIndex = 0;
      if (!SUBSCRIPT.test(text)) {
        if (text !== node.nodeValue) node.nodeValue = text;
        return;
      }
      SUBSCRIPT.lastIndex = 0;
      const parent = node.parentNode!;
      let last = 0;
      for (const m of text.matchAll(SUBSCRIPT)) {
        if (m.index! > last) parent.insertBefore(document.createTextNode(text.slice(last, m.index)), node);
        const isSub = m[1] !== undefined || m[2] !== undefined;
        const content = isSub ? (m[1] ?? m[2]) : (m[3] ?? m[4]).replace(/^-/, "−");
        const sub = svgEl(
          document,
          "tspan",
          { "baseline-shift": isSub ? "sub" : "super", "font-size": "0.75em" },
          content,
        );
        parent.insertBefore(sub, node);
        last = m.index! + m[0].length;
      }
      if (last < text.length) parent.insertBefore(document.createTextNode(text.slice(last)), node);
      parent.removeChild(node);
      return;
    }
    for (const child of Array.from(node.childNodes)) visit(child, inText || tag === "text");
  };
  visit(root, false);
}

/** Compose title, body, legends and caption into one self-contained <svg>. */
export function composeFigure(document: Document, opts: ComposeOptions): SVGSVGElement {
  const style = (text: string) => (opts.typeset === false ? text : typeset(text));
  const pad = 16;
  const legends = opts.legends ?? [];
  const legendRow = legends.length > 0 ? row(document, legends, 40) : undefined;
  const contentW = Math.max(opts.body.width, legendRow?.width ?? 0, (opts.minWidth ?? 0) - 2 * pad, 300);
  const W = Math.ceil(contentW + 2 * pad);
  const svg = svgEl(document, "svg", {
    xmlns: SVG_NS,
    "font-family": FONT_FAMILY,
    "font-size": 12,
    fill: "#000",
  }) as SVGSVGElement;
  const bg = svgEl(document, "rect", { x: 0, y: 0, width: "100%", height: "100%", fill: "white", class: "background" });
  svg.appendChild(bg);
  let y = pad;
  if (opts.title) {
    const t = textBlock(document, style(opts.title), { width: contentW, fontSize: 16, bold: true, anchor: "middle" });
    t.element.setAttribute("class", "figure-title");
    svg.appendChild(place(t, pad, y));
    y += t.height + 10;
  }
  useFigureFont(opts.body.element);
  svg.appendChild(place(opts.body, pad + (contentW - opts.body.width) / 2, y));
  y += opts.body.height;
  if (legendRow) {
    y += 10;
    svg.appendChild(place(legendRow, pad + (contentW - legendRow.width) / 2, y));
    y += legendRow.height;
  }
  if (opts.caption) {
    y += 12;
    const c = textBlock(document, style(opts.caption), { width: contentW, fontSize: 12, color: "#222" });
    c.element.setAttribute("class", "figure-caption");
    svg.appendChild(place(c, pad, y));
    y += c.height;
  }
  const H = Math.ceil(y + pad);
  svg.setAttribute("width", String(W));
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  bg.setAttribute("width", String(W));
  bg.setAttribute("height", String(H));
  if (opts.typeset !== false) typesetSubscripts(svg);
  return svg;
}

/** Parse "#rgb", "#rrggbb" or "rgb(r, g, b)" into 0..255 components (undefined when unknown). */
export function parseColor(color: string): [number, number, number] | undefined {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(color);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!h) return undefined;
  const s = h[1].length === 3 ? h[1].replace(/./g, (c) => c + c) : h[1];
  return [0, 2, 4].map((i) => parseInt(s.slice(i, i + 2), 16)) as [number, number, number];
}

/** Black or white, whichever reads better on `background`. */
export function textColorOn(background: string): string {
  const rgb = parseColor(background);
  if (!rgb) return "#000";
  const lin = rgb.map((c) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  });
  const lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return lum > 0.25 ? "#000" : "#fff";
}
