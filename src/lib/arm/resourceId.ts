import { formatClusterId, parseClusterResourceId } from "./clusterResourceId.js";

/** A connectedCluster resource id, split into its parts (as written; compare with `sameId`). */
export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** The id in canonical casing: `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Kubernetes/connectedClusters/{n}`. */
  id: string;
}

/**
 * Parses a connectedCluster resource id strictly (see `parseClusterResourceId`): segment
 * keywords and the provider compare case-insensitively, as ARM does.
 * @returns the parts, or `undefined` for anything else (child resources, `..`, extra segments).
 */
export function tryParseClusterId(id: string): ClusterRef | undefined {
  const parsed = parseClusterResourceId(id);
  if ("refused" in parsed) return undefined;
  return {
    subscriptionId: parsed.subscriptionId,
    resourceGroup: parsed.resourceGroup,
    name: parsed.clusterName,
    id: parsed.id,
  };
}

/** Builds a connectedCluster id in canonical casing. */
export function clusterIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return formatClusterId(subscriptionId, resourceGroup, name).id;
}

/** Builds a userAssignedIdentity id in canonical casing. */
export function formatIdentityId(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

/** Splits a userAssignedIdentity id; `undefined` when it is not one. */
export function tryParseIdentityId(
  id: string,
): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  const parts = id.split("/");
  if (parts.length !== 9 || parts[0] !== "") return undefined;

  const [, subs, sub, rgs, rg, providers, namespace, type, name] = parts as [string, ...string[]];
  const ok =
    eq(subs, "subscriptions") &&
    eq(rgs, "resourceGroups") &&
    eq(providers, "providers") &&
    eq(namespace, "Microsoft.ManagedIdentity") &&
    eq(type, "userAssignedIdentities");
  if (!ok || !sub || !rg || !name) return undefined;
  return { subscriptionId: sub, resourceGroup: rg, name };
}

/** ARM ids compare case-insensitively. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function eq(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
