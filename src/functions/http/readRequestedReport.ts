import type { HttpRequest, HttpResponseInit } from "@azure/functions";

import type { ClusterReport } from "../../lib/reconcile/contract.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { readClusterRoute } from "./clusterRoute.js";
import { methodNotAllowed, notFound } from "./problem.js";

/**
 * For the GET routes under `/api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}`: the
 * cluster's last report, or the response that refuses the request (405, 400, 403, 404).
 */
export async function readRequestedReport(
  request: HttpRequest,
  runtime: AppRuntime,
): Promise<{ report: ClusterReport } | { response: HttpResponseInit }> {
  if (request.method !== "GET") return { response: methodNotAllowed(request.method, "GET") };
  const route = readClusterRoute(request, runtime.allowedScopes);
  if ("response" in route) return route;

  const report = await runtime.status.getLastReport(route.clusterId);
  if (report) return { report };
  return {
    response: notFound(`No report for ${route.clusterId} yet; POST .../sync to reconcile it.`),
  };
}
