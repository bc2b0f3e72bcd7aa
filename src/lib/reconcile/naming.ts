import { createHash } from "node:crypto";

/** The one audience a workload identity credential may carry. */
export const AUDIENCE = "api://AzureADTokenExchange";

/** Tags that mark an identity as ours. Tag keys are compared case-insensitively (Azure does). */
export const OWNER_TAGS = {
  managedBy: "arc-wi-managed-by",
  identityKey: "arc-wi-identity",
  cluster: "arc-wi-cluster",
  shard: "arc-wi-shard",
  onRemove: "arc-wi-on-remove",
} as const;

/** Value of the `arc-wi-managed-by` tag on everything this app creates. */
export const MANAGED_BY = "arc-wi-onboarding";

/** Prefix of every credential name this app writes. */
export const CREDENTIAL_PREFIX = "arcwi-";

/** The Kubernetes subject of a service account, exactly as tokens carry it. */
export function subjectOf(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/**
 * The part of a credential name that says which cluster it federates. Derived from the cluster
 * resource id lower-cased (ids compare case-insensitively), never from the issuer, so a cluster
 * re-created under the same name keeps its credential names.
 */
export function clusterCredentialPrefix(clusterId: string): string {
  return `${CREDENTIAL_PREFIX}${hash(clusterId.toLowerCase()).slice(0, 12)}-`;
}

/**
 * Deterministic credential name for (cluster, namespace, service account): 31 characters,
 * valid for `^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$`, recognisably ours (`arcwi-`).
 */
export function credentialName(
  clusterId: string,
  namespace: string,
  serviceAccount: string,
): string {
  return `${clusterCredentialPrefix(clusterId)}${hash(`${namespace}/${serviceAccount}`).slice(0, 12)}`;
}

/** Name of shard `n` of a shared identity: the base name, then `-1`, `-2`, ... */
export function shardIdentityName(baseName: string, shard: number): string {
  return shard === 0 ? baseName : `${baseName}-${shard}`;
}

/** The value of the `arc-wi-cluster` tag (a tag value holds at most 256 characters). */
export function clusterTagValue(clusterId: string): string {
  const lower = clusterId.toLowerCase();
  return lower.length <= 256 ? lower : `sha256:${hash(lower)}`;
}

/** Reads a tag with a case-insensitive key. */
export function readTag(tags: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** True when the tags say this app created the resource. */
export function isOwned(tags: Record<string, string>): boolean {
  return readTag(tags, OWNER_TAGS.managedBy) === MANAGED_BY;
}

function hash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
