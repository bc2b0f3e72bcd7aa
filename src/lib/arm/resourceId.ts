/** A connectedCluster resource id, split into its parts (as written; compare with `sameId`). */
export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** The id in canonical casing: `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Kubernetes/connectedClusters/{n}`. */
  id: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/u;
const CLUSTER_NAME = /^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/;

/**
 * Parses a connectedCluster resource id strictly: exactly eight segments, a GUID subscription,
 * a valid resource group and cluster name. Segment keywords and the provider compare
 * case-insensitively, as ARM does (events mix `resourceGroups` and `resourcegroups`).
 * @returns the parts, or `undefined` for anything else (child resources, `..`, extra segments).
 */
export function tryParseClusterId(id: string): ClusterRef | undefined {
  const parts = id.split("/");
  if (parts.length !== 9 || parts[0] !== "") return undefined;

  const [, subs, sub, rgs, rg, providers, namespace, type, name] = parts as [string, ...string[]];
  const keywordsMatch =
    eq(subs, "subscriptions") &&
    eq(rgs, "resourceGroups") &&
    eq(providers, "providers") &&
    eq(namespace, "Microsoft.Kubernetes") &&
    eq(type, "connectedClusters");
  if (!keywordsMatch || !sub || !rg || !name) return undefined;
  if (!GUID.test(sub) || !RESOURCE_GROUP.test(rg) || rg.endsWith(".") || !CLUSTER_NAME.test(name)) {
    return undefined;
  }

  return { subscriptionId: sub, resourceGroup: rg, name, id: formatClusterId(sub, rg, name) };
}

/** Builds a connectedCluster id in canonical casing. */
export function formatClusterId(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
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
