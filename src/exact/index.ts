/**
 * Exact engine: stationary states of linear (Gaussian, Ornstein-Uhlenbeck) problems by the Lyapunov equation
 * (stationary(problem), prepared solvers for sweeps), the observables of a network computed from the covariance
 * (solveNetwork), and the frequency-domain (transmission) method. The problems and the steady-state diagnoses it
 * runs first are in src/problem.
 */
export * from "./linearSde.js";
export * from "./network.js";
