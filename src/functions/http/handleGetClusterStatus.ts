import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { AppRuntime } from "../runtime/appRuntime.js";
import { readClusterRoute } from "./clusterRoute.js";
import { methodNotAllowed, notFound } from "./problem.js";

/** `GET /api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}/status`: the last report. */
export async function handleGetClusterStatus(
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
  return { status: 200, jsonBody: report };
}
