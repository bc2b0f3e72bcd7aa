import { TableClient } from "@azure/data-tables";
import type { Command } from "commander";

import { NAMES } from "../../lib/config/names.js";
import { tryParseClusterId } from "../../lib/arm/resourceId.js";
import { StatusStore } from "../../lib/status/statusStore.js";
import { CliError, EXIT, EXIT_CODES_HELP } from "../exitCodes.js";
import { parseOutput, printJson, printReportSummary, type OutputFormat } from "../output.js";

/** Adds `status`: the last report of a cluster, read from the app's status table. */
export function addStatusCommand(program: Command): void {
  program
    .command("status")
    .description("show the last report the Function app wrote for a cluster")
    .argument("<clusterId>", "connectedCluster resource id")
    .option("--storage <connection>", "storage connection string (default: $AzureWebJobsStorage)")
    .option("--output <format>", "table or json", parseOutput, "table")
    .addHelpText(
      "after",
      `\nExample:\n  arc-wi status /subscriptions/<id>/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/store-0042\n${EXIT_CODES_HELP}`,
    )
    .action(async (clusterId: string, flags: { storage?: string; output: OutputFormat }) => {
      const ref = tryParseClusterId(clusterId);
      if (!ref) throw new CliError(`"${clusterId}" is not a connectedCluster id.`, EXIT.usage);
      const connection = flags.storage ?? process.env.AzureWebJobsStorage;
      if (!connection)
        throw new CliError(
          "Pass --storage <connection string> or set AzureWebJobsStorage.",
          EXIT.usage,
        );

      if (!/AccountName=|UseDevelopmentStorage=true|TableEndpoint=/i.test(connection)) {
        const hint =
          "a storage connection string (AccountName=...;AccountKey=...;TableEndpoint=...)";
        throw new CliError(
          `--storage must be ${hint}, as the Function app's AzureWebJobsStorage.`,
          EXIT.usage,
        );
      }
      const local = /UseDevelopmentStorage|127\.0\.0\.1|localhost/i.test(connection);
      const table = TableClient.fromConnectionString(connection, NAMES.statusTable, {
        allowInsecureConnection: local,
      });
      const report = await new StatusStore(table).getLastReport(ref.id);
      if (!report)
        throw new CliError(
          `No report for ${ref.id} yet: the app has not reconciled it.`,
          EXIT.failure,
        );
      if (flags.output === "json") printJson(report);
      else printReportSummary([report]);
    });
}
