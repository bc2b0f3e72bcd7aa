import { tryParseIdentityId } from "../arm/resourceId.js";
import type { CredentialState, IdentityGateway, IdentityRef } from "../arm/identityGateway.js";
import type { DesiredIdentity } from "../policy/index.js";
import type { ReportedIdentity, ShardStore } from "./contract.js";
import { desiredIdentityTags } from "./identityTags.js";
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
  /** The identity as the last report showed it, converged: lets the hot path skip its GET. */
  known?: ReportedIdentity;
}): Promise<ObservedIdentity> {
  const { desired } = args;
  const fromReport = args.known ? await readKnown(args, args.known) : undefined;
  if (fromReport) return fromReport;
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

/**
 * The hot path: one read (the credential list) for an identity the last report showed as ours
 * and converged; its id, tags and client id come from that report. A 404 falls back to a full
 * read. The drift sweep never takes this path, so the report cannot hide drift for long.
 */
async function readKnown(
  args: Parameters<typeof observeIdentity>[0],
  known: ReportedIdentity,
): Promise<ObservedIdentity | undefined> {
  const ref = tryParseIdentityId(known.resourceId);
  if (!ref || !known.clientId || known.problem || args.desired.scope === "existing")
    return undefined;
  const credentials = await args.gateway.tryListCredentials(ref);
  if (!credentials) return undefined;

  const tags = desiredIdentityTags(args.clusterId, args.desired, known.shard);
  const identity = {
    id: known.resourceId,
    name: ref.name,
    location: args.desired.location,
    tags,
    clientId: known.clientId,
    principalId: known.principalId,
    tenantId: known.tenantId,
  };
  const observed: ObservedIdentity = { ref, shard: known.shard, identity, credentials };
  return args.desired.scope !== "shared" || federatesCluster(args, credentials)
    ? observed
    : undefined;
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
