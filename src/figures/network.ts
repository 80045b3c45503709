// The network figure of a harmonic-network NESS: sites as discs coloured by their local (kinetic) temperature,
// heat baths as boxes beside their sites with flux arrows, springs with arrows along the actual heat flux (size
// growing with |flux|, value beside). Springs that would pass over another site are bent around it, and every label
// is placed at the first free position around its anchor, so nothing overlaps (layout.ts). Up to FULL_MAX sites
// every value is written; up to DRAW_MAX a simpler drawing without the values on the springs; beyond, a drawing
// would be an unreadable hairball (and slow to lay out), so the figure is a summary: the temperature and the bath
// fluxes against the site number, with a note saying so.
import {
  type Block,
  type ColorRamp,
  type Figure,
  type LegendItem,
  MPL,
  composeFigure,
  fmtNum,
  formatNumber,
  rampColor,
  rampLegend,
  svgEl,
  swatchLegend,
  textColorOn,
} from "./figure.js";
import { ModelError } from "../errors.js";
import { linePanel, panelFigure } from "./charts.js";
import { checkSpec } from "./check.js";
import {
  type Box,
  type Layer,
  type Point,
  Occupancy,
  boxAround,
  networkLayout,
  bezierAt,
  bezierPolyline,
  routeEdges,
} from "./layout.js";

export interface NetworkSite {
  name: string;
  /** Local temperature of the site: the kinetic temperature ⟨p²⟩/m (or the one named by temperatureLabel). */
  kineticTemperature: number;
  /** Drawing position (y up); used only when every site has one. */
  position?: [number, number];
  /** Heat bath attached to the site; flux = heat per unit time from the bath into the site. */
  bath?: { temperature: number; flux: number };
}

export interface NetworkSpring {
  between: [string, string];
  /** Heat flux from between[0] to between[1] (may be negative). */
  flux: number;
}

export interface NetworkFigureData {
  title?: string;
  /** File stem (default "network"). */
  name?: string;
  /** Extra caption text, put before the explanation of the symbols. */
  caption?: string;
  /** What the site colours show (default "kinetic temperature ⟨p²⟩/m"). */
  temperatureLabel?: string;
  sites: NetworkSite[];
  springs: NetworkSpring[];
}

/** Up to this many sites every value is written; beyond, the values on the springs are left to tooltips and the CSV. */
export const FULL_MAX = 50;
/** Up to this many sites the network is drawn; beyond, the figure is a summary (temperatures and bath fluxes by site). */
export const DRAW_MAX = 100;
/** The units, stated in the legends (docs/model-format.md: kB = 1, any consistent set of units). */
const TEMPERATURE_UNITS = "energy units, kB = 1";
const FLUX_UNITS = "energy per unit time";
const MAX_R = 24; // disc radius, px (smaller when sites are packed closely)
const AGAINST_COLOR = MPL.magenta;
const FLUX_COLOR = "#2b2b2b";
const SPRING_COLOR = "#9a9a9a";
const LABEL_SIZE = 12;

// Text boxes. The renderer uses DejaVu Sans only: its glyphs are at most 0.65 em wide (1 em for m, w, M, W, %, @;
// bold 10% wider) and reach 0.8 em above the baseline and 0.25 em below it.
const WIDE = new Set("mwMW%@");
/** Width in px of `text` set in DejaVu Sans at `fontSize` (an upper bound for the ink). */
export function labelWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += WIDE.has(ch) ? 1 : 0.65;
  return em * fontSize * (bold ? 1.1 : 1);
}
/** Height in px of a line of text at `fontSize` (ascent 0.8 em plus descent 0.25 em). */
export function labelHeight(fontSize: number): number {
  return 1.05 * fontSize;
}
/** Baseline of a text whose box is centred at cy. */
function baseline(cy: number, fontSize: number): number {
  return cy - labelHeight(fontSize) / 2 + 0.8 * fontSize;
}

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
/** "T₁₂" for site "12"; plain "T" for names that have no Unicode subscript. */
function bathSymbol(site: string): string {
  return /^[0-9]{1,3}$/.test(site) ? `T${[...site].map((d) => SUBSCRIPT[Number(d)]).join("")}` : "T";
}

interface Arrow {
  tail: Point;
  tip: Point;
  shaft: number;
  head: number;
  headLength: number;
}

/** Arrow size for a flux of relative magnitude r = |flux| / max |flux| (grows linearly with r), times `k`. */
function arrowSize(r: number, k: number): { shaft: number; head: number; length: number } {
  const shaft = (2.5 + 7 * r) * k;
  return { shaft, head: 2 * shaft + 8 * k, length: (30 + 32 * r) * k };
}

function arrowPolygon(a: Arrow): string {
  const dx = a.tip[0] - a.tail[0];
  const dy = a.tip[1] - a.tail[1];
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const nx = -uy;
  const ny = ux;
  const hl = Math.min(a.headLength, 0.7 * len);
  const bx = a.tip[0] - ux * hl;
  const by = a.tip[1] - uy * hl;
  const pts: Point[] = [
    a.tip,
    [bx + (nx * a.head) / 2, by + (ny * a.head) / 2],
    [bx + (nx * a.shaft) / 2, by + (ny * a.shaft) / 2],
    [a.tail[0] + (nx * a.shaft) / 2, a.tail[1] + (ny * a.shaft) / 2],
    [a.tail[0] - (nx * a.shaft) / 2, a.tail[1] - (ny * a.shaft) / 2],
    [bx - (nx * a.shaft) / 2, by - (ny * a.shaft) / 2],
    [bx - (nx * a.head) / 2, by - (ny * a.head) / 2],
  ];
  return pts.map(([x, y]) => `${fmtNum(x)},${fmtNum(y)}`).join(" ");
}

