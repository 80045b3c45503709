/**
 * The page of any study of the catalog (src/studies/catalog.ts), generated from its contract (src/studies/contract.ts):
 * the form from its parameter schema (form.ts), validation by the CLI's own validateParameters (the messages
 * `ness study NAME` prints, naming the flags), compute(parameters, context) with the context's runner on Web Workers
 * (the engine's webWorkerRunner on src/studies/webWorker.ts: the same blocks, seeds and reduction as the CLI's worker
 * pool, so the same numbers for the same seed), the study's report as text and its figures drawn by src/figures.
 * Below, the study's figure sets (`ness reproduce NAME`), quick or full, on demand.
 *
 * Every valid change recomputes (a newer change cancels the older run). A run that reports progress is timed: when,
 * after its first second or two, it would take more than a minute in total, it is stopped and the page asks before
 * running it anyway (the library still refuses runs over its own limit, about ten minutes, with its message).
 */
import type { z } from "zod";
import type { Figure } from "../../src/figures/figure.js";
import { citedFigures, type NamedNumber, type ReproduceCase, type Study } from "../../src/studies/contract.js";
import { fieldsOf, isSweep, sweepText, validateParameters } from "../../src/studies/schema.js";
import { fmt, h, nessMessage } from "./dom.js";
import { generateForm } from "./form.js";
import { LiveSnapshot } from "./liveSnapshot.js";
import type { NextFrame, StudyRequest } from "./studyWorker.js";

/** Longest run started without asking (seconds, projected from the progress of the first seconds). */
export const ASK_ABOVE_SECONDS = 60;
/** How long a run is watched before its projected duration is trusted (ms). */
const PROJECT_AFTER_MS = 1500;

function workerCount(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
}

/** Positions of a running replica (the demixing animation). */
export interface Frame {
  steps: number;
  x: Float64Array;
  cold: Uint8Array;
  box: [number, number];
}

type Reply =
  | { id: number; type: "progress"; done: number; total: number }
  | ({ id: number; type: "frame" } & Frame)
  | { id: number; type: "result"; results: unknown }
  | { id: number; type: "error"; name: string; message: string; internal?: boolean };

/** What a computation of the page asks the study worker for (studyWorker.ts), without its id. */
export type StudyJob = Omit<StudyRequest, "id" | "force" | "workers">;

/**
 * The study worker of a page: one worker kept while idle (a new computation reuses it: no start-up cost for the
 * fast exact studies); a computation still running when a newer one starts, or cancelled, ends by terminating it.
 */
class StudyClient {
  private worker: Worker | null = null;
  private busy = 0;
  private ids = 0;

  run(
    job: StudyJob,
    force: boolean,
    progress: (done: number, total: number) => void,
    signal: AbortSignal,
    onFrame?: (f: Frame, next: () => void) => void,
  ) {
    return new Promise<unknown>((resolve, reject) => {
      if (this.busy > 0) this.kill();
      const worker = (this.worker ??= new Worker(new URL("./studyWorker.ts", import.meta.url), {
        type: "module",
        name: "ness-study",
      }));
      const id = ++this.ids;
      this.busy = id;
      const end = () => {
        if (this.busy === id) this.busy = 0;
      };
      signal.addEventListener(
        "abort",
        () => {
          if (this.busy !== id) return;
          this.kill();
          reject(new DOMException("cancelled", "AbortError"));
        },
        { once: true },
      );
      worker.onmessage = (e: MessageEvent<Reply>) => {
        const m = e.data;
        if (m.id !== id) return;
        if (m.type === "progress") return progress(m.done, m.total);
        if (m.type === "frame") {
          // A frame after the run's end (a "next-frame" that crossed the result) would replace the figures drawn.
          if (this.busy !== id) return;
          // the worker sends the next frame only when asked: after this one is painted (no queue behind a slow page)
          const next = () => {
            if (this.busy === id) worker.postMessage({ id, type: "next-frame" } satisfies NextFrame);
          };
          return onFrame?.(m, next);
        }
        end();
        if (m.type === "result") resolve(m.results);
        // a bug (not a NessError) is said as `ness study` says it: "ness: internal error: ..."
        else
          reject(Object.assign(new Error(m.internal ? `internal error: ${m.message}` : m.message), { name: m.name }));
      };
      // The worker failed outside the study's own error handling (its script, memory, a message it could not read):
      // the run ends with that said (it would otherwise wait for a result that never comes).
      const failed = (why: string) => {
        this.kill(); // a new run starts a new worker
        reject(new Error(`the study worker failed: ${why}`));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        failed(e.message || "no message (its script did not load, or it ran out of memory)");
      };
      worker.onmessageerror = () => failed("a reply could not be read");
      const request: StudyRequest = { ...job, id, force, workers: workerCount() };
      worker.postMessage(request);
    });
  }

