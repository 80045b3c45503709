// The ness lab in headless Chromium (Debian's /usr/bin/chromium through playwright-core): build the site with Vite,
// serve it with `ness lab`'s server, then: load it, edit a spring and compare the flux shown with solveNetwork,
// run a short simulation and compare it with the exact value and with the CLI's simulation for the same seed,
// pause/resume/cancel, bad input (negative stiffness, no steady state, malformed upload) shows the CLI's message in
// place and the page keeps working, the study page's numbers against the library and the closed forms, keyboard
// moves and labels. Screenshots go to test-artifacts/lab/ (gitignored) when NESS_LAB_SCREENSHOTS=1. Skipped with a
// notice without chromium.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveLab } from "../../src/cli/commands/lab.js";
import { main } from "../../src/cli/main.js";
import { solveNetwork } from "../../src/exact/network.js";
import { loadModel, type NetworkModel } from "../../src/model/index.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { closedFormCovariance } from "../../src/studies/variance-resonance/index.js";
import { findStudy } from "../../src/studies/catalog.js";
import { runStudy } from "../../src/studies/run.js";
import { fieldsOf } from "../../src/studies/schema.js";
import { VERSION } from "../../src/version.js";
import { labSite } from "../helpers/labSite.js";
import { LAB_VIEWPORT, haveChromium, launchChromium, type LaunchedChromium } from "../../scripts/chromium.js";

const root = new URL("../../", import.meta.url).pathname;
const artifacts = join(root, "test-artifacts/lab");
/**
 * A screenshot into test-artifacts/lab/ for a person to look at, taken only when NESS_LAB_SCREENSHOTS=1: none is
 * compared with anything, and together they cost CPU time in every run (docs/performance.md). Without them, an
 * element's shot still waits for the element to be visible, as its screenshot would.
 */
const SCREENSHOTS = process.env.NESS_LAB_SCREENSHOTS === "1";
async function snap(target: Page | Locator, name: string): Promise<void> {
  const path = join(artifacts, name);
  if (!("waitFor" in target)) {
    if (SCREENSHOTS) await target.screenshot({ path, fullPage: true });
  } else if (SCREENSHOTS) await target.screenshot({ path });
  else await target.waitFor({ state: "visible" });
}
const example2 = readFileSync(join(root, "examples/networks/example2-circulation.yaml"), "utf8");

/** The one line `ness solve FILE` prints on stderr for this text, without its "FILE: " prefix. */
async function cliMessage(text: string, name = "model.yaml"): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ness-lab-cli-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    expect(await main(["node", "ness", "solve", file])).toBe(1);
  } finally {
    spy.mockRestore();
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(lines).toHaveLength(1);
  return lines[0].replace(`${file}: `, "");
}

/** The one line `ness ...args` prints on stderr (it must fail). */
async function cliError(args: string[]): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    expect(await main(["node", "ness", ...args])).toBe(1);
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** `ness simulate FILE ... --json` in this process: its estimates. */
async function cliSimulate(
  text: string,
  args: string[],
): Promise<{ group: string; name: string; value: number; error: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), "ness-lab-sim-"));
  const out: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  try {
    const file = join(dir, "model.yaml");
    writeFileSync(file, text);
    expect(await main(["node", "ness", "simulate", file, ...args, "--workers", "1", "--no-progress", "--json"])).toBe(
      0,
    );
  } finally {
    log.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  }
  return (JSON.parse(out.join("\n")) as { estimates: { group: string; name: string; value: number; error: number }[] })
    .estimates;
}

/** Plain JSON of a value (typed arrays as objects), as the page hands its results to the test. */
const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/**
 * The study pages' checks: parameters in the address (small runs), the number compared with the library's
 * runStudy for the same parameters and seed, and what it is (a closed form where there is one).
 */
const STUDY_PAGES: {
  name: string;
  query: Record<string, string | number>;
  pick: (r: any) => number; // eslint-disable-line @typescript-eslint/no-explicit-any
  closedForm?: number;
  figures: number;
  /**
   * Exact studies: equal to 1e-12 relative (Chromium's V8 and Node's may round Math.exp/log/pow differently);
   * stochastic ones: bit for bit (same blocks and random streams).
   */
  exact?: boolean;
  /** The report shows no timings (harmonic-conduction's does): compared as text. */
  report?: false;
}[] = [
  // C12 of two ideal-gas subsystems: Cv (T0 - T3)^2 / 27 (Bunin et al., eq. 8).
  {
    name: "energy-correlations",
    query: { model: "ideal-gas" },
    pick: (r) => r.C[0][1],
    closedForm: (1000 * 4) / 27,
    figures: 2,
  },
  { name: "particle-bath-chain", query: { TL: 3 }, pick: (r) => r.current, figures: 1, exact: true },
  // Entropy production k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)) (Metzger, Section 4.1).
  { name: "two-temperature", query: { T1: 4 }, pick: (r) => r.entropyProduction, closedForm: 9 / 16, figures: 1 },
  { name: "two-temperature/run-and-chase", query: { dimension: 1 }, pick: (r) => r.exact.chaseVelocity, figures: 1 },
  {
    name: "two-temperature/ratchet",
    query: { time: 20, replicas: 2, seed: 3 },
    pick: (r) => r.centreOfMass.value,
    figures: 1,
  },
  {
    name: "two-temperature/demixing",
    query: { N: 200, time: 40, burnIn: 10, replicas: 2, seed: 2 },
    pick: (r) => r.psi.value,
    figures: 1,
  },
  {
    name: "two-temperature/polymer",
    query: { monomers: 6, time: 10, replicas: 2, dt: 0.01, seed: 2 },
    pick: (r) => r.simulated.gyrationHot.value,
    figures: 1,
  },
  {
    name: "harmonic-conduction",
    query: { nMin: 16, nMax: 64, samples: 2 },
    pick: (r) => r.results[0].points[1].J,
    figures: 1,
    exact: true,
    report: false,
  },
];

const withSpring = (model: NetworkModel, a: string, b: string, k: number): NetworkModel => ({
  ...model,
  springs: model.springs.map((s) => (model.sites[s.i] === a && model.sites[s.j] === b ? { ...s, stiffness: k } : s)),
});

/**
 * Headroom for what waits on the machine's load (observed at load 25-36: the Vite build over 120 s, a screenshot
 * over Playwright's default 30 s): the build, every browser wait and action (Playwright's default timeout), the polls
 * of the page's state and each test. They wait for the same states as before; none asserts that something does not
 * happen within a time.
 */
