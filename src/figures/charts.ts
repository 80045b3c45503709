// Reusable figure builders shared by all studies: line charts (styled series,
// log axes, reference lines, points with error bars), heatmaps with vector
// fields, particle snapshots, and multi-panel layouts labelled (a), (b), ...
import type * as Plot from "@observablehq/plot";
import { plotLib } from "./plot.js";
import { ModelError } from "../errors.js";
import { checkSpec } from "./check.js";
import {
  type Block,
  type ColorRamp,
  type Figure,
  type LegendItem,
  type LineStyle,
  type MarkerShape,
  type Table,
  MPL,
  composeFigure,
  dashArray,
  formatNumber,
  rampColor,
  rampLegend,
  place,
  resolveColor,
  stack,
  svgEl,
  SUPERSCRIPT,
  swatchLegend,
  textColorOn,
  textWidth,
  useFigureFont,
  wrapText,
} from "./figure.js";

/** One panel of a figure: a Plot chart plus what its legend needs and the data behind it. */
export interface Panel {
  title?: string;
  /** Size of the chart in px (axes included). */
  width: number;
  height: number;
  /** Swatches explaining the series / categories. */
  legend?: LegendItem[];
  /** Continuous colour scale used by the panel. */
  ramp?: ColorRamp;
  /** The chart as an <svg> element (Plot output). */
  plot(document: Document): SVGElement;
  table: Table;
}

// ---------------------------------------------------------------------------
// Shared Plot settings

const AXIS_FONT = 12;

function axis(
  label: string,
  type: "linear" | "log" | undefined,
  domain: [number, number] | undefined,
  grid: boolean,
  values: number[] = [],
  even?: { pixels: number; spacing: number; extent: number[] },
) {
  const log =
    type === "log"
      ? logTicks([...(domain ?? []), ...values], even && { ...even, extent: domain ?? even.extent })
      : undefined;
  return {
    label,
    type: type ?? "linear",
    domain,
    grid,
    labelAnchor: "center" as const,
    labelArrow: "none" as const,
    nice: domain === undefined && type !== "log",
    ...(log ? { ticks: log.ticks, tickFormat: log.format } : {}),
  };
}

/**
 * Ticks of a log axis that let a reader read values off it: over up to about three decades, labels at 1, 2 and 5
 * times each power of ten (plain numbers: 0.02, 0.5, 20, 500) with unlabelled minor ticks at the other multiples;
 * over more, "10⁻³"-style labels at the decades only, and beyond six decades no minor ticks (every decade, or every
 * second or third when there are more than a dozen); within one decade, Plot's own ticks, plainly formatted, except
 * where they are evenly spaced (d3 falls back to linear ticks when fewer than half the wanted count of multiples 1..9
 * lie in the range): given the axis length in pixels and the extent of the scale's domain, those ticks are computed
 * here (one per `spacing` px, as Plot does) and all labelled with one number of decimals (0.18, 0.20, 0.22; not 0.2
 * next to 0.22).
 * `ticks` is a count rather than a list: Plot hands a log axis's labels to d3's log tickFormat, which blanks the 5s
 * (and more) unless the count asked for is large. With 1.5 times the number of multiples 1..9 of the decades in the
 * range, d3 gives exactly those multiples (more would switch it to linear ticks) and blanks none of the labels.
 */
export function logTicks(
  values: number[],
  even?: { pixels: number; spacing: number; extent: readonly number[] },
): { ticks?: number | number[]; format: (x: number) => string } {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  const plain = (x: number) => formatNumber(x);
  if (pos.length === 0) return { format: plain };
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  const span = Math.log10(hi / lo);
  const ext = (even?.extent ?? []).filter((v) => Number.isFinite(v) && v > 0);
  if (decades(pos).length < 2 && span < 1) {
    if (!(even && even.pixels > 0 && ext.length > 0)) return { format: plain };
    const [a, b] = [Math.min(...ext), Math.max(...ext)];
    return evenLogTicks(a, b, even.pixels / even.spacing) ?? multipleLogTicks(a, b, even.pixels) ?? { format: plain };
  }
  const mantissa = (x: number) => Math.round(x / Math.pow(10, Math.floor(Math.log10(x) + 1e-9)));
  // Plain numbers where they stay short (no exponent); decades as powers of ten otherwise.
  const readable = span <= 3.5 && lo >= 1e-3 * (1 - 1e-9) && hi < 1e5;
  // Over many decades the minor ticks (nine per decade) would run together into a black bar: ticks at the decades
  // only, every second (third, ...) decade once there are more than about a dozen. So too where the decades are
  // labelled and the axis gives a decade fewer than MINOR_TICKS_PX pixels (a short panel over five decades).
  const extSpan = ext.length > 0 ? Math.log10(Math.max(...ext) / Math.min(...ext)) : span;
  const crowded = !readable && even !== undefined && even.pixels > 0 && even.pixels < MINOR_TICKS_PX * extSpan;
  if (span > 6 || crowded) {
    const all = decades(pos);
    const step = Math.ceil(all.length / 12);
    return { ticks: all.filter((_, i) => i % step === 0), format: logTickFormat };
  }
  let multiples = 0;
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)) && multiples < 4000; k++)
    for (let m = 1; m <= 9; m++) if (m * 10 ** k >= lo * (1 - 1e-9) && m * 10 ** k <= hi * (1 + 1e-9)) multiples++;
  return {
    ticks: Math.max(2, Math.ceil(1.5 * multiples)),
    format: readable
      ? (x: number) => ([1, 2, 5].includes(mantissa(x)) ? readableLogLabel(x, mantissa(x)) : "")
      : logTickFormat,
  };
}

/** Below this many pixels per decade, a log axis labelled at its decades draws no minor ticks between them. */
const MINOR_TICKS_PX = 60;

/**
 * The ticks d3 gives a log axis over less than a decade when it falls back to linear ticks (fewer than count / 2 of
 * the multiples 1..9 × 10ᵏ in [lo, hi]), with labels of one precision: the step's decimals. Undefined where d3 would
 * tick the multiples (Plot's own labels are right there) or where the labels would need an exponent.
 */
function evenLogTicks(
  lo: number,
  hi: number,
  count: number,
): { ticks: number[]; format: (x: number) => string } | undefined {
  if (!(hi > lo) || !(count > 0) || lo < 1e-3 || hi >= 1e4) return undefined;
  let multiples = 0;
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
    for (let m = 1; m <= 9; m++) if (m * 10 ** k >= lo * (1 - 1e-12) && m * 10 ** k <= hi * (1 + 1e-12)) multiples++;
  if (multiples * 2 >= count) return undefined;
  const raw = (hi - lo) / count;
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  const step = factor * 10 ** power;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi * (1 + 1e-12) && ticks.length < 100; i++)
    ticks.push(Number((i * step).toPrecision(12)));
  if (ticks.length < 2) return undefined;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { ticks, format: (x: number) => x.toFixed(decimals) };
}

/** Least distance in pixels between the centres of two labelled ticks of a short log axis. */
const LABEL_GAP_PX = 32;