  /** Ends the worker (and the study's workers it started): the page is left. A later run() starts a new one. */
  close(): void {
    this.kill();
  }

  private kill(): void {
    this.worker?.terminate();
    this.worker = null;
    this.busy = 0;
  }
}

function duration(seconds: number): string {
  return seconds < 90 ? `${Math.ceil(seconds)} s` : `${Math.ceil(seconds / 60)} min`;
}

/** Progress bar, state line and Cancel/Run-anyway buttons of one computation, with the cost watch. */
class RunControl {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly state: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly anyway: HTMLButtonElement;
  private controller: AbortController | null = null;
  private token = 0;
  private refiner: AbortController | null = null;
  /** The state line of the running run without its note; the note (note()) is said after it. */
  private said = "";
  private noted = "";

  constructor(
    id: string,
    private readonly status: HTMLElement,
    private readonly client: StudyClient,
  ) {
    this.bar = h("progress", { id: `${id}-progress`, max: 1, value: 0, "aria-label": "progress" });
    this.state = h("span", { id: `${id}-state`, "aria-live": "polite" });
    this.cancelButton = h("button", { type: "button", disabled: true }, "Cancel");
    this.anyway = h("button", { type: "button", hidden: true }, "Run anyway");
    this.cancelButton.addEventListener("click", () => {
      this.controller?.abort();
      this.state.textContent = "cancelled";
    });
    this.element = h("div", { class: "toolbar" }, this.bar, this.cancelButton, this.anyway, this.state);
  }

  /** The state line while the run goes on (or done), with the run's note after it. */
  private say(text: string): void {
    this.said = text;
    this.state.textContent = this.noted ? `${text}; ${this.noted}` : text;
  }

  /**
   * Something of the running run that does not end it (a live frame that could not be drawn): said after its progress
   * and after "done" (the newest note replaces an older one; the next run starts without).
   */
  note(text: string): void {
    this.noted = text;
    if (this.state.dataset.end === undefined) this.say(this.said);
  }