function checkFinite(value: number, what: string): void {
  if (!Number.isFinite(value))
    throw new ModelError(`networkFigure: ${what} is ${String(value)}, expected a finite number`);
}

/**
 * The network figure of a harmonic network NESS.
 *
 * @example
 * ```ts
 * import { networkFigure, solveNetwork, loadModel } from "ness";
 * import { renderSvg } from "ness/node";
 *
 * const model = loadModel("kind: network\nsites: [a, b]\npinning: 1\nsprings: [{between: [a, b], stiffness: 1}]\nbaths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]");
 * const state = solveNetwork(model);
 * const figure = networkFigure({
 *   title: "Two sites",
 *   sites: state.sites.map((name, i) => ({
 *     name,
 *     kineticTemperature: state.kineticTemperature![i], // underdamped networks have one
 *     bath: state.baths.find((b) => b.site === name),
 *   })),
 *   springs: state.springs.map((s) => ({ between: s.between, flux: s.flux })),
 * });
 * console.log(renderSvg(figure).includes("<svg")); // => true
 * ```
 */
export function networkFigure(data: NetworkFigureData): Figure {
  checkSpec(data, "networkFigure", ["sites", "springs"], ["sites", "springs"]);
  data.springs.forEach((s, k) => checkSpec(s, `networkFigure: springs[${k}]`, ["between"]));
  const sites = data.sites;
  if (sites.length === 0) throw new ModelError("networkFigure: the network has no sites");
  const index = new Map<string, number>();
  sites.forEach((s, i) => {
    if (index.has(s.name)) throw new ModelError(`networkFigure: duplicate site name "${s.name}"`);
    index.set(s.name, i);
    checkFinite(s.kineticTemperature, `kinetic temperature of site "${s.name}"`);
    if (s.position !== undefined) {
      if (!Array.isArray(s.position) || s.position.length !== 2)
        throw new ModelError(`networkFigure: position of site "${s.name}" must be [x, y]`);
      s.position.forEach((v, k) => checkFinite(v, `position ${k === 0 ? "x" : "y"} of site "${s.name}"`));
    }
    if (s.bath) {
      checkFinite(s.bath.temperature, `bath temperature of site "${s.name}"`);
      checkFinite(s.bath.flux, `bath flux of site "${s.name}"`);
    }
  });
  const edges = data.springs.map((sp): [number, number] => {
    const ends = sp.between.map((n) => {
      const i = index.get(n);
      if (i === undefined)
        throw new ModelError(`networkFigure: spring ${sp.between[0]}–${sp.between[1]} refers to unknown site "${n}"`);
      return i;
    });
    checkFinite(sp.flux, `flux of spring ${sp.between[0]}–${sp.between[1]}`);
    return [ends[0], ends[1]];
  });

  const title = data.title ?? "Heat fluxes in the nonequilibrium steady state";
  const temperatureLabel = data.temperatureLabel ?? "kinetic temperature ⟨p²⟩/m";
  const explanation =
    `Discs: sites coloured by ${temperatureLabel} (value inside); boxes: heat baths at temperature T. ` +
    "Arrows point along the steady-state heat flux φ, their size growing with |φ| (value beside); " +
    "magenta: heat flowing from the colder to the hotter side.";
  const baseCaption = data.caption ? `${data.caption} ${explanation}` : explanation;

  const table = {
    columns: ["kind", "site", "to", "kinetic_temperature", "bath_temperature", "flux"],
    rows: [
      ...sites.map((s) => ["site", s.name, "", s.kineticTemperature, s.bath?.temperature ?? "", s.bath?.flux ?? ""]),
      ...data.springs.map((sp) => ["spring", sp.between[0], sp.between[1], "", "", sp.flux]),
    ],
  };

  if (sites.length > DRAW_MAX) return summaryFigure(data, { title, temperatureLabel, table });

  // A method: the title and caption come from the figure it is called on (see panelFigure's render).
  function render(this: Pick<Figure, "title" | "caption">, document: Document): Element {
    const body = drawNetwork(document, data, edges, temperatureLabel);
    const caption = [this.caption, ...body.notes].join(" ");
    return composeFigure(document, {
      title: this.title,
      body: body.block,
      legends: body.legends,
      caption,
      minWidth: 640,
      typeset: false,
    });
  }
  return { name: data.name ?? "network", title, caption: baseCaption, table, render };
}

/**
 * Drawing scale (px per layout unit) and disc radius: springs about 170 px long, sites at least 64 px apart and, when
 * the values are written, the middles of two springs of a site at least 56 px apart (room for their arrows and
 * labels), within about 1100 x 800 px (up to 1400 x 1050 for 50 sites).
 */
