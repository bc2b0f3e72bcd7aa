/**
 * The emulator's virtual clock. It runs `timeScale` times faster than real time and can be moved
 * forward by hand; every delay, bucket refill and log timestamp is read from it.
 */
import { performance } from "node:perf_hooks";

interface Sleeper {
  until: number;
  resolve: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class EmulatorClock {
  private baseEmulatorMs: number;
  private baseRealMs = performance.now();
  private scale: number;
  private readonly sleepers = new Set<Sleeper>();

  /**
   * @param timeScale - emulator ms per real ms.
   * @param startAt - emulator time (epoch ms) to start from; never earlier than the wall clock.
   */
  constructor(timeScale: number, startAt = Date.now()) {
    this.scale = checkScale(timeScale);
    this.baseEmulatorMs = Math.max(startAt, Date.now());
  }

  /** Emulator time in epoch milliseconds. */
  now(): number {
    return this.baseEmulatorMs + (performance.now() - this.baseRealMs) * this.scale;
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Change the scale from now on; pending sleeps are re-timed. */
  setTimeScale(timeScale: number): void {
    this.rebase();
    this.scale = checkScale(timeScale);
    this.rescheduleAll();
  }

  /** Move the clock forward by `ms` emulator milliseconds; sleeps that are due wake up. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advanceClock needs a non-negative number, got ${ms}`);
    this.baseEmulatorMs += ms;
    this.rescheduleAll();
  }

  /** Real milliseconds until emulator time `at` (0 when it has passed). */
  realMsUntil(at: number): number {
    return Math.max(0, (at - this.now()) / this.scale);
  }

  /** Resolves once emulator time reaches `at`. */
  sleepUntil(at: number): Promise<void> {
    if (this.now() >= at) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = { until: at, resolve, timer: undefined };
      this.sleepers.add(sleeper);
      this.schedule(sleeper);
    });
  }

  /** Resolves after `ms` emulator milliseconds. */
  sleep(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : this.sleepUntil(this.now() + ms);
  }

  /** Wakes every pending sleeper (used at shutdown). */
  releaseAll(): void {
    for (const sleeper of this.sleepers) this.wake(sleeper);
  }

  private rebase(): void {
    const now = this.now();
    this.baseRealMs = performance.now();
    this.baseEmulatorMs = now;
  }

  private rescheduleAll(): void {
    for (const sleeper of this.sleepers) this.schedule(sleeper);
  }

  private schedule(sleeper: Sleeper): void {
    if (sleeper.timer !== undefined) clearTimeout(sleeper.timer);
    const wait = this.realMsUntil(sleeper.until);
    if (wait <= 0) {
      this.wake(sleeper);
      return;
    }
    // Timers may fire a little early; re-check against the clock before waking.
    sleeper.timer = setTimeout(() => this.schedule(sleeper), Math.ceil(wait));
  }

  private wake(sleeper: Sleeper): void {
    if (sleeper.timer !== undefined) clearTimeout(sleeper.timer);
    this.sleepers.delete(sleeper);
    sleeper.resolve();
  }
}

function checkScale(timeScale: number): number {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  }
  return timeScale;
}
