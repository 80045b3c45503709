/**
 * ness/node: the Node-only part of the library (`import { ... } from "ness/node"`). Everything else is in the
 * browser-safe entry point "ness".
 *
 * - model files: `readModelFile(path)` (a regular file of at most 16 MiB, validated like loadModel).
 * - worker threads: `workerRunner(workers)` runs the replicas of `simulate` or `ensemble` on a piscina pool
 *   (the same numbers for any number of workers); `defaultWorkers()`. Importing this entry point also makes split
 *   runs (`simulate(..., { threads })`) run their shares on worker threads; `closeSplitThreads()` stops those.
 * - figures: `renderSvg(figure)` (a linkedom document), `svgToPng(svg)` (resvg with the bundled DejaVu fonts),
 *   `writeFigure(figure, dir)` and `writeFigureFile(figure, file)` (atomic writes of SVG, PNG, CSV; the option
 *   `provenance` is recorded in each: `#` lines in the CSV, `<metadata>` in the SVG, text chunks in the PNG).
 */
export { readModelText } from "./cli/input.js";
export { readModelFile } from "./cli/modelFile.js";
export { workerRunner, defaultWorkers } from "./workers/pool.js";
// Registers the threaded executor of split runs (SimulationOptions.threads): their shares run on worker threads.
export { closeSplitThreads } from "./workers/splitThreads.js";
export {
  createDocument,
  renderSvg,
  svgToPng,
  writeFigure,
  writeFigureFile,
  type PngOptions,
  type WriteFigureOptions,
  type FigureProvenanceOptions,
  type FigureFormat,
} from "./io/render.js";
export { FileError, tableToCsv } from "./io/files.js";
export { nodeSha256 } from "./io/sha256.js";
export {
  openTrajectory,
  readTrajectory,
  type TrajectoryWriter,
  type TrajectoryData,
  type TrajectoryProvenance,
} from "./io/trajectory.js";
