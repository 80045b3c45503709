/**
 * A study page, generated from the study's parameter schema (form.ts): the form, the numbers and the figures
 * (drawn by src/figures, the same pictures as `ness study`/`ness reproduce`), recomputed on every valid change.
 * A computation that refuses its parameters shows the library's message in place; the last figures stay, greyed.
 */
import type { z } from "zod";
import { fmt, h, nessMessage } from "./dom.js";
import { generateForm } from "./form.js";
import type { LabStudy } from "./studies/varianceResonance.js";

export function studyPage<S extends z.ZodObject, R>(root: HTMLElement, study: LabStudy<S, R>): { last: () => R | null; time: () => number } {
  let last: R | null = null;
  let ms = 0;
  const status = h("div", { class: "status", role: "alert", id: "study-status" });
  const numbers = h("dl", { id: "study-numbers", "aria-live": "polite" });
  const figures = h("div", { id: "study-figures", class: "figures" });
  const timing = h("p", { class: "timing" });
  const form = generateForm(study.parameters, `study-${study.name.replace(/\W+/g, "-")}`, (p) => {
    const t0 = performance.now();
    let r: R;
    try {
      r = study.compute(p);
    } catch (err) {
      status.hidden = false;
      status.textContent = nessMessage(err);
      root.classList.add("stale");
      return;
    }
    const figs = study.figures(r);
    status.hidden = true;
    status.textContent = "";
    root.classList.remove("stale");
    last = r;
    numbers.replaceChildren(...study.numbers(r).flatMap((n) => [h("dt", {}, n.label), h("dd", { "data-key": n.key, "data-value": n.value }, fmt(n.value, 6))]));
    figures.replaceChildren(...figs.map((f) => h("figure", { "aria-label": f.title }, f.render(document) as unknown as Node)));
    ms = performance.now() - t0;
    timing.textContent = `computed and drawn in ${ms.toFixed(0)} ms`;
  });
  root.append(
    h("h2", {}, study.title),
    h("p", {}, study.summary),
    h("p", { class: "cite" }, study.citation),
    h("div", { class: "study" }, h("div", { class: "side" }, form.element, status, numbers, timing), figures));
  return { last: () => last, time: () => ms };
}
