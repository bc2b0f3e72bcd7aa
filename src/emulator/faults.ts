/**
 * Injected faults: at the configured rate, an ARM request is answered with a 500, 503 or 429,
 * has its connection reset, or is slowed down. A seeded PRNG makes a run repeatable: the same
 * seed and the same order of requests give the same faults.
 */
import type { EmulatorConfig, FaultKind } from "./config.js";

/** mulberry32: a small, fast, seeded PRNG returning numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private random: () => number;

  constructor(private config: EmulatorConfig["faults"]) {
    this.random = createRandom(config.seed);
  }

  /** New settings; the PRNG restarts from the (possibly new) seed. */
  reconfigure(config: EmulatorConfig["faults"]): void {
    this.config = config;
    this.random = createRandom(config.seed);
  }

  /** The fault for the next request, if it draws one. */
  next(): FaultKind | undefined {
    const { rate, kinds } = this.config;
    if (rate <= 0 || kinds.length === 0) return undefined;
    if (this.random() >= rate) return undefined;
    return kinds[Math.floor(this.random() * kinds.length)];
  }
}
