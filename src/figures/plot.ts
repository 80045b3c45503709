/**
 * Observable Plot, loaded once and on demand: the figure builders call `plotLib()` when they draw, so a module
 * that only imports them (a study whose --csv writes its own table) does not load Plot and its d3 dependencies.
 * The library entry (src/index.ts) and the Node writers (src/io/render.ts) load it eagerly (./plotLoaded.ts), so
 * their users see no difference; other code awaits `loadPlot()` before drawing.
 */
import type * as PlotModule from "@observablehq/plot";

export type PlotLibrary = typeof PlotModule;

let plot: PlotLibrary | undefined;

/** Makes Plot available to the figure builders (./plotLoaded.ts does this on import). */
export function registerPlot(library: PlotLibrary): void {
  plot = library;
}

/** Plot, once loaded (by importing the library entry, ness/node's writers, or awaiting `loadPlot()`). */
export function plotLib(): PlotLibrary {
  if (plot === undefined)
    throw new Error("Observable Plot is not loaded: import the figures through 'ness' or await loadPlot() first");
  return plot;
}

/** Loads Plot (once) for the figure builders. */
export async function loadPlot(): Promise<PlotLibrary> {
  plot ??= await import("@observablehq/plot");
  return plot;
}
