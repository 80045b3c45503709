// Chart builders: line charts, heatmaps with vectors, particle snapshots and
// multi-panel layouts render as one SVG with labelled axes and legends.
import { describe, expect, it } from "vitest";
import {
  columnName,
  heatmapFigure,
  lineChart,
  linePanel,
  mergePanelTables,
  panelFigure,
  particleScatter,
} from "../../src/figures/charts.js";
import { MPL, swatchLegend, typeset, typesetSubscripts, wrapText } from "../../src/figures/figure.js";
import { tableToCsv } from "../../src/io/files.js";
import { createDocument, renderSvg } from "../../src/io/render.js";

const xs = [1, 2, 3, 4, 5];
const chart = lineChart({
  name: "lc",
  title: "Three series",
  caption:
    "A caption that is long enough to be wrapped onto more than one line when the figure is narrow, as captions are.",
  xLabel: "time t",
  yLabel: "energy E",
  series: [
    { name: "first", x: xs, y: xs.map((x) => x * x), color: "blue" },
    { name: "second", x: xs, y: xs.map((x) => 2 * x), color: "orange", style: "dashed" },
    {
      name: "third",
      x: xs,
      y: xs.map((x) => 10 - x),
      color: "magenta",
      style: "dotted",
      marker: "circle",
      err: xs.map(() => 0.5),
    },
  ],
  referenceLines: [{ y: 5, label: "E = 5" }],
});

function axisLabels(root: Element): string[] {
  return Array.from(root.querySelectorAll('g[aria-label="x-axis label"] text, g[aria-label="y-axis label"] text')).map(
    (t) => t.textContent ?? "",
  );
}