/**
 * The ticks of a log axis over less than a decade where d3 ticks the multiples 1..9 × 10ᵏ (evenLogTicks gave none):
 * d3's own labels blank every multiple but a few (an axis from 0.55 to 3.2 was labelled 1, 2, 3 only, one from 11
 * to 90 started at 20). Here every multiple is ticked, and labelled wherever its label keeps LABEL_GAP_PX from the
 * labels already placed: decades first, then the lowest tick (so the low end of the axis is read too), then the 5s,
 * the 2s and the rest from below (0.6, 0.8, 1, 2, 3); from 10⁴ on as powers of ten (10⁴, 2·10⁴).
 */
function multipleLogTicks(
  lo: number,
  hi: number,
  pixels: number,
): { ticks: number[]; format: (x: number) => string } | undefined {
  if (!(hi > lo) || lo < 1e-3 || hi >= 1e5) return undefined;
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)) && ticks.length < 100; k++)
    for (let m = 1; m <= 9; m++) {
      const t = Number((m * 10 ** k).toPrecision(12));
      if (t >= lo * (1 - 1e-12) && t <= hi * (1 + 1e-12)) ticks.push(t);
    }
  if (ticks.length < 2) return undefined;
  const pxPerDecade = pixels / Math.log10(hi / lo);
  const mantissa = (t: number) => Math.round(t / 10 ** Math.floor(Math.log10(t) + 1e-9));
  const rank = (t: number) => [1, 5, 2].indexOf(mantissa(t));
  // Decades first, then the lowest tick (the low end gets a label), then 5s and 2s, then the rest from below.
  const order = [...ticks].sort((x, y) => {
    const [rx, ry] = [x === ticks[0] && rank(x) !== 0 ? 0.5 : rank(x), y === ticks[0] && rank(y) !== 0 ? 0.5 : rank(y)];
    const [px, py] = [rx < 0 ? 9 : rx, ry < 0 ? 9 : ry];
    return px - py || x - y;
  });
  const labelled = new Set<number>();
  const at: number[] = [];
  for (const t of order) {
    const p = Math.log10(t) * pxPerDecade;
    if (at.every((q) => Math.abs(p - q) >= LABEL_GAP_PX)) {
      labelled.add(t);
      at.push(p);
    }
  }
  // Ticks at 10⁴ and above read "10⁴", "2·10⁴" as on a longer axis (readableLogLabel), not "1.00e4".
  return {
    ticks,
    format: (x: number) => (labelled.has(Number(x.toPrecision(12))) ? readableLogLabel(x, mantissa(x)) : ""),
  };
}

/**
 * A labelled tick (mantissa 1, 2 or 5) of a readable log axis: plain below 10⁴, "10⁴", "2·10⁴", "5·10⁴" above (the
 * plain formatter's "1.00e4" and "2.00e4" ran into each other 0.3 decades apart).
 */
function readableLogLabel(x: number, mantissa: number): string {
  if (x < 1e4) return formatNumber(x);
  const power = `10${String(Math.round(Math.log10(x / mantissa))).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  return mantissa === 1 ? power : `${mantissa}·${power}`;
}

/** "10⁻³" style labels at decades, none in between (matplotlib's log axis look). */
function logTickFormat(x: number): string {
  const e = Math.log10(x);
  if (Math.abs(e - Math.round(e)) < 1e-9) {
    const k = Math.round(e);
    return `10${String(k).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  }
  return "";
}

/** Powers of ten inside the range of the values (grid lines of a log axis; they must not widen the domain). */
function decades(values: number[]): number[] {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length === 0) return [];
  const lo = Math.ceil(Math.log10(Math.min(...pos)) - 1e-9);
  const hi = Math.floor(Math.log10(Math.max(...pos)) + 1e-9);
  const out: number[] = [];
  for (let k = lo; k <= hi && out.length < 400; k++) out.push(Math.pow(10, k));
  return out;
}

/** Render a Plot chart and make it figure-ready (font, font size). */
function plotSvg(document: Document, options: Plot.PlotOptions): SVGElement {
  const el = plotLib().plot({ ...options, document }) as unknown as SVGElement;
  if (el.tagName.toLowerCase() !== "svg")
    throw new Error("chart rendered a <figure>; do not use Plot's title/legend options");
  el.setAttribute("font-size", String(AXIS_FONT));
  el.removeAttribute("class");
  for (const style of Array.from(el.querySelectorAll("style"))) style.remove();
  useFigureFont(el);
  return el;
}

// ---------------------------------------------------------------------------
// Line charts

/** A named series over x. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Error bars: y ± err. */
  err?: readonly number[];
  /** matplotlib colour name ("blue", "orange", "magenta", ...) or any CSS colour; default: matplotlib's cycle. */
  color?: string;
  style?: LineStyle;
  /** Draw the connecting line (default true). */
  line?: boolean;
  /** Draw a marker at each point. */
  marker?: MarkerShape;
  /** Per point: draw its marker hollow (white inside, outlined in the series' colour), e.g. an unreliable estimate. */
  hollow?: readonly boolean[];
  strokeWidth?: number;
}

/** A horizontal (y) or vertical (x) reference line. */
export interface ReferenceLine {
  x?: number;
  y?: number;
  label?: string;
  color?: string;
  style?: LineStyle;
  /**
   * Where along the line the label goes: "end" (right / top) or "start" (left / bottom). Without it, and for the
   * side of a horizontal line's label (above or below), the place that keeps the label inside the frame and off the
   * data (fewest points and line samples under it) is chosen, preferring the end and above.
   */
  labelAt?: "start" | "end";
}

/** The margins of a line panel's plot area, in pixels. */
const MARGIN = { left: 64, right: 18, top: 12, bottom: 46 };

