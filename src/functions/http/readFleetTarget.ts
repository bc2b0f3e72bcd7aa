import type { HttpResponseInit } from "@azure/functions";

import { isInAllowedScopes, narrowToAllowedScopes } from "../../lib/config/allowedScopes.js";
import { parseClusterResourceId } from "../../lib/arm/clusterResourceId.js";
import { badRequest, forbiddenScope } from "./problem.js";

/** What a fleet sync covers: scopes to enumerate and clusters named explicitly. */
export interface FleetTarget {
  scopes: string[];
  clusterIds: string[];
}

const KEYS = ["subscriptionIds", "resourceGroups", "clusterIds"] as const;
const MAX_ITEMS = 1000;
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const RESOURCE_GROUP_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\p{L}\p{N}_().-]{1,90}$/iu;

/**
 * Validates `{subscriptionIds?, resourceGroups?, clusterIds?}` and narrows it to the allowed
 * scopes; nothing requested means every allowed scope.
 * @returns the target, or the 400 (naming the field) / 403 response to send.
 */
export function readFleetTarget(
  body: Record<string, unknown>,
  allowedScopes: readonly string[],
): FleetTarget | { response: HttpResponseInit } {
  const unknown = Object.keys(body).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown)
    return { response: badRequest(unknown, `Unknown field; expected ${KEYS.join(", ")}.`) };

  const lists: Partial<Record<(typeof KEYS)[number], string[]>> = {};
  for (const key of KEYS) {
    const list = readStringList(body[key], key);
    if ("response" in list) return { response: list.response };
    if (list.values) lists[key] = list.values;
  }
  const requested = [
    ...(lists.subscriptionIds ?? []),
    ...(lists.resourceGroups ?? []),
    ...(lists.clusterIds ?? []),
  ];
  if (requested.length === 0) return { scopes: [...allowedScopes], clusterIds: [] };

  return checkScopes(lists, allowedScopes);
}

function readStringList(
  value: unknown,
  key: (typeof KEYS)[number],
): { values: string[] | undefined } | { response: HttpResponseInit } {
  if (value === undefined) return { values: undefined };
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    return { response: badRequest(key, `${key} must be an array of strings.`) };
  }
  if (value.length > MAX_ITEMS)
    return { response: badRequest(key, `${key} holds more than ${MAX_ITEMS} items.`) };

  const values: string[] = [];
  for (const [i, item] of (value as string[]).entries()) {
    const normalised = normalise(key, item);
    if (!normalised) return { response: badRequest(`${key}[${i}]`, describe(key)) };
    values.push(normalised);
  }
  return { values };
}

function normalise(key: (typeof KEYS)[number], item: string): string | undefined {
  if (key === "subscriptionIds")
    return GUID.test(item) ? `/subscriptions/${item.toLowerCase()}` : undefined;
  if (key === "resourceGroups") return RESOURCE_GROUP_ID.test(item) ? item : undefined;
  const parsed = parseClusterResourceId(item);
  return "refused" in parsed ? undefined : parsed.id;
}

function describe(key: (typeof KEYS)[number]): string {
  if (key === "subscriptionIds") return "Each subscription id must be a GUID.";
  if (key === "resourceGroups")
    return "Each resource group must be an id: /subscriptions/<guid>/resourceGroups/<name>.";
  return "Each cluster id must be /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>.";
}

function checkScopes(
  lists: Partial<Record<(typeof KEYS)[number], string[]>>,
  allowedScopes: readonly string[],
): FleetTarget | { response: HttpResponseInit } {
  const scopes: string[] = [];
  for (const key of ["subscriptionIds", "resourceGroups"] as const) {
    for (const [i, scope] of (lists[key] ?? []).entries()) {
      const narrowed = narrowToAllowedScopes(scope, allowedScopes);
      if (narrowed.length === 0) return { response: forbiddenScope(`${key}[${i}]`, scope) };
      scopes.push(...narrowed);
    }
  }
  const clusterIds = lists.clusterIds ?? [];
  const outside = clusterIds.findIndex((id) => !isInAllowedScopes(id, allowedScopes));
  if (outside >= 0)
    return { response: forbiddenScope(`clusterIds[${outside}]`, clusterIds[outside]!) };
  return { scopes: [...new Set(scopes)], clusterIds };
}