describe("lineChart", () => {
  it("renders one svg with labelled axes, ticks, legend and caption", () => {
    const root = chart.render(createDocument());
    expect(root.tagName.toLowerCase()).toBe("svg");
    expect(axisLabels(root).sort()).toEqual(["energy E", "time t"]);
    expect(root.querySelectorAll('g[aria-label="x-axis tick label"] text').length).toBeGreaterThan(2);
    const legend = Array.from(root.querySelectorAll("g.legend-item text")).map((t) => t.textContent);
    expect(legend).toEqual(["first", "second", "third"]);
    expect(root.querySelector("g.figure-title")!.textContent).toBe("Three series");
    expect(root.querySelectorAll("g.figure-caption text").length).toBeGreaterThanOrEqual(1);
    const svg = renderSvg(chart);
    expect(svg).toContain(`stroke="${MPL.magenta}"`);
    expect(svg).toContain('stroke-dasharray="7,4"'); // dashed
    expect(svg).toContain("E = 5");
    expect(svg).not.toContain("<figure");
  });

  it("has a long-format table with error column", () => {
    expect(chart.table.columns).toEqual(["series", "time_t", "energy_E", "energy_E_error"]);
    expect(chart.table.rows).toHaveLength(15);
    expect(chart.table.rows[0]).toEqual(["first", 1, 1, ""]);
    expect(chart.table.rows[10]).toEqual(["third", 1, 9, 0.5]);
  });

  it("labels log axes at decades with superscripts over many decades, at 1, 2, 5 over up to three", () => {
    const wide = lineChart({
      name: "log",
      title: "log",
      caption: "",
      xLabel: "N",
      yLabel: "J",
      xType: "log",
      yType: "log",
      series: [{ name: "s", x: [1, 10, 100, 1000], y: [1, 1e-2, 1e-4, 1e-6] }],
    });
    const labels = (f: typeof wide, axis: string) =>
      Array.from(f.render(createDocument()).querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`))
        .map((t) => t.textContent)
        .filter((t) => t);
    expect(labels(wide, "y")).toContain("10⁻²");
    expect(labels(wide, "y")).not.toContain("0.01");
    const fig = lineChart({
      name: "log",
      title: "log",
      caption: "",
      xLabel: "N",
      yLabel: "J",
      xType: "log",
      yType: "log",
      series: [{ name: "s", x: [1, 10, 100, 1000], y: [1, 0.1, 0.01, 0.001] }],
    });
    // Three decades: every 1, 2 and 5 labelled as a plain number (a caption's 0.02 or 500 can be read off).
    expect(labels(fig, "y")).toEqual(["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]);
    expect(labels(fig, "x")).toEqual(["1", "2", "5", "10", "20", "50", "100", "200", "500", "1000"]);
  });

  // Issue 15: two-temperature fig7 read "0.3" next to "0.32"; energy-correlations-bound (a) ran 50 minor ticks together.
  const ticksOf = (panel: ReturnType<typeof linePanel>, axis: string, what: "tick label" | "tick") => {
    const g = panel.plot(createDocument()).querySelector(`g[aria-label="${axis}-axis ${what}"]`);
    return Array.from(g?.querySelectorAll(what === "tick" ? "path" : "text") ?? []).map((t) => t.textContent ?? "");
  };
  it("labels the even ticks of a log axis within one decade with one precision", () => {
    const panel = linePanel({
      xLabel: "q",
      yLabel: "S",
      yType: "log",
      series: [{ name: "s", x: [1, 2, 3, 4], y: [0.17, 0.3, 0.33, 0.25], err: [0.01, 0.01, 0.01, 0.01] }],
      width: 380,
      height: 300,
    });
    const y = ticksOf(panel, "y", "tick label");
    expect(y.length).toBeGreaterThan(3);
    for (const t of y) expect(t).toMatch(/^0\.\d\d$/);
    expect(y).toContain("0.20");
    expect(y).toContain("0.30");
  });

  // fig7's q axis (0.55 to 3.2) was labelled 1, 2, 3 only; fig4-ndc (a)'s axis from 11 started its labels at 20.
  it("labels the low end of a log axis shorter than a decade whose ticks are the multiples", () => {
    const panel = linePanel({
      xLabel: "q",
      yLabel: "S",
      xType: "log",
      series: [{ name: "s", x: [0.55, 0.9, 1.4, 2.2, 3.2], y: [1, 2, 3, 4, 5] }],
      width: 420,
      height: 300,
    });
    const labelled = ticksOf(panel, "x", "tick label").filter((t) => t);
    expect(labelled).toContain("1");
    expect(labelled.some((t) => Number(t) < 0.75)).toBe(true);
    for (const t of labelled) expect(Number(t)).toBeGreaterThan(0);
  });

  // The coarsening figure's exponent panel (window middles 7000 to 2.1e4) read "8000, 9000, 1.00e4".
  it("labels a log axis shorter than a decade across 10^4 with powers of ten, not 1.00e4", () => {
    const panel = linePanel({
      xLabel: "t",
      yLabel: "alpha",
      xType: "log",
      series: [{ name: "s", x: [7000, 21000], y: [0.23, 0.29] }],
      width: 440,
      height: 320,
    });
    const labelled = ticksOf(panel, "x", "tick label").filter((t) => t);
    expect(labelled).toContain("10⁴");
    expect(labelled).toContain("8000");
    for (const t of labelled) expect(t).not.toMatch(/e/);
  });

  it("draws no minor ticks where a decade-labelled log axis gives a decade fewer than 60 px", () => {
    const series = [{ name: "s", x: [1, 2, 3, 4], y: [3e-3, 0.1, 10, 300] }];
    const short = linePanel({ xLabel: "x", yLabel: "y", yType: "log", series, width: 420, height: 290 });
    const tall = linePanel({ xLabel: "x", yLabel: "y", yType: "log", series, width: 420, height: 700 });
    const decadesShort = ticksOf(short, "y", "tick label").filter((t) => t).length;
    expect(ticksOf(short, "y", "tick").length).toBe(decadesShort);
    expect(ticksOf(tall, "y", "tick").length).toBeGreaterThan(
      3 * ticksOf(tall, "y", "tick label").filter((t) => t).length,
    );
  });

  it("rejects series of mismatched lengths", () => {
    expect(() => linePanel({ xLabel: "x", yLabel: "y", series: [{ name: "bad", x: [1, 2], y: [1] }] })).toThrow(
      /series "bad"/,
    );
  });
});

describe("heatmapFigure", () => {
  const gx = [0, 1, 2, 3];
  const gy = [0, 0.5, 1];
  const fig = heatmapFigure({
    name: "hm",
    title: "Density",
    caption: "",
    xLabel: "position x",
    yLabel: "momentum p",
    x: gx,
    y: gy,
    values: gy.map((y) => gx.map((x) => x + y)),
    color: { label: "density ρ" },
    vectors: { u: gy.map((y) => gx.map(() => -y)), v: gy.map(() => gx.map((x) => x)), stride: 1 },
  });

  it("renders cells (no raster), arrows, labelled axes and a colour ramp", () => {
    const root = fig.render(createDocument());
    expect(axisLabels(root).sort()).toEqual(["momentum p", "position x"]);
    expect(root.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(12);
    expect(root.querySelectorAll("image").length).toBe(0);
    // One arrow per non-zero vector (the one at the origin is zero), black on light cells, white on dark.
    const arrows = Array.from(root.querySelectorAll('g[aria-label="arrow"] path'));
    expect(arrows.length).toBe(11);
    expect(new Set(arrows.map((a) => a.getAttribute("stroke")))).toEqual(new Set(["#000", "#fff"]));
    expect(root.querySelector("g.ramp-legend text")!.textContent).toBe("density ρ");
    expect(fig.table.columns).toEqual([
      "position_x",
      "momentum_p",
      "density_ρ",
      "vector_position_x",
      "vector_momentum_p",
    ]);
    expect(fig.table.rows).toHaveLength(12);
  });

  it("checks the grid shape", () => {
    expect(() =>
      heatmapFigure({
        name: "x",
        title: "",
        caption: "",
        xLabel: "x",
        yLabel: "y",
        x: [0, 1],
        y: [0],
        values: [[1]],
        color: { label: "v" },
      }),
    ).toThrow(/row 0 has 1 values, expected 2/);
  });
});

describe("particleScatter and panelFigure", () => {
  it("draws particles with equal axis scales and a category legend", () => {
    const fig = particleScatter({
      name: "p",
      title: "snapshot",
      caption: "",
      box: [10, 5],
      x: [1, 2, 3, 9.9],
      y: [1, 2, 3, 4],
      category: ["hot", "cold", "hot", "cold"],
      radius: 0.3,
    });
    const root = fig.render(createDocument());
    const frame = root.querySelector('g[aria-label="frame"] rect, rect[aria-label="frame"]')!;
    const w = Number(frame.getAttribute("width"));
    const h = Number(frame.getAttribute("height"));
    expect(w / h).toBeCloseTo(2, 1);
    expect(Array.from(root.querySelectorAll("g.legend-item text")).map((t) => t.textContent)).toEqual([
      "hot (2)",
      "cold (2)",
    ]);
    // The particle at x = 9.9 overlaps the edge and gets a periodic image.
    expect(root.querySelectorAll('g[aria-label="dot"] circle').length).toBe(5);
  });

  it("lays out 2x2 panels labelled (a)-(d) with a shared legend", () => {
    const series = [{ name: "s", x: [0, 1], y: [0, 1] }];
    const fig = panelFigure({
      name: "grid",
      title: "grid",
      caption: "",
      panels: ["p", "q", "r", "s"].map((t) =>
        linePanel({ title: t, xLabel: "x", yLabel: "y", series, width: 300, height: 200 }),
      ),
    });
    const root = fig.render(createDocument());
    const titles = Array.from(root.querySelectorAll("g.panel-title text")).map((t) => t.textContent);
    expect(titles).toEqual(["(a) p", "(b) q", "(c) r", "(d) s"]);
    const panels = Array.from(root.querySelectorAll("g.panel")).map((g) => g.getAttribute("transform"));
    expect(new Set(panels).size).toBe(4);
    expect(root.querySelectorAll("g.legend-item")).toHaveLength(1);
    // Axes named only "x" and "y" give neutral names, never a generic x, y column.
    expect(fig.table.columns).toEqual(["panel", "series", "abscissa", "ordinate"]);
    expect(fig.table.rows[0]).toEqual(["(a) p", "s", 0, 0]);
  });

  it("merges tables with different columns", () => {
    const t = mergePanelTables([
      { label: "a", table: { columns: ["x"], rows: [[1]] } },
      { label: "b", table: { columns: ["y"], rows: [[2]] } },
    ]);
    expect(t).toEqual({
      columns: ["panel", "x", "y"],
      rows: [
        ["a", 1, ""],
        ["b", "", 2],
      ],
    });
  });
});

describe("wrapText", () => {
  it("wraps at spaces but keeps no-break spaces together", () => {
    const lines = wrapText("aaaa bbbb T\u00a0=\u00a011 cccc", 60, 12);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((l) => l.includes("T\u00a0=\u00a011"))).toBe(true);
  });
});

describe("typography", () => {
  it("writes Greek names, averages, powers and numeric subscripts in Unicode", () => {
    expect(typeset("zeta = 0.1, gamma_R = 1, eps^2, sigma11, <v_cm o e>, T_1 > T_2")).toBe(
      "ζ = 0.1, γ_R = 1, ε², σ₁₁, ⟨v_cm·e⟩, T₁ > T₂",
    );
    // Words that merely contain a Greek name, and comparisons, are left alone.
    expect(typeset("the zetas; T_L < T_R and T_R > 0; epsilon")).toBe("the zetas; T_L < T_R and T_R > 0; ε");
    expect(typeset("T1 = 5, x2, k0 = 0.01, C12; Fig. 4, eq13, 10³ C12, x1000, k 2, v1.5")).toBe(
      "T₁ = 5, x₂, k₀ = 0.01, C₁₂; Fig. 4, eq13, 10³ C₁₂, x1000, k 2, v1.5",
    );
    expect(typeset("J ~ N^-alpha, N^-0.492, L^2")).toBe("J ~ N^-α, N^-0.492, L²");
    expect(typeset("L = 2 pi Σ D(q), 0 < |q| <= pi / range, S(q -> 0), a >= b")).toBe(
      "L = 2 π Σ D(q), 0 < |q| ≤ π / range, S(q → 0), a ≥ b",
    );
    // Minus signs written with the hyphen; hyphens in words, flags and exponents stay.
    expect(typeset("|T_L - T_R|, x(1 - x), T3 - T0, psi = -0.002, (-1, 2), burn-in, --quick, N^-0.49")).toBe(
      "|T_L − T_R|, x(1 − x), T₃ − T₀, ψ = −0.002, (−1, 2), burn-in, --quick, N^-0.49",
    );
    expect(typeset("<x1 x2' - x2 x1'>/2")).toBe("⟨x₁ x₂' − x₂ x₁'⟩/2");
  });

  it("draws powers without a Unicode form as SVG superscripts (t^(1/3), N^-0.49)", () => {
    const document = createDocument();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
    text.textContent = "t^(1/3), fit: N^-0.492 and J ~ N^-alpha, L^2";
    svg.appendChild(text);
    typesetSubscripts(svg);
    expect(text.textContent).toBe("t1/3, fit: N−0.492 and J ~ N−α, L²");
    const sups = Array.from(text.querySelectorAll("tspan"));
    expect(sups.map((t) => [t.textContent, t.getAttribute("baseline-shift")])).toEqual([
      ["1/3", "super"],
      ["−0.492", "super"],
      ["−α", "super"],
    ]);
  });

  it("draws letter subscripts as SVG subscripts (T_L, k_eff), in texts only", () => {
    const document = createDocument();
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
    text.textContent = "T_L = 2, k_eff and zeta";
    svg.appendChild(text);
    typesetSubscripts(svg);
    expect(text.textContent).toBe("TL = 2, keff and ζ");
    const subs = Array.from(text.querySelectorAll("tspan"));
    expect(subs.map((t) => [t.textContent, t.getAttribute("baseline-shift")])).toEqual([
      ["L", "sub"],
      ["eff", "sub"],
    ]);
  });

  it("groups a legend by series: one row per 'SERIES: what' prefix, columns aligned", () => {
    const items = ["a = 1", "b = 2"].flatMap((s) =>
      ["theory", "simulation"].map((w) => ({ label: `${s}: ${w}`, color: "blue" })),
    );
    const block = swatchLegend(createDocument(), [...items, { label: "limit", color: "grey" }], 2000);
    const rows = new Map<string, string[]>();
    for (const t of Array.from(block.element.querySelectorAll("text"))) {
      const y = t.getAttribute("y")!;
      rows.set(y, [...(rows.get(y) ?? []), t.textContent!]);
    }
    expect([...rows.values()]).toEqual([
      ["a = 1: theory", "a = 1: simulation"],
      ["b = 2: theory", "b = 2: simulation"],
      ["limit"],
    ]);
  });
});

describe("reference line labels", () => {
  /** The label's text element, its vertical centre and anchor, and the frame's top and bottom, from the SVG. */
  function labelOf(root: Element, label: string) {
    const text = Array.from(root.querySelectorAll("text")).find((t) => t.textContent === label)!;
    const g = text.parentElement!;
    const shift = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute("transform") ?? "")!;
    const at = /translate\(([-\d.]+),([-\d.]+)\)/.exec(text.getAttribute("transform") ?? "")!;
    const frame = root.querySelector('rect[aria-label="frame"]')!;
    const top = Number(frame.getAttribute("y"));
    return {
      centre: Number(at[2]) + Number(shift[2]),
      anchor: g.getAttribute("text-anchor"),
      top,
      bottom: top + Number(frame.getAttribute("height")),
    };
  }
  const render = (p: ReturnType<typeof linePanel>) =>
    panelFigure({ name: "ref", title: "reference labels", caption: "", panels: [p] }).render(createDocument());

  it("a line at the top of the data puts its label below, inside the frame (the strip profile's T_L = 2)", () => {
    const x = Array.from({ length: 16 }, (_, k) => k + 1);
    const p = linePanel({
      xLabel: "column",
      yLabel: "T",
      series: [{ name: "profile", x, y: x.map((c) => 1.9 - (0.8 * (c - 1)) / 15) }],
      referenceLines: [
        { y: 2, label: "TL = 2" },
        { y: 1, label: "TR = 1" },
      ],
    });
    const root = render(p);
    for (const name of ["TL = 2", "TR = 1"]) {
      const l = labelOf(root, name);
      expect(l.centre - 7, name).toBeGreaterThanOrEqual(l.top);
      expect(l.centre + 7, name).toBeLessThanOrEqual(l.bottom);
    }
  });

  it("a label whose default place is on the data moves off it (the demixing panel's x(1 - x))", () => {
    const x = Array.from({ length: 41 }, (_, k) => k / 10);
    // Data oscillating about the line on the right, far from it on the left.
    const panel = (labelAt?: "end") =>
      linePanel({
        xLabel: "q",
        yLabel: "S",
        series: [{ name: "S", x, y: x.map((v) => (v < 2 ? 0.1 : 0.25 + 0.05 * Math.sin(8 * v))) }],
        referenceLines: [{ y: 0.25, label: "x(1 - x)", labelAt }],
      });
    // (drawn with a typeset minus)
    expect(labelOf(render(panel()), "x(1 − x)").anchor).toBe("start");
    expect(labelOf(render(panel("end")), "x(1 − x)").anchor, "an explicit place is kept").toBe("end");
  });
});

describe("data tables: named columns (one CSV layout)", () => {
  it("names a panel's columns for its axes, never x/y, and describes them in the CSV's # columns line", () => {
    expect(columnName("heat current J", "f")).toBe("heat_current_J");
    expect(columnName("T_hot / T_cold", "f")).toBe("T_hot_over_T_cold");
    expect(columnName("L (range)", "f")).toBe("L");
    expect(columnName("k = k1/k2", "f")).toBe("k");
    expect(columnName("x", "position")).toBe("position");
    expect(columnName("", "case")).toBe("case");
    const a = linePanel({
      xLabel: "particle-bath temperature T_L",
      xColumn: "T_L",
      yLabel: "heat current J",
      series: [{ name: "s", x: [1, 2], y: [3, 4], err: [0.1, 0.2] }],
    });
    const b = linePanel({ xLabel: "time", yLabel: "L (range)", series: [{ name: "t", x: [1], y: [2] }] });
    expect(a.table.columns).toEqual(["series", "T_L", "heat_current_J", "heat_current_J_error"]);
    const merged = mergePanelTables([
      { label: "(a)", table: a.table },
      { label: "(b)", table: b.table },
    ]);
    expect(merged.columns).toEqual(["panel", "series", "T_L", "heat_current_J", "heat_current_J_error", "time", "L"]);
    const csv = tableToCsv(merged, ["ness 0.0.0"]).split("\n");
    expect(csv[0]).toBe("# ness 0.0.0");
    expect(csv[1]).toMatch(
      /^# columns: T_L: particle-bath temperature T_L; heat_current_J: heat current J; .*L: L \(range\)$/,
    );
    expect(csv[2]).toBe("panel,series,T_L,heat_current_J,heat_current_J_error,time,L");
  });

  it("names a heatmap's and a snapshot's columns", () => {
    const h = heatmapFigure({
      name: "h",
      title: "t",
      caption: "c",
      xLabel: "x1 (particle 1)",
      yLabel: "x2 (particle 2)",
      x: [0, 1],
      y: [0, 1],
      values: [
        [1, 2],
        [3, 4],
      ],
      color: { label: "density" },
      vectors: {
        u: [
          [0, 0],
          [0, 0],
        ],
        v: [
          [0, 0],
          [0, 0],
        ],
        label: "probability current",
      },
    });
    expect(h.table.columns).toEqual(["x1", "x2", "density", "probability_current_x1", "probability_current_x2"]);
    const p = particleScatter({ name: "p", title: "t", caption: "c", box: [4, 4], x: [1], y: [1], category: ["hot"] });
    expect(p.table.columns).toEqual(["particle", "species", "position_x", "position_y"]);
  });
});
