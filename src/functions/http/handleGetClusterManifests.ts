import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { AppRuntime } from "../runtime/appRuntime.js";
import { readClusterRoute } from "./clusterRoute.js";
import { methodNotAllowed, notFound } from "./problem.js";

/**
 * `GET /api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}/manifests`: the
 * ServiceAccount YAML of the last report (`azure.workload.identity/client-id` and `tenant-id`).
 */
export async function handleGetClusterManifests(
  request: HttpRequest,
  _context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  if (request.method !== "GET") return methodNotAllowed(request.method, "GET");
  const route = readClusterRoute(request, runtime.allowedScopes);
  if ("response" in route) return route.response;

  const report = await runtime.status.getLastReport(route.clusterId);
  if (!report)
    return notFound(`No report for ${route.clusterId} yet; POST .../sync to reconcile it.`);
  return { status: 200, headers: { "content-type": "application/yaml" }, body: report.manifests };
}
