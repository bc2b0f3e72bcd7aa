import { InvalidArgumentError, type Command } from "commander";

import { EXIT_CODES_HELP } from "../exitCodes.js";

/** Adds `emulator`: the local ARM emulator, served until stopped. */
export function addEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("serve the local Azure Resource Manager emulator (not Azure) until stopped")
    .option("--port <n>", "port (default: a free one)", parsePort)
    .option("--seed <file>", "clusters and identities to start with (e.g. examples/fleet.json)")
    .option("--config <file>", "behaviours: delays, throttling, faults (see docs/emulator.md)")
    .option("--state <file>", "persist state across restarts")
    .option("--profile <name>", "realistic, demo or test", parseProfile)
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi emulator --seed examples/fleet.json --profile demo\n${EXIT_CODES_HELP}`,
    )
    .action(
      async (flags: {
        port?: number;
        seed?: string;
        config?: string;
        state?: string;
        profile?: string;
      }) => {
        const { runEmulatorCommand } = await import("../../emulator/runEmulatorCommand.js");
        await runEmulatorCommand(flags);
      },
    );
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InvalidArgumentError(`--port takes a number from 0 to 65535, not "${value}".`);
  return port;
}

function parseProfile(value: string): string {
  if (!["realistic", "demo", "test"].includes(value))
    throw new InvalidArgumentError(`--profile is realistic, demo or test, not "${value}".`);
  return value;
}
