/**
 * Seed and run counts of the property tests: fixed, so CI replays the same cases every time.
 * The counts add up to well over 1,000 generated cases (see docs/benchmarks.md).
 */
export const PROPERTY_SEED = 20_261_203;

/** Runs for a cheap, pure property. */
export const PURE_RUNS = 200;

/** Runs for a property that drives the engine against the emulator over HTTPS. */
export const ENGINE_RUNS = 25;

/** fast-check parameters for a property of `numRuns` cases. */
export function runsOf(numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: PROPERTY_SEED, numRuns, endOnFailure: true };
}
