/**
 * Figures as self-contained SVG built with Observable Plot, given a `document` (browser or linkedom).
 */
import "./plotLoaded.js";
export * from "./figure.js";
export * from "./charts.js";
export * from "./network.js";
export { networkLayout } from "./layout.js";
export * from "./trajectory.js";