/** A nice linear domain, about as Plot's `nice: true` (ten ticks) makes it. */
function niceExtent(lo: number, hi: number): [number, number] {
  if (!(hi > lo)) return [lo - 1, hi + 1];
  const raw = (hi - lo) / 10;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const step = (m >= 7.07 ? 10 : m >= 3.16 ? 5 : m >= 1.41 ? 2 : 1) * p;
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/**
 * Places the labels of horizontal reference lines (an approximation of the panel's scales, in pixels): of the four
 * places (end or start; above or below the line) the first, in that order, whose label box stays inside the frame
 * and covers the fewest data points and line samples. Returns, per reference line, where its label goes.
 */
function placeReferenceLabels(
  spec: LinePanelSpec,
  series: readonly { x: readonly number[]; y: readonly number[]; err?: readonly number[]; line?: boolean }[],
  size: { width: number; height: number; left: number; right: number; top: number; bottom: number; inset: number },
): { at: "start" | "end"; below: boolean }[] {
  const refs = spec.referenceLines ?? [];
  const logX = spec.xType === "log";
  const logY = spec.yType === "log";
  const tx = (v: number) => (logX ? Math.log10(v) : v);
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  const okX = (v: number) => Number.isFinite(v) && (!logX || v > 0);
  const okY = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const extent = (vals: number[], given: [number, number] | undefined, log: boolean, t: (v: number) => number) => {
    if (given) return [t(given[0]), t(given[1])] as [number, number];
    const tv = vals.map(t).filter(Number.isFinite);
    if (tv.length === 0) return [0, 1] as [number, number];
    const lo = Math.min(...tv);
    const hi = Math.max(...tv);
    return log ? ([lo, hi] as [number, number]) : niceExtent(lo, hi);
  };
  const xs = [...series.flatMap((s) => s.x.filter(okX)), ...refs.flatMap((r) => (r.x !== undefined ? [r.x] : []))];
  const ys = [...series.flatMap((s) => s.y.filter(okY)), ...refs.flatMap((r) => (r.y !== undefined ? [r.y] : []))];
  const [x0, x1] = extent(xs, spec.xDomain, logX, tx);
  const [y0, y1] = extent(ys, spec.yDomain, logY, ty);
  const inset = spec.xDomain ? 0 : 6;
  const insetY = spec.yDomain ? 0 : size.inset;
  const left = size.left + inset;
  const right = size.width - size.right - inset;
  const top = size.top + insetY;
  const bottom = size.height - size.bottom - insetY;
  const px = (v: number) => left + ((tx(v) - x0) / (x1 - x0 || 1)) * (right - left);
  const py = (v: number) => bottom - ((ty(v) - y0) / (y1 - y0 || 1)) * (bottom - top);
  // Points of the data, in pixels: markers, and samples every few pixels along each line and error bar.
  const pts: [number, number][] = [];
  for (const s of series) {
    let prev: [number, number] | null = null;
    for (let k = 0; k < s.x.length; k++) {
      if (!okX(s.x[k]) || !okY(s.y[k])) {
        prev = null;
        continue;
      }
      const p: [number, number] = [px(s.x[k]), py(s.y[k])];
      // The error bar, sampled every few pixels.
      const e = s.err ? Math.abs(s.err[k]) : NaN;
      if (Number.isFinite(e) && e > 0) {
        const ends = [s.y[k] - e, s.y[k] + e].filter(okY).map(py);
        const lo = Math.min(p[1], ...ends),
          hi = Math.max(p[1], ...ends);
        for (let b = lo; b <= hi; b += 3) pts.push([p[0], b]);
      }
      if (prev && s.line !== false) {
        const n = Math.min(200, Math.ceil(Math.hypot(p[0] - prev[0], p[1] - prev[1]) / 3));
        for (let j = 1; j < n; j++)
          pts.push([prev[0] + ((p[0] - prev[0]) * j) / n, prev[1] + ((p[1] - prev[1]) * j) / n]);
      }
      pts.push(p);
      prev = p;
    }
  }
  const frameLeft = size.left;
  const frameRight = size.width - size.right;
  const frameTop = size.top;
  const frameBottom = size.height - size.bottom;
  return refs.map((r) => {
    if (r.y === undefined || !r.label || !okY(r.y)) return { at: r.labelAt ?? "end", below: false };
    const yLine = py(r.y);
    const w = r.label.length * 6.6 + 4;
    const h = 14;
    const options = (r.labelAt ? [r.labelAt] : (["end", "start"] as const)).flatMap((at) =>
      [false, true].map((below) => ({ at, below })),
    );
    let best = options[0];
    let bestScore = Infinity;
    for (const o of options) {
      const xa = o.at === "end" ? frameRight - 4 - w : frameLeft + 4;
      const yc = yLine + (o.below ? 9 : -8);
      const box = { l: xa - 2, r: xa + w + 2, t: yc - h / 2 - 1, b: yc + h / 2 + 1 };
      const outside = box.t < frameTop || box.b > frameBottom;
      const covered = pts.filter(([a, b]) => a >= box.l && a <= box.r && b >= box.t && b <= box.b).length;
      const score = (outside ? 1e6 : 0) + covered;
      if (score < bestScore) {
        best = o;
        bestScore = score;
      }
    }
    return best;
  });
}

export interface LinePanelSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xType?: "linear" | "log";
  yType?: "linear" | "log";
  xDomain?: [number, number];
  yDomain?: [number, number];
  referenceLines?: ReferenceLine[];
  /** Named positions on a linear x axis (categories): ticks at these x only, labelled with their names. */
  xCategories?: readonly { x: number; label: string }[];
  /**
   * Names of the x and y columns of the panel's data table (the CSV), physical names without spaces or `=`
   * (default: derived from the axis labels, see columnName); the error bars go in `<y column>_error`.
   */
  xColumn?: string;
  yColumn?: string;
  /** Light grid lines (default true). */
  grid?: boolean;
  width?: number;
  height?: number;
}

/** Column names that say nothing about the quantity: a table's columns are named for what they hold. */
export const GENERIC_COLUMNS: ReadonlySet<string> = new Set([
  "x",
  "y",
  "z",
  "value",
  "values",
  "err",
  "error",
  "u",
  "v",
]);

/**
 * A CSV column name for an axis label: the part before any "=", without a trailing "(unit or note)", "/" as
 * "_over_", other runs of non-word characters as "_" ("heat current J" -> heat_current_J, "T_hot / T_cold" ->
 * T_hot_over_T_cold, "L (range)" -> L). `fallback` when that leaves nothing or a generic name.
 */
