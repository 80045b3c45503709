/* global document, requestAnimationFrame, MutationObserver, Event */
// How a study page's run ended, for the lab's timing scripts (scripts/lab-slider-response.js): read from the page's
// state line (#study-state: its data-end is done, asked, cancelled or error once the run has ended; absent while it
// runs), its figures (#study-figures data-detail: "draft" until a draft's refinement replaces them) and its status
// line (#study-status: why a run failed). watchRun runs in the page (the script passes it and runOutcome as source);
// both are tested in Node (test/lab/labWatch.test.ts).

/**
 * The outcome of the run shown: "running" (no data-end), "drawn" (done, a draft's figures on the page: their
 * refinement follows), "full" (done with the full figures), or { failed: message } for a run that ended any other way
 * (failed, figures failed, a refinement that failed, cancelled, stopped to ask about its cost).
 */
export function runOutcome({ end, draft, state, status }) {
  if (end === undefined || end === null) return "running";
  if (end === "done") return draft ? "drawn" : "full";
  return { failed: `the run ended (${end}): ${state}${status ? `; ${status}` : ""}` };
}

/**
 * In the page: sets the field `sel` to `value` (an input event; sel null: nothing is changed, the run on the page is
 * watched) and resolves with [ms to the figures drawn, ms to the full figures], or with { failed: message } when the
 * run ends without its full figures or none comes within `limitMs` (the message says so, with the state line then).
 * The outcome of a change is read only once its run has started (data-end gone): the last run's "done" does not count.
 */
export function watchRun(outcome, [sel, value, limitMs]) {
  return new Promise((resolve) => {
    const state = document.querySelector("#study-state");
    const figs = document.querySelector("#study-figures");
    const status = document.querySelector("#study-status");
    const t0 = performance.now();
    let started = sel === null;
    let drawn = -1;
    let over = false;
    const read = () =>
      outcome({
        end: state.dataset.end,
        draft: figs.dataset.detail === "draft",
        state: state.textContent ?? "",
        status: status && !status.hidden ? (status.textContent ?? "") : "",
      });
    const finish = (result) => {
      over = true;
      seen.disconnect();
      clearTimeout(timer);
      resolve(result);
    };
    const look = () => {
      if (over) return;
      const o = read();
      if (o === "running") {
        started = true;
        return;
      }
      if (!started) return;
      if (typeof o === "object") return finish(o);
      if (drawn < 0) {
        drawn = 0;
        requestAnimationFrame(() => (drawn = performance.now() - t0));
      }
      if (o === "full") {
        over = true;
        seen.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve([drawn, performance.now() - t0])));
      }
    };
    const seen = new MutationObserver(look);
    const timer = setTimeout(() => {
      if (over) return;
      const o = read();
      finish({
        failed:
          `no result within ${limitMs / 1000} s (state line: '${state.textContent ?? ""}'` +
          `${typeof o === "object" ? `; ${o.failed}` : ""})`,
      });
    }, limitMs);
    seen.observe(state, { attributes: true, childList: true, characterData: true, subtree: true });
    seen.observe(figs, { attributes: true, childList: true });
    if (status) seen.observe(status, { attributes: true, childList: true, subtree: true });
    if (sel === null) look();
    else {
      const input = document.querySelector(sel);
      input.value = String(value);
      input.dispatchEvent(new Event("input"));
    }
  });
}
