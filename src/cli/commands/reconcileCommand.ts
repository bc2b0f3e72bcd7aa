import type { Command } from "commander";

import { tryParseClusterId } from "../../lib/arm/resourceId.js";
import type { ClusterReport, Reconciler } from "../../lib/reconcile/contract.js";
import { checkSubscriptionFlag, cliReconciler, type ArmFlags } from "../armOptions.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import {
  parseOutput,
  printActions,
  printJson,
  printReportSummary,
  type OutputFormat,
} from "../output.js";

interface ReconcileFlags extends ArmFlags {
  subscription?: string;
  resourceGroup?: string;
  output: OutputFormat;
}

/** Adds `sync` (reconcile now) or `plan` (the same, without writing) to the program. */
export function addReconcileCommand(program: Command, mode: "sync" | "plan"): void {
  const dryRun = mode === "plan";
  program
    .command(mode)
    .description(
      dryRun
        ? "show what a sync would change, writing nothing (the dry run)"
        : "reconcile one cluster or a fleet now",
    )
    .argument("[clusterId]", "connectedCluster resource id")
    .option("--subscription <id>", "every cluster of a subscription")
    .option("--resource-group <name>", "with --subscription: only this resource group")
    .option("--policy <file>", "policy file (default: $ARC_WI_POLICY_PATH)")
    .option("--emulator <url>", "talk to the local ARM emulator instead of Azure")
    .option("--ca <path>", "with --emulator: the CA file the emulator printed")
    .option("--api-version <v>", "connectedClusters api-version (2026-05-01 or 2025-08-01-preview)")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi ${mode} --subscription <id> --resource-group rg-stores-east --policy examples/retail-stores.policy.yaml\n${EXIT_CODES_HELP}`,
    )
    .action(async (clusterId: string | undefined, flags: ReconcileFlags) => {
      const target = parseTarget(clusterId, flags);
      const reconciler = await cliReconciler(flags);
      const ids = await targetIds(reconciler, target);
      const reports = await runAll(reconciler, ids, dryRun, flags.output);
      if (flags.output === "json") printJson({ clusters: reports });
      else if (dryRun) printActions(reports);
      else printReportSummary(reports);
      process.exitCode = exitCodeOf(reports, dryRun);
    });
}

/** One cluster, or every cluster of a scope; checked before anything is read. */
type Target = { clusterId: string } | { scope: string };

function parseTarget(clusterId: string | undefined, flags: ReconcileFlags): Target {
  if (clusterId && flags.subscription)
    throw new CliError("Give a clusterId or --subscription, not both.", EXIT.usage);
  if (clusterId) {
    const ref = tryParseClusterId(clusterId);
    if (!ref)
      throw new CliError(
        `"${clusterId}" is not a connectedCluster id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>`,
        EXIT.usage,
      );
    return { clusterId: ref.id };
  }
  if (flags.subscription) checkSubscriptionFlag(flags.subscription);
  if (flags.resourceGroup && !RESOURCE_GROUP.test(flags.resourceGroup)) {
    throw new CliError(
      `--resource-group "${flags.resourceGroup}" is not a resource group name.`,
      EXIT.usage,
    );
  }
  if (!flags.subscription)
    throw new CliError(
      "Give a clusterId, or --subscription <id> [--resource-group <rg>].",
      EXIT.usage,
    );
  const scope = `/subscriptions/${flags.subscription}${flags.resourceGroup ? `/resourceGroups/${flags.resourceGroup}` : ""}`;
  return { scope };
}

async function targetIds(reconciler: Reconciler, target: Target): Promise<string[]> {
  if ("clusterId" in target) return [target.clusterId];
  const ids = await reconciler.listClusterIds(target.scope);
  if (ids.length === 0) process.stderr.write(`No connectedClusters in ${target.scope}.\n`);
  return ids;
}

async function runAll(
  reconciler: Reconciler,
  ids: string[],
  dryRun: boolean,
  output: OutputFormat,
): Promise<ClusterReport[]> {
  const reports: ClusterReport[] = [];
  for (const [i, clusterId] of ids.entries()) {
    const result = await reconciler.reconcile({ clusterId, reason: "cli", dryRun });
    // The engine waits for a second 404 before calling a cluster gone; a person who typed
    // a name wants to know now.
    const report: ClusterReport = result.notFoundCount
      ? {
          ...result.report,
          status: "Failed",
          nextSteps: [],
          error: {
            code: "ClusterNotFound",
            message: `connectedCluster ${clusterId} was not found: check the id`,
          },
        }
      : result.report;
    if (output === "table")
      process.stderr.write(`[${i + 1}/${ids.length}] ${progressOf(report, dryRun)}\n`);
    reports.push(report);
  }
  return reports;
}

const RESOURCE_GROUP = /^[-\w._()]{1,90}$/u;

/** 1 on any failure, 3 when a human must act, 4 when a plan has changes, else 0. */
export function exitCodeOf(reports: ClusterReport[], dryRun: boolean): number {
  if (reports.some((r) => r.status === "Failed" || r.status === "Throttled")) return EXIT.failure;
  if (reports.some((r) => r.status === "ActionRequired")) return EXIT.actionRequired;
  if (dryRun && reports.some((r) => r.actions.some((a) => a.outcome === "planned")))
    return EXIT.changesPending;
  return EXIT.ok;
}

function progressOf(report: ClusterReport, dryRun: boolean): string {
  if (!dryRun || report.error) return `${report.clusterName}: ${report.status}`;
  const planned = report.actions.filter((a) => a.outcome === "planned").length;
  return `${report.clusterName}: ${planned} change(s) planned`;
}
