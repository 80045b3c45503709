// Network figure: renders one standalone SVG whose flux arrows point along the
// sign of each spring's flux, with a deterministic layout.
import { describe, expect, it } from "vitest";
import { networkFigure, type NetworkFigureData } from "../../src/figures/network.js";
import { networkLayout } from "../../src/figures/layout.js";
import { createDocument, renderSvg } from "../../src/io/render.js";

const data: NetworkFigureData = {
  title: "triangle",
  sites: [
    { name: "1", kineticTemperature: 9, bath: { temperature: 11, flux: 0.298 } },
    { name: "2", kineticTemperature: 2.6, bath: { temperature: 2, flux: -0.298 } },
    { name: "3", kineticTemperature: 2.4 },
  ],
  springs: [
    { between: ["1", "2"], flux: 0.29 },
    { between: ["2", "3"], flux: -0.008 },
    { between: ["1", "3"], flux: 0.008 },
  ],
};

function point(s: string | null): [number, number] {
  const [x, y] = s!.split(",").map(Number);
  return [x, y];
}

describe("networkFigure", () => {
  it("renders one svg with xmlns, sites, baths and one arrow per spring along the flux", () => {
    const fig = networkFigure(data);
    const svg = renderSvg(fig);
    const rootTag = /^<\?xml[^>]*>\n(<svg[^>]*>)/.exec(svg)?.[1] ?? "";
    expect(rootTag).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(rootTag).toMatch(/ width="\d+"/);
    expect(rootTag).toMatch(/ viewBox="0 0 \d+ \d+"/);
    expect((svg.match(/<svg/g) ?? []).length).toBe(1);
    expect(svg).toContain("kinetic temperature ⟨p²⟩/m");
    expect(svg).toContain("T₁ = 11");

    const document = createDocument();
    const root = fig.render(document);
    const centre = new Map<string, [number, number]>();
    for (const c of Array.from(root.querySelectorAll("circle.site-disc"))) {
      centre.set(c.getAttribute("data-site")!, [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
    }
    expect([...centre.keys()].sort()).toEqual(["1", "2", "3"]);
    const arrows = Array.from(root.querySelectorAll("g.flux-arrow"));
    expect(arrows).toHaveLength(data.springs.length);
    for (const spring of data.springs) {
      const a = arrows.find((g) => g.getAttribute("data-flux") === String(spring.flux))!;
      expect(a).toBeDefined();
      const [p, q] = spring.between.map((n) => centre.get(n)!);
      const tail = point(a.getAttribute("data-tail"));
      const tip = point(a.getAttribute("data-tip"));
      // Direction of the arrow projected on the spring axis p -> q.
      const along = (tip[0] - tail[0]) * (q[0] - p[0]) + (tip[1] - tail[1]) * (q[1] - p[1]);
      expect(Math.sign(along)).toBe(Math.sign(spring.flux));
      // The drawn polygon starts at the tip.
      const poly = a.querySelector("polygon")!.getAttribute("points")!.split(" ")[0];
      expect(point(poly)[0]).toBeCloseTo(tip[0], 1);
      expect(point(poly)[1]).toBeCloseTo(tip[1], 1);
      const expected = spring.flux > 0 ? spring.between : [spring.between[1], spring.between[0]];
      expect([a.getAttribute("data-from"), a.getAttribute("data-to")]).toEqual(expected);
    }
    // Negative flux 2->3: arrow tip is nearer site 2 than the tail is.
    const neg = arrows.find((g) => g.getAttribute("data-flux") === "-0.008")!;
    const s2 = centre.get("2")!;
    const d = (p: [number, number]) => Math.hypot(p[0] - s2[0], p[1] - s2[1]);
    expect(d(point(neg.getAttribute("data-tip")))).toBeLessThan(d(point(neg.getAttribute("data-tail"))));

    // Bath arrows: into site 1 (flux > 0), out of site 2 (flux < 0).
    const bathArrows = Array.from(root.querySelectorAll("g.bath-arrow"));
    expect(bathArrows).toHaveLength(2);
    for (const b of bathArrows) {
      const c = centre.get(b.getAttribute("data-site")!)!;
      const dist = (p: [number, number]) => Math.hypot(p[0] - c[0], p[1] - c[1]);
      const inward = dist(point(b.getAttribute("data-tip"))) < dist(point(b.getAttribute("data-tail")));
      expect(inward).toBe(Number(b.getAttribute("data-flux")) > 0);
    }
  });

  it("has a table of sites and springs", () => {
    const { table } = networkFigure(data);
    expect(table.columns).toEqual(["kind", "site", "to", "kinetic_temperature", "bath_temperature", "flux"]);
    expect(table.rows).toContainEqual(["spring", "2", "3", "", "", -0.008]);
    expect(table.rows).toContainEqual(["site", "1", "", 9, 11, 0.298]);
  });

  it("rejects unknown sites and non-finite values", () => {
    expect(() => networkFigure({ sites: data.sites, springs: [{ between: ["1", "9"], flux: 1 }] })).toThrow(
      /unknown site "9"/,
    );
    expect(() => networkFigure({ sites: [{ name: "a", kineticTemperature: NaN }], springs: [] })).toThrow(
      /kinetic temperature of site "a"/,
    );
  });

  it("uses given positions, else a deterministic layout", () => {
    expect(
      networkLayout(
        2,
        [[0, 1]],
        [
          [0, 0],
          [3, 4],
        ],
      ),
    ).toEqual([
      [0, 0],
      [3, 4],
    ]);
    const chain = networkLayout(4, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(new Set(chain.map((p) => p[1].toFixed(9))).size).toBe(1); // a horizontal line
    const edges: [number, number][] = [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
      [0, 2],
      [3, 4],
      [4, 5],
    ];
    const a = networkLayout(6, edges);
    const b = networkLayout(6, edges);
    expect(a).toEqual(b);
    for (let i = 0; i < 6; i++) {
      for (let j = i + 1; j < 6; j++) expect(Math.hypot(a[i][0] - a[j][0], a[i][1] - a[j][1])).toBeGreaterThan(0.2);
    }
  });
});

describe("networkFigure edge cases", () => {
  const ring = (n: number) => ({
    sites: Array.from({ length: n }, (_, i) => ({
      name: `r${i}`,
      kineticTemperature: 1 + i,
      bath: i === 0 ? { temperature: 2, flux: 0 } : undefined,
    })),
    springs: Array.from({ length: n }, (_, i) => ({
      between: [`r${i}`, `r${(i + 1) % n}`] as [string, string],
      flux: i % 3 === 0 ? 0 : 0.1 * i,
    })),
  });
  const cases: [string, NetworkFigureData][] = [
    [
      "single site",
      { sites: [{ name: "solo", kineticTemperature: 1, bath: { temperature: 1, flux: 0 } }], springs: [] },
    ],
    [
      "all fluxes zero",
      {
        sites: [
          { name: "a", kineticTemperature: 1 },
          { name: "b", kineticTemperature: 1 },
        ],
        springs: [{ between: ["a", "b"], flux: 0 }],
      },
    ],
    ["12-site ring", ring(12)],
    [
      "30-site chain",
      {
        sites: Array.from({ length: 30 }, (_, i) => ({ name: String(i), kineticTemperature: 30 - i })),
        springs: Array.from({ length: 29 }, (_, i) => ({
          between: [String(i), String(i + 1)] as [string, string],
          flux: 1,
        })),
      },
    ],
    [
      "irregular graph",
      {
        sites: Array.from({ length: 15 }, (_, i) => ({ name: `n${i}`, kineticTemperature: i % 4 })),
        springs: Array.from({ length: 15 }, (_, i) => [
          { between: [`n${i}`, `n${(i * 7 + 3) % 15}`] as [string, string], flux: Math.sin(i) },
        ])
          .flat()
          .filter((s) => s.between[0] !== s.between[1]),
      },
    ],
  ];
  for (const [label, d] of cases) {
    it(`renders ${label} without NaN and with sites apart`, () => {
      const svg = renderSvg(networkFigure(d));
      expect(svg).not.toMatch(/NaN|Infinity/);
      const root = networkFigure(d).render(createDocument());
      const discs = Array.from(root.querySelectorAll("circle.site-disc")).map((c) => ({
        x: Number(c.getAttribute("cx")),
        y: Number(c.getAttribute("cy")),
        r: Number(c.getAttribute("r")),
      }));
      expect(discs).toHaveLength(d.sites.length);
      for (let i = 0; i < discs.length; i++) {
        for (let j = i + 1; j < discs.length; j++) {
          expect(Math.hypot(discs[i].x - discs[j].x, discs[i].y - discs[j].y)).toBeGreaterThan(discs[i].r + discs[j].r);
        }
      }
    });
  }

  it("refuses an empty network", () => {
    expect(() => networkFigure({ sites: [], springs: [] })).toThrow(/no sites/);
  });
});