const BUILD_MS = 600_000;
const WAIT_MS = 180_000;
const TEST_MS = 600_000;

/**
 * The page's form controls without an accessible name from a <label> (for= or around it, its text without the
 * controls inside), aria-labelledby or aria-label: a button may be named by its own text, a select never by its
 * options' (their text is what is chosen, not what the control is).
 */
const unlabelledControls = (p: Page) =>
  p.evaluate(() => {
    const named = (t: string | null | undefined) => (t ?? "").trim() !== "";
    const labelText = (l: HTMLLabelElement) => {
      const copy = l.cloneNode(true) as HTMLElement;
      for (const c of copy.querySelectorAll("input, select, textarea, button")) c.remove();
      return copy.textContent;
    };
    return [...document.querySelectorAll<HTMLInputElement>("input, select, textarea, button")]
      .filter((el) => el.type !== "hidden")
      .filter((el) => {
        if (named(el.getAttribute("aria-label"))) return false;
        const by = el.getAttribute("aria-labelledby");
        if (by && by.split(/\s+/).some((id) => named(document.getElementById(id)?.textContent))) return false;
        if ([...(el.labels ?? [])].some((l) => named(labelText(l)))) return false;
        return !(el.tagName === "BUTTON" && named(el.textContent));
      })
      .map((el) => el.outerHTML.slice(0, 80));
  });