  /**
   * A draft's refinement: runs `job` on `client` (a second study worker, so the page's worker stays free for the next
   * change), hands its result to `done` and adds to the state line. The next run() cancels it (its worker is
   * terminated).
   */
  async refine(client: StudyClient, job: StudyJob, done: (r: unknown) => void, fail: (err: unknown) => void) {
    const token = this.token;
    const controller = new AbortController();
    this.refiner = controller;
    const draft = this.state.textContent ?? "";
    this.state.textContent = `${draft}; refining the figures…`;
    const t0 = performance.now();
    try {
      const r = await client.run(job, true, () => {}, controller.signal);
      if (token !== this.token) return;
      done(r);
      this.state.textContent = `${draft}; figures refined in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    } catch (err) {
      if (token !== this.token || controller.signal.aborted) return;
      // The draft's figures stay; the state line says the refinement failed (never "done" over a failure).
      this.state.textContent = "refining the figures failed (the draft is shown)";
      this.state.dataset.end = "error";
      fail(err);
    }
  }

  /**
   * Runs `work` (the newest call wins: an older run, and an older refinement, is aborted) and hands its result to
   * `done` (latest only). `force`: no cost question.
   */
  async run(
    job: StudyJob,
    done: (r: unknown, ms: number) => void,
    fail: (err: unknown) => void,
    force = false,
    onFrame?: (f: Frame, next: () => void) => void,
    /** The run ended without a result: stopped to ask, cancelled by the user, or failed (not when a newer run starts). */
    onEnd?: (end: "asked" | "cancelled" | "error") => void,
  ): Promise<void> {
    const token = ++this.token;
    this.controller?.abort();
    this.refiner?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.anyway.hidden = true;
    this.cancelButton.disabled = false;
    this.bar.value = 0;
    this.noted = "";
    this.say("computing…");
    delete this.state.dataset.end;
    const t0 = performance.now();
    let tooLong = 0;
    const progress = (d: number, total: number) => {
      if (token !== this.token || !(total > 0)) return;
      this.bar.value = d / total;
      const elapsed = performance.now() - t0;
      this.say(`${Math.round((100 * d) / total)} % (${(elapsed / 1000).toFixed(1)} s)`);
      if (!force && elapsed > PROJECT_AFTER_MS && d > 0) {
        const projected = ((elapsed / d) * total) / 1000;
        if (projected > ASK_ABOVE_SECONDS) {
          tooLong = projected;
          controller.abort();
        }
      }
    };
    try {
      const watch = setInterval(() => {
        // A run that reports no progress is asked about once it has taken the whole minute.
        if (!force && performance.now() - t0 > ASK_ABOVE_SECONDS * 1000 && tooLong === 0) {
          tooLong = (performance.now() - t0) / 1000;
          controller.abort();
        }
      }, 1000);
      let r: unknown;
      try {
        r = await this.client.run(job, force, progress, controller.signal, (f, next) => {
          if (token === this.token) onFrame?.(f, next);
        });
      } finally {
        clearInterval(watch);
      }
      if (token !== this.token) return;
      const ms = performance.now() - t0;
      this.bar.value = 1;
      this.say(`done in ${(ms / 1000).toFixed(2)} s`);
      this.state.dataset.end = "done";
      this.cancelButton.disabled = true;
      try {
        done(r, ms); // draws the report and figures (and may start a draft's refinement, which reads the state line)
      } catch (err) {
        // Computed, but its figures (or report) could not be drawn: the state line says so, the status line why.
        this.state.textContent = `figures failed (computed in ${(ms / 1000).toFixed(2)} s)`;
        this.state.dataset.end = "error";
        onEnd?.("error"); // a live frame left on the page says its run ended there
        fail(err);
      }
    } catch (err) {
      if (token !== this.token) return;
      this.cancelButton.disabled = true;
      if (tooLong > 0) {
        this.state.textContent = "stopped";
        this.state.dataset.end = "asked";
        this.status.hidden = false;
        this.status.textContent =
          `ness: this run would take ${tooLong > ASK_ABOVE_SECONDS * 1.01 ? "about " : "more than "}${duration(tooLong)} in the page (more than ${ASK_ABOVE_SECONDS} s): ` +
          `reduce its time, replicas or particles, or press Run anyway`;
        this.anyway.hidden = false;
        this.anyway.onclick = () => {
          this.status.hidden = true;
          void this.run(job, done, fail, true, onFrame, onEnd);
        };
        onEnd?.("asked");
        return;
      }
      if (controller.signal.aborted) {
        this.state.textContent = "cancelled";
        this.state.dataset.end = "cancelled";
        onEnd?.("cancelled");
        return;
      }
      // A run that ended early says so beside its progress, and why in the status line (fail).
      this.state.textContent = this.bar.value > 0 ? `failed at ${Math.round(100 * this.bar.value)} %` : "failed";
      this.state.dataset.end = "error";
      onEnd?.("error");
      fail(err);
    }
  }
}

/** The study's named numbers (Study.numbers) as a description list: value ± error and unit, the value in data-value. */
function drawNumbers(target: HTMLElement, numbers: NamedNumber[]): void {
  target.replaceChildren(
    ...numbers.flatMap((n) => {
      const unit = n.unit && n.unit !== "1" ? ` ${n.unit}` : "";
      const error = n.error !== undefined ? ` ± ${fmt(n.error, 2)}` : "";
      const flag = n.reliable === false ? " (error bar not reliable)" : "";
      return [
        h("dt", {}, n.label),
        h(
          "dd",
          {
            "data-key": n.key,
            "data-value": n.value,
            ...(n.error !== undefined ? { "data-error": n.error } : {}),
          },
          `${fmt(n.value, 6)}${error}${unit}${flag}`,
        ),
      ];
    }),
  );
  target.hidden = numbers.length === 0;
}

/**
 * The report as the CLI prints it (textContent is that text), one span per line: table lines (columns separated by
 * runs of spaces, or a rule of dashes) keep their layout and scroll sideways, prose lines wrap.
 */
function drawReport(target: HTMLElement, text: string): void {
  const lines = text.split("\n");
  target.replaceChildren(
    ...lines.flatMap((line, i) => {
      const table = /\S {2,}\S/.test(line) || /^[\s-]*--[\s-]*$/.test(line);
      const span = h("span", { class: table ? "t" : "p" }, line);
      return i < lines.length - 1 ? [span, "\n"] : [span];
    }),
  );
}

/** The figures as elements (throws if one cannot be drawn: nothing on the page has changed then). */
function renderFigures(figs: Figure[]): Node[] {
  return figs.map((f) => h("figure", { "aria-label": f.title }, f.render(document) as unknown as Node));
}

export interface ContractPageHandle {
  last: () => unknown;
  time: () => number;
  /** Results of the figure sets computed so far, by id. */
  sets: () => Record<string, unknown>;
  /** Ends the page's study workers (running or idle): called when the lab leaves the page. */
  dispose: () => void;
}

/**
 * Builds the page of `study` into `root`. `initial`: parameter values from the address (#/study/NAME?k=2&seed=3);
 * the address follows every valid change, so it is a link to what the page shows.
 */
export function contractPage(
  root: HTMLElement,
  study: Study,
  initial: Record<string, string> = {},
): ContractPageHandle {
  let last: unknown = null;
  let ms = 0;
  const sets: Record<string, unknown> = {};
  const id = `study-${study.name.replace(/\W+/g, "-")}`;
  const flags = new Map(fieldsOf(study.parameters).map((f) => [f.key, `--${f.flag}`]));
  const status = h("div", { class: "status", role: "alert", id: "study-status" });
  // The report box: the study's named numbers (Study.numbers), then its report as the CLI prints it.
  const numbers = h("dl", { id: "study-numbers", class: "numbers", "aria-live": "polite", hidden: true });
  const report = h("pre", { id: "study-report", class: "report" });
  const reportBox = h(
    "section",
    // Hidden until the first result.
    { id: "study-report-box", class: "report-box", "aria-label": "report", hidden: true },
    numbers,
    report,
  );
  const figures = h("div", { id: "study-figures", class: "figures" });
  const { seed: initialSeed, ...initialValues } = initial;
  const seedInput = h("input", {
    type: "text",
    inputmode: "numeric",
    id: "study-seed",
    value: initialSeed ?? "1",
    size: 6,
  });
  /** The address of the page with the values typed in (those that differ from the defaults). */
  const remember = (given: Record<string, unknown>) => {
    const q = new URLSearchParams();
    for (const f of fieldsOf(study.parameters)) {
      const v = given[f.key];
      if (v !== undefined && v !== f.default) q.set(f.key, isSweep(v) ? sweepText(v) : String(v));
    }
    // A page that opens on a sweep (Study.pageSweep) says so when it shows one point.
    if (study.pageSweep && form.swept() === undefined) q.set("sweep", "none");
    if (study.seeded && seedInput.value.trim() !== "1") q.set("seed", seedInput.value.trim());
    const query = q.toString();
    history.replaceState(null, "", `#/study/${study.name}${query ? `?${query}` : ""}`);
  };
  const client = new StudyClient();
  const control = new RunControl("study", status, client);
  const refiner = new StudyClient();
  const fail = (err: unknown) => {
    status.hidden = false;
    status.textContent = nessMessage(err);
    root.classList.add("stale");
  };
  const seed = (): number => {
    const s = seedInput.value.trim();
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw new Error(`--seed must be an integer >= 0, got '${s}'`);
    return n;
  };
  const run = (values: z.output<z.ZodObject>) => {
    let parameters: z.output<z.ZodObject>;
    let s: number;
    try {
      const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
      parameters = validateParameters(study, given, (key) => flags.get(key) ?? key).parameters;
      s = study.seeded ? seed() : 1;
      remember(given);
    } catch (err) {
      fail(err);
      return;
    }
    const job: StudyJob = { study: study.name, parameters, seed: s, quick: false };
    /** Draws a result; throws when its figures (or report) cannot be drawn (the run control says so). */
    const show = (r: unknown, detail: "draft" | "full"): void => {
      // Everything drawn first, so that a result that cannot be drawn leaves the page as it was (marked stale).
      const drawn = renderFigures(study.figures(r));
      const text = study.report(r);
      const named = study.numbers?.(r) ?? [];
      status.hidden = true;
      status.textContent = "";
      root.classList.remove("stale");
      last = r;
      drawReport(report, text);
      reportBox.hidden = false;
      drawNumbers(numbers, named);
      figures.replaceChildren(...drawn);
      figures.dataset.detail = detail;
    };
    // Where a study's figure curves cost much more than its numbers (draftFigures): a draft at once (the same
    // numbers, the curves on fewer points), then the full run on a second worker, cancelled by the next change.
    const draft = study.draftFigures?.(parameters) === true;
    void control.run(
      draft ? { ...job, draft: true } : job,
      (r, t) => {
        ms = t;
        show(r, draft ? "draft" : "full");
        if (draft) void control.refine(refiner, job, (full) => show(full, "full"), fail);
      },
      fail,
      false,
      (f, next) => drawFrame(f, parameters as { range: number; dt: number }, next),
      // A live frame left on the page says that its run ended there (no figures follow); the frame count (data-frames)
      // starts again with the next run's frames (Run anyway: its first frames are not this run's).
      (end) => {
        frames = 0;
        delete figures.dataset.frames;
        if (live && figures.contains(live.element))
          live.ended(
            end === "asked"
              ? "the run was stopped to ask"
              : end === "error"
                ? "the run failed"
                : "the run was cancelled",
          );
      },
    );
  };
  // The live snapshot (demixing): replica 0's disks while it runs, on a canvas (liveSnapshot.ts), at most 4 frames a
  // second; the next frame is asked for only once this one is painted, so frames never queue up behind a slow page.
  let live: LiveSnapshot | null = null;
  let frames = 0;
  const drawFrame = (f: Frame, p: { range: number; dt: number }, next: () => void) => {
    const t0 = performance.now();
    try {
      const t = f.steps < 0 ? "the end of its run" : `t = ${fmt(f.steps * p.dt)} (step ${f.steps})`;
      if (!live || !figures.contains(live.element)) {
        live = new LiveSnapshot(
          "Live frames of the running simulation (at most four a second); the figures of the result follow.",
        );
        figures.replaceChildren(live.element);
      }
      live.draw(f, p.range, `Replica 0: ${f.cold.length} disks at ${t}`);
      frames++;
      figures.dataset.frames = String(frames);
    } catch (err) {
      // A frame that cannot be drawn is said in the state line; the run goes on to its result (and its next frames).
      control.note(`live frame failed: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      // After the paint of this frame (the task after the next animation frame), no sooner than 250 ms after the last.
      requestAnimationFrame(() => setTimeout(next, Math.max(0, 250 - (performance.now() - t0))));
    }
  };
  const form = generateForm(study.parameters, id, run, initialValues, {
    defaults: study.groups?.[0]?.defaults,
    // The checks the CLI makes after the ranges (its messages, e.g. --T0 against the range --help states).
    check: study.check ? (values, name) => study.check!(values, name) : undefined,
    sweep: study.pageSweep,
    // The fields of the other parameter sets (variance-resonance's mechanical and electrical forms).
    folded: (study.groups ?? [])
      .slice(1)
      .flatMap((g) => g.keys)
      .filter((k) => !study.groups![0].keys.includes(k)),
  });
  if (study.seeded) {
    form.element.prepend(
      h(
        "div",
        { class: "form-row" },
        h("label", { for: "study-seed" }, "--seed"),
        seedInput,
        h("span", { class: "hint" }, "random seed: same seed, same numbers"),
      ),
    );
    seedInput.addEventListener("input", () => run(form.values()));
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
      h("div", { class: "side" }, form.element, control.element, status),
      h("div", { class: "results" }, figures, reportBox),
    ),
  );
  const clients = [client, refiner];
  if (study.reproduce.length > 0) root.append(figureSets(study, sets, clients));
  return { last: () => last, time: () => ms, sets: () => sets, dispose: () => clients.forEach((c) => c.close()) };
}

/** The study's figure sets (`ness reproduce NAME`): a button each, quick or full, computed on the Web Workers. */
function figureSets(study: Study, sets: Record<string, unknown>, clients: StudyClient[]): HTMLElement {
  const quick = h("input", { type: "checkbox", id: "sets-quick", checked: true });
  const section = h(
    "section",
    { "aria-label": "figure sets" },
    h("h3", {}, `Figure sets (ness reproduce ${study.name.split("/")[0]})`),
    h(
      "div",
      { class: "toolbar" },
      quick,
      h("label", { for: "sets-quick" }, "quick (fewer points, shorter simulations: as --quick)"),
    ),
  );
  for (const c of study.reproduce as ReproduceCase[]) {
    const status = h("div", { class: "status", role: "alert", id: `set-${c.id}-status` });
    const out = h("div", { class: "figures", id: `set-${c.id}` });
    const client = new StudyClient();
    clients.push(client);
    const control = new RunControl(`set-${c.id}`, status, client);
    const button = h("button", { type: "button" }, `Compute ${c.id}`);
    button.addEventListener("click", () => {
      status.hidden = true;
      void control.run(
        { study: study.name, set: c.id, parameters: null, seed: c.seed ?? 1, quick: quick.checked },
        (r) => {
          sets[c.id] = r;
          out.replaceChildren(...renderFigures(citedFigures(study, c.figures(r, { quick: quick.checked }))));
        },
        (err) => {
          status.hidden = false;
          status.textContent = nessMessage(err);
        },
      );
    });
    section.append(h("div", { class: "figure-set" }, h("p", {}, button, ` ${c.title}`), control.element, status, out));
  }
  return section;
}
