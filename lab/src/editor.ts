/**
 * The network editor: a drawing of the network (drag sites with the mouse, or focus one and move it with the arrow
 * keys) and tables of its sites, springs and baths whose fields edit the model. After every change the model is
 * validated and solved by the library (validateNetwork, solveNetwork): sites are coloured by kinetic temperature
 * (the colour ramp of `ness solve --figure`), springs carry arrows along the heat flux sized by |flux|, and the
 * entropy production, the per-bath split and any diagnosis (Lemma 1: a normal mode that never meets a bath) are
 * shown. A bad value shows the CLI's message in place; the last valid state stays drawn, greyed.
 */
import { decoupledModes, type DecoupledMode } from "../../src/problem/diagnose.js";
import { solveNetwork, type NetworkSteadyState } from "../../src/exact/network.js";
import { SteadyStateError } from "../../src/errors.js";
import { rampColor, rampLegend, textColorOn, type ColorRamp } from "../../src/figures/figure.js";
import type { NetworkModel } from "../../src/model/network.js";
import { download, fmt, h, nessMessage, numberField, onModelFile, s } from "./dom.js";
import {
  decodeDoc,
  encodeDoc,
  freshSiteName,
  fromText,
  parseField,
  toModel,
  toYaml,
  type NetworkDoc,
} from "./network.js";
import { simulationPanel } from "./simulationPanel.js";

import ex1 from "../../examples/networks/example1-chain.yaml?raw";
import ex2 from "../../examples/networks/example2-circulation.yaml?raw";
import ex3 from "../../examples/networks/example3-thermalized-triangle.yaml?raw";
import ex4 from "../../examples/networks/example4-heat-pump.yaml?raw";
import ex5 from "../../examples/networks/figure1-non-unique.yaml?raw";
import ex6 from "../../examples/networks/anharmonic-triangle.yaml?raw";

export const EXAMPLES: { file: string; text: string }[] = [
  { file: "example2-circulation.yaml", text: ex2 },
  { file: "example1-chain.yaml", text: ex1 },
  { file: "example3-thermalized-triangle.yaml", text: ex3 },
  { file: "example4-heat-pump.yaml", text: ex4 },
  { file: "figure1-non-unique.yaml", text: ex5 },
  { file: "anharmonic-triangle.yaml", text: ex6 },
];

const W = 560,
  H = 400,
  PAD = 90;

/** What the editor exposes to the page (and to the tests, through window.nessLab). */
export interface EditorState {
  doc: NetworkDoc;
  model: NetworkModel | null;
  steadyState: NetworkSteadyState | null;
  error: string | null;
  /** Lemma 1: normal modes that never meet a bath (drawn as displacement arrows when there is no steady state). */
  modes: DecoupledMode[];
  /** Cancels a running simulation (its workers end): called when the lab leaves the page. */
  dispose?: () => void;
}

