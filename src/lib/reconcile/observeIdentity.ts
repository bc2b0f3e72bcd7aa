import { tryParseIdentityId } from "../arm/resourceId.js";
import type { CredentialState, IdentityGateway, IdentityRef } from "../arm/identityGateway.js";
import type { DesiredIdentity } from "../policy/index.js";
import type { ShardStore } from "./contract.js";
import { credentialName, shardIdentityName, subjectOf } from "./naming.js";
import type { ObservedIdentity } from "./planIdentity.js";

/** Shards scanned at most before a shared identity is reported full. */
export const MAX_SHARDS = 100;

/**
 * Reads what Azure holds for one desired identity. For a shared identity it also picks the
 * shard: the one the status store recorded for this cluster when its credential confirms it,
 * else the first shard that already federates this cluster, else the first with room (or the
 * first that does not exist yet). Call it under the identity family's lock.
 */
export async function observeIdentity(args: {
  gateway: IdentityGateway;
  shards: ShardStore;
  clusterId: string;
  desired: DesiredIdentity;
  issuer: string | undefined;
}): Promise<ObservedIdentity> {
  const { desired } = args;
  if (desired.scope !== "shared") return readOne(args.gateway, baseRef(desired));

  const recorded = await args.shards.getShard(args.clusterId, desired.key);
  if (recorded !== undefined) {
    const observed = await readShard(args, recorded);
    if (federatesCluster(args, observed.credentials)) return observed;
  }
  return scanShards(args);
}

async function scanShards(args: Parameters<typeof observeIdentity>[0]): Promise<ObservedIdentity> {
  let candidate: ObservedIdentity | undefined;
  for (let shard = 0; shard < MAX_SHARDS; shard++) {
    const observed = await readShard(args, shard);
    if (!observed.identity) return candidate ?? observed;
    if (federatesCluster(args, observed.credentials)) return observed;

    const needed = newCredentialsNeeded(args, observed.credentials);
    const room = args.desired.maxCredentialsPerShard - observed.credentials.length;
    if (!candidate && room >= needed) candidate = observed;
  }
  return candidate ?? (await readShard(args, MAX_SHARDS - 1));
}

async function readShard(
  args: Parameters<typeof observeIdentity>[0],
  shard: number,
): Promise<ObservedIdentity> {
  const base = baseRef(args.desired);
  const observed = await readOne(args.gateway, {
    ...base,
    name: shardIdentityName(base.name, shard),
  });
  return { ...observed, shard };
}

async function readOne(gateway: IdentityGateway, ref: IdentityRef): Promise<ObservedIdentity> {
  const identity = await gateway.get(ref);
  const credentials = identity ? await gateway.listCredentials(ref) : [];
  return { ref, identity, credentials };
}

function federatesCluster(
  args: Parameters<typeof observeIdentity>[0],
  credentials: CredentialState[],
): boolean {
  return args.desired.serviceAccounts.some((sa) => {
    const name = credentialName(args.clusterId, sa.namespace, sa.name).toLowerCase();
    const subject = subjectOf(sa.namespace, sa.name);
    return credentials.some(
      (c) => c.name.toLowerCase() === name || (c.issuer === args.issuer && c.subject === subject),
    );
  });
}

function newCredentialsNeeded(
  args: Parameters<typeof observeIdentity>[0],
  credentials: CredentialState[],
): number {
  return args.desired.serviceAccounts.filter((sa) => {
    const subject = subjectOf(sa.namespace, sa.name);
    return !credentials.some((c) => c.issuer === args.issuer && c.subject === subject);
  }).length;
}

/** Where the policy puts a desired identity (shard 0 for shared ones). */
export function baseRef(desired: DesiredIdentity): IdentityRef {
  const parsed = desired.existingResourceId
    ? tryParseIdentityId(desired.existingResourceId)
    : undefined;
  if (parsed) return parsed;
  return {
    subscriptionId: desired.subscriptionId,
    resourceGroup: desired.resourceGroup,
    name: desired.name,
  };
}