function drawingScale(layout: Point[], edges: [number, number][], full: boolean): { scale: number; R: number } {
  const n = layout.length;
  if (n === 1) return { scale: 1, R: MAX_R };
  const xs = layout.map((p) => p[0]);
  const ys = layout.map((p) => p[1]);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const lengths = edges.map(([a, b]) => Math.hypot(xs[a] - xs[b], ys[a] - ys[b])).filter((d) => d > 1e-12);
  let gap = Infinity; // closest two sites (for large networks: the median spring, cheaper)
  if (n <= 400) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
        if (d > 1e-12) gap = Math.min(gap, d);
      }
    }
  } else if (lengths.length > 0) {
    gap = [...lengths].sort((a, b) => a - b)[Math.floor(lengths.length / 2)];
  }
  let midGap = Infinity; // closest middles of two springs sharing a site
  if (full) {
    const mids: Point[][] = layout.map(() => []);
    for (const [a, b] of edges) {
      if (a === b) continue;
      const m: Point = [(xs[a] + xs[b]) / 2, (ys[a] + ys[b]) / 2];
      mids[a].push(m);
      mids[b].push(m);
    }
    for (const list of mids) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const d = Math.hypot(list[i][0] - list[j][0], list[i][1] - list[j][1]);
          if (d > 1e-12) midGap = Math.min(midGap, d);
        }
      }
    }
  }
  const edgeUnit = lengths.length > 0 ? Math.min(...lengths) : gap;
  let scale = Number.isFinite(edgeUnit) ? 170 / edgeUnit : 170;
  if (Number.isFinite(gap)) scale = Math.max(scale, 64 / gap);
  if (Number.isFinite(midGap)) scale = Math.max(scale, 56 / midGap);
  const big = Math.max(0, Math.min(1, (n - 20) / 30));
  if (spanX > 0) scale = Math.min(scale, (1100 + 300 * big) / spanX);
  if (spanY > 0) scale = Math.min(scale, (800 + 250 * big) / spanY);
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  const gapPx = Number.isFinite(gap) ? gap * scale : (2 * MAX_R) / 0.3;
  return { scale, R: Math.max(n > 400 ? 2 : 6, Math.min(MAX_R, 0.3 * gapPx)) };
}

/** Where a site's name and temperature go: inside the disc when they fit (font sizes), else outside or tooltip only. */
function discText(name: string, temp: string, R: number): { nameSize?: number; tempSize?: number } {
  const room = R - 2;
  const fits = (boxes: { w: number; h: number; cy: number }[]) =>
    boxes.every(({ w, h, cy }) => Math.hypot(w / 2, Math.abs(cy) + h / 2) <= room);
  for (let s = 1; s >= 0.55; s -= 0.05) {
    const nf = 14 * s;
    const tf = 11 * s;
    const nh = labelHeight(nf);
    const th = labelHeight(tf);
    const total = nh + th;
    if (nf < 8) break;
    if (
      fits([
        { w: labelWidth(name, nf, true), h: nh, cy: -total / 2 + nh / 2 },
        { w: labelWidth(temp, tf), h: th, cy: total / 2 - th / 2 },
      ])
    ) {
      return { nameSize: nf, tempSize: tf };
    }
  }
  for (let tf = 11; tf >= 7; tf -= 0.5)
    if (fits([{ w: labelWidth(temp, tf), h: labelHeight(tf), cy: 0 }])) return { tempSize: tf };
  for (let nf = 14; nf >= 8; nf -= 0.5)
    if (fits([{ w: labelWidth(name, nf, true), h: labelHeight(nf), cy: 0 }])) return { nameSize: nf };
  return {};
}

/** The extent of a w x h box along the unit direction (dx, dy): how far its edge is from its centre. */
function extent(w: number, h: number, dx: number, dy: number): number {
  return (Math.abs(dx) * w) / 2 + (Math.abs(dy) * h) / 2;
}