export function columnName(label: string, fallback: string): string {
  const name = label
    .replace(/=.*$/s, "")
    .replace(/\s+\([^()]*\)\s*$/, "")
    .replace(/\s*\/\s*/g, "_over_")
    .replace(/[^A-Za-z0-9_\u0370-\u03ff]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  return name.length === 0 || GENERIC_COLUMNS.has(name) ? fallback : name;
}

function checkSeries(s: Series): void {
  if (s.x.length !== s.y.length)
    throw new ModelError(`series "${s.name}": x has ${s.x.length} values, y has ${s.y.length}`);
  if (s.err && s.err.length !== s.x.length)
    throw new ModelError(`series "${s.name}": err has ${s.err.length} values, x has ${s.x.length}`);
}

/**
 * A line/scatter panel: styled series, optional log axes, reference lines, error bars.
 *
 * @example
 * ```ts
 * import { linePanel, panelFigure } from "ness";
 *
 * const x = [1, 10, 100];
 * const a = linePanel({ xLabel: "x", yLabel: "y", xType: "log", series: [{ name: "log", x, y: x.map(Math.log10) }] });
 * const b = linePanel({ xLabel: "x", yLabel: "1/x", series: [{ name: "inverse", x, y: x.map((v) => 1 / v) }] });
 * const figure = panelFigure({ name: "two-panels", title: "Two panels", caption: "(a) log10 x, (b) 1/x", panels: [a, b] });
 * console.log(figure.name); // => two-panels
 * ```
 */
export function linePanel(spec: LinePanelSpec): Panel {
  checkSpec(spec, "line chart", ["series"], ["series"]);
  spec.series.forEach((s, k) => checkSpec(s, `line chart: series[${k}]`, ["x", "y"]));
  spec.series.forEach(checkSeries);
  const width = spec.width ?? 560;
  const height = spec.height ?? 340;
  const grid = spec.grid ?? true;
  const styled = spec.series.map((s, i) => ({ ...s, color: resolveColor(s.color, i) }));
  const hasErr = styled.some((s) => s.err);
  const xName = spec.xColumn ?? columnName(spec.xLabel, spec.xCategories ? "case" : "abscissa");
  const yDerived = spec.yColumn ?? columnName(spec.yLabel, "ordinate");
  const yName = yDerived === xName ? `${yDerived}_ordinate` : yDerived;
  // On a category axis the CSV names the category, not its position.
  const category = new Map((spec.xCategories ?? []).map((c) => [c.x, c.label]));
  const xOf = (x: number) => category.get(x) ?? x;
  const table: Table = {
    columns: hasErr ? ["series", xName, yName, `${yName}_error`] : ["series", xName, yName],
    descriptions: {
      ...(spec.xLabel ? { [xName]: spec.xLabel } : {}),
      ...(spec.yLabel ? { [yName]: spec.yLabel } : {}),
      ...(hasErr ? { [`${yName}_error`]: `error bar of ${yName} (as drawn)` } : {}),
    },
    rows: styled.flatMap((s) =>
      s.x.map((x, k) => (hasErr ? [s.name, xOf(x), s.y[k], s.err ? s.err[k] : ""] : [s.name, xOf(x), s.y[k]])),
    ),
  };
  const legend: LegendItem[] = styled.map((s) => ({
    label: s.name,
    color: s.color,
    style: s.style,
    line: s.line !== false,
    marker: s.marker,
    errorBar: s.err !== undefined,
    strokeWidth: s.strokeWidth,
  }));
  const allX = styled.flatMap((s) => [...s.x]);
  const allY = styled.flatMap((s) => [...s.y]);
  // The extent of every y a mark puts on the scale (series, error-bar ends, reference lines): the domain Plot infers.
  const extentY = [
    ...allY,
    ...styled.flatMap((s) =>
      s.err ? s.y.flatMap((y, k) => [y - Math.abs(s.err?.[k] ?? 0), y + Math.abs(s.err?.[k] ?? 0)]) : [],
    ),
    ...(spec.referenceLines ?? []).flatMap((r) => (r.y !== undefined ? [r.y] : [])),
  ];
  const extentX = [...allX, ...(spec.referenceLines ?? []).flatMap((r) => (r.x !== undefined ? [r.x] : []))];
  const okX = (x: number) => Number.isFinite(x) && (spec.xType !== "log" || x > 0);
  const okY = (y: number) => Number.isFinite(y) && (spec.yType !== "log" || y > 0);

  const plot = (document: Document): SVGElement => {
    const marks: Plot.Markish[] = [plotLib().frame({ stroke: "#000", strokeWidth: 0.8 })];
    // Log axes: grid lines at decades only (Plot would also draw every minor tick).
    const gridStyle = { stroke: "currentColor", strokeOpacity: 0.1 };
    if (grid && spec.xType === "log") marks.push(plotLib().gridX(decades(spec.xDomain ?? allX), gridStyle));
    if (grid && spec.yType === "log") marks.push(plotLib().gridY(decades(spec.yDomain ?? allY), gridStyle));
    const places = placeReferenceLabels(spec, styled, {
      width,
      height,
      left: MARGIN.left,
      right: MARGIN.right,
      top: MARGIN.top,
      bottom: MARGIN.bottom,
      inset: 8,
    });
    for (const [k, r] of (spec.referenceLines ?? []).entries()) {
      const stroke = resolveColor(r.color ?? "#555", 0);
      const dash = dashArray(r.style ?? "dashed");
      if (r.y !== undefined) {
        marks.push(plotLib().ruleY([r.y], { stroke, strokeDasharray: dash, strokeWidth: 1 }));
        if (r.label) {
          const start = places[k].at === "start";
          marks.push(
            plotLib().text([r.label], {
              y: () => r.y,
              frameAnchor: start ? "left" : "right",
              textAnchor: start ? "start" : "end",
              dx: start ? 4 : -4,
              dy: places[k].below ? 9 : -8,
              fill: stroke,
              fontSize: 11,
              stroke: "white",
              strokeWidth: 3,
            }),
          );
        }
      }
      if (r.x !== undefined) {
        marks.push(plotLib().ruleX([r.x], { stroke, strokeDasharray: dash, strokeWidth: 1 }));
        if (r.label) {
          const start = r.labelAt === "start";
          marks.push(
            plotLib().text([r.label], {
              x: () => r.x,
              frameAnchor: start ? "bottom" : "top",
              textAnchor: "start",
              dx: 4,
              dy: start ? -9 : 9,
              fill: stroke,
              fontSize: 11,
              stroke: "white",
              strokeWidth: 3,
            }),
          );
        }
      }
    }
    for (const s of styled) {
      const pts = s.x
        .map((x, k) => ({ x, y: s.y[k], e: s.err ? s.err[k] : 0, hollow: s.hollow?.[k] === true }))
        .filter((p) => okX(p.x) && (okY(p.y) || !Number.isFinite(p.y)));
      if (s.err) {
        const bars = pts
          .filter((p) => okY(p.y) && Number.isFinite(p.e))
          .map((p) => ({ x: p.x, y1: p.y - Math.abs(p.e), y2: p.y + Math.abs(p.e) }))
          .map((b) => (spec.yType === "log" && b.y1 <= 0 ? { ...b, y1: undefined } : b));
        marks.push(plotLib().ruleX(bars, { x: "x", y1: "y1", y2: "y2", stroke: s.color, strokeWidth: 1.2 }));
      }
      if (s.line !== false) {
        marks.push(
          plotLib().line(
            pts.map((p) => ({ x: p.x, y: okY(p.y) ? p.y : NaN })),
            {
              x: "x",
              y: "y",
              stroke: s.color,
              strokeWidth: s.strokeWidth ?? 2,
              strokeDasharray: dashArray(s.style),
              strokeLinecap: "butt",
              // A given domain may cut a line: it stops at the frame (not across the axes and titles).
              ...(spec.xDomain || spec.yDomain ? { clip: true } : {}),
            },
          ),
        );
      }
      if (s.marker) {
        marks.push(
          plotLib().dot(
            pts.filter((p) => okY(p.y) && !p.hollow),
            {
              x: "x",
              y: "y",
              symbol: s.marker,
              r: 3.5,
              fill: s.color,
              stroke: "white",
              strokeWidth: 0.6,
            },
          ),
        );
        const hollow = pts.filter((p) => okY(p.y) && p.hollow);
        if (hollow.length > 0)
          marks.push(
            plotLib().dot(hollow, {
              x: "x",
              y: "y",
              symbol: s.marker,
              r: 3.5,
              fill: "white",
              stroke: s.color,
              strokeWidth: 1.4,
            }),
          );
      }
    }
    const render = (shift: number) => {
      const marginLeft = MARGIN.left + Math.max(0, shift - Y_LABEL_ROOM);
      const xInset = spec.xDomain ? 0 : 6;
      const yInset = spec.yDomain ? 0 : 8;
      return plotSvg(document, {
        width,
        height,
        // Wide y tick labels (−0.15) push the y label left, into the margin's spare room, then the frame right.
        marginLeft,
        marginRight: MARGIN.right,
        marginTop: MARGIN.top,
        marginBottom: MARGIN.bottom,
        // Like matplotlib's margins: data never touches the frame unless a domain is given.
        x: {
          ...axis(spec.xLabel, spec.xType, spec.xDomain, grid && spec.xType !== "log", allX, {
            pixels: width - marginLeft - MARGIN.right - 2 * xInset,
            spacing: 80,
            extent: extentX,
          }),
          ...(spec.xCategories
            ? {
                ticks: spec.xCategories.map((c) => c.x),
                tickFormat: (x: number) => spec.xCategories?.find((c) => c.x === x)?.label ?? "",
              }
            : {}),
          labelOffset: 38,
          inset: xInset,
        },
        y: {
          ...axis(spec.yLabel, spec.yType, spec.yDomain, grid && spec.yType !== "log", allY, {
            pixels: height - MARGIN.top - MARGIN.bottom - 2 * yInset,
            spacing: 35,
            extent: extentY,
          }),
          labelOffset: Y_LABEL_OFFSET + shift,
          inset: yInset,
        },
        marks,
      });
    };
    const svg = render(0);
    const shift = spec.yLabel ? yLabelShift(svg) : 0;
    return shift > 0 ? render(shift) : svg;
  };
  return { title: spec.title, width, height, legend, plot, table };
}

/** Where a line panel's y label sits left of the frame, and how far it may move further left inside the panel. */
const Y_LABEL_OFFSET = 54;
const Y_LABEL_ROOM = 8;

/** Widths of DejaVu Sans glyphs in em (digits are tabular); other characters about 0.62. */
const GLYPH_EM: Record<string, number> = { ".": 0.318, ",": 0.318, "−": 0.838, "-": 0.361, "+": 0.838, " ": 0.318 };

/**
 * How far (px) a rendered line panel's y label must move left to keep 3 px off its widest tick label: Plot puts the
 * tick labels' right edge 9 px left of the frame and the rotated label's descenders Y_LABEL_OFFSET - 0.95 em left of
 * it. 0 when they do not meet.
 */
function yLabelShift(svg: SVGElement): number {
  let widest = 0;
  for (const t of Array.from(svg.querySelectorAll('g[aria-label="y-axis tick label"] text'))) {
    let em = 0;
    for (const c of t.textContent ?? "")
      em += GLYPH_EM[c] ?? (/[0-9]/.test(c) ? 0.636 : /[⁰-⁹⁻¹²³]/.test(c) ? 0.4 : 0.62);
    widest = Math.max(widest, em * AXIS_FONT);
  }
  const room = Y_LABEL_OFFSET - 0.95 * AXIS_FONT - 9 - 3;
  return Math.max(0, Math.ceil(widest - room));
}

// ---------------------------------------------------------------------------
// Heatmaps with vector fields

export interface HeatmapSpec {
  title?: string;
  xLabel: string;
  yLabel: string;
  /** Cell centres along x and y, ascending. */
  x: readonly number[];
  y: readonly number[];
  /** values[j][i] is the field at (x[i], y[j]). */
  values: readonly (readonly number[])[];
  color: { label: string; scheme?: string; domain?: [number, number]; reverse?: boolean };
  /** Vector field (e.g. a probability current) on the same grid: (u[j][i], v[j][i]) at (x[i], y[j]). */
  vectors?: {
    u: readonly (readonly number[])[];
    v: readonly (readonly number[])[];
    /** Draw every stride-th grid point (default: about 16 arrows per axis). */
    stride?: number;
    label?: string;
    color?: string;
  };
  /**
   * Names of the data table's columns: x, y, the field and (with vectors) the vector's two components (default:
   * from the axis, colour and vector labels, see columnName; the components as `<vector>_<x>`, `<vector>_<y>`).
   */
  columns?: { x?: string; y?: string; value?: string; u?: string; v?: string };
  width?: number;
  height?: number;
}

function cellEdges(c: readonly number[], axisName: string): number[] {
  if (c.length === 0) throw new ModelError(`heatmap: no ${axisName} values`);
  for (let i = 1; i < c.length; i++) {
    if (!(c[i] > c[i - 1]))
      throw new ModelError(`heatmap: ${axisName} centres must be strictly ascending (index ${i})`);
  }
  if (c.length === 1) return [c[0] - 0.5, c[0] + 0.5];
  const e = [c[0] - (c[1] - c[0]) / 2];
  for (let i = 1; i < c.length; i++) e.push((c[i - 1] + c[i]) / 2);
  e.push(c[c.length - 1] + (c[c.length - 1] - c[c.length - 2]) / 2);
  return e;
}

function checkGrid(m: readonly (readonly number[])[], nx: number, ny: number, what: string): void {
  if (m.length !== ny) throw new ModelError(`heatmap: ${what} has ${m.length} rows, expected ${ny} (one per y)`);
  m.forEach((r, j) => {
    if (r.length !== nx)
      throw new ModelError(`heatmap: ${what} row ${j} has ${r.length} values, expected ${nx} (one per x)`);
  });
}

/**
 * A heatmap of a scalar field on a grid (rect cells, not a raster) with an optional vector overlay.
 *
 * @example
 * ```ts
 * import { heatmapPanel } from "ness";
 *
 * const panel = heatmapPanel({
 *   xLabel: "x1", yLabel: "x2", x: [0, 1, 2], y: [0, 1],
 *   values: [[1, 2, 3], [4, 5, 6]], color: { label: "p(x1, x2)" },
 *   vectors: { u: [[1, 1, 1], [1, 1, 1]], v: [[0, 0, 0], [0, 0, 0]], label: "current" },
 * });
 * console.log(panel.width > 0); // => true
 * ```
 */
export function heatmapPanel(spec: HeatmapSpec): Panel {
  checkSpec(spec, "heatmap", ["x", "y", "values"]);
  checkSpec(spec.color, "heatmap: color", []);
  const nx = spec.x.length;
  const ny = spec.y.length;
  const xe = cellEdges(spec.x, "x");
  const ye = cellEdges(spec.y, "y");
  checkGrid(spec.values, nx, ny, "values");
  if (spec.vectors) {
    checkGrid(spec.vectors.u, nx, ny, "vectors.u");
    checkGrid(spec.vectors.v, nx, ny, "vectors.v");
  }
  const finite = spec.values.flat().filter(Number.isFinite);
  const domain: [number, number] = spec.color.domain ?? [Math.min(...finite), Math.max(...finite)];
  const ramp: ColorRamp = {
    label: spec.color.label,
    domain,
    scheme: spec.color.scheme ?? "viridis",
    reverse: spec.color.reverse,
  };
  const width = spec.width ?? 480;
  const height = spec.height ?? 400;

  const cells: { x1: number; x2: number; y1: number; y2: number; v: number }[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++)
      cells.push({ x1: xe[i], x2: xe[i + 1], y1: ye[j], y2: ye[j + 1], v: spec.values[j][i] });
  }

  const names = spec.columns ?? {};
  const xName = names.x ?? columnName(spec.xLabel, "abscissa");
  const yName = names.y ?? columnName(spec.yLabel, "ordinate");
  const valueName = names.value ?? columnName(spec.color.label, "field");
  const vectorName = columnName(spec.vectors?.label ?? "", "vector");
  const table: Table = {
    columns: spec.vectors
      ? [xName, yName, valueName, names.u ?? `${vectorName}_${xName}`, names.v ?? `${vectorName}_${yName}`]
      : [xName, yName, valueName],
    rows: [],
    descriptions: {
      [xName]: spec.xLabel,
      [yName]: spec.yLabel,
      [valueName]: spec.color.label,
      ...(spec.vectors?.label
        ? { [names.u ?? `${vectorName}_${xName}`]: `${spec.vectors.label}, ${xName} component` }
        : {}),
      ...(spec.vectors?.label
        ? { [names.v ?? `${vectorName}_${yName}`]: `${spec.vectors.label}, ${yName} component` }
        : {}),
    },
  };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const row: (number | string)[] = [spec.x[i], spec.y[j], spec.values[j][i]];
      if (spec.vectors) row.push(spec.vectors.u[j][i], spec.vectors.v[j][i]);
      table.rows.push(row);
    }
  }

  // Arrows are black over light cells and white over dark ones, unless a colour is given.
  const cellColor = rampColor(ramp);
  const arrows: { x1: number; y1: number; x2: number; y2: number; ink: string }[] = [];
  const vec = spec.vectors;
  if (vec) {
    const stride = vec.stride ?? Math.max(1, Math.round(Math.max(nx, ny) / 16));
    const dx = (xe[nx] - xe[0]) / nx;
    const dy = (ye[ny] - ye[0]) / ny;
    const picked: { x: number; y: number; u: number; v: number; value: number }[] = [];
    const off = (n: number) => Math.floor(((n - 1) % stride) / 2);
    for (let j = off(ny); j < ny; j += stride) {
      for (let i = off(nx); i < nx; i += stride) {
        const u = vec.u[j][i];
        const v = vec.v[j][i];
        if (Number.isFinite(u) && Number.isFinite(v))
          picked.push({ x: spec.x[i], y: spec.y[j], u, v, value: spec.values[j][i] });
      }
    }
    const big = Math.max(0, ...picked.map((p) => Math.hypot(p.u / dx, p.v / dy)));
    const cellW = (width - 78) / nx; // approximate cell size in px (plot area / cells)
    const cellH = (height - 56) / ny;
    if (big > 0) {
      const s = (0.9 * stride) / big; // the largest arrow spans 0.9 strides of cells
      for (const p of picked) {
        // Arrows shorter than about a head length show no direction: leave them out.
        if (s * Math.hypot((p.u / dx) * cellW, (p.v / dy) * cellH) < 7) continue;
        const hx = (s * p.u) / 2;
        const hy = (s * p.v) / 2;
        const ink = vec.color ? resolveColor(vec.color, 0) : textColorOn(cellColor(p.value));
        arrows.push({ x1: p.x - hx, y1: p.y - hy, x2: p.x + hx, y2: p.y + hy, ink });
      }
    }
  }
  const legend: LegendItem[] | undefined = vec
    ? [
        {
          label: vec.label ?? "probability current",
          color: vec.color ? resolveColor(vec.color, 0) : "#333",
          arrow: true,
        },
      ]
    : undefined;

  const plot = (document: Document): SVGElement => {
    const marks: Plot.Markish[] = [
      plotLib().rect(cells, {
        x1: "x1",
        x2: "x2",
        y1: "y1",
        y2: "y2",
        fill: "v",
        stroke: "v",
        strokeWidth: 0.4,
        inset: 0,
      }),
    ];
    if (arrows.length > 0) {
      marks.push(
        plotLib().arrow(arrows, {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          stroke: (a: { ink: string }) => a.ink,
          strokeWidth: 1.4,
          headLength: 6,
        }),
      );
    }
    marks.push(plotLib().frame({ stroke: "#000", strokeWidth: 0.8 }));
    return plotSvg(document, {
      width,
      height,
      marginLeft: 64,
      marginRight: 14,
      marginTop: 10,
      marginBottom: 46,
      x: { ...axis(spec.xLabel, "linear", [xe[0], xe[nx]], false), labelOffset: 38 },
      y: { ...axis(spec.yLabel, "linear", [ye[0], ye[ny]], false), labelOffset: 54 },
      color: { type: "linear", domain, scheme: ramp.scheme as Plot.ColorScheme, reverse: ramp.reverse },
      marks,
    });
  };
  return { title: spec.title, width, height, legend, ramp, plot, table };
}

