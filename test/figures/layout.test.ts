// Network drawings without defects: on every example network and on generated chains, rings, stars, trees, grids,
// ladders, complete and random graphs (fixed seeds), no spring passes within a node radius of a third site, no two
// labels (or bath boxes) overlap, no label overlaps a site, and everything is inside the canvas. Text boxes are
// estimated from the font size and the characters (drawingGeometry.ts), and that estimate is checked against the
// glyphs resvg draws with the bundled DejaVu Sans.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { loadModel, solveNetwork, type NetworkModel } from "../../src/index.js";
import { networkFigureData } from "../../src/cli/commands/solve.js";
import { DRAW_MAX, FULL_MAX, networkFigure, type NetworkFigureData } from "../../src/figures/network.js";
import { networkLayout, routeEdges, type Point } from "../../src/figures/layout.js";
import { createDocument, dejavuFontFiles, renderSvg } from "../../src/io/render.js";
import { defects, estimateTextBox, pointSegment, readDrawing, textStyle } from "./drawingGeometry.js";
import * as G from "./networkGraphs.js";

const EXAMPLES = path.resolve(__dirname, "../../examples/networks");

/** Figure data of an example: the exact solution when there is one, else the model with made-up values. */
function exampleData(file: string): { data: NetworkFigureData; model: NetworkModel; solved: boolean } {
  const model = loadModel(readFileSync(path.join(EXAMPLES, file), "utf8"), file) as NetworkModel;
  try {
    return { data: networkFigureData(model, solveNetwork(model)), model, solved: true };
  } catch {
    // Anharmonic (the exact engine refuses it) or without a unique steady state: the geometry is what is tested.
    const bath = new Map(model.baths.map((b) => [b.site, b]));
    const r = G.lcg(3);
    return {
      model,
      solved: false,
      data: {
        title: model.name,
        sites: model.sites.map((name, i) => ({
          name,
          kineticTemperature: 1 + 5 * r(),
          position: model.layout ? ([model.layout[2 * i], model.layout[2 * i + 1]] as [number, number]) : undefined,
          bath: bath.has(i) ? { temperature: bath.get(i)!.temperature, flux: r() - 0.5 } : undefined,
        })),
        springs: model.springs.map((s) => ({
          between: [model.sites[s.i], model.sites[s.j]] as [string, string],
          flux: r() - 0.5,
        })),
      },
    };
  }
}

function draw(data: NetworkFigureData) {
  const root = networkFigure(data).render(createDocument());
  return { root, drawing: readDrawing(root) };
}

