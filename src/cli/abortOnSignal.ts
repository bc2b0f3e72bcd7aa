import { EXIT } from "./exitCodes.js";

/** A signal that Ctrl-C or SIGTERM aborts, and how to stop listening for them. */
export interface SignalAbort {
  signal: AbortSignal;
  /** Stops listening for SIGINT and SIGTERM. */
  dispose(): void;
}

/**
 * Listens for Ctrl-C (SIGINT) and SIGTERM: the first says `message` on stderr and aborts the
 * returned signal, so the caller stops what it started; a second leaves at once with exit 130.
 */
export function abortOnSignal(message: string): SignalAbort {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`${message}\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
