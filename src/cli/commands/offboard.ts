import type { Command } from "commander";

import { offboard } from "../../lib/reconcile/offboard.js";
import {
  armConnection,
  checkSubscriptionFlag,
  loadCliPolicy,
  type ArmFlags,
} from "../armOptions.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import { parseOutput, printActions, printJson, type OutputFormat } from "../output.js";

interface OffboardFlags extends ArmFlags {
  subscription?: string;
  yes?: boolean;
  output: OutputFormat;
}

/** Adds `offboard`: show, then with --yes remove, everything the app created in a subscription. */
export function addOffboardCommand(program: Command): void {
  program
    .command("offboard")
    .description(
      "show (then, with --yes, remove) every credential, role assignment and identity this app created",
    )
    .requiredOption("--subscription <id>", "the subscription to clean")
    .option("--yes", "really delete; without it nothing is written")
    .option(
      "--policy <file>",
      "policy file: the identities it references with scope existing, the scopes it grants roles on",
    )
    .option("--emulator <url>", "talk to the local ARM emulator instead of Azure")
    .option("--ca <path>", "with --emulator: the CA file the emulator printed")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi offboard --subscription <id>          # shows what would go\n  arc-wi offboard --subscription <id> --yes    # removes it\n\nDeleting an identity loses its client id and its role assignments for good: pods that use\nit stop working, and a new identity gets a new client id.\n${EXIT_CODES_HELP}`,
    )
    .action(async (flags: OffboardFlags) => {
      if (!flags.subscription) throw new CliError("--subscription <id> is required.", EXIT.usage);
      checkSubscriptionFlag(flags.subscription);
      const policy =
        flags.policy || process.env.ARC_WI_POLICY_PATH || process.env.ARC_WI_POLICY
          ? await loadCliPolicy(flags)
          : undefined;
      const actions = await offboard({
        arm: armConnection(flags),
        subscriptionId: flags.subscription,
        existingIdentityIds: policy ? existingIds(policy) : [],
        roleScopes: policy?.document.defaults.roleAssignments?.allowedScopes ?? [],
        dryRun: flags.yes !== true,
      });
      const dryRun = flags.yes !== true;
      const status = actions.length === 0 ? "Clean" : dryRun ? "Planned" : "Removed";
      const report = { clusterName: "(subscription)", status, actions } as never;
      if (flags.output === "json") printJson({ dryRun: flags.yes !== true, actions });
      else printActions([report]);
      if (flags.yes !== true && actions.length > 0) {
        process.stderr.write("Nothing was deleted. Run again with --yes to remove the above.\n");
        process.exitCode = EXIT.changesPending;
      }
    });
}

function existingIds(policy: { document: unknown }): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (typeof record.resourceId === "string") ids.push(record.resourceId);
    Object.values(record).forEach(visit);
  };
  visit(policy.document);
  return ids;
}