describe("network figures of the examples", () => {
  const files = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  it("finds the examples", () => expect(files.length).toBeGreaterThanOrEqual(7));
  for (const file of files) {
    it(`${file}: no defects, every value written, the given layout kept`, () => {
      const { data, model } = exampleData(file);
      const { root, drawing } = draw(data);
      expect(defects(drawing, { sitesApart: true })).toEqual([]);
      expect(drawing.dropped).toBe(0);
      expect(root.querySelector(".figure-caption")!.textContent).not.toMatch(/did not fit|without room/);
      // One label per spring and per bath, one box per bath.
      expect(root.querySelectorAll("text.flux-label").length).toBe(data.springs.length + model.baths.length);
      expect(drawing.bathBoxes.length).toBe(model.baths.length);
      if (model.layout) {
        // The drawing is the given layout scaled (y up), translated: the same shape.
        const L = (i: number): Point => [model.layout![2 * i], -model.layout![2 * i + 1]];
        const at = new Map(drawing.discs.map((d) => [d.site, d.c]));
        const P = (i: number) => at.get(model.sites[i])!;
        const s = (P(1)[0] - P(0)[0] || P(1)[1] - P(0)[1]) / (L(1)[0] - L(0)[0] || L(1)[1] - L(0)[1]);
        expect(s).toBeGreaterThan(0);
        for (let i = 0; i < model.sites.length; i++) {
          expect(P(i)[0] - P(0)[0]).toBeCloseTo(s * (L(i)[0] - L(0)[0]), 0);
          expect(P(i)[1] - P(0)[1]).toBeCloseTo(s * (L(i)[1] - L(0)[1]), 0);
        }
      }
    });
  }

  it("example1-chain: the chain on one line, every bath box beside its site and off the line", () => {
    const { drawing } = draw(exampleData("example1-chain.yaml").data);
    const ys = drawing.discs.map((d) => d.c[1]);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(1e-6);
    const y = ys[0];
    const r = drawing.discs[0].r;
    expect(drawing.bathBoxes).toHaveLength(4);
    const sides = new Set<number>();
    for (const { site, box } of drawing.bathBoxes) {
      const disc = drawing.discs.find((d) => d.site === site)!;
      expect(box.y1 < y - r || box.y0 > y + r).toBe(true); // off the line
      expect(Math.abs((box.x0 + box.x1) / 2 - disc.c[0])).toBeLessThan(r); // beside its own site
      sides.add(Math.sign((box.y0 + box.y1) / 2 - y));
    }
    expect(sides.size).toBe(1); // all on the same side
    // Spring values between their sites, on the other side of the line.
    for (const s of drawing.springs) expect(s.curve).toHaveLength(2);
  });

  it("the text boxes the tests estimate contain the glyphs resvg draws (DejaVu Sans)", () => {
    const fontFiles = dejavuFontFiles();
    let checked = 0;
    for (const file of ["example1-chain.yaml", "example4-heat-pump.yaml"]) {
      const { root } = draw(exampleData(file).data);
      for (const t of Array.from(
        root.querySelectorAll("text.label, text.site-name, text.site-temperature, g.bath > text"),
      )) {
        const { fs, bold, anchor } = textStyle(t);
        const text = t.textContent ?? "";
        const est = estimateTextBox(text, fs, bold, anchor, 300, 100);
        const svg =
          `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><text x="300" y="100" font-family="DejaVu Sans" ` +
          `font-size="${fs}" font-weight="${bold ? "bold" : "normal"}" text-anchor="${anchor}">${text}</text></svg>`;
        const ink = new Resvg(svg, {
          font: { fontFiles, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
        }).getBBox()!;
        expect(ink.x, text).toBeGreaterThanOrEqual(est.x0 - 0.5);
        expect(ink.x + ink.width, text).toBeLessThanOrEqual(est.x1 + 0.5);
        expect(ink.y, text).toBeGreaterThanOrEqual(est.y0 - 0.5);
        expect(ink.y + ink.height, text).toBeLessThanOrEqual(est.y1 + 0.5);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("network figures of generated networks (fixed seeds)", () => {
  type Case = [string, number, G.Edges, Parameters<typeof G.figureData>[2]?];
  const cases: Case[] = [
    ["chain of 2", 2, G.chain(2), { baths: "all" }],
    ["chain of 5, a bath on every site", 5, G.chain(5), { baths: "all" }],
    ["chain of 12, in two rows", 12, G.chain(12), { baths: "all" }],
    ["chain of 30", 30, G.chain(30), { baths: "some", seed: 2 }],
    ["chain of 50", 50, G.chain(50), { baths: "some", seed: 3 }],
    ["ring of 3", 3, G.ring(3), { baths: "all" }],
    ["ring of 8", 8, G.ring(8), { baths: "some" }],
    ["ring of 30", 30, G.ring(30), { baths: "some", seed: 4 }],
    ["ring of 50", 50, G.ring(50), { baths: "some", seed: 5 }],
    ["star of 6", 6, G.star(6), { baths: "all" }],
    ["star of 20", 20, G.star(20), { baths: "some" }],
    ["star of 40", 40, G.star(40), { baths: "ends", seed: 6 }],
    ["binary tree of 15", 15, G.binaryTree(15), { baths: "ends" }],
    ["binary tree of 31", 31, G.binaryTree(31), { baths: "some", seed: 7 }],
    ["random tree of 25", 25, G.randomTree(25, 3), { baths: "some" }],
    ["random tree of 50", 50, G.randomTree(50, 4), { baths: "some", seed: 8 }],
    ["grid 2 x 2", 4, G.grid(2, 2), { baths: "all" }],
    ["grid 3 x 4", 12, G.grid(3, 4), { baths: "some" }],
    ["grid 7 x 7", 49, G.grid(7, 7), { baths: "some", seed: 9 }],
    ["ladder of 2 x 8", 16, G.ladder(8), { baths: "ends" }],
    ["complete graph of 5", 5, G.complete(5), { baths: "all" }],
    ["complete graph of 8", 8, G.complete(8), { baths: "some" }],
    ["random graph of 8", 8, G.randomGraph(8, 4, 1), { baths: "all" }],
    ["random graph of 20", 20, G.randomGraph(20, 10, 2), { baths: "some" }],
    ["random graph of 35", 35, G.randomGraph(35, 20, 3), { baths: "some" }],
    ["random graph of 50", 50, G.randomGraph(50, 30, 4), { baths: "some" }],
    [
      "two chains, a triangle and a lone site",
      10,
      [
        [0, 1],
        [1, 2],
        [3, 4],
        [4, 5],
        [5, 6],
        [6, 3],
        [7, 8],
      ],
      { baths: "some" },
    ],
    [
      "long site names",
      6,
      G.chain(6),
      { baths: "ends", names: ["hot_end", "left_mirror", "m", "right_mirror", "cold_end", "probe_site_6"] },
    ],
  ];
  for (const [label, n, edges, options] of cases) {
    it(`${label}: no defects, every value written`, () => {
      const data = G.figureData(n, edges, options);
      const { root, drawing } = draw(data);
      expect(defects(drawing, { sitesApart: true })).toEqual([]);
      expect(drawing.dropped).toBe(0);
      expect(root.querySelectorAll("text.flux-label").length).toBe(data.springs.length + drawing.bathBoxes.length);
      // Every site is named, in its disc or beside it.
      const named = new Set([
        ...drawing.inner.map((t) => t.text),
        ...Array.from(root.querySelectorAll("text.site-label")).map((t) => t.textContent),
      ]);
      for (const s of data.sites) expect(named.has(s.name), s.name).toBe(true);
    });
  }

  it("is deterministic: the same network gives the same SVG", () => {
    const data = G.figureData(20, G.randomGraph(20, 10, 2));
    expect(renderSvg(networkFigure(data))).toBe(renderSvg(networkFigure(structuredClone(data))));
  });

  it("beyond FULL_MAX sites: a simpler drawing without values on the springs, said in the caption", () => {
    for (const [n, edges] of [
      [80, G.chain(80)],
      [100, G.grid(10, 10)],
      [90, G.ring(90)],
    ] as [number, G.Edges][]) {
      expect(n).toBeGreaterThan(FULL_MAX);
      const data = G.figureData(n, edges, { baths: "ends" });
      const { root, drawing } = draw(data);
      expect(defects(drawing, { sitesApart: true })).toEqual([]);
      expect(drawing.springs).toHaveLength(edges.length);
      expect(root.querySelectorAll("g.flux-arrow polygon").length).toBe(
        data.springs.filter((s) => s.flux !== 0).length,
      );
      expect(root.querySelectorAll("text.flux-label").length).toBe(drawing.bathBoxes.length); // bath values only
      expect(root.querySelector(".figure-caption")!.textContent).toContain(
        `With ${n} sites the flux values are not written on the springs`,
      );
      // Each arrow carries its value in a tooltip.
      expect(drawing.titles.filter((t) => t.startsWith("φ = ")).length).toBeGreaterThanOrEqual(data.springs.length);
    }
  });

  it("beyond DRAW_MAX sites: a summary by site number instead of a hairball, said in the caption; the same CSV", () => {
    for (const [n, edges] of [
      [DRAW_MAX + 1, G.randomGraph(DRAW_MAX + 1, 50, 3)],
      [5000, G.chain(5000)],
    ] as [number, G.Edges][]) {
      const data = G.figureData(n, edges, { baths: "ends" });
      const fig = networkFigure(data);
      const root = fig.render(createDocument());
      expect(root.querySelectorAll("circle.site-disc")).toHaveLength(0);
      const caption = root.querySelector(".figure-caption")!.textContent!;
      expect(caption).toContain(`With ${n} sites (more than ${DRAW_MAX}) a drawing of the network would be unreadable`);
      expect(fig.table.rows).toHaveLength(n + edges.length);
      expect(fig.table.columns).toEqual(["kind", "site", "to", "kinetic_temperature", "bath_temperature", "flux"]);
      const svg = renderSvg(fig);
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(svg).toContain("temperature (energy units, kB = 1)");
      expect(svg).toContain("heat flux φ (energy per unit time)");
    }
  });

  it("a value with no room is dropped last, and the tooltip and caption say so", () => {
    // Sixteen sites given on a line, every pair joined: 120 springs, most bent over the line; not room for every value.
    const base = G.figureData(16, G.complete(16), { baths: "none" });
    const data: NetworkFigureData = {
      ...base,
      sites: base.sites.map((s, i) => ({ ...s, position: [i, 0] as [number, number] })),
    };
    const { root, drawing } = draw(data);
    expect(defects(drawing, { sitesApart: true })).toEqual([]);
    expect(drawing.dropped).toBeGreaterThan(0);
    expect(root.querySelectorAll("text.flux-label").length + drawing.dropped).toBe(120);
    expect(drawing.titles.filter((t) => t.endsWith("(value not written: no room)"))).toHaveLength(drawing.dropped);
    expect(root.querySelector(".figure-caption")!.textContent).toContain(`${drawing.dropped} values did not fit`);
  });

  it("keeps a given layout and bends a spring that would pass over a site", () => {
    // Sites on a line, with a spring from the first to the third over the second, and one from 1 to 4.
    const data: NetworkFigureData = {
      sites: ["1", "2", "3", "4"].map((name, i) => ({
        name,
        kineticTemperature: 1 + i,
        position: [i, 0] as [number, number],
      })),
      springs: [
        { between: ["1", "2"], flux: 1 },
        { between: ["2", "3"], flux: 0.5 },
        { between: ["3", "4"], flux: 0.2 },
        { between: ["1", "3"], flux: 0.3 },
        { between: ["1", "4"], flux: -0.1 },
      ],
    };
    const { drawing } = draw(data);
    expect(defects(drawing, { sitesApart: true })).toEqual([]);
    const curved = drawing.springs.filter((s) => s.curve.length > 2).map((s) => s.between.join("-"));
    expect(curved.sort()).toEqual(["1-3", "1-4"]);
    const ys = drawing.discs.map((d) => d.c[1]);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(1e-6);
  });
});

describe("networkLayout and routeEdges", () => {
  const dist = (p: Point, q: Point) => Math.hypot(p[0] - q[0], p[1] - q[1]);

  it("lays a chain on a line, a long one in rows joined at alternate ends", () => {
    const short = networkLayout(10, G.chain(10));
    expect(new Set(short.map((p) => p[1])).size).toBe(1);
    const long = networkLayout(25, G.chain(25));
    for (const [a, b] of G.chain(25)) {
      const horizontal =
        Math.abs(long[a][1] - long[b][1]) < 1e-12 && Math.abs(Math.abs(long[a][0] - long[b][0]) - 1) < 1e-12;
      const vertical = Math.abs(long[a][0] - long[b][0]) < 1e-12;
      expect(horizontal || vertical).toBe(true);
    }
    expect(new Set(long.map((p) => p[1])).size).toBe(3); // 25 sites: three rows of at most 10
  });

  it("lays a ring on a regular polygon and a star as a wheel", () => {
    const ring = networkLayout(7, G.ring(7));
    for (const [a, b] of G.ring(7)) expect(dist(ring[a], ring[b])).toBeCloseTo(1, 9);
    const star = networkLayout(12, G.star(12));
    const r = star.slice(1).map((p) => dist(p, star[0]));
    for (const x of r) expect(x).toBeCloseTo(r[0], 9);
  });

  it("lays a grid out square: equal springs along two perpendicular axes", () => {
    const edges = G.grid(4, 5);
    const p = networkLayout(20, edges);
    const lengths = edges.map(([a, b]) => dist(p[a], p[b]));
    for (const l of lengths) expect(Math.abs(l / lengths[0] - 1)).toBeLessThan(0.1);
    for (const [a, b] of edges) {
      const angle = Math.abs(Math.atan2(p[b][1] - p[a][1], p[b][0] - p[a][0])) % (Math.PI / 2);
      expect(Math.min(angle, Math.PI / 2 - angle)).toBeLessThan(0.1); // 6°
    }
  });

  it("keeps every site off the springs of random graphs and apart from the others", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const n = 10 + 8 * seed;
      const edges = G.randomGraph(n, n / 2, seed);
      const p = networkLayout(n, edges);
      expect(networkLayout(n, edges)).toEqual(p);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(dist(p[i], p[j])).toBeGreaterThan(0.4);
      let near = Infinity;
      for (const [a, b] of edges)
        for (let c = 0; c < n; c++) if (c !== a && c !== b) near = Math.min(near, pointSegment(p[c], p[a], p[b]));
      expect(near).toBeGreaterThan(0.2);
    }
  });

  it("routes an edge around the sites in its way, and leaves the others straight", () => {
    const pos: Point[] = [
      [0, 0],
      [100, 0],
      [200, 0],
      [100, 100],
      [150, -4],
    ];
    const edges: [number, number][] = [
      [0, 2],
      [0, 3],
      [1, 3],
    ];
    const routes = routeEdges(pos, edges, [30, 30, 30]);
    expect(routes[1]).toEqual([]);
    expect(routes[2]).toEqual([]);
    expect(routes[0].length).toBeGreaterThan(0);
    // The bent 0–2 keeps 30 from sites 1 and 4 (sampled).
    const [a, b] = [pos[0], pos[2]];
    const ctrl = [a, ...routes[0], b];
    for (let k = 0; k <= 200; k++) {
      const t = k / 200;
      let q = ctrl.map((c): Point => [c[0], c[1]]);
      while (q.length > 1)
        q = q.slice(1).map((c, i): Point => [q[i][0] + t * (c[0] - q[i][0]), q[i][1] + t * (c[1] - q[i][1])]);
      expect(dist(q[0], pos[1])).toBeGreaterThanOrEqual(30 - 1e-9);
      expect(dist(q[0], pos[4])).toBeGreaterThanOrEqual(30 - 1e-9);
    }
  });
});