function drawNetwork(
  document: Document,
  data: NetworkFigureData,
  edges: [number, number][],
  temperatureLabel: string,
): { block: Block; legends: Block[]; notes: string[] } {
  const sites = data.sites;
  const n = sites.length;
  const full = n <= FULL_MAX;
  const layout = networkLayout(
    n,
    edges,
    sites.map((s) => s.position),
  );
  const { scale, R } = drawingScale(layout, edges, full);
  const pos: Point[] = layout.map(([x, y]) => [x * scale, -y * scale]);
  const k = Math.max(0.35, Math.min(1, R / MAX_R)); // arrow sizes shrink with the discs
  const cx = pos.reduce((s, p) => s + p[0], 0) / n;
  const cy = pos.reduce((s, p) => s + p[1], 0) / n;
  const span = Math.max(1, ...pos.map((p) => Math.hypot(p[0] - cx, p[1] - cy)));
  const collinear = n >= 2 && isCollinear(pos);

  const temps = sites.flatMap((s) => (s.bath ? [s.kineticTemperature, s.bath.temperature] : [s.kineticTemperature]));
  const tMin = Math.min(...temps);
  const tMax = Math.max(...temps);
  const ramp: ColorRamp = {
    label: `${temperatureLabel} (${TEMPERATURE_UNITS})`,
    domain: tMax > tMin ? [tMin, tMax] : [tMin - 1, tMax + 1],
    scheme: "rdylbu",
    reverse: true,
  };
  const color = rampColor(ramp);
  const fluxMax = Math.max(
    1e-300,
    ...data.springs.map((s) => Math.abs(s.flux)),
    ...sites.map((s) => (s.bath ? Math.abs(s.bath.flux) : 0)),
  );
  const isZero = (f: number): boolean => Math.abs(f) <= 1e-12 * fluxMax;

  const occ = new Occupancy(Math.max(24, Math.min(96, 2.5 * R + 20)));
  const springLayer = svgEl(document, "g", { class: "springs" });
  const arrowLayer = svgEl(document, "g", { class: "flux-arrows" });
  const labelLayer = svgEl(document, "g", { class: "labels", fill: "#000" });
  const siteLayer = svgEl(document, "g", { class: "sites" });
  const bathLayer = svgEl(document, "g", { class: "baths" });
  const notes: string[] = [];
  let anyAgainst = false;
  let dropped = 0;
  let droppedNames = 0;

  pos.forEach((p, i) => occ.add({ kind: "circle", c: p, r: R }, "node", `site:${i}`));

  // Springs: straight, or bent around the sites they would pass over.
  const sizes = data.springs.map((sp) => (isZero(sp.flux) ? undefined : arrowSize(Math.abs(sp.flux) / fluxMax, k)));
  const clearance = sizes.map((sz) => R + Math.max(6, (sz ? sz.head / 2 : 0) + 3));
  const controls = routeEdges(pos, edges, clearance, R + 2);
  interface SpringArrow {
    k: number;
    mid: Point;
    u: Point;
    halfLength: number;
    halfWidth: number;
    title: SVGElement;
    text: string;
    against: boolean;
    len: number;
  }
  const springArrows: SpringArrow[] = [];
  data.springs.forEach((sp, e) => {
    const [a, b] = edges[e];
    const pa = pos[a];
    const pb = pos[b];
    const inner = controls[e];
    const attrs = {
      stroke: SPRING_COLOR,
      "stroke-width": 2.5,
      fill: "none",
      class: "spring",
      "data-between": `${sp.between[0]}|${sp.between[1]}`,
    };
    const curve = [pa, ...inner, pb];
    if (inner.length > 0) {
      const xy = (p: Point) => `${fmtNum(p[0])},${fmtNum(p[1])}`;
      const d = `M${xy(pa)}${inner.length === 1 ? "Q" : "C"}${[...inner, pb].map(xy).join(" ")}`;
      springLayer.appendChild(svgEl(document, "path", { d, ...attrs }));
      const pts = bezierPolyline(curve, 32);
      for (let q = 0; q + 1 < pts.length; q++)
        occ.add({ kind: "segment", a: pts[q], b: pts[q + 1], r: 1.25 }, "spring", `spring:${e}`);
    } else {
      springLayer.appendChild(svgEl(document, "line", { x1: pa[0], y1: pa[1], x2: pb[0], y2: pb[1], ...attrs }));
      occ.add({ kind: "segment", a: pa, b: pb, r: 1.25 }, "spring", `spring:${e}`);
    }
    const len = Math.hypot(pb[0] - pa[0], pb[1] - pa[1]);
    if (len < 1e-9) return;
    // The arrow sits in the middle of the spring, along its tangent there (the chord for a straight or symmetric one).
    const mid = bezierAt(curve, 0.5);
    const ahead = bezierAt(curve, 0.52);
    const behind = bezierAt(curve, 0.48);
    const tl = Math.hypot(ahead[0] - behind[0], ahead[1] - behind[1]);
    const u: Point =
      inner.length > 0 && tl > 1e-9
        ? [(ahead[0] - behind[0]) / tl, (ahead[1] - behind[1]) / tl]
        : [(pb[0] - pa[0]) / len, (pb[1] - pa[1]) / len];
    const size = sizes[e];
    const text = formatNumber(Math.abs(sp.flux));
    const g = svgEl(document, "g", { class: "flux-arrow", "data-flux": String(sp.flux) });
    const title = svgEl(
      document,
      "title",
      {},
      `φ = ${formatNumber(sp.flux, 4)} from ${sp.between[0]} to ${sp.between[1]}`,
    );
    g.appendChild(title);
    if (!size) {
      g.setAttribute("data-from", sp.between[0]);
      g.setAttribute("data-to", sp.between[1]);
      arrowLayer.appendChild(g);
      springArrows.push({ k: e, mid, u, halfLength: 0, halfWidth: 1.25, title, text, against: false, len });
      return;
    }
    const room = inner.length > 0 ? 0.3 * len : len - 2 * R - 12;
    const length = Math.min(size.length, Math.max(10, room));
    const sgn = sp.flux > 0 ? 1 : -1; // +1: from between[0] to between[1]
    const tail: Point = [mid[0] - (sgn * u[0] * length) / 2, mid[1] - (sgn * u[1] * length) / 2];
    const tip: Point = [mid[0] + (sgn * u[0] * length) / 2, mid[1] + (sgn * u[1] * length) / 2];
    const [from, to] = sgn > 0 ? sp.between : [sp.between[1], sp.between[0]];
    const against =
      sites[edges[e][sgn > 0 ? 1 : 0]].kineticTemperature > sites[edges[e][sgn > 0 ? 0 : 1]].kineticTemperature;
    anyAgainst ||= against;
    g.setAttribute("data-from", from);
    g.setAttribute("data-to", to);
    g.setAttribute("data-tail", `${fmtNum(tail[0])},${fmtNum(tail[1])}`);
    g.setAttribute("data-tip", `${fmtNum(tip[0])},${fmtNum(tip[1])}`);
    title.textContent = `φ = ${formatNumber(Math.abs(sp.flux), 4)} from ${from} to ${to}`;
    g.appendChild(
      svgEl(document, "polygon", {
        points: arrowPolygon({ tail, tip, shaft: size.shaft, head: size.head, headLength: size.head * 1.1 }),
        fill: against ? AGAINST_COLOR : FLUX_COLOR,
        stroke: "white",
        "stroke-width": 0.75,
        "stroke-linejoin": "round",
      }),
    );
    arrowLayer.appendChild(g);
    occ.add({ kind: "segment", a: tail, b: tip, r: size.head / 2 }, "arrow", `spring:${e}`);
    springArrows.push({ k: e, mid, u, halfLength: length / 2, halfWidth: size.head / 2, title, text, against, len });
  });

  // Sites: disc, name and temperature inside when they fit.
  const outsideNames: number[] = [];
  let hiddenTemps = 0;
  let hiddenNames = 0;
  sites.forEach((s, i) => {
    const [x, y] = pos[i];
    const fill = color(s.kineticTemperature);
    const ink = textColorOn(fill);
    const g = svgEl(document, "g", { class: "site", "data-site": s.name });
    const tip = [`site ${s.name}: ${temperatureLabel} = ${formatNumber(s.kineticTemperature, 4)}`];
    if (s.bath)
      tip.push(
        `bath at T = ${formatNumber(s.bath.temperature, 4)}, φ = ${formatNumber(s.bath.flux, 4)} from the bath into the site`,
      );
    g.appendChild(svgEl(document, "title", {}, tip.join("; ")));
    g.appendChild(
      svgEl(document, "circle", {
        cx: x,
        cy: y,
        r: R,
        fill,
        stroke: "#000",
        "stroke-width": 1.2,
        class: "site-disc",
        "data-site": s.name,
      }),
    );
    const tText = formatNumber(s.kineticTemperature);
    const fit = discText(s.name, tText, R);
    const nh = fit.nameSize ? labelHeight(fit.nameSize) : 0;
    const th = fit.tempSize ? labelHeight(fit.tempSize) : 0;
    const top = y - (nh + th) / 2;
    if (fit.nameSize) {
      g.appendChild(
        svgEl(
          document,
          "text",
          {
            x,
            y: baseline(top + nh / 2, fit.nameSize),
            "text-anchor": "middle",
            "font-size": fmtNum(fit.nameSize),
            "font-weight": "bold",
            fill: ink,
            class: "site-name",
          },
          s.name,
        ),
      );
    } else if (full) {
      outsideNames.push(i);
    } else {
      hiddenNames++;
    }
    if (fit.tempSize) {
      g.appendChild(
        svgEl(
          document,
          "text",
          {
            x,
            y: baseline(top + nh + th / 2, fit.tempSize),
            "text-anchor": "middle",
            "font-size": fmtNum(fit.tempSize),
            fill: ink,
            class: "site-temperature",
          },
          tText,
        ),
      );
    } else {
      hiddenTemps++;
    }
    siteLayer.appendChild(g);
  });

  // Baths: a box beside the site, joined by the flux arrow, in the first free direction.
  let ringBaths = 0;
  interface BathArrow {
    i: number;
    mid: Point;
    /** From the site towards its box. */
    u: Point;
    box: Box;
    halfLength: number;
    halfWidth: number;
    title: SVGElement;
    text: string;
    against: boolean;
  }
  const bathArrows: BathArrow[] = [];
  const directions = bathDirections(pos, edges, controls, [cx, cy], collinear);
  sites.forEach((s, i) => {
    if (!s.bath) return;
    const [x, y] = pos[i];
    const f = s.bath.flux;
    const boxText = `${bathSymbol(s.name)} = ${formatNumber(s.bath.temperature)}`;
    const bk = Math.max(0.7, k);
    const bw = Math.max(56 * bk, labelWidth(boxText, 12 * bk, true) + 14 * bk);
    const bh = 36 * bk;
    const size = isZero(f) ? undefined : arrowSize(Math.abs(f) / fluxMax, k);
    const halfWidth = size ? size.head / 2 : 1;
    const base = arrowSize(1, k).length + 10; // the same for every bath: boxes line up
    const bathFill = color(s.bath.temperature);
    let placed: { box: Box; near: Point; far: Point; d: Point } | undefined;
    // A short link free of everything; else a shorter one; else one that may cross springs (never sites, arrows,
    // boxes or labels), up to 2.4 times as long.
    const passes: { stretch: number[]; skip?: (l: Layer) => boolean }[] = [
      { stretch: [1, 0.6] },
      { stretch: [1, 0.6, 1.6, 2.4], skip: (l) => l === "spring" },
    ];
    for (const pass of passes) {
      for (const stretch of pass.stretch) {
        for (const d of directions[i]) {
          const gap = 4;
          const dist = R + gap + base * stretch + gap + extent(bw, bh, d[0], d[1]);
          const box = boxAround(x + d[0] * dist, y + d[1] * dist, bw, bh);
          const near: Point = [x + d[0] * (R + gap), y + d[1] * (R + gap)];
          const far: Point = [
            x + d[0] * (dist - extent(bw, bh, d[0], d[1]) - gap),
            y + d[1] * (dist - extent(bw, bh, d[0], d[1]) - gap),
          ];
          if (!occ.free({ kind: "box", box }, 5)) continue;
          const skip = (l: Layer, o: string) => o === `site:${i}` || (pass.skip?.(l) ?? false);
          if (!occ.free({ kind: "segment", a: near, b: far, r: halfWidth }, 3, skip)) continue;
          placed = { box, near, far, d };
          break;
        }
        if (placed) break;
      }
      if (placed) break;
    }
    const bg = svgEl(document, "g", { class: "bath", "data-site": s.name });
    if (!placed) {
      // No room for a box: a ring in the bath's colour, the values in the site's tooltip.
      ringBaths++;
      bg.appendChild(
        svgEl(document, "circle", {
          cx: x,
          cy: y,
          r: R + 3,
          fill: "none",
          stroke: bathFill,
          "stroke-width": 3,
          class: "bath-ring",
        }),
      );
      bg.appendChild(
        svgEl(document, "circle", { cx: x, cy: y, r: R + 4.5, fill: "none", stroke: "#000", "stroke-width": 0.6 }),
      );
      occ.add({ kind: "circle", c: [x, y], r: R + 5 }, "bath", `site:${i}`);
      bathLayer.appendChild(bg);
      return;
    }
    const { box, near, far } = placed;
    const bcx = (box.x0 + box.x1) / 2;
    const bcy = (box.y0 + box.y1) / 2;
    const bathInk = textColorOn(bathFill);
    bg.appendChild(
      svgEl(document, "rect", {
        x: box.x0,
        y: box.y0,
        width: bw,
        height: bh,
        rx: 4,
        fill: bathFill,
        stroke: "#000",
        "stroke-width": 1.2,
        class: "bath-box",
      }),
    );
    const hf = 10 * bk;
    const tf = 12 * bk;
    bg.appendChild(
      svgEl(
        document,
        "text",
        {
          x: bcx,
          y: baseline(bcy - labelHeight(tf) / 2 - 0.5, hf),
          "text-anchor": "middle",
          "font-size": fmtNum(hf),
          fill: bathInk,
        },
        "bath",
      ),
    );
    bg.appendChild(
      svgEl(
        document,
        "text",
        {
          x: bcx,
          y: baseline(bcy + labelHeight(hf) / 2 + 0.5, tf),
          "text-anchor": "middle",
          "font-size": fmtNum(tf),
          "font-weight": "bold",
          fill: bathInk,
        },
        boxText,
      ),
    );
    occ.add({ kind: "box", box }, "bath", `site:${i}`);
    const way = f >= 0 ? `from the bath into site ${s.name}` : `from site ${s.name} into its bath`;
    const title = svgEl(document, "title", {}, `φ = ${formatNumber(Math.abs(f), 4)} ${way}`);
    // The link from the site to its box (dashed when no heat flows), the flux arrow in its middle.
    const link = svgEl(document, "line", {
      x1: near[0],
      y1: near[1],
      x2: far[0],
      y2: far[1],
      stroke: SPRING_COLOR,
      "stroke-width": 2,
      "stroke-dasharray": size ? undefined : "4,3",
      class: "bath-link",
    });
    bg.appendChild(link);
    occ.add({ kind: "segment", a: near, b: far, r: 1 }, "spring", `site:${i}`);
    const mid: Point = [(near[0] + far[0]) / 2, (near[1] + far[1]) / 2];
    if (!size) {
      link.appendChild(title);
      bathArrows.push({ i, mid, u: placed.d, box, halfLength: 0, halfWidth: 1, title, text: "0", against: false });
    } else {
      const sgn = f > 0 ? -1 : 1; // along d (away from the site) when heat flows into the bath
      const length = Math.min(size.length, Math.hypot(far[0] - near[0], far[1] - near[1]) - 6);
      const tail: Point = [mid[0] - (sgn * placed.d[0] * length) / 2, mid[1] - (sgn * placed.d[1] * length) / 2];
      const tip: Point = [mid[0] + (sgn * placed.d[0] * length) / 2, mid[1] + (sgn * placed.d[1] * length) / 2];
      const against = f > 0 ? s.kineticTemperature > s.bath.temperature : s.kineticTemperature < s.bath.temperature;
      anyAgainst ||= against;
      const arrow = svgEl(document, "g", {
        class: "bath-arrow",
        "data-site": s.name,
        "data-flux": String(f),
        "data-tail": `${fmtNum(tail[0])},${fmtNum(tail[1])}`,
        "data-tip": `${fmtNum(tip[0])},${fmtNum(tip[1])}`,
      });
      arrow.appendChild(title);
      arrow.appendChild(
        svgEl(document, "polygon", {
          points: arrowPolygon({ tail, tip, shaft: size.shaft, head: size.head, headLength: size.head * 1.1 }),
          fill: against ? AGAINST_COLOR : FLUX_COLOR,
          stroke: "white",
          "stroke-width": 0.75,
          "stroke-linejoin": "round",
        }),
      );
      bg.appendChild(arrow);
      occ.add({ kind: "segment", a: tail, b: tip, r: size.head / 2 }, "arrow", `site:${i}`);
      bathArrows.push({
        i,
        mid,
        u: placed.d,
        box,
        halfLength: length / 2,
        halfWidth: size.head / 2,
        title,
        text: formatNumber(Math.abs(f)),
        against,
      });
    }
    bathLayer.appendChild(bg);
  });

  // Labels, most important first, each at the first free candidate position (then smaller, then not at all).
  const place = (
    text: string,
    candidates: (w: number, h: number) => Point[],
    attrs: Record<string, string>,
    bold = false,
  ): boolean => {
    const levels: { fs: number; margin: number; skip?: (l: Layer) => boolean }[] = [
      { fs: LABEL_SIZE, margin: 3 },
      { fs: LABEL_SIZE, margin: 1.5, skip: (l) => l === "spring" },
      { fs: 10, margin: 1.5, skip: (l) => l === "spring" },
      { fs: 9, margin: 1, skip: (l) => l === "spring" },
    ];
    for (const { fs, margin, skip } of levels) {
      const w = labelWidth(text, fs, bold);
      const h = labelHeight(fs);
      for (const c of candidates(w, h)) {
        const box = boxAround(c[0], c[1], w, h);
        if (!occ.free({ kind: "box", box }, margin, skip ? (l) => skip(l) : undefined)) continue;
        occ.add({ kind: "box", box }, "label", text);
        labelLayer.appendChild(
          svgEl(
            document,
            "text",
            {
              x: c[0],
              y: baseline(c[1], fs),
              "text-anchor": "middle",
              "font-size": fs,
              "font-weight": bold ? "bold" : undefined,
              ...attrs,
            },
            text,
          ),
        );
        return true;
      }
    }
    return false;
  };

  for (const i of outsideNames) {
    const [x, y] = pos[i];
    const ok = place(sites[i].name, (w, h) => aroundDisc([x, y], R, w, h), { class: "label site-label" }, true);
    if (!ok) droppedNames++;
  }
  for (const b of bathArrows) {
    let v: Point = [-b.u[1], b.u[0]];
    if (v[0] - v[1] < 0) v = [-v[0], -v[1]]; // right or up first
    // Beside the arrow; else beyond its box or beside the box.
    const bc: Point = [(b.box.x0 + b.box.x1) / 2, (b.box.y0 + b.box.y1) / 2];
    const [bw, bh] = [b.box.x1 - b.box.x0, b.box.y1 - b.box.y0];
    const nearBox = (w: number, h: number): Point[] =>
      ([b.u, v, [-v[0], -v[1]]] as Point[]).map((d): Point => {
        const off = extent(bw, bh, d[0], d[1]) + 4 + extent(w, h, d[0], d[1]);
        return [bc[0] + d[0] * off, bc[1] + d[1] * off];
      });
    const ok = place(
      b.text,
      (w, h) => [...besideArrow(b.mid, b.u, v, b.halfLength, b.halfWidth, w, h), ...nearBox(w, h)],
      {
        class: "label flux-label",
        fill: b.against ? AGAINST_COLOR : "#000",
      },
    );
    if (!ok) {
      dropped++;
      b.title.textContent += " (value not written: no room)";
    }
  }
  if (full) {
    const order = [...springArrows].sort(
      (p, q) => Math.abs(data.springs[q.k].flux) - Math.abs(data.springs[p.k].flux) || p.k - q.k,
    );
    for (const s of order) {
      let v: Point = [-s.u[1], s.u[0]];
      const out = (s.mid[0] - cx) * v[0] + (s.mid[1] - cy) * v[1];
      if (out < -1e-6 * span || (Math.abs(out) <= 1e-6 * span && v[1] - 0.1 * v[0] < 0)) v = [-v[0], -v[1]]; // outward, else below
      const ok = place(
        s.text,
        (w, h) => besideArrow(s.mid, s.u, v, Math.max(s.halfLength, 0), s.halfWidth, w, h, s.len / 2 - R),
        {
          class: "label flux-label",
          fill: s.against ? AGAINST_COLOR : "#000",
        },
      );
      if (!ok) {
        dropped++;
        s.title.textContent += " (value not written: no room)";
      }
    }
  } else {
    notes.push(
      `With ${n} sites the flux values are not written on the springs: they are in each arrow's tooltip (SVG) and in the figure's CSV.`,
    );
  }
  if (droppedNames > 0)
    notes.push(`${droppedNames} site name${droppedNames > 1 ? "s" : ""} did not fit: see the tooltips (SVG).`);
  if (dropped > 0)
    notes.push(
      `${dropped} value${dropped > 1 ? "s" : ""} did not fit and ${dropped > 1 ? "are" : "is"} given in the tooltips (SVG) and the CSV only.`,
    );
  if (hiddenTemps > 0)
    notes.push(
      `Discs too small for their temperature value (${hiddenTemps}): colour only, values in the tooltips and the CSV.`,
    );
  if (hiddenNames > 0)
    notes.push(`${hiddenNames} site name${hiddenNames > 1 ? "s" : ""} too long for the discs: see the tooltips (SVG).`);
  if (ringBaths > 0)
    notes.push(
      `${ringBaths} bath${ringBaths > 1 ? "s" : ""} without room for a box: a ring in the bath's colour round the site.`,
    );

  const bounds = occ.bounds();
  const pad = 6;
  const g = svgEl(document, "g", {
    class: "network",
    transform: `translate(${fmtNum(pad - bounds.x0)},${fmtNum(pad - bounds.y0)})`,
  });
  for (const layer of [springLayer, bathLayer, siteLayer, arrowLayer, labelLayer]) g.appendChild(layer);
  const block: Block = { element: g, width: bounds.x1 - bounds.x0 + 2 * pad, height: bounds.y1 - bounds.y0 + 2 * pad };
  const items: LegendItem[] = [
    { label: `heat flux φ (${FLUX_UNITS}; arrow size grows with |φ|)`, color: FLUX_COLOR, arrow: true },
  ];
  if (anyAgainst) items.push({ label: "φ from the colder to the hotter side", color: AGAINST_COLOR, arrow: true });
  const legends = [rampLegend(document, ramp, 240), swatchLegend(document, items, 380)];
  return { block, legends, notes };
}

