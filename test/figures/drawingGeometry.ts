// Reads back the geometry of a rendered network figure (discs, springs, arrows, bath boxes, text boxes) and checks
// that the drawing is clean: no spring passes within a node radius of a third site, no two labels overlap, no label
// overlaps a site, in-disc text stays in its disc, and everything lies inside the canvas. Text boxes are estimated
// from the font size and the characters, as the renderer uses one fixed font (DejaVu Sans): 0.65 em per character
// (1 em for m, w, M, W, %, @), bold 10% wider, from 0.8 em above the baseline to 0.25 em below it.

export type Point = [number, number];
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Drawing {
  width: number;
  height: number;
  discs: { site: string; c: Point; r: number }[];
  springs: { between: [string, string]; curve: Point[]; hull: Point[] }[];
  arrows: Point[][];
  /** Placed labels (class "label") and bath boxes: none may overlap another or a disc. */
  labels: { text: string; box: Box }[];
  /** Text drawn inside a site's disc. */
  inner: { site: string; text: string; box: Box }[];
  /** Text drawn inside a bath box. */
  bathText: { site: string; text: string; box: Box }[];
  bathBoxes: { site: string; box: Box }[];
  /** Values not written for lack of room (said so in a tooltip). */
  dropped: number;
  titles: string[];
}

function offset(el: Element): Point {
  let x = 0;
  let y = 0;
  for (let e: Element | null = el; e; e = e.parentElement) {
    const t = e.getAttribute("transform");
    if (!t) continue;
    const m = /translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)/.exec(t);
    if (!m) throw new Error(`unexpected transform ${t}`);
    x += Number(m[1]);
    y += Number(m[2]);
  }
  return [x, y];
}

function num(el: Element, name: string): number {
  const v = Number(el.getAttribute(name));
  if (!Number.isFinite(v)) throw new Error(`<${el.tagName}> ${name}="${el.getAttribute(name)}"`);
  return v;
}

/** The estimated ink box of `text` at font size `fs`, anchored at (x, baseline y). */
export function estimateTextBox(text: string, fs: number, bold: boolean, anchor: string, x: number, y: number): Box {
  let em = 0;
  for (const ch of text) em += "mwMW%@".includes(ch) ? 1 : 0.65;
  const w = em * fs * (bold ? 1.1 : 1);
  const x0 = anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x;
  return { x0, y0: y - 0.8 * fs, x1: x0 + w, y1: y + 0.25 * fs };
}

/** Font size, weight and anchor of a <text> element (inherited from its ancestors when not on it). */
export function textStyle(el: Element): { fs: number; bold: boolean; anchor: string } {
  const inherited = (name: string): string | null => {
    for (let e: Element | null = el; e; e = e.parentElement) if (e.hasAttribute(name)) return e.getAttribute(name);
    return null;
  };
  const fs = Number(inherited("font-size"));
  if (!(fs > 0)) throw new Error(`text "${el.textContent}" without a font size`);
  return { fs, bold: inherited("font-weight") === "bold", anchor: inherited("text-anchor") ?? "start" };
}

/** The estimated ink box of a <text> element (absolute coordinates). */
export function textBox(el: Element): Box {
  const [ox, oy] = offset(el);
  if (el.hasAttribute("dy")) throw new Error(`text "${el.textContent}" has a dy: not measured`);
  const { fs, bold, anchor } = textStyle(el);
  return estimateTextBox(el.textContent ?? "", fs, bold, anchor, num(el, "x") + ox, num(el, "y") + oy);
}

/** A quadratic or cubic Bézier curve sampled at 129 points (Bernstein form). */
function bezier(p: Point[], samples = 128): Point[] {
  const deg = p.length - 1;
  const binom = deg === 2 ? [1, 2, 1] : [1, 3, 3, 1];
  return Array.from({ length: samples + 1 }, (_, k): Point => {
    const t = k / samples;
    let x = 0;
    let y = 0;
    p.forEach((q, i) => {
      const w = binom[i] * Math.pow(t, i) * Math.pow(1 - t, deg - i);
      x += w * q[0];
      y += w * q[1];
    });
    return [x, y];
  });
}

