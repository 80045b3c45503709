/**
 * The ness lab: one page, two views chosen by the URL fragment: the network editor (#/editor, with the model in the
 * fragment: #/editor?model=...) and a page per study (#/study/NAME). The view is rebuilt when the fragment changes
 * page; window.nessLab exposes the current state for scripts and the browser tests.
 */
import "./style.css";
// The figure builders draw with Observable Plot, loaded here once for the whole page (src/figures/plot.ts).
import "../../src/figures/plotLoaded.js";
import { networkEditor, type EditorState } from "./editor.js";
import { STUDIES as CATALOG } from "../../src/studies/catalog.js";
import type { Study } from "../../src/studies/contract.js";
import { contractPage } from "./contractPage.js";
import { particlesPage, type ParticlesPage } from "./particlesPage.js";

/** Every study of the catalog has a page (#/study/NAME, a sub-study's "/" kept), generated from its contract
 * (contractPage.ts): the form from its parameter schema, its named numbers and report, its figures. */
const PAGES = CATALOG.map((s) => s.name);

interface LabHandle {
  page: string;
  editor?: EditorState;
  particles?: ParticlesPage;
  study?: { last: () => unknown; time: () => number; sets?: () => Record<string, unknown>; dispose?: () => void };
  /** The catalog the study pages are built from (their contracts: a script, or a test, can read or wrap them). */
  studies: readonly Study[];
}

const lab: LabHandle = { page: "", studies: CATALOG };
(window as unknown as { nessLab: LabHandle }).nessLab = lab;

function route(): void {
  const hash = location.hash || "#/editor";
  const [path, query = ""] = hash.slice(1).split("?");
  const page = path.startsWith("/study/") ? path.slice(7) : path === "/simulate" ? "simulate" : "editor";
  const model = new URLSearchParams(query).get("model") ?? undefined;
  // The editor keeps its fragment up to date itself (replaceState, no hashchange): a hashchange on the editor is a
  // link pasted or followed (load its model), or the nav link without a model (keep the work).
  if (page === lab.page && page === "editor" && model === undefined) return;
  const main = document.getElementById("main")!;
  // the page left: its study workers end (idle ones would stay alive otherwise), a running simulation is cancelled
  lab.study?.dispose?.();
  lab.editor?.dispose?.();
  lab.particles?.dispose();
  main.replaceChildren();
  lab.page = page;
  lab.editor = undefined;
  lab.particles = undefined;
  lab.study = undefined;
  for (const a of document.querySelectorAll("nav a")) {
    if ((a as HTMLElement).dataset.page === page) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (page === "editor") {
    lab.editor = networkEditor(main, model);
    document.title = "ness lab: network editor";
  } else if (page === "simulate") {
    lab.particles = particlesPage(main);
    document.title = "ness lab: simulate a model file";
  } else if (PAGES.includes(page)) {
    lab.study = contractPage(
      main,
      CATALOG.find((s) => s.name === page)!,
      Object.fromEntries(new URLSearchParams(query)),
    );
    document.title = `ness lab: ${page}`;
  } else {
    main.textContent = `ness: no page '${page}' (the lab has the network editor and the studies: ${PAGES.join(", ")})`;
  }
  document.body.dataset.ready = page;
}

// The navigation: the editor, then a link per study of the catalog.
const nav = document.querySelector("nav")!;
for (const name of PAGES) {
  if (nav.querySelector(`a[data-page="${name}"]`)) continue;
  nav.append(Object.assign(document.createElement("a"), { href: `#/study/${name}`, textContent: name }));
  nav.lastElementChild!.setAttribute("data-page", name);
}

window.addEventListener("hashchange", route);
route();
