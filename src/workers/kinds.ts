/**
 * The engine's own ensemble kinds (model simulations, registered SDEs, Langevin problems), imported for their
 * registrations (src/stochastic/ensemble.ts). The studies' registrations (an SDE, a force term, an ensemble kind)
 * are in studyKinds.ts, which a worker imports before preparing a spec that may need them (simulateWorker.ts): a
 * worker that only simulates models does not load the studies and their parameter schemas.
 */
import "../stochastic/run.js";
import "../stochastic/sde.js";
import "../stochastic/langevinEnsemble.js";

/** Problem kinds whose specs need no study registration: a model's forces are built from the model itself. */
export const MODEL_KINDS: ReadonlySet<string> = new Set(["network", "particles"]);
