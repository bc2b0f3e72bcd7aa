/**
 * `arc-wi emulator`: starts the emulator, prints one line
 * `ARM emulator listening on https://127.0.0.1:<port> (CA: <path>)` and serves until SIGINT or
 * SIGTERM, then stops cleanly (writing the state file when one is used).
 */
import { dirname, join, resolve } from "node:path";
import { isProfileName } from "./config.js";
import { readConfigFile } from "./configFile.js";
import { startEmulator } from "./index.js";

export interface EmulatorCommandOptions {
  port?: number;
  /** Seed file (examples/fleet.json shape). */
  seed?: string;
  /** Config file (examples/emulator-config.json shape). */
  config?: string;
  /** State file kept across restarts. */
  state?: string;
  /** realistic (default), demo or test; overrides the config file's "profile". */
  profile?: string;
}

/** Runs the emulator in the foreground until the process is told to stop. */
export async function runEmulatorCommand(opts: EmulatorCommandOptions): Promise<void> {
  const file = opts.config === undefined ? undefined : readConfigFile(opts.config);
  const profile = opts.profile ?? file?.profile ?? "realistic";
  if (!isProfileName(profile)) {
    throw new Error(`--profile ${profile} is not one of realistic, demo, test.`);
  }
  const caDir = opts.state === undefined ? resolve(".emulator") : dirname(resolve(opts.state));
  const emulator = await startEmulator({
    profile,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.state === undefined ? {} : { statePath: resolve(opts.state) }),
    ...(file === undefined ? {} : { config: file.config }),
    caPath: join(caDir, "emulator-ca.pem"),
  });
  // Listen for the signals before telling anyone where we are, so an early stop is never missed.
  const stopped = waitForStopSignal();
  process.stdout.write(`ARM emulator listening on ${emulator.url} (CA: ${emulator.caPath})\n`);
  await stopped;
  await emulator.stop();
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
