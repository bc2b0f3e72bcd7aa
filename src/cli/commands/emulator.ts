import type { Command } from "commander";

import { EXIT_CODES_HELP } from "../exitCodes.js";

/** Adds `emulator`: the local ARM emulator, served until stopped. */
export function addEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("serve the local Azure Resource Manager emulator (not Azure) until stopped")
    .option("--port <n>", "port (default: a free one)", (v) => Number.parseInt(v, 10))
    .option("--seed <file>", "clusters and identities to start with (e.g. examples/fleet.json)")
    .option("--config <file>", "behaviours: delays, throttling, faults (see docs/emulator.md)")
    .option("--state <file>", "persist state across restarts")
    .option("--profile <name>", "realistic, demo or test")
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
