/**
 * What the chaos run's policy wants once the run is quiet, worked out independently of the
 * engine: identities and credentials for the remaining clusters, how many shards of each shared
 * identity the clusters that ever wanted it can need, and every identity the app may write to.
 * Identities are keyed `<resource group>/<name>`, lower-cased.
 */
import {
  evaluatePolicy,
  type ClusterFacts,
  type LoadedPolicy,
} from "../../src/lib/policy/index.js";
import { credentialName, subjectOf } from "../../src/lib/reconcile/naming.js";

/** A shared identity: its base key, and the shards (`-1`, `-2`, ...) its clusters may need. */
export interface SharedFamily {
  /** Shard numbers above 0 that may exist: 1 to this. */
  maxShard: number;
  /** Credentials wanted by every cluster that ever wanted the identity (remaining or deleted). */
  credentialsEver: number;
}

export interface DesiredState {
  /** Cluster-scope identities of the remaining clusters. */
  identities: Set<string>;
  /** Shared identities by base key. */
  shared: Map<string, SharedFamily>;
  /** Credential key (see {@link credentialKey}) → its deterministic name (cluster scope). */
  credentials: Map<string, { name?: string; cluster: string }>;
  /** Cluster-scope identities of every cluster, remaining or deleted: ours to write or delete. */
  everOwned: Set<string>;
}

/** The key of an identity. */
export function identityKey(resourceGroup: string, name: string): string {
  return `${resourceGroup}/${name}`.toLowerCase();
}

/** The shared family an identity key belongs to (its base key), if it is a base or a shard. */
export function sharedBaseOf(desired: DesiredState, key: string): string | undefined {
  if (desired.shared.has(key)) return key;
  const base = key.replace(/-\d+$/, "");
  return desired.shared.has(base) ? base : undefined;
}

/** The shard number of a shared identity key (0 for the base). */
export function shardOf(key: string, base: string): number {
  return key === base ? 0 : Number(key.slice(base.length + 1));
}

/** A credential's key: its identity family (shards folded), issuer and subject. */
export function credentialKey(
  desired: DesiredState,
  identity: string,
  issuer: string,
  subject: string,
): string {
  return `${sharedBaseOf(desired, identity) ?? identity}|${issuer}|${subject}`;
}

/**
 * The desired state for `remaining` (with their issuers, read from ARM) after `deleted` left.
 * @param issuerOf - the issuer a remaining cluster's tokens carry.
 */
export async function desiredStateOf(args: {
  policy: LoadedPolicy;
  remaining: ClusterFacts[];
  deleted: ClusterFacts[];
  issuerOf: (cluster: ClusterFacts) => Promise<string>;
}): Promise<DesiredState> {
  const desired: DesiredState = {
    identities: new Set(),
    shared: new Map(),
    credentials: new Map(),
    everOwned: new Set(),
  };
  for (const cluster of [...args.remaining, ...args.deleted])
    countIdentities(desired, args.policy, cluster);
  for (const cluster of args.remaining) {
    const issuer = await args.issuerOf(cluster);
    const evaluation = evaluatePolicy(args.policy, cluster);
    if (evaluation.kind === "skipped") continue;
    for (const identity of evaluation.identities) {
      const key = identityKey(identity.resourceGroup, identity.name);
      if (identity.scope !== "shared") desired.identities.add(key);
      for (const sa of identity.serviceAccounts) {
        const name =
          identity.scope === "shared"
            ? undefined
            : credentialName(cluster.id, sa.namespace, sa.name);
        const credential = credentialKey(desired, key, issuer, subjectOf(sa.namespace, sa.name));
        desired.credentials.set(credential, { name, cluster: cluster.name });
      }
    }
  }
  return desired;
}

/** Adds a cluster's identities to what the app may own, and its credentials to the shards' need. */
function countIdentities(desired: DesiredState, policy: LoadedPolicy, cluster: ClusterFacts): void {
  const evaluation = evaluatePolicy(policy, cluster);
  if (evaluation.kind === "skipped") return;
  for (const identity of evaluation.identities) {
    const key = identityKey(identity.resourceGroup, identity.name);
    if (identity.scope !== "shared") {
      desired.everOwned.add(key);
      continue;
    }
    const family = desired.shared.get(key) ?? { maxShard: 0, credentialsEver: 0 };
    family.credentialsEver += identity.serviceAccounts.length;
    family.maxShard = Math.ceil(family.credentialsEver / identity.maxCredentialsPerShard) - 1;
    desired.shared.set(key, family);
  }
}
