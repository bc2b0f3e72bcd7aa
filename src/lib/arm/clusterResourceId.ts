/** The parts of a connectedCluster resource id. */
export interface ClusterResourceId {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  /** The id with ARM's canonical casing for the fixed segments and a lower-case subscription. */
  id: string;
}

/** What an id under `providers/` below the cluster points at. */
export type ClusterIdTarget = "cluster" | "tags" | "child";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource group: 1-90 of letters, digits, _ ( ) - . and not ending with a period.
const RESOURCE_GROUP = /^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$/u;
// connectedCluster: 1-63 of letters, digits, - _ . starting with a letter or digit.
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const FIXED = ["subscriptions", "resourcegroups", "providers", "microsoft.kubernetes"];
const TAGS_SUFFIX = ["providers", "microsoft.resources", "tags", "default"];

/**
 * Parses a connectedCluster resource id strictly: exactly
 * `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>`,
 * fixed segments compared case-insensitively, no empty, `.` or `..` segments, no query.
 * @returns the parts, or a reason the id is refused.
 */
export function parseClusterResourceId(id: string): ClusterResourceId | { refused: string } {
  const parsed = parseClusterScopedId(id);
  if ("refused" in parsed) return parsed;
  return parsed.target === "cluster" ? parsed.cluster : { refused: "not a connectedCluster id" };
}

/**
 * Parses a connectedCluster id or an id below one (`<cluster>/providers/...`), strictly.
 * @returns the cluster and what the id targets (`cluster`, the cluster's `tags`, or another
 * `child` resource), or a reason the id is refused.
 */
export function parseClusterScopedId(
  id: string,
): { cluster: ClusterResourceId; target: ClusterIdTarget } | { refused: string } {
  if (typeof id !== "string" || id.length > 1024) return { refused: "not a resource id" };
  if (!id.startsWith("/") || /[?#\s%\\]/.test(id)) return { refused: "malformed resource id" };

  const segments = id.slice(1).split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) {
    return { refused: "resource id has empty, '.' or '..' segments" };
  }
  const [subs, sub, rgs, rg, providers, namespace, type, name, ...rest] = segments;
  const fixed = [subs, rgs, providers, namespace].map((s) => s?.toLowerCase());
  if (fixed.join("/") !== FIXED.join("/") || type?.toLowerCase() !== "connectedclusters") {
    return { refused: "not a connectedCluster id" };
  }
  if (!GUID.test(sub!) || !RESOURCE_GROUP.test(rg!) || !CLUSTER_NAME.test(name!)) {
    return { refused: "malformed subscription, resource group or cluster name" };
  }

  // Below a resource, ids continue in type/name pairs; an odd count is not a resource id.
  if (rest.length % 2 === 1) return { refused: "resource id has extra segments" };

  const cluster = formatClusterId(sub!, rg!, name!);
  return { cluster, target: classifyRest(rest) };
}

/** Builds a cluster id from its parts, with canonical casing (does not validate). */
export function formatClusterId(
  subscriptionId: string,
  resourceGroup: string,
  clusterName: string,
): ClusterResourceId {
  const subscription = subscriptionId.toLowerCase();
  return {
    subscriptionId: subscription,
    resourceGroup,
    clusterName,
    id: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${clusterName}`,
  };
}

/** The key two ids of the same cluster share (ARM ids are case-insensitive). */
export function clusterIdKey(clusterId: string): string {
  return clusterId.toLowerCase();
}

function classifyRest(rest: string[]): ClusterIdTarget {
  if (rest.length === 0) return "cluster";
  const isTags = rest.length === 4 && rest.every((s, i) => s.toLowerCase() === TAGS_SUFFIX[i]);
  return isTags ? "tags" : "child";
}
