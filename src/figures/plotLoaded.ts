/** Importing this module loads Observable Plot for the figure builders (see ./plot.ts). */
import * as Plot from "@observablehq/plot";
import { registerPlot } from "./plot.js";

registerPlot(Plot);