export function networkEditor(root: HTMLElement, hashModel: string | undefined): EditorState {
  const state: EditorState = {
    doc: fromText(EXAMPLES[0].text),
    model: null,
    steadyState: null,
    error: null,
    modes: [],
  };
  let initialError: string | null = null;
  if (hashModel) {
    try {
      state.doc = decodeDoc(hashModel);
    } catch (err) {
      initialError = nessMessage(err);
    }
  }

  // ---- toolbar
  const exampleSelect = h(
    "select",
    { id: "example", "aria-label": "example network" },
    ...EXAMPLES.map((e, k) => h("option", { value: k }, e.file)),
  );
  const loadExample = h("button", { type: "button" }, "Load example");
  const fileInput = h("input", {
    type: "file",
    id: "model-file",
    accept: ".yaml,.yml,.json,text/yaml,application/json",
  });
  const addSite = h("button", { type: "button" }, "Add site");
  const exportYaml = h("button", { type: "button" }, "Export YAML");
  const copyLink = h("button", { type: "button" }, "Copy link");
  const dynamicsSelect = h(
    "select",
    { id: "dynamics", "aria-label": "dynamics" },
    h("option", { value: "underdamped" }, "underdamped"),
    h("option", { value: "overdamped" }, "overdamped"),
  );
  const toolbar = h(
    "div",
    { class: "toolbar", role: "toolbar", "aria-label": "model" },
    h("span", {}, h("label", { for: "example" }, "Example "), exampleSelect, " ", loadExample),
    h("span", {}, h("label", { for: "model-file", class: "file" }, "Open a model file… "), fileInput),
    h("span", {}, h("label", { for: "dynamics" }, "Dynamics "), dynamicsSelect),
    addSite,
    exportYaml,
    copyLink,
  );

  // ---- drawing and panels
  const svg = s("svg", {
    id: "canvas",
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: "group",
    "aria-label":
      "network drawing: sites coloured by kinetic temperature, arrows along the heat flux; focus a site and use the arrow keys to move it",
  });
  const title = h("h2", { id: "model-title" });
  const status = h("div", { id: "status", class: "status", role: "alert", "aria-live": "assertive" });
  const loadStatus = h("div", { id: "load-status", class: "status", role: "alert" });
  const summary = h("div", { id: "summary", class: "summary", "aria-live": "polite" });
  const sitesBody = h("tbody");
  const springsBody = h("tbody");
  const bathsBody = h("tbody");
  const springA = h("select", { "aria-label": "new spring: first site" });
  const springB = h("select", { "aria-label": "new spring: second site" });
  const addSpring = h("button", { type: "button" }, "Add spring");
  const bathSite = h("select", { "aria-label": "new bath: site" });
  const addBath = h("button", { type: "button" }, "Add bath");
  const tables = h(
    "div",
    { class: "tables" },
    h("h3", {}, "Sites"),
    h(
      "table",
      { id: "sites" },
      h(
        "thead",
        {},
        h("tr", {}, ...["site", "mass", "pinning", "kinetic T", ""].map((t) => h("th", { scope: "col" }, t))),
      ),
      sitesBody,
    ),
    h("h3", {}, "Springs"),
    h(
      "table",
      { id: "springs" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["spring", "stiffness", "heat flux", "by source bath", ""].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      springsBody,
    ),
    h("div", { class: "add" }, springA, springB, addSpring),
    h("h3", {}, "Baths (flux from the bath into the network)"),
    h(
      "table",
      { id: "baths" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["site", "friction", "temperature", "flux", "by source bath", ""].map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      bathsBody,
    ),
    h("div", { class: "add" }, bathSite, addBath),
  );
  const legend = h("div", { class: "legend" });
  const hint = h("p", { id: "drawing-hint", class: "hint", "aria-live": "polite" });
  const sim = h("section", { id: "simulation", "aria-labelledby": "simulation-title" });
  root.append(
    toolbar,
    loadStatus,
    title,
    h(
      "div",
      { class: "editor" },
      h("div", { class: "drawing" }, svg, hint, legend),
      h("div", { class: "side" }, status, summary, tables),
    ),
    sim,
  );

  const simPanel = simulationPanel(sim, () => state.model);
  state.dispose = () => simPanel.reset("the page was left");

  // ---- view transform (fixed while dragging; refit on structural changes)
  let scale = 1,
    ox = 0,
    oy = 0;
  const fit = () => {
    const xs = state.doc.sites.map((p) => p.x),
      ys = state.doc.sites.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    scale = Math.min((W - 2 * PAD) / Math.max(x1 - x0, 1e-9), (H - 2 * PAD) / Math.max(y1 - y0, 1e-9), 160);
    ox = W / 2 - (scale * (x0 + x1)) / 2;
    oy = H / 2 + (scale * (y0 + y1)) / 2;
  };
  const toScreen = (x: number, y: number): [number, number] => [ox + scale * x, oy - scale * y];
  const fromScreen = (X: number, Y: number): [number, number] => [(X - ox) / scale, (oy - Y) / scale];

  // ---- structure (rows, options) and results
  /** The message in place; `stale`: the drawing and numbers are the last valid model's (greyed). */
  const setError = (message: string | null, stale = false) => {
    state.error = message;
    status.textContent = message ?? "";
    status.hidden = message === null;
    root.classList.toggle("stale", stale);
  };

  // Typing in a field of a large network: solve once typing pauses (the dense solve costs O(N^3)).
  let editTimer: ReturnType<typeof setTimeout> | null = null;
  const edit = () => {
    const n = state.doc.sites.length * (state.doc.dynamics === "underdamped" ? 2 : 1);
    if (editTimer !== null) clearTimeout(editTimer);
    editTimer = null;
    if (n <= 200) return recompute();
    editTimer = setTimeout(() => {
      editTimer = null;
      recompute();
    }, 300);
  };

  const rebuild = () => {
    if (pending !== null && !state.doc.sites.some((p) => p.name === pending)) pending = null;
    fit();
    dynamicsSelect.value = state.doc.dynamics;
    title.textContent = state.doc.name ?? "Untitled network";
    sitesBody.replaceChildren(
      ...state.doc.sites.map((site, k) =>
        h(
          "tr",
          { "data-site": site.name },
          h("th", { scope: "row" }, site.name),
          h(
            "td",
            {},
            numberField(
              `mass of site ${site.name}`,
              site.mass,
              (t) => {
                site.mass = parseField(t);
                edit();
              },
              { disabled: state.doc.dynamics === "overdamped" },
            ),
          ),
          h(
            "td",
            {},
            numberField(`pinning of site ${site.name}`, site.pinning, (t) => {
              site.pinning = parseField(t);
              edit();
            }),
          ),
          h("td", { class: "out temperature" }),
          h(
            "td",
            {},
            removeButton(`Remove site ${site.name}`, () => {
              state.doc.sites.splice(k, 1);
              state.doc.springs = state.doc.springs.filter((sp) => sp.a !== site.name && sp.b !== site.name);
              state.doc.baths = state.doc.baths.filter((b) => b.site !== site.name);
              rebuild();
            }),
          ),
        ),
      ),
    );
    springsBody.replaceChildren(
      ...state.doc.springs.map((sp, k) =>
        h(
          "tr",
          { "data-spring": `${sp.a}-${sp.b}` },
          h("th", { scope: "row" }, `${sp.a}–${sp.b}`),
          h(
            "td",
            {},
            numberField(`stiffness of spring ${sp.a}-${sp.b}`, sp.stiffness, (t) => {
              sp.stiffness = parseField(t);
              edit();
            }),
          ),
          h("td", { class: "out flux" }),
          h("td", { class: "out split" }),
          h(
            "td",
            {},
            removeButton(`Remove spring ${sp.a}-${sp.b}`, () => {
              state.doc.springs.splice(k, 1);
              rebuild();
            }),
          ),
        ),
      ),
    );
    bathsBody.replaceChildren(
      ...state.doc.baths.map((b, k) =>
        h(
          "tr",
          { "data-bath": b.site },
          h("th", { scope: "row" }, b.site),
          h(
            "td",
            {},
            numberField(`friction of the bath on site ${b.site}`, b.friction, (t) => {
              b.friction = parseField(t);
              edit();
            }),
          ),
          h(
            "td",
            {},
            numberField(`temperature of the bath on site ${b.site}`, b.temperature, (t) => {
              b.temperature = parseField(t);
              edit();
            }),
          ),
          h("td", { class: "out flux" }),
          h("td", { class: "out split" }),
          h(
            "td",
            {},
            removeButton(`Remove the bath on site ${b.site}`, () => {
              state.doc.baths.splice(k, 1);
              rebuild();
            }),
          ),
        ),
      ),
    );
    const options = () => state.doc.sites.map((p) => h("option", { value: p.name }, p.name));
    springA.replaceChildren(...options());
    springB.replaceChildren(...options());
    if (state.doc.sites.length > 1) springB.selectedIndex = 1;
    bathSite.replaceChildren(
      ...state.doc.sites
        .filter((p) => !state.doc.baths.some((b) => b.site === p.name))
        .map((p) => h("option", { value: p.name }, p.name)),
    );
    addBath.disabled = bathSite.options.length === 0;
    recompute();
  };

  const recompute = () => {
    simPanel.reset("the model changed");
    let model: NetworkModel;
    try {
      model = toModel(state.doc);
    } catch (err) {
      state.model = null;
      setError(nessMessage(err), true);
      draw();
      return;
    }
    state.model = model;
    try {
      state.steadyState = solveNetwork(model);
      setError(null);
    } catch (err) {
      state.steadyState = null;
      setError(nessMessage(err));
    }
    state.modes = [];
    if (
      !state.steadyState &&
      model.dynamics === "underdamped" &&
      model.sites.length <= 400 &&
      /Lemma 1/.test(state.error ?? "")
    ) {
      try {
        state.modes = decoupledModes(model);
      } catch (err) {
        if (!(err instanceof SteadyStateError)) throw err;
      }
    }
    history.replaceState(null, "", `#/editor?model=${encodeDoc(state.doc)}`);
    results();
    draw();
  };

  const results = () => {
    const ss = state.steadyState;
    const model = state.model;
    const temps = ss ? (ss.kineticTemperature ?? ss.configurationalTemperature) : null;
    [...sitesBody.rows].forEach((row, i) => {
      const cell = row.querySelector(".temperature")!;
      cell.textContent = temps ? fmt(temps[i]) : "–";
      cell.setAttribute("data-value", temps ? String(temps[i]) : "");
    });
    const bathNames = model ? model.baths.map((b) => model.sites[b.site]) : [];
    const split = (parts: number[] | undefined) =>
      parts ? parts.map((x, k) => `${bathNames[k]}: ${fmt(x)}`).join(", ") : "";
    [...springsBody.rows].forEach((row, k) => {
      const sp = ss?.springs[k];
      const flux = row.querySelector(".flux")!;
      flux.textContent = sp
        ? `${fmt(sp.flux)} (${sp.flux >= 0 ? `${sp.between[0]} → ${sp.between[1]}` : `${sp.between[1]} → ${sp.between[0]}`})`
        : "–";
      flux.setAttribute("data-value", sp ? String(sp.flux) : "");
      row.querySelector(".split")!.textContent = split(sp?.fluxBySource);
    });
    [...bathsBody.rows].forEach((row, k) => {
      const b = ss?.baths[k];
      const flux = row.querySelector(".flux")!;
      flux.textContent = b ? `${fmt(b.flux)} ${b.flux >= 0 ? "in" : "out"}` : "–";
      flux.setAttribute("data-value", b ? String(b.flux) : "");
      row.querySelector(".split")!.textContent = split(b?.fluxBySource);
    });
    if (!ss) {
      summary.replaceChildren(
        h(
          "p",
          {},
          state.model ? "No exact steady state (see the message above)." : "Fix the model to see its steady state.",
        ),
      );
      return;
    }
    summary.replaceChildren(
      h(
        "dl",
        {},
        h("dt", {}, "entropy production rate"),
        h("dd", { id: "entropy-production", "data-value": ss.entropyProduction }, fmt(ss.entropyProduction)),
        h("dt", {}, "relaxation time"),
        h("dd", {}, fmt(1 / ss.slowestRate)),
        h("dt", {}, "Lyapunov residual"),
        h("dd", {}, fmt(ss.residual, 2)),
        h("dt", {}, "energy balance residual"),
        h("dd", {}, fmt(Math.max(0, ...ss.energyBalanceResidual), 2)),
      ),
      ...ss.warnings.map((w) => h("p", { class: "warning" }, `ness: warning: ${w}`)),
    );
  };

  // ---- drawing
  const draw = () => {
    const ss = state.steadyState;
    const doc = state.doc;
    const temps = ss ? (ss.kineticTemperature ?? ss.configurationalTemperature) : null;
    const bathT = doc.baths.map((b) => Number(b.temperature)).filter(Number.isFinite);
    const all = [...(temps ? Array.from(temps) : []), ...bathT];
    const lo = Math.min(...all),
      hi = Math.max(...all);
    const ramp: ColorRamp = {
      label: ss?.kineticTemperature ? "kinetic temperature <p²>/m" : "local temperature",
      domain: hi > lo ? [lo, hi] : [lo - 1, hi + 1],
      scheme: "rdylbu",
      reverse: true,
    };
    const color = all.length > 0 ? rampColor(ramp) : () => "#ccc";
    legend.replaceChildren();
    if (all.length > 0) {
      const block = rampLegend(document, ramp, 260);
      const box = s("svg", { width: block.width + 24, height: block.height + 4, "aria-hidden": "true" });
      const g = s("g", { transform: "translate(12,2)" });
      g.append(block.element);
      box.append(g);
      legend.append(box);
    }
    const index = new Map(doc.sites.map((p, i) => [p.name, i]));
    const pos = doc.sites.map((p) => toScreen(p.x, p.y));
    const cx = pos.reduce((a, p) => a + p[0], 0) / Math.max(1, pos.length),
      cy = pos.reduce((a, p) => a + p[1], 0) / Math.max(1, pos.length);
    // Disc radius: 18 px, smaller when sites are packed closely (as in the network figure).
    let gap = Infinity;
    if (pos.length <= 2000)
      for (let a = 0; a < pos.length; a++)
        for (let b = a + 1; b < pos.length; b++)
          gap = Math.min(gap, Math.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]));
    const R = Math.max(4, Math.min(18, 0.4 * gap));
    const small = R < 12;
    const fluxMax = ss
      ? Math.max(1e-300, ...ss.springs.map((x) => Math.abs(x.flux)), ...ss.baths.map((b) => Math.abs(b.flux)))
      : 1;
    const children: SVGElement[] = [s("defs", {})];
    children[0].append(
      s("marker", {
        id: "head",
        viewBox: "0 0 10 10",
        refX: 5,
        refY: 5,
        markerWidth: 4,
        markerHeight: 4,
        orient: "auto-start-reverse",
      }),
    );
    children[0].firstElementChild!.append(s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#222" }));
    doc.springs.forEach((sp, k) => {
      const i = index.get(sp.a),
        j = index.get(sp.b);
      if (i === undefined || j === undefined) return;
      const [x1, y1] = pos[i],
        [x2, y2] = pos[j];
      children.push(s("line", { x1, y1, x2, y2, class: "spring", stroke: "#999", "stroke-width": 2 }));
      const flux = ss?.springs[k]?.flux;
      if (flux !== undefined && Math.abs(flux) > 1e-12 * fluxMax) {
        const [fx, fy, tx, ty] = flux >= 0 ? [x1, y1, x2, y2] : [x2, y2, x1, y1];
        const mx = (fx + tx) / 2,
          my = (fy + ty) / 2,
          dx = tx - fx,
          dy = ty - fy,
          len = Math.hypot(dx, dy) || 1;
        // Width grows with |flux|; thinner on short springs so that neighbouring arrows stay apart.
        const w = Math.max(0.6, (1.5 + 7 * Math.sqrt(Math.abs(flux) / fluxMax)) * Math.min(1, len / 60));
        const half = Math.min(0.22 * len, 40);
        children.push(
          s("line", {
            x1: mx - (half * dx) / len,
            y1: my - (half * dy) / len,
            x2: mx + (half * dx) / len,
            y2: my + (half * dy) / len,
            stroke: "#222",
            "stroke-width": w,
            "marker-end": "url(#head)",
            class: "flux-arrow",
          }),
        );
        if (doc.springs.length <= 40)
          children.push(
            s(
              "text",
              {
                x: mx + (10 * dy) / len,
                y: my - (10 * dx) / len,
                "font-size": 11,
                "text-anchor": "middle",
                class: "flux-label",
              },
              fmt(Math.abs(flux), 3),
            ),
          );
      }
    });
    const away = new Map<number, [number, number]>();
    doc.baths.forEach((b, k) => {
      const i = index.get(b.site);
      if (i === undefined) return;
      const [x, y] = pos[i];
      const T = Number(b.temperature);
      // The bath box sits outside the network: away from the centre of the sites (up when the site is the centre).
      let dx = x - cx,
        dy = y - cy;
      const len = Math.hypot(dx, dy);
      [dx, dy] = len > 1 ? [dx / len, dy / len] : [0, -1];
      const bx = x + 52 * dx,
        by = y + 52 * dy;
      children.push(s("line", { x1: x, y1: y, x2: bx, y2: by, stroke: "#666", "stroke-dasharray": "3 3" }));
      children.push(
        s("rect", {
          x: bx - 26,
          y: by - 10,
          width: 52,
          height: 20,
          rx: 4,
          fill: Number.isFinite(T) ? color(T) : "#eee",
          stroke: "#333",
          class: "bath",
        }),
      );
      children.push(
        s(
          "text",
          {
            x: bx,
            y: by + 4,
            "font-size": 11,
            "text-anchor": "middle",
            fill: Number.isFinite(T) ? textColorOn(color(T)) : "#000",
          },
          `T=${fmt(T, 3)}`,
        ),
      );
      const f = ss?.baths[k]?.flux;
      // Its flux into the site, beyond the box (away from the site).
      if (f !== undefined) {
        children.push(
          s(
            "text",
            {
              x: bx + 34 * dx,
              y: by + 20 * dy + 4,
              "font-size": 10,
              "text-anchor": Math.abs(dx) < 0.3 ? "middle" : dx > 0 ? "start" : "end",
              class: "flux-label",
            },
            `${f >= 0 ? "in" : "out"} ${fmt(Math.abs(f), 3)}`,
          ),
        );
      }
      away.set(i, [dx, dy]);
    });
    doc.sites.forEach((p, i) => {
      const [x, y] = pos[i];
      const T = temps?.[i];
      const g = s("g", {
        class: "site",
        tabindex: 0,
        role: "button",
        "data-site": p.name,
        transform: `translate(${x},${y})`,
        "aria-pressed": pending === p.name,
        "aria-label": `site ${p.name}${T !== undefined ? `, kinetic temperature ${fmt(T)}` : ""}; arrow keys move it, Enter starts or ends a new spring`,
      });
      if (pending === p.name)
        g.append(
          s("circle", { r: R + 6, fill: "none", stroke: "#1f6fd6", "stroke-width": 2.5, "stroke-dasharray": "4 3" }),
        );
      g.append(
        s("circle", {
          r: R,
          fill: T !== undefined ? color(T) : "#ddd",
          stroke: "#222",
          "stroke-width": small ? 0.8 : 1.5,
        }),
      );
      if (!small)
        g.append(s("text", { y: 4, "font-size": 12, "text-anchor": "middle", "font-weight": "bold" }, p.name));
      const title = s("title", {}, `site ${p.name}${T !== undefined ? `: kinetic temperature ${fmt(T)}` : ""}`);
      g.append(title);
      // The site's temperature opposite its bath (below the disc when it has none).
      const [ux, uy] = away.has(i) ? away.get(i)!.map((v) => -v) : [0, 1];
      if (T !== undefined && !small)
        g.append(s("text", { x: 30 * ux, y: 30 * uy + 4, "font-size": 10, "text-anchor": "middle" }, fmt(T, 3)));
      drag(g, i);
      children.push(g);
    });
    const mode = state.modes[0];
    if (mode) {
      // The first decoupled mode: each site's displacement as a red arrow (Lemma 1: it vanishes on every bath site).
      mode.shape.forEach((u, i) => {
        if (Math.abs(u) < 1e-9) return;
        const [x, y] = pos[i];
        children.push(
          s("line", {
            x1: x,
            y1: y,
            x2: x,
            y2: y - 45 * u,
            stroke: "#c00000",
            "stroke-width": 3,
            "marker-end": "url(#mode-head)",
            class: "mode-arrow",
          }),
        );
      });
      children.push(
        s(
          "text",
          { x: 10, y: H - 10, "font-size": 12, fill: "#c00000" },
          `decoupled mode ${mode.description} (frequency ${fmt(mode.frequency)}): it never meets a bath`,
        ),
      );
      const m = s("marker", {
        id: "mode-head",
        viewBox: "0 0 10 10",
        refX: 5,
        refY: 5,
        markerWidth: 4,
        markerHeight: 4,
        orient: "auto-start-reverse",
      });
      m.append(s("path", { d: "M0,0 L10,5 L0,10 z", fill: "#c00000" }));
      children[0].append(m);
    }
    svg.replaceChildren(...children);
  };

  const drag = (g: SVGGElement, i: number) => {
    const site = () => state.doc.sites[i];
    const move = (X: number, Y: number) => {
      const [x, y] = fromScreen(X, Y);
      site().x = x;
      site().y = y;
      draw();
      (svg.querySelector(`g.site[data-site="${CSS.escape(site().name)}"]`) as SVGGElement | null)?.focus();
    };
    g.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const inv = ctm.inverse();
      const start = new DOMPoint(e.clientX, e.clientY).matrixTransform(inv);
      const [X0, Y0] = toScreen(site().x, site().y);
      let dragged = false;
      const onMove = (ev: PointerEvent) => {
        const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(inv);
        dragged ||= Math.hypot(p.x - start.x, p.y - start.y) > 3;
        if (dragged) move(X0 + p.x - start.x, Y0 + p.y - start.y);
      };
      const onUp = () => {
        window.removeEventListener("pointermove", onMove);
        window.removeEventListener("pointerup", onUp);
        if (dragged) history.replaceState(null, "", `#/editor?model=${encodeDoc(state.doc)}`);
        else connect(site().name);
      };
      window.addEventListener("pointermove", onMove);
      window.addEventListener("pointerup", onUp);
    });
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        return connect(site().name);
      }
      if (e.key === "Escape" && pending !== null) {
        e.preventDefault();
        return connect(pending);
      }
      const step = e.shiftKey ? 40 : 10;
      const d: Record<string, [number, number]> = {
        ArrowLeft: [-step, 0],
        ArrowRight: [step, 0],
        ArrowUp: [0, -step],
        ArrowDown: [0, step],
      };
      const v = d[e.key];
      if (!v) return;
      e.preventDefault();
      const [X, Y] = toScreen(site().x, site().y);
      move(X + v[0], Y + v[1]);
    });
  };

  /**
   * Springs drawn by hand: click (or Enter on) a site, then another: a spring of stiffness 1 joins them (the same
   * site again, or Escape, cancels). A pair that already has a spring gets the library's duplicate message.
   */
  let pending: string | null = null;
  const connect = (name: string) => {
    if (pending === null) {
      pending = name;
      hint.textContent = `New spring from site ${name}: click or press Enter on another site (the same site or Escape cancels).`;
    } else if (pending === name) {
      pending = null;
      hint.textContent = "";
    } else {
      state.doc.springs.push({ a: pending, b: name, stiffness: 1, quartic: 0 });
      hint.textContent = `Spring ${pending}-${name} added (stiffness 1).`;
      pending = null;
      rebuild();
    }
    draw();
    (svg.querySelector(`g.site[data-site="${CSS.escape(name)}"]`) as SVGGElement | null)?.focus();
  };

  // ---- actions
  const load = (text: string, source: string) => {
    try {
      state.doc = fromText(text, source);
    } catch (err) {
      // The model being edited stays; the message names the file as `ness solve FILE` would.
      loadStatus.textContent = nessMessage(err);
      return;
    }
    loadStatus.textContent = "";
    rebuild();
  };
  loadExample.addEventListener("click", () => {
    const e = EXAMPLES[Number(exampleSelect.value)];
    load(e.text, e.file);
  });
  onModelFile(fileInput, loadStatus, load);
  dynamicsSelect.addEventListener("change", () => {
    state.doc.dynamics = dynamicsSelect.value as NetworkDoc["dynamics"];
    rebuild();
  });
  addSite.addEventListener("click", () => {
    const name = freshSiteName(state.doc);
    const [x, y] = fromScreen(W / 2 + 30 * ((state.doc.sites.length % 5) - 2), H / 2 + 40);
    state.doc.sites.push({ name, x, y, mass: 1, pinning: 1, quarticPinning: 0 });
    rebuild();
    (svg.querySelector(`g.site[data-site="${CSS.escape(name)}"]`) as SVGGElement | null)?.focus();
  });
  addSpring.addEventListener("click", () => {
    state.doc.springs.push({ a: springA.value, b: springB.value, stiffness: 1, quartic: 0 });
    rebuild();
  });
  addBath.addEventListener("click", () => {
    if (!bathSite.value) return;
    state.doc.baths.push({ site: bathSite.value, friction: 1, temperature: 1 });
    rebuild();
  });
  exportYaml.addEventListener("click", () => download(`${slug(state.doc.name)}.yaml`, toYaml(state.doc), "text/yaml"));
  copyLink.addEventListener("click", async () => {
    const url = `${location.origin}${location.pathname}#/editor?model=${encodeDoc(state.doc)}`;
    try {
      await navigator.clipboard.writeText(url);
      copyLink.textContent = "Link copied";
    } catch {
      prompt("Shareable link to this model:", url);
    }
    setTimeout(() => (copyLink.textContent = "Copy link"), 1500);
  });

  rebuild();
  if (initialError) loadStatus.textContent = initialError;
  return state;
}

function removeButton(label: string, onClick: () => void): HTMLButtonElement {
  const b = h("button", { type: "button", class: "remove", "aria-label": label, title: label }, "×");
  b.addEventListener("click", onClick);
  return b;
}

function slug(name: string | undefined): string {
  return (
    (name ?? "network")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "network"
  );
}
