// The CLI loads one study's module for `ness study NAME` (src/cli/commands/study.ts, STUDY_MODULES): its table must
// list exactly the catalog's top-level studies, each with its sub-studies in the catalog's order (the same objects).
import { describe, expect, it } from "vitest";
import { STUDY_MODULES } from "../../src/cli/commands/study.js";
import { subStudies, topLevelStudies } from "../../src/studies/catalog.js";

describe("the CLI's table of study modules", () => {
  it("matches the catalog: every top-level study, its sub-studies, the same definitions", async () => {
    const top = topLevelStudies();
    expect(Object.keys(STUDY_MODULES).sort()).toEqual(top.map((s) => s.name).sort());
    for (const s of top) {
      const loaded = await STUDY_MODULES[s.name]();
      expect(loaded[0]).toBe(s);
      expect(loaded.slice(1)).toEqual(subStudies(s.name));
      loaded.slice(1).forEach((sub, i) => expect(sub).toBe(subStudies(s.name)[i]));
    }
  });
});
