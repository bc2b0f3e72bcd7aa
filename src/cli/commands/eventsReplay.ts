import { readFile } from "node:fs/promises";

import type { Command } from "commander";

import {
  isSelectedCluster,
  oneRequestPerCluster,
  parseClusterEvents,
} from "../../lib/events/parseClusterEvent.js";
import { cliReconciler, type ArmFlags } from "../armOptions.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import {
  parseOutput,
  printActions,
  printJson,
  printReportSummary,
  printTable,
  type OutputFormat,
} from "../output.js";
import { exitCodeOf } from "./reconcileCommand.js";

interface ReplayFlags extends ArmFlags {
  dryRun?: boolean;
  output: OutputFormat;
}

/**
 * Adds `events replay`: runs captured or dead-lettered Event Grid / CloudEvents payloads through
 * the same parsing and filtering as `onClusterEvent`, then reconciles (or plans) the clusters.
 */
export function addEventsCommand(program: Command): void {
  const events = program.command("events").description("work with Event Grid events");
  events
    .command("replay")
    .description(
      "say which cluster each event selects (or why it is ignored), then reconcile or plan them",
    )
    .argument("<file>", "JSON file: one event or an array, Event Grid schema or CloudEvents 1.0")
    .option("--dry-run", "plan only, write nothing")
    .option("--policy <file>", "policy file (default: $ARC_WI_POLICY_PATH)")
    .option("--emulator <url>", "talk to the local ARM emulator instead of Azure")
    .option("--ca <path>", "with --emulator: the CA file the emulator printed")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi events replay deadletter/2026-12-03.json --dry-run\n${EXIT_CODES_HELP}`,
    )
    .action(async (file: string, flags: ReplayFlags) => {
      const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
        throw new CliError(`Cannot read ${file}: ${e.code ?? e.message}`, EXIT.usage);
      });
      const outcomes = await parseClusterEvents(text, {
        appPrincipalId: process.env.ARC_WI_APP_PRINCIPAL_ID,
      });
      if (outcomes.every((o) => !isSelectedCluster(o) && o.malformed)) {
        const reasons = [
          ...new Set(outcomes.map((o) => (isSelectedCluster(o) ? "" : o.ignored))),
        ].join("; ");
        const why = outcomes.length === 0 ? "it is an empty list" : reasons;
        throw new CliError(
          `${file} holds no Event Grid or CloudEvents event (${why}).`,
          EXIT.usage,
        );
      }
      const selected = outcomes.filter(isSelectedCluster);
      if (flags.output === "table") {
        printTable(
          ["event", "verdict"],
          outcomes.map((o) => [
            o.eventId ?? "-",
            isSelectedCluster(o)
              ? `selects ${o.clusterId}${o.deleted ? " (deleted)" : ""}`
              : `ignored: ${o.ignored}`,
          ]),
        );
      }
      if (selected.length === 0) {
        if (flags.output === "json") printJson({ events: outcomes, clusters: [] });
        return;
      }

      const reconciler = await cliReconciler(flags);
      const reports = [];
      for (const s of oneRequestPerCluster(selected)) {
        const { report } = await reconciler.reconcile({
          clusterId: s.clusterId,
          reason: s.reason,
          deleted: s.deleted,
          dryRun: flags.dryRun === true,
        });
        reports.push(report);
      }
      if (flags.output === "json") printJson({ events: outcomes, clusters: reports });
      else if (flags.dryRun) printActions(reports);
      else printReportSummary(reports);
      process.exitCode = exitCodeOf(reports, flags.dryRun === true);
    });
}
