import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { AppRuntime } from "../runtime/appRuntime.js";
import { readRequestedReport } from "./readRequestedReport.js";

/**
 * `GET /api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}/manifests`: the
 * ServiceAccount YAML of the last report (`azure.workload.identity/client-id` and `tenant-id`).
 */
export async function handleGetClusterManifests(
  request: HttpRequest,
  _context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  const found = await readRequestedReport(request, runtime);
  if ("response" in found) return found.response;
  const { manifests, status, nextSteps } = found.report;
  // Nothing to apply yet: say why, as a YAML comment (still a valid, empty YAML document).
  const why = [`the cluster is ${status}`, ...nextSteps.slice(0, 1)].join(": ");
  const body =
    manifests.trim() !== ""
      ? manifests
      : `# No ServiceAccount manifests yet; ${why.replace(/\s+/g, " ")}\n`;
  return { status: 200, headers: { "content-type": "application/yaml" }, body };
}
