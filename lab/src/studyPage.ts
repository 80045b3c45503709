/**
 * A study page, generated from the study's parameter schema (form.ts): the form, the numbers (or the study's text
 * report) and the figures (drawn by src/figures, the same pictures as `ness study`/`ness reproduce`), recomputed on
 * every valid change. Computations are asynchronous (the contract's compute returns a promise): a newer change
 * aborts the older one and only the latest result is drawn. A computation that refuses its parameters shows the
 * library's message in place; the last figures stay, greyed.
 */
import type { z } from "zod";
import { fmt, h, nessMessage } from "./dom.js";
import { describeFields, generateForm } from "./form.js";
import type { LabStudy } from "./studies/varianceResonance.js";

export function studyPage<S extends z.ZodObject, R>(
  root: HTMLElement,
  study: LabStudy<S, R>,
): { last: () => R | null; time: () => number } {
  let last: R | null = null;
  let ms = 0;
  let latest = 0;
  let controller: AbortController | null = null;
  const flags = new Map(
    describeFields(study.parameters).map((f) => [
      f.key,
      `--${f.meta.flag ?? f.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    ]),
  );
  const status = h("div", { class: "status", role: "alert", id: "study-status" });
  const numbers = h("dl", { id: "study-numbers", "aria-live": "polite" });
  const report = h("pre", { id: "study-report", "aria-live": "polite" });
  const figures = h("div", { id: "study-figures", class: "figures" });
  const timing = h("p", { class: "timing" });
  const seedInput = h("input", { type: "text", inputmode: "numeric", id: "study-seed", value: "1", size: 6 });
  const fail = (err: unknown) => {
    status.hidden = false;
    status.textContent = nessMessage(err);
    root.classList.add("stale");
  };
  const run = async (p: z.output<S>) => {
    const token = ++latest;
    controller?.abort();
    controller = new AbortController();
    const t0 = performance.now();
    let r: R;
    try {
      study.check?.(p, (key) => flags.get(key) ?? key);
      const seed = study.seeded ? Number(seedInput.value) : 1;
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new Error(`--seed must be an integer >= 0, got '${seedInput.value}'`);
      r = await study.compute(p, { seed, quick: false, signal: controller.signal });
    } catch (err) {
      if (token === latest) fail(err);
      return;
    }
    if (token !== latest) return; // a newer change is being computed
    let figs;
    try {
      figs = study.figures(r);
    } catch (err) {
      return fail(err);
    }
    status.hidden = true;
    status.textContent = "";
    root.classList.remove("stale");
    last = r;
    if (study.numbers) {
      numbers.replaceChildren(
        ...study
          .numbers(r)
          .flatMap((n) => [
            h("dt", {}, n.label),
            h("dd", { "data-key": n.key, "data-value": n.value }, fmt(n.value, 6)),
          ]),
      );
    } else {
      report.textContent = study.report(r);
    }
    figures.replaceChildren(
      ...figs.map((f) => h("figure", { "aria-label": f.title }, f.render(document) as unknown as Node)),
    );
    ms = performance.now() - t0;
    timing.textContent = `computed and drawn in ${ms.toFixed(0)} ms`;
  };
  const form = generateForm(study.parameters, `study-${study.name.replace(/\W+/g, "-")}`, (p) => void run(p));
  if (study.seeded) {
    form.element.prepend(
      h(
        "div",
        { class: "form-row" },
        h("label", { for: "study-seed" }, "seed"),
        seedInput,
        h("span", { class: "hint" }, "random seed: same seed, same numbers (as --seed)"),
      ),
    );
    seedInput.addEventListener("input", () => void run(form.values()));
  }
  root.append(
    h("h2", {}, study.title),
    h("p", {}, study.summary),
    ...study.citations.map((c) =>
      h("p", { class: "cite" }, `${c.authors}, ${c.title ? `"${c.title}", ` : ""}${c.venue}`),
    ),
    h(
      "div",
      { class: "study" },
      h("div", { class: "side" }, form.element, status, study.numbers ? numbers : report, timing),
      figures,
    ),
  );
  return { last: () => last, time: () => ms };
}