// ---------------------------------------------------------------------------
// Particle snapshots

export interface ParticleScatterSpec {
  title?: string;
  /** Periodic box: side lengths [Lx, Ly] (origin at 0) or explicit extents. */
  box: [number, number] | { x: [number, number]; y: [number, number] };
  x: readonly number[];
  y: readonly number[];
  /** Category of each particle, e.g. "hot" / "cold". */
  category: readonly string[];
  /** Order and colours of the categories (default: order of appearance; "hot" red, "cold" blue, else matplotlib's cycle). */
  categories?: { name: string; color?: string; label?: string }[];
  /** Particle radius in data units, drawn to scale (default: 3 px markers). */
  radius?: number;
  xLabel?: string;
  yLabel?: string;
  /** Width of the chart in px (the plot area is drawn with equal x and y scales). */
  size?: number;
}

/**
 * A snapshot of particles in a periodic box, coloured by category, with equal axis scales.
 *
 * @example
 * ```ts
 * import { particleScatterPanel } from "ness";
 *
 * const panel = particleScatterPanel({ box: [4, 4], x: [1, 3], y: [1, 3], category: ["hot", "cold"], radius: 0.5 });
 * console.log(panel.legend?.length); // => 2
 * ```
 */
export function particleScatterPanel(spec: ParticleScatterSpec): Panel {
  checkSpec(spec, "particle scatter", ["x", "y", "category"]);
  if (spec.box === null || typeof spec.box !== "object")
    throw new ModelError("particle scatter: box must be [lx, ly] or {x: [lo, hi], y: [lo, hi]}");
  const n = spec.x.length;
  if (spec.y.length !== n || spec.category.length !== n) {
    throw new ModelError(
      `particle scatter: x, y and category must have the same length (${n}, ${spec.y.length}, ${spec.category.length})`,
    );
  }
  const [bx, by] = Array.isArray(spec.box)
    ? [[0, spec.box[0]] as [number, number], [0, spec.box[1]] as [number, number]]
    : [spec.box.x, spec.box.y];
  const lx = bx[1] - bx[0];
  const ly = by[1] - by[0];
  if (!(lx > 0 && ly > 0)) throw new ModelError("particle scatter: the box must have positive side lengths");
  const names = spec.categories?.map((c) => c.name) ?? [...new Set(spec.category)];
  for (const c of spec.category) if (!names.includes(c)) names.push(c);
  const colors = names.map((name, i) => {
    const given = spec.categories?.find((c) => c.name === name)?.color;
    if (given) return resolveColor(given, i);
    if (/hot/i.test(name)) return MPL.red;
    if (/cold/i.test(name)) return MPL.blue;
    return resolveColor(undefined, i);
  });
  const labels = names.map((name) => {
    const label = spec.categories?.find((c) => c.name === name)?.label ?? name;
    const count = spec.category.filter((c) => c === name).length;
    return `${label} (${count})`;
  });
  const ml = 56;
  const mr = 14;
  const mt = 10;
  const mb = 46;
  const width = spec.size ?? 420;
  const inner = width - ml - mr;
  const innerH = inner * (ly / lx);
  const height = Math.round(innerH + mt + mb);
  const rPx = spec.radius !== undefined ? Math.max(0.8, (spec.radius * inner) / lx) : 3;
  const rData = (rPx * lx) / inner;

  const table: Table = {
    columns: ["particle", "species", "position_x", "position_y"],
    rows: spec.x.map((x, k) => [k, spec.category[k], x, spec.y[k]]),
  };
  // Periodic images of particles that cross the box edges, so discs wrap around.
  const pts: { x: number; y: number; c: string }[] = [];
  for (let k = 0; k < n; k++) {
    const x = spec.x[k];
    const y = spec.y[k];
    const sx = [0, x - bx[0] < rData ? lx : 0, bx[1] - x < rData ? -lx : 0].filter((v, i) => i === 0 || v !== 0);
    const sy = [0, y - by[0] < rData ? ly : 0, by[1] - y < rData ? -ly : 0].filter((v, i) => i === 0 || v !== 0);
    for (const ox of sx) for (const oy of sy) pts.push({ x: x + ox, y: y + oy, c: spec.category[k] });
  }
  // Draw the most numerous category first so the rarer one stays visible.
  const counts = new Map(names.map((nm) => [nm, spec.category.filter((c) => c === nm).length]));
  pts.sort((a, b) => counts.get(b.c)! - counts.get(a.c)!);

  const legend: LegendItem[] = names.map((_, i) => ({
    label: labels[i],
    color: colors[i],
    line: false,
    marker: "circle",
  }));
  const plot = (document: Document): SVGElement =>
    plotSvg(document, {
      width,
      height,
      marginLeft: ml,
      marginRight: mr,
      marginTop: mt,
      marginBottom: mb,
      x: { ...axis(spec.xLabel ?? "x", "linear", bx, false), labelOffset: 38, nice: false },
      y: { ...axis(spec.yLabel ?? "y", "linear", by, false), labelOffset: 46, nice: false },
      color: { type: "ordinal", domain: names, range: colors },
      marks: [
        plotLib().dot(pts, {
          x: "x",
          y: "y",
          r: rPx,
          fill: "c",
          stroke: "#000",
          strokeWidth: rPx > 2.5 ? 0.5 : 0,
          strokeOpacity: 0.6,
          clip: true,
        }),
        plotLib().frame({ stroke: "#000", strokeWidth: 1 }),
      ],
    });
  return { title: spec.title, width, height, legend, plot, table };
}

