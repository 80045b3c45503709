/**
 * The simulation panel of the editor: `ness simulate`'s options (time, dt, seed, replicas, scheme), Run, Pause,
 * Resume and Cancel, a progress bar, and a table of the estimates with their error bars beside the exact values,
 * live while the run goes on (from the batches completed so far) and final at the end (the CLI's numbers for the
 * same seed). The equivalent command line is shown so the run can be repeated in a terminal, and Download JSON saves
 * the final result (the estimates of `ness simulate --json`, with the version, options and seed).
 */
import type { Model } from "../../src/model/index.js";
import { schemeByName, type Scheme } from "../../src/stochastic/integrators.js";
import { simulationSpec, type SimulationResult } from "../../src/stochastic/run.js";
import type { Estimate } from "../../src/stochastic/statistics.js";
import { lineChart } from "../../src/figures/charts.js";
import { download, fmt, h, nessMessage, numberField } from "./dom.js";
import { VERSION } from "../../src/version.js";
import { PageSimulation } from "./simulation.js";
import { numberOption } from "../../src/model/options.js";
import { exactReference, type ExactReference } from "../../src/verify/reference.js";
import { verifySimulation, withStationaryLaw } from "../../src/verify/simulation.js";

export interface SimulationPanel {
  /** Cancels a run (saying why) and clears the table: the model it simulated is no longer the one shown. */
  reset(why: string): void;
  last: SimulationResult | null;
}

/**
 * The document Download JSON saves: the fields of `ness simulate --json` that the page has (version, command, options,
 * seed, estimates, warnings). Only finite numbers: an error bar or deviation that cannot be computed is left out (its
 * estimate is then not reliable), as the CLI leaves it out.
 */
export function simulationDocument(r: SimulationResult, command: string) {
  const finite = (key: string, v: number | undefined) => (v !== undefined && Number.isFinite(v) ? { [key]: v } : {});
  return {
    ness: VERSION,
    command,
    name: r.name,
    kind: r.kind,
    dynamics: r.dynamics,
    scheme: r.scheme,
    dt: r.dt,
    time: r.time,
    burnIn: r.burnIn,
    replicas: r.replicas,
    seed: r.seed,
    batchesPerReplica: r.batchesPerReplica,
    steps: r.steps,
    exact: r.exact,
    estimates: r.estimates.map((e) => ({
      group: e.group,
      name: e.name,
      ...finite("value", e.value),
      ...finite("error", e.error),
      ...(e.exact !== undefined ? { ...finite("exact", e.exact), ...finite("deviation", e.deviation) } : {}),
      ...finite("timeStepBias", e.timeStepBias),
      batches: e.batches,
      reliable: e.reliable,
      ...(e.note ? { note: e.note } : {}),
    })),
    warnings: r.warnings,
  };
}