export function readDrawing(root: Element): Drawing {
  const width = num(root, "width");
  const height = num(root, "height");
  const discs = Array.from(root.querySelectorAll("circle.site-disc")).map((c) => {
    const [ox, oy] = offset(c);
    return { site: c.getAttribute("data-site")!, c: [num(c, "cx") + ox, num(c, "cy") + oy] as Point, r: num(c, "r") };
  });
  const springs = Array.from(root.querySelectorAll(".spring")).map((s) => {
    const [ox, oy] = offset(s);
    const between = s.getAttribute("data-between")!.split("|") as [string, string];
    if (s.tagName.toLowerCase() === "line") {
      const a: Point = [num(s, "x1") + ox, num(s, "y1") + oy];
      const b: Point = [num(s, "x2") + ox, num(s, "y2") + oy];
      return { between, curve: [a, b], hull: [a, b] };
    }
    const d = s.getAttribute("d")!;
    const m = /^M([-\d.e]+),([-\d.e]+)([QC])([-\d.e, ]+)$/.exec(d);
    if (!m) throw new Error(`unexpected spring path ${d}`);
    const rest = m[4].trim().split(/[ ,]+/).map(Number);
    const pts: Point[] = [[Number(m[1]) + ox, Number(m[2]) + oy]];
    for (let k = 0; k < rest.length; k += 2) pts.push([rest[k] + ox, rest[k + 1] + oy]);
    if (pts.length !== (m[3] === "Q" ? 3 : 4)) throw new Error(`unexpected spring path ${d}`);
    return { between, curve: bezier(pts), hull: pts };
  });
  const arrows = Array.from(root.querySelectorAll("polygon")).map((p) => {
    const [ox, oy] = offset(p);
    return p
      .getAttribute("points")!
      .split(" ")
      .map((xy): Point => {
        const [x, y] = xy.split(",").map(Number);
        return [x + ox, y + oy];
      });
  });
  const bathBoxes = Array.from(root.querySelectorAll("rect.bath-box")).map((r) => {
    const [ox, oy] = offset(r);
    const x0 = num(r, "x") + ox;
    const y0 = num(r, "y") + oy;
    return {
      site: r.parentElement!.getAttribute("data-site")!,
      box: { x0, y0, x1: x0 + num(r, "width"), y1: y0 + num(r, "height") },
    };
  });
  const labels = [
    ...Array.from(root.querySelectorAll("text.label")).map((t) => ({ text: t.textContent ?? "", box: textBox(t) })),
    ...bathBoxes.map((b) => ({ text: `bath box of ${b.site}`, box: b.box })),
  ];
  const inner = Array.from(root.querySelectorAll("text.site-name, text.site-temperature")).map((t) => ({
    site: t.parentElement!.getAttribute("data-site")!,
    text: t.textContent ?? "",
    box: textBox(t),
  }));
  const bathText = Array.from(root.querySelectorAll("g.bath > text")).map((t) => ({
    site: t.parentElement!.getAttribute("data-site")!,
    text: t.textContent ?? "",
    box: textBox(t),
  }));
  const titles = Array.from(root.querySelectorAll("title")).map((t) => t.textContent ?? "");
  const dropped = titles.filter((t) => t.includes("not written")).length;
  return { width, height, discs, springs, arrows, labels, inner, bathText, bathBoxes, dropped, titles };
}

export function pointSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function boxesOverlap(p: Box, q: Box): boolean {
  return p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1;
}

function boxDisc(b: Box, c: Point): number {
  return Math.hypot(Math.max(b.x0 - c[0], 0, c[0] - b.x1), Math.max(b.y0 - c[1], 0, c[1] - b.y1));
}

/** Every defect found, as readable lines (empty: a clean drawing). */
export function defects(d: Drawing, options: { sitesApart?: boolean } = {}): string[] {
  const out: string[] = [];
  const disc = new Map(d.discs.map((x) => [x.site, x]));
  // Springs keep clear of every third site.
  for (const s of d.springs) {
    for (const q of d.discs) {
      if (q.site === s.between[0] || q.site === s.between[1]) continue;
      let near = Infinity;
      for (let k = 0; k + 1 < s.curve.length; k++) near = Math.min(near, pointSegment(q.c, s.curve[k], s.curve[k + 1]));
      if (near <= q.r)
        out.push(`spring ${s.between.join("–")} passes ${near.toFixed(1)} px from site ${q.site} (radius ${q.r})`);
    }
  }
  // Labels and bath boxes: apart from each other and from every disc.
  for (let i = 0; i < d.labels.length; i++) {
    for (let j = i + 1; j < d.labels.length; j++) {
      if (boxesOverlap(d.labels[i].box, d.labels[j].box))
        out.push(`labels "${d.labels[i].text}" and "${d.labels[j].text}" overlap`);
    }
    for (const q of d.discs) {
      if (boxDisc(d.labels[i].box, q.c) < q.r) out.push(`label "${d.labels[i].text}" overlaps site ${q.site}`);
    }
  }
  // Text in a disc stays in it; text in a bath box stays in it.
  for (const t of d.inner) {
    const q = disc.get(t.site)!;
    const corners: Point[] = [
      [t.box.x0, t.box.y0],
      [t.box.x1, t.box.y0],
      [t.box.x0, t.box.y1],
      [t.box.x1, t.box.y1],
    ];
    if (corners.some((c) => Math.hypot(c[0] - q.c[0], c[1] - q.c[1]) > q.r))
      out.push(`"${t.text}" sticks out of site ${t.site}`);
  }
  for (const t of d.bathText) {
    const b = d.bathBoxes.find((x) => x.site === t.site)!.box;
    if (t.box.x0 < b.x0 || t.box.x1 > b.x1 || t.box.y0 < b.y0 || t.box.y1 > b.y1)
      out.push(`"${t.text}" sticks out of the bath box of ${t.site}`);
  }
  if (options.sitesApart) {
    for (let i = 0; i < d.discs.length; i++) {
      for (let j = i + 1; j < d.discs.length; j++) {
        const [p, q] = [d.discs[i], d.discs[j]];
        if (Math.hypot(p.c[0] - q.c[0], p.c[1] - q.c[1]) <= p.r + q.r)
          out.push(`sites ${p.site} and ${q.site} overlap`);
      }
    }
  }
  // Everything inside the canvas.
  const inside = (p: Point, pad = 0) =>
    p[0] - pad >= 0 && p[1] - pad >= 0 && p[0] + pad <= d.width && p[1] + pad <= d.height;
  for (const q of d.discs) if (!inside(q.c, q.r)) out.push(`site ${q.site} outside the canvas`);
  for (const s of d.springs)
    if (!s.curve.every((p) => inside(p))) out.push(`spring ${s.between.join("–")} outside the canvas`);
  for (const a of d.arrows) if (!a.every((p) => inside(p))) out.push("an arrow outside the canvas");
  for (const l of [...d.labels, ...d.inner, ...d.bathText]) {
    if (!inside([l.box.x0, l.box.y0]) || !inside([l.box.x1, l.box.y1])) out.push(`"${l.text}" outside the canvas`);
  }
  return out;
}
