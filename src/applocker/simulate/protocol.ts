/**
 * How the simulation is sliced (the Worker src/workers/simulate.api.ts and the benchmarks): rows decided
 * between two progress reports and cancellation checks.
 */
export const SLICE_SIZE = 1000
