import type { HttpRequest, HttpResponseInit } from "@azure/functions";

import { isInAllowedScopes } from "../../lib/config/allowedScopes.js";
import { formatClusterId, parseClusterResourceId } from "../../lib/arm/clusterResourceId.js";
import { badRequest, forbiddenScope } from "./problem.js";

/**
 * Reads `{subscriptionId}/{resourceGroup}/{clusterName}` from the route and checks it against
 * the allowed scopes.
 * @returns the cluster id, or the 400 / 403 response to send.
 */
export function readClusterRoute(
  request: HttpRequest,
  allowedScopes: readonly string[],
): { clusterId: string } | { response: HttpResponseInit } {
  const { subscriptionId = "", resourceGroup = "", clusterName = "" } = request.params;
  const candidate = formatClusterId(subscriptionId, resourceGroup, clusterName).id;
  const parsed = parseClusterResourceId(candidate);
  if ("refused" in parsed)
    return { response: badRequest(fieldAtFault(request.params), describe(request.params)) };

  if (!isInAllowedScopes(parsed.id, allowedScopes)) {
    return { response: forbiddenScope("clusterName", parsed.id) };
  }
  return { clusterId: parsed.id };
}

function fieldAtFault(params: Record<string, string>): string {
  const sub = params.subscriptionId ?? "";
  if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(sub)) return "subscriptionId";
  const rg = params.resourceGroup ?? "";
  if (!/^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$/u.test(rg)) return "resourceGroup";
  return "clusterName";
}

function describe(params: Record<string, string>): string {
  const field = fieldAtFault(params);
  if (field === "subscriptionId") return "subscriptionId must be a GUID.";
  if (field === "resourceGroup") {
    return "resourceGroup must be 1-90 letters, digits, '_', '(', ')', '-' or '.', not ending with '.'.";
  }
  return "clusterName must be 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit.";
}
