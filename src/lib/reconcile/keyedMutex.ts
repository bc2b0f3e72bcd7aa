import type { LockProvider } from "./contract.js";

/**
 * An in-process `LockProvider`: one queue per lock name. Enough for the CLI and a single
 * process; the Function app uses blob leases so that several instances serialise too.
 */
export class KeyedMutex implements LockProvider {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier holder of `name` has finished. */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = name.toLowerCase();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