// ---------------------------------------------------------------------------
// Multi-panel figures

export interface PanelFigureSpec {
  name: string;
  title: string;
  caption: string;
  panels: Panel[];
  /** Panels per row (default: all in one row up to 2, then 2 per row). */
  columns?: number;
  /** Prefix panel titles with (a), (b), ... (default: true when there is more than one panel). */
  labels?: boolean;
  /**
   * "shared": one legend under the figure (union of the panels' entries);
   * "per-panel": each panel's legend under it; "auto" (default): shared when the
   * panels' entries agree (same label means same colour and style), else per panel.
   */
  legend?: "shared" | "per-panel" | "auto";
  /** The data behind the figure (default: the panels' tables merged, with a "panel" column). */
  table?: Table;
}

function itemKey(it: LegendItem): string {
  return JSON.stringify([it.color, it.style ?? "solid", it.line !== false, it.marker ?? "", !!it.fill, !!it.arrow]);
}

function rampKey(r: ColorRamp): string {
  return JSON.stringify([r.label, r.domain, r.scheme ?? "", !!r.reverse]);
}

/** Merge tables of several panels: a leading "panel" column and the union of their columns. */
export function mergePanelTables(panels: { label: string; table: Table }[]): Table {
  const columns: string[] = [];
  const descriptions: Record<string, string> = {};
  for (const p of panels) {
    for (const c of p.table.columns) if (!columns.includes(c)) columns.push(c);
    for (const [c, d] of Object.entries(p.table.descriptions ?? {})) descriptions[c] ??= d;
  }
  const rows = panels.flatMap((p) =>
    p.table.rows.map((r) => [
      p.label,
      ...columns.map((c) => {
        const k = p.table.columns.indexOf(c);
        return k < 0 ? "" : r[k];
      }),
    ]),
  );
  return { columns: ["panel", ...columns], rows, ...(Object.keys(descriptions).length > 0 ? { descriptions } : {}) };
}

