import { Command, CommanderError } from "commander";

import { PolicyValidationError } from "../lib/policy/index.js";
import { addDemoCommand } from "./commands/demo.js";
import { addEmulatorCommand } from "./commands/emulator.js";
import { addEventsCommand } from "./commands/eventsReplay.js";
import { addOffboardCommand } from "./commands/offboard.js";
import { addPolicyCommand } from "./commands/policyCheck.js";
import { addReconcileCommand } from "./commands/reconcileCommand.js";
import { addStatusCommand } from "./commands/status.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "./exitCodes.js";

/** Builds the `arc-wi` program. */
export function buildProgram(): Command {
  const program = new Command("arc-wi")
    .description(
      "Onboard Azure Arc Kubernetes clusters to workload identity, as a tag policy says.",
    )
    .showHelpAfterError()
    .exitOverride()
    .addHelpText("after", EXIT_CODES_HELP);
  addDemoCommand(program);
  addReconcileCommand(program, "sync");
  addReconcileCommand(program, "plan");
  addEventsCommand(program);
  addPolicyCommand(program);
  addOffboardCommand(program);
  addStatusCommand(program);
  addEmulatorCommand(program);
  return program;
}

/** Runs the CLI; returns the exit code. Errors are printed as one actionable message. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (e) {
    return reportError(e);
  }
}

function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (e instanceof PolicyValidationError) {
    process.stderr.write(
      `arc-wi: the policy is not valid:\n${e.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}\n`,
    );
    return EXIT.usage;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`arc-wi: ${message}\n`);
  return e instanceof CliError ? e.exitCode : EXIT.failure;
}