/**
 * The figure for more than DRAW_MAX sites: (a) each site's temperature and its bath's temperature against the site
 * number, (b) the heat flux from each bath into its site. The CSV is the same table as the drawing's.
 */
function summaryFigure(
  data: NetworkFigureData,
  meta: { title: string; temperatureLabel: string; table: { columns: string[]; rows: (string | number)[][] } },
): Figure {
  const sites = data.sites;
  const n = sites.length;
  const idx = sites.map((_, i) => i + 1);
  const withBath = sites.flatMap((s, i) => (s.bath ? [{ i: i + 1, ...s.bath }] : []));
  const marker = n > 2000 ? undefined : ("circle" as const);
  const temperature = linePanel({
    title: "temperatures by site",
    xLabel: "site number (order of the model file)",
    yLabel: `temperature (${TEMPERATURE_UNITS})`,
    series: [
      {
        name: `site: ${meta.temperatureLabel}`,
        x: idx,
        y: sites.map((s) => s.kineticTemperature),
        color: "blue",
        marker,
        strokeWidth: 1.2,
      },
      ...(withBath.length > 0
        ? [
            {
              name: "bath temperature",
              x: withBath.map((b) => b.i),
              y: withBath.map((b) => b.temperature),
              color: "red",
              line: false,
              marker: "square" as const,
            },
          ]
        : []),
    ],
  });
  const panels = [temperature];
  if (withBath.length > 0) {
    panels.push(
      linePanel({
        title: "heat flux from each bath into its site",
        xLabel: "site number (order of the model file)",
        yLabel: `heat flux φ (${FLUX_UNITS})`,
        series: [
          {
            name: "φ from the bath into the site",
            x: withBath.map((b) => b.i),
            y: withBath.map((b) => b.flux),
            color: "black",
            line: false,
            marker: "diamond",
          },
        ],
        referenceLines: [{ y: 0, color: "gray", style: "dashed" }],
      }),
    );
  }
  const caption =
    `${data.caption ? `${data.caption} ` : ""}With ${n} sites (more than ${DRAW_MAX}) a drawing of the network would be ` +
    `unreadable: this summary shows the temperatures and the bath fluxes by site number. ` +
    `Every site's and spring's value is in the figure's CSV.`;
  return panelFigure({
    name: data.name ?? "network",
    title: meta.title,
    caption,
    panels,
    columns: 1,
    table: meta.table,
  });
}

