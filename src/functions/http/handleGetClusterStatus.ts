import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import type { AppRuntime } from "../runtime/appRuntime.js";
import { readRequestedReport } from "./readRequestedReport.js";

/** `GET /api/clusters/{subscriptionId}/{resourceGroup}/{clusterName}/status`: the last report. */
export async function handleGetClusterStatus(
  request: HttpRequest,
  _context: InvocationContext,
  runtime: AppRuntime,
): Promise<HttpResponseInit> {
  const found = await readRequestedReport(request, runtime);
  if ("response" in found) return found.response;
  return { status: 200, jsonBody: found.report };
}
