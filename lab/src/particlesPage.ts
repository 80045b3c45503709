/**
 * Simulating a model file of any kind in the page (#/simulate): particle models (kind: particles, with their pair
 * potentials and external fields) as well as networks. Load an example or a file (YAML or JSON, up to 16 MB as the
 * CLI), or edit the text; every change is validated by the library (loadModel: the message `ness simulate FILE`
 * prints, in place) and the simulation panel below runs the stochastic engine on it in Web Workers: the numbers of
 * `ness simulate FILE` for the same options and seed, with the exact values where the model is linear.
 */
import harmonicPair from "../../examples/particles/harmonic-pair.yaml?raw";
import hotCold from "../../examples/particles/hot-cold-mixture.yaml?raw";
import ratchet from "../../examples/particles/ratchet.yaml?raw";
import rac1 from "../../examples/particles/run-and-chase-1d.yaml?raw";
import rac2 from "../../examples/particles/run-and-chase-2d.yaml?raw";
import rac3 from "../../examples/particles/run-and-chase-3d.yaml?raw";
import { loadModel, type Model } from "../../src/model/index.js";
import { h, nessMessage, onModelFile } from "./dom.js";
import { simulationPanel, type SimulationPanel } from "./simulationPanel.js";

export const PARTICLE_EXAMPLES = [
  { file: "harmonic-pair.yaml", text: harmonicPair },
  { file: "ratchet.yaml", text: ratchet },
  { file: "run-and-chase-1d.yaml", text: rac1 },
  { file: "run-and-chase-2d.yaml", text: rac2 },
  { file: "run-and-chase-3d.yaml", text: rac3 },
  { file: "hot-cold-mixture.yaml", text: hotCold },
];

export interface ParticlesPage {
  model: () => Model | null;
  panel: SimulationPanel;
  /** Cancels a running simulation (its workers end): called when the lab leaves the page. */
  dispose: () => void;
}

/** One line about a valid model: what the panel will simulate. */
function summaryOf(m: Model): string {
  if (m.kind === "network")
    return `network: ${m.sites.length} sites, ${m.springs.length} springs, ${m.baths.length} baths`;
  const n = m.species.reduce((a, s) => a + s.count, 0);
  const fields = m.external.map((e) => e.potential).join(", ");
  return (
    `${m.dynamics} particles in ${m.dimension}D: ${n} (${m.species.map((s) => `${s.count} ${s.name} at T = ${s.temperature}`).join(", ")})` +
    `${m.pairs.length > 0 ? `; pair potentials: ${m.pairs.map((p) => p.pair.potential).join(", ")}` : ""}` +
    `${fields ? `; external fields: ${fields}` : ""}`
  );
}

export function particlesPage(root: HTMLElement): ParticlesPage {
  let model: Model | null = null;
  let file = PARTICLE_EXAMPLES[0].file;
  const select = h(
    "select",
    { id: "particles-example", "aria-label": "example model" },
    ...PARTICLE_EXAMPLES.map((e, i) => h("option", { value: i }, e.file)),
  );
  const loadButton = h("button", { type: "button" }, "Load example");
  const fileInput = h("input", { type: "file", id: "particles-file", accept: ".yaml,.yml,.json" });
  const text = h("textarea", {
    id: "particles-text",
    rows: 16,
    cols: 90,
    "aria-label": "model file",
    spellcheck: false,
  });
  const status = h("div", { class: "status", role: "alert", id: "status" });
  const summary = h("p", { id: "particles-summary", "aria-live": "polite" });
  const sim = h("section", { "aria-labelledby": "simulation-title" });
  const update = () => {
    try {
      model = loadModel(text.value, file);
      status.textContent = "";
      summary.textContent = summaryOf(model);
    } catch (err) {
      model = null;
      status.textContent = nessMessage(err);
      summary.textContent = "";
    }
    panel.reset("the model changed");
  };
  const load = (t: string, name: string) => {
    file = name;
    text.value = t;
    update();
  };
  loadButton.addEventListener("click", () => {
    const e = PARTICLE_EXAMPLES[Number(select.value)];
    load(e.text, e.file);
  });
  onModelFile(fileInput, status, load);
  text.addEventListener("input", update);
  root.append(
    h("h2", {}, "Simulate a model file"),
    h(
      "p",
      {},
      "Particle models (kind: particles: overdamped or underdamped particles at their own temperatures, pair " +
        "potentials, external fields such as traps and sawtooth ratchets) and networks, in the format of " +
        "docs/model-format.md. Edit the text: it is checked as ness simulate checks the file.",
    ),
    h(
      "div",
      { class: "toolbar" },
      h("label", { for: "particles-example" }, "Example "),
      select,
      loadButton,
      h("label", { for: "particles-file" }, "Open a model file… "),
      fileInput,
    ),
    text,
    status,
    summary,
    sim,
  );
  const panel = simulationPanel(
    sim,
    () => model,
    () => file,
  );
  load(PARTICLE_EXAMPLES[0].text, PARTICLE_EXAMPLES[0].file);
  return { model: () => model, panel, dispose: () => panel.reset("the page was left") };
}