function isCollinear(pos: Point[]): boolean {
  const [x0, y0] = pos[0];
  let far = 0;
  let fx = 0;
  let fy = 0;
  for (const [x, y] of pos) {
    const d = Math.hypot(x - x0, y - y0);
    if (d > far) [far, fx, fy] = [d, (x - x0) / d, (y - y0) / d];
  }
  if (far === 0) return true;
  return pos.every(([x, y]) => Math.abs((x - x0) * fy - (y - y0) * fx) <= 1e-6 * far);
}

/**
 * Candidate directions (unit vectors, y down) for each site's bath box, best first: away from the site's springs
 * (the angle to the nearest spring, up to 90°, counts most), then away from the middle of the network, then up. On a
 * straight chain every box goes on the same side of the line, up first.
 */
function bathDirections(
  pos: Point[],
  edges: [number, number][],
  controls: Point[][],
  centre: Point,
  collinear: boolean,
): Point[][] {
  const incident: number[][] = pos.map(() => []);
  edges.forEach(([a, b], e) => {
    if (a === b) return;
    const c = controls[e];
    const ta = c.length > 0 ? c[0] : pos[b];
    const tb = c.length > 0 ? c[c.length - 1] : pos[a];
    incident[a].push(Math.atan2(ta[1] - pos[a][1], ta[0] - pos[a][0]));
    incident[b].push(Math.atan2(tb[1] - pos[b][1], tb[0] - pos[b][0]));
  });
  return pos.map((p, i) => {
    const ox = p[0] - centre[0];
    const oy = p[1] - centre[1];
    const on = Math.hypot(ox, oy);
    const scored = Array.from({ length: 24 }, (_, j) => {
      const t = -Math.PI / 2 + (2 * Math.PI * j) / 24; // starting straight up
      const d: Point = [Math.cos(t), Math.sin(t)];
      let clear = Math.PI;
      for (const s of incident[i]) {
        let diff = Math.abs(t - s) % (2 * Math.PI);
        if (diff > Math.PI) diff = 2 * Math.PI - diff;
        clear = Math.min(clear, diff);
      }
      const away = on > 1e-9 ? (d[0] * ox + d[1] * oy) / on : 0;
      const score =
        Math.min(clear, Math.PI / 2) / (Math.PI / 2) + (collinear ? 0.5 * -d[1] : 0.3 * away + 0.01 * -d[1]);
      return { d, score: Math.round(score * 1e9) / 1e9, j };
    });
    scored.sort((a, b) => b.score - a.score || a.j - b.j);
    return scored.map((s) => s.d);
  });
}

