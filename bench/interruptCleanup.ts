/**
 * What the bench does on Ctrl-C or SIGTERM ({@link abortOnSignal}): each step registers how to
 * undo what it started, and the signal runs those (at most 10 s), then exits 130. A second
 * signal exits at once.
 */
import { abortOnSignal, type SignalAbort } from "../src/cli/abortOnSignal.js";
import { EXIT } from "../src/cli/exitCodes.js";

const cleanups = new Set<() => Promise<void>>();
let interrupt: SignalAbort | undefined;

/** Whether a signal has come: a step that then fails was stopped, it did not fail. */
export function isInterrupted(): boolean {
  return interrupt?.signal.aborted === true;
}

/** Registers `cleanup` for an interrupt; returns how to unregister it once the step is done. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Installs the SIGINT and SIGTERM handlers; `message` is written to stderr first. */
export function cleanUpOnSignal(message: string): void {
  interrupt = abortOnSignal(message);
  interrupt.signal.addEventListener("abort", () => {
    const limit = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
    const all = Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
    void Promise.race([all, limit]).then(() => process.exit(EXIT.interrupted));
  });
}
