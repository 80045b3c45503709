// The network figure of a harmonic-network NESS: sites as discs coloured by
// kinetic temperature, heat baths as boxes with flux arrows, and springs with
// arrows along the actual heat flux (size growing with |flux|, value beside).
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
  textWidth,
} from "./figure.js";
import { ModelError } from "../errors.js";
import { checkSpec } from "./check.js";
import { type Point, networkLayout } from "./layout.js";

export interface NetworkSite {
  name: string;
  /** Kinetic temperature <p²>/m of the site. */
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
  /** Extra caption text, appended to the explanation of the symbols. */
  caption?: string;
  sites: NetworkSite[];
  springs: NetworkSpring[];
}

const MAX_R = 25; // disc radius, px (smaller when sites are packed closely)
const AGAINST_COLOR = MPL.magenta;
const FLUX_COLOR = "#2b2b2b";

interface Arrow {
  tail: Point;
  tip: Point;
  shaft: number;
  head: number;
  headLength: number;
}

/** Arrow size for a flux of relative magnitude r = |flux| / max |flux| (grows linearly with r). */
function arrowSize(r: number): { shaft: number; head: number; length: number } {
  const shaft = 2.5 + 7 * r;
  return { shaft, head: 2 * shaft + 8, length: 30 + 32 * r };
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
  if (!Number.isFinite(value)) throw new ModelError(`networkFigure: ${what} is ${String(value)}, expected a finite number`);
}

class Bounds {
  x0 = Infinity;
  y0 = Infinity;
  x1 = -Infinity;
  y1 = -Infinity;
  add(x: number, y: number, hw = 0, hh = hw): void {
    this.x0 = Math.min(this.x0, x - hw);
    this.x1 = Math.max(this.x1, x + hw);
    this.y0 = Math.min(this.y0, y - hh);
    this.y1 = Math.max(this.y1, y + hh);
  }
}

/** Text placed beside a point in direction (px, py), anchored so it extends away from the point. */
function sideText(document: Document, x: number, y: number, px: number, py: number, text: string, bounds: Bounds, attrs: Record<string, string | number> = {}): SVGElement {
  const fs = 12;
  const w = textWidth(text, fs);
  const anchor = px > 0.35 ? "start" : px < -0.35 ? "end" : "middle";
  const dy = py > 0.35 ? fs * 0.8 : py < -0.35 ? -fs * 0.15 : fs * 0.35;
  const cx = anchor === "start" ? x + w / 2 : anchor === "end" ? x - w / 2 : x;
  bounds.add(cx, y + dy - fs * 0.35, w / 2, fs * 0.7);
  return svgEl(document, "text", { x, y, dy: fmtNum(dy), "text-anchor": anchor, "font-size": fs, ...attrs }, text);
}

/** The network figure of a harmonic network NESS. */
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
    if (s.bath) {
      checkFinite(s.bath.temperature, `bath temperature of site "${s.name}"`);
      checkFinite(s.bath.flux, `bath flux of site "${s.name}"`);
    }
  });
  const edges = data.springs.map((sp): [number, number] => {
    const ends = sp.between.map((n) => {
      const i = index.get(n);
      if (i === undefined) throw new ModelError(`networkFigure: spring ${sp.between[0]}–${sp.between[1]} refers to unknown site "${n}"`);
      return i;
    });
    checkFinite(sp.flux, `flux of spring ${sp.between[0]}–${sp.between[1]}`);
    return [ends[0], ends[1]];
  });

  const title = data.title ?? "Heat fluxes in the nonequilibrium steady state";
  const explanation =
    "Discs: sites coloured by kinetic temperature <p²>/m (value inside the disc); boxes: heat baths at temperature T, " +
    "their arrows show the heat flux between bath and site. Arrows on the springs point along the steady-state heat flux; " +
    "arrow size grows with |flux| and the value is written beside it. Magenta arrows carry heat against the kinetic-temperature gradient.";
  const caption = data.caption ? `${data.caption} ${explanation}` : explanation;

  const table = {
    columns: ["kind", "site", "to", "kinetic_temperature", "bath_temperature", "flux"],
    rows: [
      ...sites.map((s) => ["site", s.name, "", s.kineticTemperature, s.bath?.temperature ?? "", s.bath?.flux ?? ""]),
      ...data.springs.map((sp) => ["spring", sp.between[0], sp.between[1], "", "", sp.flux]),
    ],
  };

  const render = (document: Document): Element => {
    const body = drawNetwork(document, data, edges);
    return composeFigure(document, { title, body: body.block, legends: body.legends, caption, minWidth: 640 });
  };
  return { name: data.name ?? "network", title, caption, table, render };
}