/** Centres for a w x h label beside an arrow at `mid` along u (half length hl, half width hw): side v first. */
function besideArrow(
  mid: Point,
  u: Point,
  v: Point,
  hl: number,
  hw: number,
  w: number,
  h: number,
  reach = hl,
): Point[] {
  const out: Point[] = [];
  const sides: Point[] = [v, [-v[0], -v[1]]];
  const shifts = [0, 0.5, -0.5, 1, -1];
  for (const gap of [4, 9, 17]) {
    for (const shift of shifts) {
      for (const s of sides) {
        const along = shift * Math.max(hl, 0.6 * reach);
        const off = hw + gap + extent(w, h, s[0], s[1]);
        out.push([mid[0] + u[0] * along + s[0] * off, mid[1] + u[1] * along + s[1] * off]);
      }
    }
  }
  // Ahead of the tip and behind the tail.
  for (const dir of [1, -1]) {
    const off = hl + 4 + extent(w, h, u[0], u[1]);
    out.push([mid[0] + dir * u[0] * off, mid[1] + dir * u[1] * off]);
  }
  return out;
}

/** Centres for a w x h label around a disc of radius R at c: below, above, right, left, then diagonals. */
function aroundDisc(c: Point, R: number, w: number, h: number): Point[] {
  const dirs: Point[] = [
    [0, 1],
    [0, -1],
    [1, 0],
    [-1, 0],
    [0.7071, 0.7071],
    [-0.7071, 0.7071],
    [0.7071, -0.7071],
    [-0.7071, -0.7071],
  ];
  const out: Point[] = [];
  for (const gap of [4, 10])
    for (const d of dirs)
      out.push([
        c[0] + d[0] * (R + gap + extent(w, h, d[0], d[1])),
        c[1] + d[1] * (R + gap + extent(w, h, d[0], d[1])),
      ]);
  return out;
}
