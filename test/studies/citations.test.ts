// Figures cite their sources in full: a key in brackets ("Fig. 4 of [Krekels et al. 2026]") cannot be resolved by a
// reader of the PNG, so citeFigure (applied by defineStudy and by `ness reproduce` / the lab to every figure set)
// turns it into the key without brackets plus a reference list at the end of the caption.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { lineChart } from "../../src/figures/charts.js";
import { renderSvg } from "../../src/io/render.js";
import { STUDIES } from "../../src/studies/catalog.js";
import { BUNIN_ET_AL_2013, citeFigure, KREKELS_ET_AL_2026 } from "../../src/studies/citations.js";
import { defineStudy } from "../../src/studies/contract.js";

const chart = (title: string, caption: string) =>
  lineChart({ name: "c", title, caption, xLabel: "x", yLabel: "y", series: [{ name: "s", x: [0, 1], y: [1, 2] }] });

describe("citeFigure", () => {
  it("resolves the keys of the figure's sources into a reference list the SVG draws", () => {
    const f = citeFigure(chart("Current (Fig. 4 of [Krekels et al. 2026])", "Points: simulation."), [
      KREKELS_ET_AL_2026,
      BUNIN_ET_AL_2013,
    ]);
    expect(f.title).toBe("Current (Fig. 4 of Krekels et al. 2026)");
    expect(f.caption).toMatch(
      /^Points: simulation\. Reference: S\. Krekels, C\. Maes, I\. Santra and R\. Zhai, "Negative/,
    );
    expect(f.caption).toContain("arXiv:2604.00777");
    expect(f.caption).not.toContain("Bunin"); // not cited by this figure
    const text = renderSvg(f);
    expect(text).toContain("arXiv:2604.00777");
    expect(text).not.toContain("[Krekels");
    expect(citeFigure(f, [KREKELS_ET_AL_2026])).toBe(f); // twice changes nothing
  });

  it("lists several sources once each; leaves a figure without keys as it is", () => {
    const f = citeFigure(chart("[Bunin et al. 2013] and [Krekels et al. 2026]", "See [Bunin et al. 2013]."), [
      KREKELS_ET_AL_2026,
      BUNIN_ET_AL_2013,
    ]);
    expect(f.caption.match(/References: /g)).toHaveLength(1);
    expect(f.caption.match(/arXiv:1306\.1551/g)).toHaveLength(1);
    const plain = chart("No sources", "");
    expect(citeFigure(plain, [KREKELS_ET_AL_2026])).toBe(plain);
  });

  it("is applied to a study's figures by defineStudy", () => {
    const s = defineStudy({
      name: "t",
      title: "a test study",
      summary: "draws one figure citing a key",
      citations: [KREKELS_ET_AL_2026],
      parameters: z.object({}),
      seeded: false,
      compute: async () => 1,
      figures: () => [chart("J (Fig. 4 of [Krekels et al. 2026])", "c")],
      report: () => "",
      reproduce: [],
    });
    expect(s.figures(1)[0].caption).toContain("Reference: S. Krekels");
  });
});

// Every bracketed key in a study's sources must be one of its citations, or it would reach a figure unresolved.
describe("the studies' figure texts cite only keys their study lists", () => {
  const root = new URL("../../src/studies/", import.meta.url).pathname;
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
  it.each(dirs.map((d) => d.name))("%s", (dir) => {
    const keys = new Set(
      STUDIES.filter((s) => s.name === dir || s.name.startsWith(`${dir}/`)).flatMap((s) =>
        s.citations.map((c) => c.key),
      ),
    );
    for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts"))) {
      const lines = readFileSync(join(root, dir, file), "utf8")
        .split("\n")
        .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));
      for (const l of lines)
        for (const m of l.matchAll(/\[([A-Z][^\]]*? (?:19|20)\d\d)\]/g))
          expect(keys.has(m[1]), `${dir}/${file}: [${m[1]}] is not a citation of the study`).toBe(true);
    }
  });
});