/** `fileName`: the model file the command line names (default model.yaml, written by the editor's Export YAML). */
export function simulationPanel(
  root: HTMLElement,
  currentModel: () => Model | null,
  fileName?: () => string,
): SimulationPanel {
  const values = { time: "200", dt: "0.01", seed: "1", replicas: "4" };
  const field = (key: keyof typeof values, label: string) => {
    const id = `sim-${key}`;
    const input = numberField(
      label,
      values[key],
      (t) => {
        values[key] = t;
      },
      { id },
    );
    return h("span", { class: "field" }, h("label", { for: id }, `${key} `), input);
  };
  const scheme = h(
    "select",
    { id: "sim-scheme", "aria-label": "integrator" },
    ...["default", "baoab", "heun", "euler-maruyama", "exact"].map((x) => h("option", { value: x }, x)),
  );
  const run = h("button", { type: "button", id: "sim-run" }, "Run");
  const pause = h("button", { type: "button", id: "sim-pause", disabled: true }, "Pause");
  const cancel = h("button", { type: "button", id: "sim-cancel", disabled: true }, "Cancel");
  // The final result as JSON (kept when only the chart fails: the numbers are computed).
  const save = h("button", { type: "button", id: "sim-download", disabled: true }, "Download JSON");
  let saved: { result: SimulationResult; command: string } | null = null;
  const keep = (next: typeof saved) => {
    saved = next;
    save.disabled = next === null;
  };
  save.addEventListener("click", () => {
    if (saved)
      download(
        "simulation.json",
        JSON.stringify(simulationDocument(saved.result, saved.command), null, 2),
        "application/json",
      );
  });
  const progress = h("progress", { id: "sim-progress", max: 1, value: 0, "aria-label": "simulation progress" });
  const status = h("div", { id: "sim-status", class: "status", role: "alert" });
  const line = h("p", { class: "command" });
  const state = h("p", { id: "sim-state", "aria-live": "polite" });
  const body = h("tbody");
  // Convergence: the followed estimate after each update, with its error bar, against the exact value (src/figures).
  const follow = h("select", { id: "sim-follow", "aria-label": "quantity to follow" });
  const chart = h("div", { id: "sim-chart", class: "figures" });
  const followBar = h("div", { class: "toolbar", hidden: true }, h("label", { for: "sim-follow" }, "Follow "), follow);
  let history: { steps: number; estimates: Estimate[] }[] = [];
  let lastDraw = 0;
  /** The chart's failure, said once per run in the status line (the run goes on: the chart only follows it). */
  let chartMessage = "";
  const chartFailed = (err: unknown) => {
    const m = `ness: the convergence chart could not be drawn: ${(err as Error)?.message ?? String(err)}`;
    if (m === chartMessage) return;
    chartMessage = m;
    status.append(h("p", {}, m));
  };
  /** Draws the chart (force: now, else at most every 400 ms); throws when it cannot be drawn. */
  const drawChart = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastDraw < 400) return;
    lastDraw = now;
    const name = follow.value;
    const points = history
      .map((hh) => ({ steps: hh.steps, e: hh.estimates.find((e) => `${e.group}: ${e.name}` === name) }))
      .filter((p): p is { steps: number; e: Estimate } => p.e !== undefined && Number.isFinite(p.e.error));
    if (points.length === 0) return chart.replaceChildren();
    const exact = points[points.length - 1].e.exact;
    const fig = lineChart({
      name: "convergence",
      title: `${name}: estimate while the run goes on`,
      caption: `Estimate ± one error bar from the batches completed so far${exact !== undefined ? "; dashed: the exact value" : ""}.`,
      xLabel: "steps done (all replicas)",
      yLabel: name,
      series: [
        {
          name: "estimate",
          x: points.map((p) => p.steps),
          y: points.map((p) => p.e.value),
          err: points.map((p) => p.e.error),
          marker: "circle",
          color: "blue",
        },
      ],
      referenceLines: exact !== undefined ? [{ y: exact, label: "exact", style: "dashed", color: "red" }] : [],
      width: 520,
      height: 240,
    });
    chart.replaceChildren(fig.render(document) as unknown as Node);
  };
  follow.addEventListener("change", () => {
    try {
      drawChart(true);
    } catch (err) {
      chartFailed(err);
    }
  });
  const table = h(
    "table",
    { id: "sim-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["quantity", "estimate", "± error", "exact", "deviation", "reliable"].map((t) =>
          h("th", { scope: "col" }, t),
        ),
      ),
    ),
    body,
  );
  root.append(
    h("h2", { id: "simulation-title" }, "Simulation (stochastic engine, in Web Workers)"),
    h(
      "div",
      { class: "toolbar" },
      field("time", "production time per replica"),
      field("dt", "time step"),
      field("seed", "random seed"),
      field("replicas", "replicas"),
      h("label", { for: "sim-scheme" }, "scheme "),
      scheme,
      run,
      pause,
      cancel,
      progress,
      save,
    ),
    status,
    state,
    line,
    h("div", { class: "sim-results" }, table, h("div", {}, followBar, chart)),
  );

  let current: PageSimulation | null = null;
  const panel: SimulationPanel = {
    reset: (why) => {
      if (current?.running) {
        state.textContent = `cancelled: ${why}`;
        state.dataset.end = "cancelled";
      } else if (body.rows.length > 0) {
        state.textContent = `cleared: ${why}`;
        delete state.dataset.end; // not the cleared run's "done"
      }
      current?.cancel();
      current = null;
      panel.last = null;
      keep(null);
      chartMessage = "";
      status.textContent = ""; // warnings and messages of the old model's run
      progress.value = 0;
      line.textContent = "";
      history = [];
      chart.replaceChildren();
      follow.replaceChildren(); // the quantities of the old model
      followBar.hidden = true;
      show(null, false);
      buttons(false);
    },
    last: null,
  };

  const record = (steps: number, estimates: Estimate[], final: boolean) => {
    if (follow.options.length === 0) {
      follow.replaceChildren(
        ...estimates.map((e) => h("option", { value: `${e.group}: ${e.name}` }, `${e.group}: ${e.name}`)),
      );
      const flux = estimates.findIndex((e) => e.group === "spring flux" || e.group === "bath flux");
      if (flux >= 0) follow.selectedIndex = flux;
      followBar.hidden = false;
    }
    history.push({ steps, estimates });
    if (final) return drawChart(true); // the caller says that the figures failed
    try {
      drawChart(false);
    } catch (err) {
      chartFailed(err);
    }
  };
  const show = (estimates: Estimate[] | null, final: boolean) => {
    body.replaceChildren(
      ...(estimates ?? []).map((e) =>
        h(
          "tr",
          {
            "data-quantity": `${e.group}: ${e.name}`,
            "data-value": e.value,
            "data-error": e.error,
            "data-exact": e.exact ?? "",
            "data-reliable": String(e.reliable),
            class: final ? "final" : "live",
          },
          h("th", { scope: "row" }, `${e.group}: ${e.name}`),
          h("td", {}, fmt(e.value)),
          h("td", {}, fmt(e.error, 2)),
          h("td", {}, e.exact !== undefined ? fmt(e.exact) : "–"),
          h("td", {}, e.deviation !== undefined ? `${e.deviation >= 0 ? "+" : ""}${e.deviation.toFixed(1)} σ` : "–"),
          // Live: "no, so far" when the batches so far cannot give a trusted error bar (the note says why).
          h(
            "td",
            { title: e.note ?? "" },
            final ? (e.reliable ? "yes" : "no") : e.reliable ? "(running)" : "no, so far",
          ),
        ),
      ),
    );
  };

  /** The run's end in the state line, and in its data-end: done, cancelled or error. */
  const end = (how: "done" | "cancelled" | "error", text: string) => {
    state.textContent = text;
    state.dataset.end = how;
    buttons(false);
  };
  const buttons = (running: boolean) => {
    run.disabled = running;
    pause.disabled = !running;
    cancel.disabled = !running;
    pause.textContent = current?.paused ? "Resume" : "Pause";
  };

  run.addEventListener("click", () => {
    status.textContent = "";
    const model = currentModel();
    if (!model) {
      status.textContent = "ness: fix the model first (see the message above)";
      return;
    }
    let spec;
    try {
      // The CLI's own option parser (browser-safe), so a bad value gets the message `ness simulate` prints.
      const opts = {
        time: numberOption(values.time, "--time", { above: 0 })!,
        dt: numberOption(values.dt, "--dt", { above: 0 })!,
        seed: numberOption(values.seed, "--seed", { integer: true, min: 0 })!,
        replicas: numberOption(values.replicas, "--replicas", { integer: true, min: 1 })!,
      };
      // As `ness simulate`: the named scheme at dt, or the default of the model's dynamics ({ dt }).
      const chosen: Scheme | { dt: number } =
        scheme.value !== "default" ? schemeByName(scheme.value, opts.dt) : { dt: opts.dt };
      // As `ness simulate` (src/verify): replicas start in the exact stationary law of a linear model, and every
      // estimate is shown beside its exact value, with the time-step rules of "reliable" applied with the exact bias.
      // Live estimates also lose their reliable flag when their batches are short against the slowest mode (live.ts).
      const reference: ExactReference | undefined = exactReference(model);
      spec = simulationSpec(
        model,
        chosen,
        withStationaryLaw({ time: opts.time, seed: opts.seed, replicas: opts.replicas }, reference),
      );
      const command =
        `ness simulate ${fileName?.() ?? "model.yaml"} --time ${values.time} --dt ${values.dt} --seed ${values.seed} --replicas ${values.replicas}` +
        (scheme.value !== "default" ? ` --scheme ${scheme.value}` : "");
      line.textContent = `Same numbers as: ${command}` + (fileName ? "" : " (model.yaml: Export YAML)");
      let pendingUpdate: { live: Estimate[] | null; done: number; total: number } | null = null;
      let updateTimer: ReturnType<typeof setTimeout> | null = null;
      const sim: PageSimulation = new PageSimulation(
        spec,
        {
          onUpdate: (live, done, total) => {
            // Updates arrive from every worker several times a second: the page redraws at most 4 times a second.
            pendingUpdate = { live, done, total };
            if (updateTimer !== null) return;
            updateTimer = setTimeout(() => {
              updateTimer = null;
              const u = pendingUpdate;
              if (!u || !sim.running) return;
              progress.value = u.done / u.total;
              state.textContent = `${sim.pausedQuiet ? "paused" : sim.paused ? "pausing" : "running"}: ${Math.round((100 * u.done) / u.total)}% of ${u.total} steps`;
              if (u.live) {
                show(u.live, false);
                record(u.done, u.live, false);
              }
            }, 250);
          },
          onPaused: (live, done, total) => {
            // Every worker has stopped: draw the final state of the pause now (no update comes until resumed).
            if (updateTimer !== null) clearTimeout(updateTimer);
            updateTimer = null;
            pendingUpdate = null;
            progress.value = done / total;
            state.textContent = `paused: ${Math.round((100 * done) / total)}% of ${total} steps`;
            if (live) {
              show(live, false);
              record(done, live, false);
            }
          },
          onDone: (raw) => {
            // The table first, "done" last: a result that cannot be verified or shown ends in onError (never "done"
            // over a failure); one whose chart cannot be drawn keeps its table and Download JSON, and says so.
            const result = verifySimulation(raw, reference);
            show(result.estimates, true);
            progress.value = 1;
            panel.last = result;
            keep({ result, command });
            for (const w of result.warnings) status.append(h("p", { class: "warning" }, `ness: warning: ${w}`));
            try {
              record(result.steps, result.estimates, true);
            } catch (err) {
              chartFailed(err);
              end(
                "error",
                `figures failed (computed: ${result.steps} steps; seed ${result.seed}; the table and Download JSON have the results)`,
              );
              return;
            }
            end("done", `done: ${result.steps} steps; seed ${result.seed}`);
          },
          onError: (message) => {
            status.textContent = `ness: ${message}`;
            // Where it stopped, as the study pages say it (the message below says why).
            end("error", progress.value > 0 ? `failed at ${Math.round(100 * progress.value)} %` : "failed");
          },
        },
        Math.min(4, navigator.hardwareConcurrency || 2),
        reference,
      );
      current = sim;
      panel.last = null;
      keep(null);
      chartMessage = "";
      progress.value = 0;
      history = [];
      chart.replaceChildren();
      state.textContent = "running";
      delete state.dataset.end;
      show(null, false);
      buttons(true);
    } catch (err) {
      status.textContent = nessMessage(err);
      end("error", "not started"); // not the last run's "done" beside this error
    }
  });
  pause.addEventListener("click", () => {
    if (!current) return;
    // "pausing" until every worker has stopped (onPaused then shows "paused: ..." with the final progress).
    if (current.paused) {
      current.resume();
      state.textContent = "running";
    } else {
      state.textContent = "pausing";
      current.pause();
    }
    buttons(true);
  });
  cancel.addEventListener("click", () => {
    current?.cancel();
    end(
      "cancelled",
      body.rows.length > 0
        ? "cancelled: no result (the table shows the estimates when it stopped)"
        : "cancelled: no result",
    );
    for (const cell of body.querySelectorAll("tr.live td:last-child")) cell.textContent = "(cancelled)";
  });
  return panel;
}