function drawNetwork(
  document: Document,
  data: NetworkFigureData,
  edges: [number, number][],
): { block: Block; legends: Block[] } {
  const sites = data.sites;
  const n = sites.length;
  const given = sites.map((s) => s.position);
  const layout = networkLayout(n, edges, given);

  // Layout units -> px (y down): typical spacing ~190 px, bounded overall size.
  const xs = layout.map((p) => p[0]);
  const ys = layout.map((p) => p[1]);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  let unit = 1;
  if (n > 1) {
    const dists: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) dists.push(Math.hypot(xs[i] - xs[j], ys[i] - ys[j]));
    }
    const positive = dists.filter((d) => d > 1e-12);
    const nn = edges.map(([a, b]) => Math.hypot(xs[a] - xs[b], ys[a] - ys[b])).filter((d) => d > 1e-12);
    unit = (nn.length > 0 ? Math.min(...nn) : positive.length > 0 ? Math.min(...positive) : 1) || 1;
  }
  let scale = 190 / unit;
  if (spanX > 0) scale = Math.min(scale, 760 / spanX);
  if (spanY > 0) scale = Math.min(scale, 560 / spanY);
  const pos: Point[] = layout.map(([x, y]) => [x * scale, -y * scale]);
  let minGap = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) minGap = Math.min(minGap, Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]));
  }
  const R = Math.max(8, Math.min(MAX_R, 0.36 * minGap));
  const cx = pos.reduce((s, p) => s + p[0], 0) / Math.max(1, n);
  const cy = pos.reduce((s, p) => s + p[1], 0) / Math.max(1, n);

  const temps = sites.flatMap((s) => (s.bath ? [s.kineticTemperature, s.bath.temperature] : [s.kineticTemperature]));
  const tMin = Math.min(...temps);
  const tMax = Math.max(...temps);
  const ramp: ColorRamp = {
    label: "kinetic temperature <p²>/m",
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

  const bounds = new Bounds();
  const springLayer = svgEl(document, "g", { class: "springs" });
  const arrowLayer = svgEl(document, "g", { class: "flux-arrows" });
  const labelLayer = svgEl(document, "g", { class: "flux-labels", fill: "#000" });
  const siteLayer = svgEl(document, "g", { class: "sites" });
  const bathLayer = svgEl(document, "g", { class: "baths" });
  let anyAgainst = false;

  data.springs.forEach((sp, k) => {
    const [a, b] = edges[k];
    const [ax, ay] = pos[a];
    const [bx, by] = pos[b];
    springLayer.appendChild(
      svgEl(document, "line", {
        x1: ax, y1: ay, x2: bx, y2: by, stroke: "#9a9a9a", "stroke-width": 2.5,
        class: "spring", "data-between": `${sp.between[0]}|${sp.between[1]}`,
      }),
    );
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 1e-9) return;
    const ux = (bx - ax) / len;
    const uy = (by - ay) / len;
    const mx = (ax + bx) / 2;
    const my = (ay + by) / 2;
    // Label side: the perpendicular pointing away from the network centre.
    let px = -uy;
    let py = ux;
    if ((mx - cx) * px + (my - cy) * py < -1e-6) [px, py] = [-px, -py];
    else if (Math.abs((mx - cx) * px + (my - cy) * py) <= 1e-6 && py > 0) [px, py] = [-px, -py];
    if (isZero(sp.flux)) {
      labelLayer.appendChild(sideText(document, mx + px * 8, my + py * 8, px, py, "0", bounds));
      return;
    }
    const size = arrowSize(Math.abs(sp.flux) / fluxMax);
    const length = Math.min(size.length, Math.max(14, len - 2 * R - 12));
    const sgn = sp.flux > 0 ? 1 : -1; // +1: from between[0] to between[1]
    const tail: Point = [mx - (sgn * ux * length) / 2, my - (sgn * uy * length) / 2];
    const tip: Point = [mx + (sgn * ux * length) / 2, my + (sgn * uy * length) / 2];
    const [from, to] = sgn > 0 ? sp.between : [sp.between[1], sp.between[0]];
    const tFrom = sites[index(from)].kineticTemperature;
    const tTo = sites[index(to)].kineticTemperature;
    const against = tTo > tFrom;
    anyAgainst ||= against;
    const g = svgEl(document, "g", {
      class: "flux-arrow",
      "data-from": from,
      "data-to": to,
      "data-flux": String(sp.flux),
      "data-tail": `${fmtNum(tail[0])},${fmtNum(tail[1])}`,
      "data-tip": `${fmtNum(tip[0])},${fmtNum(tip[1])}`,
    });
    g.appendChild(
      svgEl(document, "polygon", {
        points: arrowPolygon({ tail, tip, shaft: size.shaft, head: size.head, headLength: size.head * 1.1 }),
        fill: against ? AGAINST_COLOR : FLUX_COLOR, stroke: "white", "stroke-width": 0.75, "stroke-linejoin": "round",
      }),
    );
    arrowLayer.appendChild(g);
    const off = size.head / 2 + 6;
    labelLayer.appendChild(
      sideText(document, mx + px * off, my + py * off, px, py, formatNumber(Math.abs(sp.flux)), bounds, {
        class: "flux-label", fill: against ? AGAINST_COLOR : "#000",
      }),
    );
  });

  function index(name: string): number {
    return sites.findIndex((s) => s.name === name);
  }

  sites.forEach((s, i) => {
    const [x, y] = pos[i];
    bounds.add(x, y, R + 4);
    const fill = color(s.kineticTemperature);
    const ink = textColorOn(fill);
    const g = svgEl(document, "g", { class: "site", "data-site": s.name });
    if (s.bath) {
      g.appendChild(svgEl(document, "circle", { cx: x, cy: y, r: R + 4, fill: "none", stroke: "#000", "stroke-width": 1.2 }));
    }
    g.appendChild(
      svgEl(document, "circle", { cx: x, cy: y, r: R, fill, stroke: "#000", "stroke-width": 1.2, class: "site-disc", "data-site": s.name }),
    );
    const nameSize = Math.min(14, (1.6 * R) / Math.max(0.1, textWidth(s.name, 1, true)));
    g.appendChild(
      svgEl(document, "text", { x, y: y - 0.08 * R, "text-anchor": "middle", "font-size": fmtNum(nameSize), "font-weight": "bold", fill: ink }, s.name),
    );
    const tText = formatNumber(s.kineticTemperature);
    const tSize = Math.min(11, (1.75 * R) / Math.max(0.1, textWidth(tText, 1)));
    g.appendChild(
      svgEl(document, "text", { x, y: y + 0.48 * R, "text-anchor": "middle", "font-size": fmtNum(tSize), fill: ink, class: "site-temperature" }, tText),
    );
    siteLayer.appendChild(g);

    if (!s.bath) return;
    // Outward direction: away from the neighbours and from the centre of the network.
    let ox = 0;
    let oy = 0;
    edges.forEach(([a, b]) => {
      const j = a === i ? b : b === i ? a : -1;
      if (j < 0) return;
      const d = Math.hypot(x - pos[j][0], y - pos[j][1]) || 1;
      ox += (x - pos[j][0]) / d;
      oy += (y - pos[j][1]) / d;
    });
    const dc = Math.hypot(x - cx, y - cy);
    if (dc > 1e-6) {
      ox += (x - cx) / dc;
      oy += (y - cy) / dc;
    }
    let on = Math.hypot(ox, oy);
    if (on < 1e-6) [ox, oy, on] = [0, -1, 1];
    ox /= on;
    oy /= on;
    const boxText = `T = ${formatNumber(s.bath.temperature)}`;
    const bw = Math.max(64, textWidth(boxText, 12) + 16);
    const bh = 38;
    const dist = R + 4 + 62 + Math.min(bw / 2 / Math.max(Math.abs(ox), 1e-6), bh / 2 / Math.max(Math.abs(oy), 1e-6));
    const bxc = x + ox * dist;
    const byc = y + oy * dist;
    bounds.add(bxc, byc, bw / 2 + 1, bh / 2 + 1);
    const bathFill = color(s.bath.temperature);
    const bathInk = textColorOn(bathFill);
    const bg = svgEl(document, "g", { class: "bath", "data-site": s.name });
    bg.appendChild(
      svgEl(document, "rect", {
        x: bxc - bw / 2, y: byc - bh / 2, width: bw, height: bh, rx: 4, fill: bathFill, stroke: "#000", "stroke-width": 1.2,
      }),
    );
    bg.appendChild(svgEl(document, "text", { x: bxc, y: byc - 4, "text-anchor": "middle", "font-size": 10, fill: bathInk }, "bath"));
    bg.appendChild(svgEl(document, "text", { x: bxc, y: byc + 11, "text-anchor": "middle", "font-size": 12, "font-weight": "bold", fill: bathInk }, boxText));
    // Arrow between box edge and ring.
    const boxEdge = Math.min(bw / 2 / Math.max(Math.abs(ox), 1e-6), bh / 2 / Math.max(Math.abs(oy), 1e-6));
    const nearSite: Point = [x + ox * (R + 8), y + oy * (R + 8)];
    const nearBox: Point = [bxc - ox * (boxEdge + 4), byc - oy * (boxEdge + 4)];
    let px = -oy;
    let py = ox;
    if (py > 1e-6 || (Math.abs(py) <= 1e-6 && px < 0)) [px, py] = [-px, -py]; // label above / to the right
    const mx = (nearSite[0] + nearBox[0]) / 2;
    const my = (nearSite[1] + nearBox[1]) / 2;
    const f = s.bath.flux;
    if (isZero(f)) {
      bg.appendChild(svgEl(document, "line", { x1: nearSite[0], y1: nearSite[1], x2: nearBox[0], y2: nearBox[1], stroke: "#9a9a9a", "stroke-width": 1.5, "stroke-dasharray": "4,3" }));
      labelLayer.appendChild(sideText(document, mx + px * 8, my + py * 8, px, py, "0", bounds));
    } else {
      const size = arrowSize(Math.abs(f) / fluxMax);
      const [tail, tip] = f > 0 ? [nearBox, nearSite] : [nearSite, nearBox];
      const against = f > 0 ? s.kineticTemperature > s.bath.temperature : s.kineticTemperature < s.bath.temperature;
      anyAgainst ||= against;
      const arrow = svgEl(document, "g", {
        class: "bath-arrow", "data-site": s.name, "data-flux": String(f),
        "data-tail": `${fmtNum(tail[0])},${fmtNum(tail[1])}`, "data-tip": `${fmtNum(tip[0])},${fmtNum(tip[1])}`,
      });
      arrow.appendChild(
        svgEl(document, "polygon", {
          points: arrowPolygon({ tail, tip, shaft: size.shaft, head: size.head, headLength: size.head * 1.1 }),
          fill: against ? AGAINST_COLOR : FLUX_COLOR, stroke: "white", "stroke-width": 0.75, "stroke-linejoin": "round",
        }),
      );
      bg.appendChild(arrow);
      const off = size.head / 2 + 6;
      labelLayer.appendChild(
        sideText(document, mx + px * off, my + py * off, px, py, formatNumber(Math.abs(f)), bounds, {
          class: "flux-label", fill: against ? AGAINST_COLOR : "#000",
        }),
      );
    }
    bathLayer.appendChild(bg);
  });

  const pad = 6;
  const g = svgEl(document, "g", {
    class: "network",
    transform: `translate(${fmtNum(pad - bounds.x0)},${fmtNum(pad - bounds.y0)})`,
  });
  for (const layer of [springLayer, bathLayer, siteLayer, arrowLayer, labelLayer]) g.appendChild(layer);
  const block: Block = {
    element: g,
    width: bounds.x1 - bounds.x0 + 2 * pad,
    height: bounds.y1 - bounds.y0 + 2 * pad,
  };
  const items: LegendItem[] = [{ label: "heat flux (size grows with |flux|)", color: FLUX_COLOR, arrow: true }];
  if (anyAgainst) items.push({ label: "flux against the temperature gradient", color: AGAINST_COLOR, arrow: true });
  const legends = [rampLegend(document, ramp, 240), swatchLegend(document, items, 360)];
  return { block, legends };
}