function panelLabel(i: number): string {
  return `(${String.fromCharCode(97 + (i % 26))})`;
}

function panelTitleBlock(
  document: Document,
  label: string | undefined,
  title: string | undefined,
  width: number,
): Block | undefined {
  if (!label && !title) return undefined;
  const fs = 13;
  const lines = wrapText(title ?? "", width - (label ? textWidth(label, fs, true) + 6 : 0), fs);
  const g = svgEl(document, "g", { "font-size": fs, "text-anchor": "middle", class: "panel-title" });
  lines.forEach((line, i) => {
    const t = svgEl(document, "text", { x: width / 2, y: fs * (0.9 + i * 1.3) });
    if (i === 0 && label) {
      t.appendChild(svgEl(document, "tspan", { "font-weight": "bold" }, line ? `${label} ` : label));
    }
    if (line) t.appendChild(document.createTextNode(line));
    g.appendChild(t);
  });
  return { element: g, width, height: fs * (lines.length * 1.3) + 2 };
}

/**
 * Lay out panels in a grid (each with its own title, optional (a)-(d) labels) as one Figure.
 *
 * @example
 * ```ts
 * import { heatmapPanel, linePanel, panelFigure } from "ness";
 *
 * const line = linePanel({ xLabel: "t", yLabel: "x", series: [{ name: "x(t)", x: [0, 1, 2], y: [0, 1, 0] }] });
 * const map = heatmapPanel({ xLabel: "x", yLabel: "y", x: [0, 1], y: [0, 1], values: [[0, 1], [1, 2]], color: { label: "density" } });
 * const figure = panelFigure({ name: "panels", title: "A line and a map", caption: "Two panels, labelled (a) and (b).", panels: [line, map] });
 * console.log(figure.table.columns[0]); // => panel
 * ```
 */