/** expect.poll with the load headroom (its default gives up after 1 s). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: WAIT_MS });

describe.skipIf(!haveChromium())("the ness lab in headless Chromium", { timeout: TEST_MS }, () => {
  let server: Server;
  let url = "";
  let site = "";
  let disposeSite = () => {};
  let chromium: LaunchedChromium | undefined;
  let browser: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // Built once per run for this file and test/package/pack.test.ts (test/helpers/labSite.ts).
    const built = await labSite(BUILD_MS);
    site = built.folder;
    disposeSite = built.dispose;
    ({ server, url } = await serveLab(site, 0));
    if (SCREENSHOTS) mkdirSync(artifacts, { recursive: true });
    chromium = await launchChromium({ viewport: LAB_VIEWPORT });
    browser = chromium.context;
    browser.setDefaultTimeout(WAIT_MS);
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
  }, BUILD_MS + WAIT_MS); // the wait for the site ends first, with its own message (not the hook's time-out)

  afterAll(async () => {
    await chromium?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    disposeSite();
  });

  const status = () => page.locator("#status").textContent();
  const fluxOf = async (spring: string) =>
    Number(await page.locator(`#springs tr[data-spring="${spring}"] .flux`).getAttribute("data-value"));

  it("loads the editor with Example 2 of Eckmann & Zabey solved, every control labelled", async () => {
    await page.goto(url);
    await page.waitForSelector("body[data-ready=editor]");
    expect(await fluxOf("1-2")).toBeCloseTo(0.2898, 4);
    expect(await unlabelledControls(page)).toEqual([]);
    // The check itself: a select named by nothing but its options' text is unlabelled (the check once took that text).
    await page.evaluate(() => {
      const probe = document.createElement("select");
      probe.id = "label-probe";
      probe.append(new Option("an option's text"));
      document.body.append(probe);
    });
    expect(await unlabelledControls(page)).toEqual([expect.stringContaining('id="label-probe"')]);
    await page.evaluate(() => document.getElementById("label-probe")!.remove());
    await snap(page, "editor.png");
  });

  it("shows the library's flux after a spring is edited, and moves a site with the keyboard", async () => {
    await page.getByLabel("stiffness of spring 1-3").fill("15");
    const expected = solveNetwork(withSpring(loadModel(example2) as NetworkModel, "1", "3", 15));
    expect(await fluxOf("1-3")).toBe(expected.springs[1].flux);
    expect(await fluxOf("1-2")).toBe(expected.springs[0].flux);
    expect(Number(await page.locator("#entropy-production").getAttribute("data-value"))).toBe(
      expected.entropyProduction,
    );
    // The shown text is that number, rounded.
    expect(await page.locator(`#springs tr[data-spring="1-3"] .flux`).textContent()).toContain(
      String(Number(Math.abs(expected.springs[1].flux).toPrecision(4))),
    );
    const x0 = await page.evaluate(
      () =>
        (window as unknown as { nessLab: { editor: { doc: { sites: { x: number }[] } } } }).nessLab.editor.doc.sites[2]
          .x,
    );
    await page.locator('g.site[data-site="3"]').focus();
    await page.keyboard.press("ArrowRight");
    const x1 = await page.evaluate(
      () =>
        (window as unknown as { nessLab: { editor: { doc: { sites: { x: number }[] } } } }).nessLab.editor.doc.sites[2]
          .x,
    );
    expect(x1).toBeGreaterThan(x0);
    expect(await fluxOf("1-3")).toBe(expected.springs[1].flux); // positions are not physics
    // The exported YAML is a model file the CLI reads: the same steady state.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export YAML" }).click(),
    ]);
    const exported = readFileSync((await download.path())!, "utf8");
    expect(solveNetwork(loadModel(exported) as NetworkModel).springs.map((sp) => sp.flux)).toEqual(
      expected.springs.map((sp) => sp.flux),
    );
    // The address bar is a link to the edited model.
    const other = await browser.newPage();
    try {
      await other.goto(page.url());
      await other.waitForSelector("body[data-ready=editor]");
      expect(Number(await other.locator('#springs tr[data-spring="1-3"] .flux').getAttribute("data-value"))).toBe(
        expected.springs[1].flux,
      );
    } finally {
      await other.close();
    }
  });

  it("runs a simulation in Web Workers: within its error bars of the exact value, the CLI's numbers for the seed", async () => {
    await page.getByLabel("production time per replica").fill("200");
    await page.getByLabel("time step").fill("0.01");
    await page.getByLabel("random seed").fill("7");
    await page.getByLabel("replicas", { exact: true }).fill("8");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForSelector("#sim-table tr.final", { timeout: WAIT_MS });
    const rows = await page.locator("#sim-table tr.final").evaluateAll((trs) =>
      trs.map((tr) => ({
        q: tr.getAttribute("data-quantity"),
        value: Number(tr.getAttribute("data-value")),
        error: Number(tr.getAttribute("data-error")),
      })),
    );
    const flux = rows.find((r) => r.q === "spring flux: 1 -> 2")!;
    const model = withSpring(loadModel(example2) as NetworkModel, "1", "3", 15);
    const exact = solveNetwork(model).springs[0].flux;
    expect(Math.abs(exact)).toBeGreaterThan(4 * flux.error); // resolved: a signed comparison can fail
    expect(Math.abs(flux.value - exact)).toBeLessThan(4 * flux.error);
    // `ness simulate` on the same model, options and seed: the same numbers, bit for bit.
    const dir = mkdtempSync(join(tmpdir(), "ness-lab-sim-"));
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    try {
      const file = join(dir, "model.yaml");
      writeFileSync(file, example2.replace("{between: [1, 3], stiffness: 10}", "{between: [1, 3], stiffness: 15}"));
      expect(
        await main([
          "node",
          "ness",
          "simulate",
          file,
          "--time",
          "200",
          "--dt",
          "0.01",
          "--seed",
          "7",
          "--replicas",
          "8",
          "--workers",
          "1",
          "--no-progress",
          "--json",
        ]),
      ).toBe(0);
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const cli = JSON.parse(out.join("\n")) as {
      estimates: { group: string; name: string; value: number; error: number }[];
    };
    expect(rows.map((r) => r.q)).toEqual(cli.estimates.map((e) => `${e.group}: ${e.name}`));
    expect(rows.map((r) => r.value)).toEqual(cli.estimates.map((e) => e.value));
    expect(rows.map((r) => r.error)).toEqual(cli.estimates.map((e) => e.error));
    // And the library's simulateAndVerifySync (what ness simulate runs), in this process.
    expect(rows.map((r) => r.value)).toEqual(
      simulateAndVerifySync(model, { dt: 0.01 }, { time: 200, seed: 7, replicas: 8 }).estimates.map((e) => e.value),
    );
    // The convergence chart (src/figures) follows a flux, with the exact value.
    expect(await page.locator("#sim-follow").inputValue()).toBe("spring flux: 1 -> 2");
    expect(await page.locator("#sim-chart > svg").count()).toBe(1);
    await snap(page, "simulation.png");
  });

  it("pauses, resumes and cancels a run", async () => {
    await page.getByLabel("production time per replica").fill("2000000"); // minutes: it must not end by itself
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForFunction(
      () => Number((document.querySelector("#sim-progress") as HTMLProgressElement).value) > 0,
    );
    await page.getByRole("button", { name: "Pause" }).click();
    // The page says "paused" once every worker has confirmed that it stopped (before: "pausing"); from then on the
    // progress must not move. The wait is on that event, with a bound far above its usual milliseconds.
    await page.waitForFunction(
      () => /^paused: \d+% of \d+ steps$/.test(document.querySelector("#sim-state")!.textContent!),
      undefined,
      {
        timeout: 60_000,
      },
    );
    const p1 = await page.locator("#sim-progress").evaluate((e) => (e as HTMLProgressElement).value);
    expect(p1).toBeGreaterThan(0);
    await page.waitForTimeout(600); // longer than two of the page's redraw periods (250 ms) and the workers' slices
    const p2 = await page.locator("#sim-progress").evaluate((e) => (e as HTMLProgressElement).value);
    expect(p2).toBe(p1);
    expect(await page.locator("#sim-state").textContent()).toMatch(/^paused: /);
    await page.getByRole("button", { name: "Resume" }).click();
    await page.waitForFunction(
      (p) => Number((document.querySelector("#sim-progress") as HTMLProgressElement).value) > p,
      p1,
    );
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator("#sim-state").textContent()).toMatch(/cancelled/);
    expect(await page.getByRole("button", { name: "Run" }).isEnabled()).toBe(true);
  });

  it("shows the CLI's message in place for bad input and keeps working", async () => {
    // A negative stiffness.
    await page.getByLabel("stiffness of spring 1-3").fill("-1");
    const bad = example2.replace("{between: [1, 3], stiffness: 10}", "{between: [1, 3], stiffness: -1}");
    expect(await status()).toBe(await cliMessage(bad));
    await snap(page, "bad-stiffness.png");
    await page.getByLabel("stiffness of spring 1-3").fill("10");
    expect(await status()).toBe("");
    expect(await fluxOf("1-2")).toBeCloseTo(0.2898, 4);
    // No steady state: a site without pinning (free translation), then Figure 1 of Eckmann & Zabey (Lemma 1).
    await page.getByLabel("pinning of site 3").fill("0");
    for (const l of ["pinning of site 1", "pinning of site 2"]) await page.getByLabel(l).fill("0");
    const free = example2.replace("pinning: 1", "pinning: 0");
    expect(await status()).toBe(await cliMessage(free));
    await page.getByLabel("example network").selectOption({ label: "figure1-non-unique.yaml" });
    await page.getByRole("button", { name: "Load example" }).click();
    const lemma = await cliMessage(readFileSync(join(root, "examples/networks/figure1-non-unique.yaml"), "utf8"));
    expect(lemma).toMatch(/Lemma 1/);
    expect(await status()).toBe(lemma);
    await snap(page, "no-steady-state.png");
    // A malformed upload: the message names the file as `ness solve broken.yaml` does; the model stays.
    const broken = "kind: network\nsites: [1, 2\nbaths: []\n";
    await page.setInputFiles("#model-file", {
      name: "broken.yaml",
      mimeType: "text/yaml",
      buffer: Buffer.from(broken),
    });
    const loadStatus = () => page.locator("#load-status").textContent();
    await poll(loadStatus).toMatch(/^ness: broken\.yaml: not valid YAML/);
    expect((await loadStatus())!.replace("broken.yaml: ", "")).toBe(await cliMessage(broken, "broken.yaml"));
    expect(await status()).toBe(lemma); // the model being edited is unchanged
    await snap(page, "malformed-upload.png");
    // Still working: load Example 2 again and edit it.
    await page.getByLabel("example network").selectOption({ label: "example2-circulation.yaml" });
    await page.getByRole("button", { name: "Load example" }).click();
    expect(await status()).toBe("");
    expect(await loadStatus()).toBe("");
    await page.getByLabel("temperature of the bath on site 2").fill("2");
    expect(Math.abs(await fluxOf("1-2"))).toBeLessThan(1e-12); // equilibrium: no flux
    // Add a site (it gets the focus) and join it to site 3 from the keyboard: Enter on each.
    await page.getByRole("button", { name: "Add site" }).click();
    await page.keyboard.press("Enter");
    await page.locator('g.site[data-site="3"]').focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("#drawing-hint").textContent()).toBe("Spring 4-3 added (stiffness 1).");
    expect(await status()).toBe("");
    expect(Number(await page.locator('#sites tr[data-site="4"] .temperature').getAttribute("data-value"))).toBeCloseTo(
      2,
      10,
    ); // equilibrium at T = 2
    expect(errors).toEqual([]);
  });

  it("opens the variance-resonance page on its contract: the sweep, named numbers, sweep fields, messages in place", async () => {
    const study = findStudy("variance-resonance")!;
    type Shown = {
      kind: string;
      parameter?: string;
      values?: number[];
      sigma11?: number[];
      input?: Record<string, number>;
    };
    // Typed arrays pass through JSON as objects {0: x, 1: y, ...}: back to lists.
    const lists = (x: Record<string, unknown> | null): Shown | null => {
      if (!x) return null;
      for (const k of ["values", "sigma11"])
        if (x[k] && typeof x[k] === "object") x[k] = Object.values(x[k] as Record<string, number>);
      return x as unknown as Shown;
    };
    const shown = async () =>
      lists(
        await page.evaluate(() =>
          JSON.parse(
            JSON.stringify((window as unknown as { nessLab: { study: { last(): unknown } } }).nessLab.study.last()),
          ),
        ),
      );
    const done = () =>
      page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""));
    const value = async (key: string) =>
      Number(await page.locator(`#study-numbers dd[data-key="${key}"]`).getAttribute("data-value"));
    const form = "#study-variance-resonance";
    // The page opens on the study's pageSweep: k over [0.9, 1.1], 801 exact solves, at the dimensionless defaults.
    await page.goto(`${url}#/study/variance-resonance`);
    await page.waitForFunction(() => document.title === "ness lab: variance-resonance");
    await done();
    expect(await page.locator(`${form}-sweep`).inputValue()).toBe("k");
    expect(await page.locator(`${form}-k`).isDisabled()).toBe(true); // swept: its own field is not used
    expect(await unlabelledControls(page)).toEqual([]); // the sweep row's select and checkbox too
    const base = { k0: 0.01, q: 4000, T1: 1, T2: 11 };
    const sweepK = { start: 0.9, stop: 1.1, count: 801, spacing: "linear" as const };
    const r = (await shown())!;
    expect(r.kind).toBe("sweep");
    const full = await runStudy(study, { k: sweepK }, { figures: true });
    const expected = lists(json(full) as Record<string, unknown>)!;
    expect(r.values).toEqual(expected.values);
    r.sigma11!.forEach((x, i) =>
      expect(Math.abs(x - expected.sigma11![i])).toBeLessThanOrEqual(1e-12 * Math.abs(expected.sigma11![i])),
    );
    for (const i of [0, 400, 560, 800]) {
      expect(r.sigma11![i] / closedFormCovariance({ ...base, k: r.values![i] }).sigma11).toBeCloseTo(1, 8);
    }
    // The named numbers (Study.numbers) in the report box, above the report as the CLI prints it.
    expect(await value("sigma11Max")).toBe(Math.max(...r.sigma11!));
    expect(await value("resonance")).toBeCloseTo(1, 2);
    expect(await page.locator("#study-report-box #study-numbers + #study-report").count()).toBe(1);
    // The report as `ness study variance-resonance --k 0.9:1.1:801` prints it (but for the time the sweep took).
    const untimed = (t: string | null) => (t ?? "").replace(/ in [\d.]+ ms /, " in (time) ");
    expect(untimed(await page.locator("#study-report").textContent())).toBe(untimed(study.report(full)));
    expect(await page.locator("#study-figures figure").count()).toBe(1);
    // Slider of a field with no schema default: it starts at the group's default (k0 = 0.01), not at an end.
    const k0Slider = page.getByLabel("--k0 slider", { exact: true });
    expect(10 ** Number(await k0Slider.inputValue())).toBeCloseTo(0.01, 10);
    await snap(page, "study-variance-resonance.png");
    await snap(page.locator("#study-report-box"), "study-variance-resonance-report.png");
    // A change of k0 recomputes the sweep: the closed forms at k = 1.02 (point 560).
    await page.locator(`${form}-k0`).fill("0.02");
    await poll(async () => (await shown())?.input?.k0).toBe(0.02);
    await done();
    const r2 = (await shown())!;
    expect(r2.sigma11![560] / closedFormCovariance({ ...base, k0: 0.02, k: r2.values![560] }).sigma11).toBeCloseTo(
      1,
      8,
    );
    // Bad input: the CLI's message in place (a value, then a range), and the page keeps working.
    await page.locator(`${form}-k0`).fill("-1");
    expect(await page.locator(`${form}-error`).textContent()).toBe(
      await cliError(["study", "variance-resonance", "--k0", "-1"]),
    );
    await page.locator(`${form}-k0`).fill("0.02");
    await page.locator(`${form}-sweep-points`).fill("1");
    expect(await page.locator(`${form}-error`).textContent()).toBe(
      await cliError(["study", "variance-resonance", "--k", "0.9:1.1:1"]),
    );
    await snap(page, "study-variance-resonance-bad-sweep.png");
    await page.locator(`${form}-sweep-points`).fill("401");
    await poll(async () => (await shown())?.values?.length).toBe(401);
    await done();
    expect(await page.locator(`${form}-error`).textContent()).toBe("");
    expect(page.url()).toMatch(/#\/study\/variance-resonance\?k=0\.9%3A1\.1%3A401&k0=0\.02$/);
    // A log sweep of q; then no sweep: one point, its named numbers the closed forms'.
    await page.locator(`${form}-sweep`).selectOption("q");
    await page.locator(`${form}-sweep-log`).check();
    await poll(async () => (await shown())?.parameter).toBe("q");
    await done();
    const rq = (await shown())!;
    expect(rq.values![0]).toBeCloseTo(2000, 9);
    expect(rq.values!.at(-1)).toBeCloseTo(8000, 9);
    expect(rq.values![100]).toBeCloseTo(4000, 6); // log spaced: the middle point is the geometric mean
    await page.locator(`${form}-sweep`).selectOption("");
    await page.locator(`${form}-k`).fill("1.01");
    await poll(async () => (await shown())?.kind).toBe("point");
    await done();
    const point = closedFormCovariance({ ...base, k0: 0.02, k: 1.01 });
    await poll(() => value("sigma11")).toBeCloseTo(point.sigma11, 6);
    expect((await value("sigma12")) / point.sigma12).toBeCloseTo(1, 8);
    expect(page.url()).toMatch(/k=1\.01&k0=0\.02&sweep=none$/);
    await snap(page, "study-variance-resonance-point.png");
    await snap(page.locator("#study-report-box"), "study-variance-resonance-point-report.png");
    expect(errors).toEqual([]);
  });

  for (const c of STUDY_PAGES) {
    it(`opens the ${c.name} page: its number is the library's for the same parameters and seed`, async () => {
      const study = findStudy(c.name)!;
      const query = new URLSearchParams(Object.entries(c.query).map(([k, v]) => [k, String(v)])).toString();
      await page.goto(`${url}#/study/${c.name}${query ? `?${query}` : ""}`);
      await page.waitForFunction((n) => document.title === `ness lab: ${n}`, c.name);
      await page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""), null, {
        timeout: WAIT_MS,
      });
      // A draft (the figure curves on fewer points, the same numbers) is refined when idle: wait for the full one.
      await page.waitForFunction(
        () => document.querySelector("#study-figures")?.getAttribute("data-detail") !== "draft",
      );
      const shown = await page.evaluate(() =>
        JSON.parse(
          JSON.stringify((window as unknown as { nessLab: { study: { last(): unknown } } }).nessLab.study.last()),
        ),
      );
      const { seed, ...parameters } = c.query;
      const expected = json(await runStudy(study, parameters, { seed: Number(seed ?? 1), figures: true }));
      if (c.exact)
        expect(Math.abs(c.pick(shown) - c.pick(expected))).toBeLessThanOrEqual(1e-12 * Math.abs(c.pick(expected)));
      else expect(c.pick(shown)).toBe(c.pick(expected));
      if (c.closedForm !== undefined) expect(c.pick(shown)).toBeCloseTo(c.closedForm, 9);
      expect(await page.locator("#study-figures figure").count()).toBe(c.figures);
      if (c.report !== false && !c.exact)
        expect(await page.locator("#study-report").textContent()).toBe(study.report(expected as never));
      // The named numbers (Study.numbers) in the report box, the same as the library's.
      expect(
        await page.locator("#study-numbers dd").evaluateAll((dds) => dds.map((d) => d.getAttribute("data-key"))),
      ).toEqual(study.numbers!(expected as never).map((n) => n.key));
      // Every field is labelled by its CLI flag (the contract's, --burn-in for burnIn) and unit, and the label names
      // its input (getByLabel finds the text field by that label).
      const form = `study-${c.name.replace(/\W+/g, "-")}`;
      for (const f of fieldsOf(study.parameters)) {
        const label = (await page.locator(`label[for="${form}-${f.key}"]`).textContent())!;
        const unit = f.unit && f.unit !== "1" && !f.unit.startsWith("as ") ? ` [${f.unit}]` : "";
        expect(label).toBe(`--${f.flag}${unit}`);
        expect(await page.getByLabel(label, { exact: true }).getAttribute("id")).toBe(`${form}-${f.key}`);
      }
      expect(await unlabelledControls(page)).toEqual([]);
      await snap(page, `study-${c.name.replace(/\//g, "-")}.png`);
      await snap(page.locator("#study-report-box"), `study-${c.name.replace(/\//g, "-")}-report.png`);
    });
  }

  it("draws the energy-correlations figure for the page's parameters, as the library does", async () => {
    // Two ideal-gas subsystems: C12 = Cv (T0 - T3)^2 / 27 (Bunin et al., eq. 8) along the whole sweep of T3.
    type Sweep = { difference: number[]; c12: number[]; chain: { left: number; right: number; c12: number } };
    const sweep = () =>
      page.evaluate(
        () =>
          (
            window as unknown as { nessLab: { study: { last(): { biasSweep?: unknown } | undefined } } }
          ).nessLab.study.last()?.biasSweep as Sweep | undefined,
      );
    const svgText = () => page.locator("#study-figures figure").first().textContent();
    // --T0 and --T3 have no schema default (it depends on the model): their log sliders start at the --help defaults
    // (1 and 3), and follow the address.
    const slider = async (flag: string) =>
      10 ** Number(await page.getByLabel(`--${flag} [energy (kB = 1)] slider`, { exact: true }).inputValue());
    await page.goto(`${url}#/study/energy-correlations`);
    await page.waitForFunction(() => document.title === "ness lab: energy-correlations");
    expect(await slider("T0")).toBeCloseTo(1, 10);
    expect(await slider("T3")).toBeCloseTo(3, 10);
    await page.goto(`${url}#/study/energy-correlations?model=ideal-gas&Cv=2&T0=1.5&T3=4`);
    await page.waitForFunction(() => document.title === "ness lab: energy-correlations");
    await page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""));
    const check = async (Cv: number, T0: number, T3: number) => {
      const s = (await sweep())!;
      expect(s.chain.left).toBe(T0);
      expect(s.chain.right).toBe(T3);
      expect(s.chain.c12).toBeCloseTo((Cv * (T3 - T0) ** 2) / 27, 10);
      expect(s.difference.at(-1)).toBeCloseTo(2 * (T3 - T0), 12);
      s.difference.forEach((d, i) =>
        expect(Math.abs(s.c12[i] - (Cv * d * d) / 27)).toBeLessThanOrEqual(
          1e-10 * ((Cv * d * d) / 27) + 1e-13 * Cv * T0 ** 2,
        ),
      );
      const expected = json(
        await runStudy(findStudy("energy-correlations")!, { model: "ideal-gas", Cv, T0, T3 }, { figures: true }),
      ) as { biasSweep: Sweep };
      s.c12.forEach((v, i) =>
        expect(Math.abs(v - expected.biasSweep.c12[i])).toBeLessThanOrEqual(
          1e-12 * Math.abs(expected.biasSweep.c12[i]) + 1e-300,
        ),
      );
      expect(await svgText()).toContain(`(T₀ = ${T0})`);
    };
    await check(2, 1.5, 4);
    // (a log slider moves in steps of 1/1000 of its six decades: within half a step of the typed value)
    expect(Math.abs(Math.log10((await slider("T0")) / 1.5))).toBeLessThanOrEqual(0.003 + 1e-12);
    expect(Math.abs(Math.log10((await slider("T3")) / 4))).toBeLessThanOrEqual(0.003 + 1e-12);
    await snap(page, "study-energy-correlations-live.png");
    await page.locator("#study-energy-correlations-T3").fill("2.5");
    await page.waitForFunction(() => {
      const s = (
        window as unknown as { nessLab: { study: { last(): { biasSweep?: { chain: { right: number } } } } } }
      ).nessLab.study.last()?.biasSweep;
      return s?.chain.right === 2.5 && /^done/.test(document.querySelector("#study-state")?.textContent ?? "");
    });
    await check(2, 1.5, 2.5);
    await page.locator("#study-energy-correlations-Cv").fill("5");
    await page.waitForFunction(() => {
      const last = (
        window as unknown as { nessLab: { study: { last(): { parameters?: { Cv?: number } } } } }
      ).nessLab.study.last();
      return last?.parameters?.Cv === 5 && /^done/.test(document.querySelector("#study-state")?.textContent ?? "");
    });
    await check(5, 1.5, 2.5);
    // --T0 is checked against the range --help states (a temperature in [1e-6, 1e6] for this model, not the
    // schema's [0, 1e6], which admits ssep densities): the CLI's message in place, then recovery.
    await page.locator("#study-energy-correlations-T0").fill("0");
    const cli = await cliError(["study", "energy-correlations", "--model", "ideal-gas", "--Cv", "5", "--T0", "0"]);
    expect(cli).toMatch(/--T0 .*1e-6/);
    await poll(() => page.locator("#study-energy-correlations-error").textContent()).toBe(cli);
    await page.locator("#study-energy-correlations-T0").fill("1.5");
    await poll(() => page.locator("#study-energy-correlations-error").textContent()).toBe("");
    expect(errors).toEqual([]);
  });

  it("shows the CLI's message for a bad study parameter in place, and recovers", async () => {
    await page.goto(`${url}#/study/two-temperature`);
    await page.waitForFunction(() => document.title === "ness lab: two-temperature");
    await page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""));
    await page.locator("#study-two-temperature-k").fill("-1");
    const cli = await cliError(["study", "two-temperature", "--k", "-1"]);
    await poll(() => page.locator("#study-two-temperature-error").textContent()).toBe(cli);
    await snap(page, "study-bad-input.png");
    await page.locator("#study-two-temperature-k").fill("2");
    await poll(() => page.locator("#study-two-temperature-error").textContent()).toBe("");
    await page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""));
    expect(page.url()).toMatch(/#\/study\/two-temperature\?k=2$/); // the address is a link to what is shown
    expect(errors).toEqual([]);
  });

  it("says the figures failed when a computed result cannot be drawn (never done over a failure)", async () => {
    await page.goto(`${url}#/study/two-temperature`);
    await page.waitForFunction(() => document.title === "ness lab: two-temperature");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#study-state")?.dataset.end === "done");
    // A study whose compute throws something other than a NessError (here: parameters it cannot read) has a bug: the
    // study worker says so (internal), and the page as `ness study` does, "ness: internal error: ..."; an error the
    // library means (a NessError) is not one. Asked of a second study worker, the page's own left alone.
    const workerUrl = page
      .workers()
      .map((w) => w.url())
      .find((u) => /studyWorker/.test(u))!;
    expect(workerUrl).toBeDefined();
    const ask = (study: string) =>
      page.evaluate(
        ([u, name]) =>
          new Promise<Record<string, unknown>>((resolve) => {
            const w = new Worker(u, { type: "module" });
            w.onmessage = (e) => {
              if (e.data.type !== "error" && e.data.type !== "result") return;
              w.terminate();
              resolve(e.data);
            };
            const request = { id: 1, study: name, parameters: null, seed: 1, quick: false, force: false, workers: 1 };
            w.postMessage(request);
          }),
        [workerUrl, study],
      );
    expect(await ask("two-temperature")).toMatchObject({ type: "error", name: "TypeError", internal: true });
    expect(await ask("no-such-study")).toMatchObject({
      type: "error",
      message: "no study 'no-such-study'",
      internal: false,
    });
    type Lab = { nessLab: { studies: { name: string; figures: (r: unknown) => unknown[] }[] } };
    const state = () =>
      page.evaluate(() => {
        const s = document.querySelector<HTMLElement>("#study-state")!;
        const status = document.querySelector<HTMLElement>("#study-status")!;
        return {
          state: s.textContent,
          end: s.dataset.end ?? "running",
          status: status.hidden ? "" : status.textContent,
        };
      });
    // The study's figures wrapped (nessLab.studies is the catalog the page draws with): first they throw, then one of
    // them throws when rendered.
    await page.evaluate(() => {
      const s = (window as unknown as Lab).nessLab.studies.find((x) => x.name === "two-temperature")!;
      const original = s.figures;
      Object.assign(window, { restoreFigures: () => (s.figures = original) });
      s.figures = () => {
        throw new Error("two-temperature: figure injected to fail");
      };
    });
    try {
      await page.locator("#study-two-temperature-T1").fill("3");
      await page.waitForFunction(() => document.querySelector<HTMLElement>("#study-state")?.dataset.end === "error");
      expect(await state()).toEqual({
        state: expect.stringMatching(/^figures failed \(computed in \d+\.\d\d s\)$/),
        end: "error",
        status: "ness: two-temperature: figure injected to fail",
      });
      await page.evaluate(() => {
        const s = (window as unknown as Lab).nessLab.studies.find((x) => x.name === "two-temperature")!;
        (window as unknown as { restoreFigures: () => void }).restoreFigures();
        const original = s.figures;
        s.figures = (r) =>
          original(r).map((f) => ({
            ...(f as object),
            render: () => {
              throw new Error("two-temperature: rendering injected to fail");
            },
          }));
      });
      await page.locator("#study-two-temperature-T1").fill("5");
      await poll(state).toEqual({
        state: expect.stringMatching(/^figures failed/),
        end: "error",
        status: "ness: two-temperature: rendering injected to fail",
      });
    } finally {
      await page.evaluate(() => (window as unknown as { restoreFigures: () => void }).restoreFigures());
    }
    // drawn again: done, the status line empty
    await page.locator("#study-two-temperature-T1").fill("6");
    await poll(state).toEqual({ state: expect.stringMatching(/^done in/), end: "done", status: "" });
    expect(errors).toEqual([]);
  });

  it("ends a study page's workers when the lab leaves the page", async () => {
    const visit = async (name: string) => {
      await page.goto(`${url}#/study/${name}`);
      await page.waitForFunction((n) => document.title === `ness lab: ${n}`, name);
      await page.waitForFunction(() => /^done/.test(document.querySelector("#study-state")?.textContent ?? ""));
    };
    await visit("two-temperature");
    const one = page.workers().length; // the page's study worker (and a draft's refiner)
    expect(one).toBeGreaterThan(0);
    for (const name of ["energy-correlations", "variance-resonance", "particle-bath-chain", "two-temperature"])
      await visit(name);
    // each page left ended its workers: as many as one page has, not one set per page visited
    await poll(() => page.workers().length).toBeLessThanOrEqual(one);
    expect(errors).toEqual([]);
  });

  it("asks before a study run that would take more than a minute", async () => {
    await page.goto(`${url}#/study/two-temperature/demixing?N=10000&replicas=2&time=3000`);
    await page.waitForFunction(() => document.title === "ness lab: two-temperature/demixing");
    await page.waitForFunction(() => /^stopped/.test(document.querySelector("#study-state")?.textContent ?? ""), null, {
      timeout: WAIT_MS,
    });
    expect(await page.locator("#study-status").textContent()).toMatch(
      /^ness: this run would take about \d+ (s|min) in the page \(more than 60 s\)/,
    );
    expect(await page.getByRole("button", { name: "Run anyway" }).isVisible()).toBe(true);
    await snap(page, "study-cost-question.png");
    // Run anyway: 10^4 disks on the Web Workers, replica 0's live snapshot redrawn as it runs; then Cancel.
    await page.getByRole("button", { name: "Run anyway" }).click();
    await page.waitForFunction(
      () => Number(document.querySelector("#study-figures")?.getAttribute("data-frames")) >= 3,
      null,
      {
        timeout: WAIT_MS,
      },
    );
    // what the frame is: the replica, the time and step, the box's side in ranges (the disks' diameter)
    expect(await page.locator("#study-figures figure").getAttribute("aria-label")).toMatch(
      /^Replica 0: 10000 disks at t = [\d.]+ \(step \d+\)$/,
    );
    expect(await page.locator("#study-figures figure canvas").getAttribute("aria-label")).toMatch(
      /^\d+ hot and \d+ cold disks in a box of [\d.]+ x [\d.]+ ranges$/,
    );
    // drawn on a canvas (10^4 SVG circles a frame starved the page): hot (red) and cold (blue) disks painted
    const painted = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>("#study-figures figure canvas")!;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let red = 0,
        blue = 0,
        below = 0,
        left = 0;
      const ratio = c.width / 420; // the canvas is 420 CSS pixels wide
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] > 180 && d[i + 1] < 80 && d[i + 2] < 80) red++; // #d62728
        if (d[i] < 80 && d[i + 1] > 90 && d[i + 1] < 150 && d[i + 2] > 150) blue++; // #1f77b4
        // dark pixels of the tick labels: in the 20 CSS pixels below the box, the 24 on its left
        if (d[i] < 100 && d[i + 1] < 100 && d[i + 2] < 100) {
          const px = (i / 4) % c.width;
          const py = Math.floor(i / 4 / c.width);
          if (py >= c.height - 20 * ratio) below++;
          if (px < 24 * ratio) left++;
        }
      }
      return { red, blue, below, left, svg: document.querySelectorAll("#study-figures svg circle").length };
    });
    expect(painted.red).toBeGreaterThan(1000);
    expect(painted.blue).toBeGreaterThan(1000);
    expect(painted.below).toBeGreaterThan(50);
    expect(painted.left).toBeGreaterThan(50);
    expect(painted.svg).toBe(0);
    await snap(page, "study-demixing-live.png");
    // Still running (a run of minutes): if it ended by itself, this says how (data-end: done, error...) and why.
    const run = () =>
      page.evaluate(() => {
        const state = document.querySelector<HTMLElement>("#study-state")!;
        const cancel = [...state.parentElement!.querySelectorAll("button")].find((b) => b.textContent === "Cancel")!;
        const status = document.querySelector<HTMLElement>("#study-status")!;
        return {
          cancel: cancel.disabled ? "disabled" : "enabled",
          state: state.textContent,
          end: state.dataset.end ?? "running",
          status: status.hidden ? "" : status.textContent,
        };
      });
    expect(await run()).toMatchObject({ cancel: "enabled", end: "running", status: "" });
    // A frame that cannot be drawn (the canvas's fill injected to fail): said in the state line, no page error (before:
    // an uncaught error, the state line silent), and the run goes on: its next frames are drawn once fill works again.
    await page.evaluate(() => {
      const proto = CanvasRenderingContext2D.prototype;
      const fill = proto.fill;
      Object.assign(window, { restoreFill: () => (proto.fill = fill) });
      proto.fill = () => {
        throw new Error("frame injected to fail");
      };
    });
    try {
      await page.waitForFunction(() =>
        /^\d+ % \([\d.]+ s\); live frame failed: frame injected to fail$/.test(
          document.querySelector("#study-state")?.textContent ?? "",
        ),
      );
      expect(await run()).toMatchObject({ cancel: "enabled", end: "running", status: "" });
    } finally {
      await page.evaluate(() => (window as unknown as { restoreFill: () => void }).restoreFill());
    }
    const before = Number(await page.locator("#study-figures").getAttribute("data-frames"));
    await page.waitForFunction(
      (n) => Number(document.querySelector("#study-figures")?.getAttribute("data-frames")) > n,
      before,
    );
    expect(await run()).toMatchObject({ cancel: "enabled", end: "running", status: "" });
    expect(errors).toEqual([]);
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await run()).toEqual({ cancel: "disabled", state: "cancelled", end: "cancelled", status: "" });
    // the frame left on the page says that it is the cancelled run's last (no figures follow)
    expect(await page.locator("#study-figures figure").getAttribute("aria-label")).toMatch(
      /^Replica 0: 10000 disks at .* \(the last frame: the run was cancelled\)$/,
    );
    expect(errors).toEqual([]);
  });

  it("simulates particle models with external fields: the CLI's numbers for the seed, bad text in place", async () => {
    await page.goto(`${url}#/simulate`);
    await page.waitForSelector("#particles-summary:not(:empty)");
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await page.locator("#particles-summary").textContent()).toMatch(/external fields: harmonic/);
    await page.getByLabel("production time per replica").fill("20");
    await page.getByLabel("time step").fill("0.002");
    await page.getByLabel("random seed").fill("5");
    await page.getByLabel("replicas", { exact: true }).fill("4");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForSelector("#sim-table tr.final", { timeout: WAIT_MS });
    const rows = () =>
      page.locator("#sim-table tr.final").evaluateAll((trs) =>
        trs.map((tr) => ({
          q: tr.getAttribute("data-quantity"),
          value: Number(tr.getAttribute("data-value")),
          error: Number(tr.getAttribute("data-error")),
          exact: tr.getAttribute("data-exact"),
        })),
      );
    const pair = await rows();
    const text = readFileSync(join(root, "examples/particles/harmonic-pair.yaml"), "utf8");
    const cli = await cliSimulate(text, ["--time", "20", "--dt", "0.002", "--seed", "5", "--replicas", "4"]);
    expect(pair.map((r) => r.q)).toEqual(cli.map((e) => `${e.group}: ${e.name}`));
    expect(pair.map((r) => r.value)).toEqual(cli.map((e) => e.value));
    expect(pair.map((r) => r.error)).toEqual(cli.map((e) => e.error));
    expect(pair.some((r) => r.exact !== "")).toBe(true); // a linear model: exact values beside the estimates
    await snap(page, "simulate-harmonic-pair.png");
    // The ratchet: a sawtooth external field and a soft pair repulsion on a ring.
    await page.getByLabel("example model").selectOption({ label: "ratchet.yaml" });
    await page.getByRole("button", { name: "Load example" }).click();
    expect(await page.locator("#particles-summary").textContent()).toMatch(/external fields: sawtooth/);
    await page.getByLabel("production time per replica").fill("10");
    await page.getByLabel("time step").fill("0.0005");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForSelector("#sim-table tr.final", { timeout: WAIT_MS });
    const ratchet = await rows();
    const cli2 = await cliSimulate(readFileSync(join(root, "examples/particles/ratchet.yaml"), "utf8"), [
      "--time",
      "10",
      "--dt",
      "0.0005",
      "--seed",
      "5",
      "--replicas",
      "4",
    ]);
    expect(ratchet.map((r) => r.value)).toEqual(cli2.map((e) => e.value));
    expect(ratchet.map((r) => r.q)).toContain("drift velocity: centre of mass x");
    await snap(page, "simulate-ratchet.png");
    // Bad text: the message of `ness simulate FILE`, in place; the page keeps working.
    const bad = text.replace("temperature: 5", "temperature: -5");
    await page.locator("#particles-text").fill(bad);
    const dir = mkdtempSync(join(tmpdir(), "ness-lab-bad-"));
    try {
      const file = join(dir, "ratchet.yaml");
      writeFileSync(file, bad);
      const cli3 = await cliError(["simulate", file, "--time", "1", "--dt", "0.01", "--seed", "1", "--replicas", "1"]);
      expect(await page.locator("#status").textContent()).toBe(cli3.replace(dir + "/", ""));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await snap(page, "simulate-bad-input.png");
    expect(errors).toEqual([]);
  });
  it("says a simulation that blew up failed, where, and why (not a bare stop)", async () => {
    await page.goto(`${url}#/simulate`);
    await page.waitForFunction(() => document.title === "ness lab: simulate a model file");
    // Quartic pinning far too stiff for dt = 0.5: it blows up within a few steps (as `ness simulate` says).
    const text = [
      "kind: network",
      "dynamics: overdamped",
      "sites: [a, b]",
      "pinning: 1",
      "quarticPinning: 10000",
      "springs: [{between: [a, b], stiffness: 1}]",
      "baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]",
    ].join("\n");
    await page.locator("#particles-text").fill(text);
    await page.getByLabel("production time per replica").fill("100");
    await page.getByLabel("time step").fill("0.5");
    await page.getByLabel("replicas", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#sim-state")?.dataset.end !== undefined);
    expect(await page.locator("#sim-state").getAttribute("data-end")).toBe("error");
    expect(await page.locator("#sim-state").textContent()).toMatch(/^failed( at \d+ %)?$/);
    expect(await page.locator("#sim-status").textContent()).toMatch(
      /^ness: the simulation blew up \(non-finite state\)/,
    );
    expect(await page.getByRole("button", { name: "Run" }).isDisabled()).toBe(false);
    expect(await page.getByRole("button", { name: "Download JSON" }).isDisabled()).toBe(true); // no result
    // A run whose convergence chart cannot be drawn (injected to fail): computed, so the state line says that the
    // figures failed and the table and Download JSON keep the results (before: "failed at 100 %", no results).
    const linear = text.replace("\nquarticPinning: 10000", "");
    await page.locator("#particles-text").fill(linear);
    await page.getByLabel("production time per replica").fill("20");
    await page.getByLabel("time step").fill("0.01");
    await page.getByLabel("random seed").fill("1");
    await page.evaluate(() => {
      const chart = document.querySelector<HTMLElement>("#sim-chart")!;
      chart.replaceChildren = (...nodes: (Node | string)[]) => {
        if (nodes.length > 0) throw new Error("chart injected to fail");
        Element.prototype.replaceChildren.call(chart);
      };
    });
    try {
      await page.getByRole("button", { name: "Run" }).click();
      await page.waitForFunction(() => document.querySelector<HTMLElement>("#sim-state")?.dataset.end !== undefined);
      expect(await page.locator("#sim-state").getAttribute("data-end")).toBe("error");
      expect(await page.locator("#sim-state").textContent()).toMatch(
        /^figures failed \(computed: \d+ steps; seed 1; the table and Download JSON have the results\)$/,
      );
      expect(await page.locator("#sim-status").textContent()).toContain(
        "ness: the convergence chart could not be drawn: chart injected to fail",
      );
      const shown = await page
        .locator("#sim-table tr.final")
        .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-value"))));
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download JSON" }).click(),
      ]);
      const doc = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
        estimates: { value: number }[];
      } & Record<string, unknown>;
      expect(doc).toMatchObject({ ness: VERSION, seed: 1, replicas: 1, dt: 0.01 });
      expect(doc.command).toMatch(/^ness simulate \S+ --time 20 --dt 0\.01 --seed 1 --replicas 1$/);
      const cli = await cliSimulate(linear, ["--time", "20", "--dt", "0.01", "--seed", "1", "--replicas", "1"]);
      expect(shown.length).toBe(cli.length);
      expect(doc.estimates.map((e) => e.value)).toEqual(cli.map((e) => e.value));
      expect(shown).toEqual(cli.map((e) => e.value));
    } finally {
      await page.evaluate(() => delete (document.querySelector("#sim-chart") as Partial<HTMLElement>).replaceChildren);
    }
    expect(errors).toEqual([]);
  });

  it("cancels a running simulation when the lab leaves the page (its workers end)", async () => {
    await page.goto(`${url}#/editor`);
    await page.waitForFunction(() => document.title === "ness lab: network editor");
    await page.getByLabel("production time per replica").fill("20000000"); // it must not end by itself
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForFunction(
      () => Number((document.querySelector("#sim-progress") as HTMLProgressElement).value) > 0,
    );
    expect(page.workers().length).toBeGreaterThan(0);
    await page.goto(`${url}#/study/no-such-page`); // a page without workers (it says there is no such page)
    await page.waitForFunction(() => document.body.dataset.ready === "no-such-page");
    // terminated at once (a run left alone would go on for minutes: this one took 16 s at load 3 to end by itself)
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  });
});
