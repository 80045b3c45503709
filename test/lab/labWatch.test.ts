// scripts/lab-watch.js, what scripts/lab-slider-response.js runs in the page to time a study page's response: it
// reads the run's end from the state line's data-end, so a run that fails (or whose figures fail) ends the wait with
// the page's message, and a run that never ends hits the time limit (before, the script waited for "done" forever).
// Here on a stand-in of the page's three elements and MutationObserver.
import { afterEach, describe, expect, it, vi } from "vitest";
import { runOutcome, watchRun } from "../../scripts/lab-watch.js";

interface El {
  dataset: Record<string, string | undefined>;
  textContent: string;
  hidden?: boolean;
  value?: string;
  dispatchEvent?: () => void;
}

/** The page's state line, figures, status line and a slider; change() applies a change and tells the observers. */
function page(onInput: (p: ReturnType<typeof page>) => void) {
  const observers: { cb: () => void; off: boolean }[] = [];
  const state: El = { dataset: { end: "done" }, textContent: "done in 0.10 s" };
  const figs: El = { dataset: {}, textContent: "" };
  const status: El = { dataset: {}, textContent: "", hidden: true };
  const p = {
    state,
    figs,
    status,
    change(f: () => void) {
      f();
      for (const o of observers) if (!o.off) o.cb();
    },
  };
  const slider: El = { dataset: {}, textContent: "", dispatchEvent: () => onInput(p) };
  const elements: Record<string, El> = {
    "#study-state": state,
    "#study-figures": figs,
    "#study-status": status,
    "#slider": slider,
  };
  vi.stubGlobal("document", { querySelector: (s: string) => elements[s] });
  vi.stubGlobal("requestAnimationFrame", (f: () => void) => setTimeout(f, 0));
  vi.stubGlobal(
    "MutationObserver",
    class {
      o: { cb: () => void; off: boolean };
      constructor(cb: () => void) {
        this.o = { cb, off: false };
        observers.push(this.o);
      }
      observe() {}
      disconnect() {
        this.o.off = true;
      }
    },
  );
  return p;
}

/** A run starting as the page starts one: "computing…", no data-end. */
const start = (p: ReturnType<typeof page>) =>
  p.change(() => {
    delete p.state.dataset.end;
    p.state.textContent = "computing…";
  });
const later = (f: () => void) => setTimeout(f, 5);

describe("lab-watch: the end of a study page's run", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reads the outcome from data-end, not from the state line's words", () => {
    expect(runOutcome({ end: undefined, draft: false, state: "50 % (1.0 s)", status: "" })).toBe("running");
    expect(runOutcome({ end: "done", draft: true, state: "done in 0.1 s", status: "" })).toBe("drawn");
    expect(runOutcome({ end: "done", draft: false, state: "done in 0.1 s", status: "" })).toBe("full");
    expect(
      runOutcome({
        end: "error",
        draft: true,
        state: "refining the figures failed (the draft is shown)",
        status: "ness: x",
      }),
    ).toEqual({ failed: "the run ended (error): refining the figures failed (the draft is shown); ness: x" });
  });

  it("times a change to its draft and full figures; the last run's done does not count", async () => {
    const p = page((q) => {
      q.change(() => {}); // a mutation before the run starts: the last run's "done" is still there
      start(q);
      later(() =>
        q.change(() => {
          q.state.dataset.end = "done";
          q.state.textContent = "done in 0.01 s";
          q.figs.dataset.detail = "draft";
        }),
      );
      setTimeout(() => q.change(() => (q.figs.dataset.detail = "full")), 20);
    });
    const r = await watchRun(runOutcome, ["#slider", 3, 60_000]);
    expect(Array.isArray(r)).toBe(true);
    const [drawn, full] = r as [number, number];
    expect(drawn).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(drawn);
    expect(p.state.textContent).toBe("done in 0.01 s");
  });

  it("ends the wait when the run fails, or only its figures do, with the page's message", async () => {
    page((q) => {
      start(q);
      later(() =>
        q.change(() => {
          q.state.dataset.end = "error";
          q.state.textContent = "failed at 40 %";
          q.status.hidden = false;
          q.status.textContent = "ness: the simulation blew up";
        }),
      );
    });
    expect(await watchRun(runOutcome, ["#slider", 3, 60_000])).toEqual({
      failed: "the run ended (error): failed at 40 %; ness: the simulation blew up",
    });
    vi.unstubAllGlobals();
    page((q) => {
      start(q);
      later(() =>
        q.change(() => {
          q.state.dataset.end = "error";
          q.state.textContent = "figures failed (computed in 0.02 s)";
        }),
      );
    });
    expect(await watchRun(runOutcome, ["#slider", 3, 60_000])).toEqual({
      failed: "the run ended (error): figures failed (computed in 0.02 s)",
    });
  });

  it("gives up after its time limit, saying what the state line read", async () => {
    page(start);
    expect(await watchRun(runOutcome, ["#slider", 3, 30])).toEqual({
      failed: "no result within 0.03 s (state line: 'computing…')",
    });
    // the page's own first run, already ended: at once
    vi.unstubAllGlobals();
    page(() => {});
    const r = await watchRun(runOutcome, [null, null, 60_000]);
    expect(Array.isArray(r)).toBe(true);
  });
});