export function panelFigure(spec: PanelFigureSpec): Figure {
  checkSpec(spec, "panel figure", ["panels"], ["panels"]);
  const { panels } = spec;
  if (panels.length === 0) throw new ModelError(`figure "${spec.name}": no panels`);
  const columns = Math.max(1, spec.columns ?? (panels.length <= 2 ? panels.length : 2));
  const useLabels = spec.labels ?? panels.length > 1;
  const labels = panels.map((_, i) => (useLabels ? panelLabel(i) : undefined));

  // Legends: shared when consistent, otherwise under each panel.
  const union: LegendItem[] = [];
  const byLabel = new Map<string, string>();
  let consistent = true;
  for (const p of panels) {
    for (const it of p.legend ?? []) {
      const key = itemKey(it);
      const prev = byLabel.get(it.label);
      if (prev === undefined) {
        byLabel.set(it.label, key);
        union.push(it);
      } else if (prev !== key) consistent = false;
    }
  }
  const mode = spec.legend ?? "auto";
  const sharedLegend = mode === "shared" || (mode === "auto" && consistent && union.length <= 10);
  const ramps = panels.map((p) => p.ramp).filter((r): r is ColorRamp => r !== undefined);
  const sharedRamp =
    ramps.length > 0 && ramps.length === panels.length && new Set(ramps.map(rampKey)).size === 1 && panels.length > 1;

  const table =
    spec.table ??
    (panels.length === 1
      ? panels[0].table
      : mergePanelTables(
          panels.map((p, i) => ({
            label: [labels[i], p.title].filter(Boolean).join(" ") || String(i + 1),
            table: p.table,
          })),
        ));

  // A method (not an arrow): the title and caption are read from the figure the call is made on, so a copy with a
  // changed caption ({ ...figure, caption }: citeFigure adds the references) draws its own.
  function render(this: Pick<Figure, "title" | "caption">, document: Document): Element {
    // Titles of a row take the height of its tallest (a title that wraps does not push its plot below its
    // neighbours': the plot frames of a row line up).
    const titles = panels.map((p, i) => panelTitleBlock(document, labels[i], p.title, p.width));
    const titleH = (i: number) => {
      const r = Math.floor(i / columns);
      return Math.max(0, ...titles.slice(r * columns, (r + 1) * columns).map((t) => t?.height ?? 0));
    };
    const cells: Block[] = panels.map((p, i) => {
      const parts: Block[] = [];
      const t = titles[i];
      const h = titleH(i);
      if (h > 0) {
        const g = svgEl(document, "g", {});
        if (t) g.appendChild(place(t, 0, h - t.height));
        parts.push({ element: g, width: t?.width ?? p.width, height: h });
      }
      parts.push({ element: p.plot(document), width: p.width, height: p.height });
      const under: Block[] = [];
      if (p.ramp && !sharedRamp) under.push(rampLegend(document, p.ramp, Math.min(260, p.width - 40)));
      if (!sharedLegend && p.legend && p.legend.length > 0) under.push(swatchLegend(document, p.legend, p.width));
      if (under.length > 0) parts.push(stack(document, under, 6));
      return stack(document, parts, 4);
    });
    const rows = Math.ceil(cells.length / columns);
    const colW = Array.from({ length: columns }, (_, c) =>
      Math.max(0, ...cells.filter((_, i) => i % columns === c).map((b) => b.width)),
    );
    const rowH = Array.from({ length: rows }, (_, r) =>
      Math.max(0, ...cells.slice(r * columns, (r + 1) * columns).map((b) => b.height)),
    );
    const gapX = 24;
    const gapY = 18;
    const grid = svgEl(document, "g", { class: "panels" });
    cells.forEach((b, i) => {
      const r = Math.floor(i / columns);
      const c = i % columns;
      const x = colW.slice(0, c).reduce((s, w) => s + w + gapX, 0) + (colW[c] - b.width) / 2;
      const y = rowH.slice(0, r).reduce((s, h) => s + h + gapY, 0);
      const g = svgEl(document, "g", { transform: `translate(${x},${y})`, class: "panel" });
      g.appendChild(b.element);
      grid.appendChild(g);
    });
    const body: Block = {
      element: grid,
      width: colW.reduce((s, w) => s + w, 0) + gapX * (columns - 1),
      height: rowH.reduce((s, h) => s + h, 0) + gapY * (rows - 1),
    };
    const legends: Block[] = [];
    if (sharedRamp) legends.push(rampLegend(document, ramps[0], 280));
    if (sharedLegend && union.length > 0)
      legends.push(swatchLegend(document, union, Math.max(360, body.width - (sharedRamp ? 320 : 0))));
    return composeFigure(document, { title: this.title, body, legends, caption: this.caption });
  }
  return { name: spec.name, title: spec.title, caption: spec.caption, table, render };
}

/** Common fields of the single-panel figure builders. */
export interface FigureMeta {
  name: string;
  /** Figure title (the panel itself gets no separate title). */
  title: string;
  caption: string;
  /** Override the data table (default: the panel's own table). */
  table?: Table;
}

function single(meta: FigureMeta, panel: Panel): Figure {
  return panelFigure({ ...meta, panels: [{ ...panel, title: undefined }], labels: false, legend: "shared" });
}

/**
 * A one-panel line chart.
 *
 * @example
 * ```ts
 * import { lineChart } from "ness";
 * import { renderSvg } from "ness/node";
 *
 * const x = [0, 1, 2, 3];
 * const figure = lineChart({
 *   name: "squares", title: "Squares", caption: "y = x²",
 *   xLabel: "x", yLabel: "y", series: [{ name: "x²", x, y: x.map((v) => v * v), marker: "circle" }],
 * });
 * console.log(renderSvg(figure).includes("<svg")); // => true
 * ```
 */
export function lineChart(spec: LinePanelSpec & FigureMeta): Figure {
  return single(spec, linePanel(spec));
}

/**
 * A one-panel heatmap (with optional vector field).
 *
 * @example
 * ```ts
 * import { heatmapFigure } from "ness";
 *
 * const figure = heatmapFigure({
 *   name: "density", title: "A density", caption: "values[j][i] at (x[i], y[j])",
 *   xLabel: "x", yLabel: "y", x: [0, 1], y: [0, 1, 2], values: [[0, 1], [1, 2], [2, 3]], color: { label: "density" },
 * });
 * console.log(figure.name); // => density
 * ```
 */
export function heatmapFigure(spec: HeatmapSpec & FigureMeta): Figure {
  return single(spec, heatmapPanel(spec));
}

/**
 * A one-panel particle snapshot.
 *
 * @example
 * ```ts
 * import { particleScatter } from "ness";
 *
 * const figure = particleScatter({
 *   name: "snapshot", title: "Hot and cold", caption: "Two particles in a periodic box of side 4.",
 *   box: [4, 4], x: [1, 3], y: [1, 3], category: ["hot", "cold"],
 * });
 * console.log(figure.table.rows.length); // => 2
 * ```
 */
export function particleScatter(spec: ParticleScatterSpec & FigureMeta): Figure {
  return single(spec, particleScatterPanel(spec));
}
