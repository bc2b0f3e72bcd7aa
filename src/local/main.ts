/**
 * The local host runner as a process: `node --import tsx src/local/main.ts`. Reads the app
 * settings (and ARC_WI_LOCAL_*) from the environment, drives the queue, poison and timer
 * functions against Azurite, prints `{"event":"ready"}` on stdout once polling, and stops
 * cleanly on SIGTERM or SIGINT. Start several for real lease races.
 */
import { localHostOptionsFromEnv } from "./localHostFromEnv.js";
import { startLocalHost } from "./localHost.js";
import { stderrInvocationLog } from "./invocationLog.js";

async function main(): Promise<void> {
  const options = await localHostOptionsFromEnv();
  const host = await startLocalHost({
    timers: "schedule",
    ...options,
    log: stderrInvocationLog("information"),
  });
  process.stdout.write(`${JSON.stringify({ event: "ready", pid: process.pid })}\n`);

  const stop = (): void => {
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code ?? "LocalHostFailed";
  process.stderr.write(
    `${JSON.stringify({ event: "failed", code, message: String((error as Error).message) })}\n`,
  );
  process.exit(1);
});
