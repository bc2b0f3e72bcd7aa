import type { ArmRequestError } from "../arm/armRequestError.js";
import type { IdentityRef, IdentityState } from "../arm/identityGateway.js";
import { tryParseIdentityId } from "../arm/resourceId.js";
import type { ActionResult } from "./contract.js";
import { applyIdentitySteps } from "./applySteps.js";
import type { EngineDeps } from "./engineDeps.js";
import {
  clusterCredentialPrefix,
  clusterTagValue,
  isOwned,
  OWNER_TAGS,
  readTag,
} from "./naming.js";
import { idOf, type PlanStep } from "./planIdentity.js";
import { listScopes } from "./reconcileRoleAssignments.js";
import { removeOwnRoleAssignments } from "./removeOwnRoleAssignments.js";

/** Where to look for what this cluster no longer needs. */
export interface PruneScope {
  /** Identity ids to look at (from the last report, and the policy's `existing` identities). */
  identityIds: string[];
  /** Resource groups to list identities in (`subscriptionId/resourceGroup`), for scans. */
  resourceGroups: { subscriptionId: string; resourceGroup: string }[];
  /** Identities the cluster still uses (lower-cased ids): left to the identity plan. */
  keep: Set<string>;
  /**
   * Identity keys the policy could not render for this cluster this time (a bad tag): what
   * they hold is left alone, so a tag typo never removes working credentials.
   */
  keepKeys: Set<string>;
}

/**
 * Removes what this app created for a cluster and no longer needs: its credentials on any
 * identity outside `keep` (recognised by the cluster's credential-name prefix), then its
 * `cluster`-scope identities when their `arc-wi-on-remove` tag says `delete` (credentials first,
 * the identity last; our role assignments of an identity to delete go before both). Nothing
 * without our marks is touched.
 */
export async function pruneCluster(args: {
  deps: EngineDeps;
  clusterId: string;
  scope: PruneScope;
  dryRun: boolean;
}): Promise<{ actions: ActionResult[]; errors: ArmRequestError[] }> {
  const candidates = await findCandidates(args.deps, args.scope, args.clusterId);
  const runs = candidates.map((c) =>
    args.deps.locks.withLock(`identity:${familyOf(c)}`, () => pruneIdentity(args, c)),
  );
  const actions: ActionResult[] = [];
  const errors: ArmRequestError[] = [];
  for (const run of await Promise.all(runs)) {
    actions.push(...run.results);
    if (run.error) errors.push(run.error);
  }
  return { actions, errors };
}

async function pruneIdentity(args: Parameters<typeof pruneCluster>[0], candidate: Candidate) {
  const { deps, clusterId } = args;
  const prefix = clusterCredentialPrefix(clusterId);
  const credentials = await deps.identities.listCredentials(candidate.ref);
  const steps: PlanStep[] = credentials
    .filter((c) => c.name.toLowerCase().startsWith(prefix))
    .map((c) => ({
      kind: "deleteCredential",
      target: `${idOf(candidate.ref)}/federatedIdentityCredentials/${c.name}`,
      identity: candidate.ref,
      credential: c,
      reason: `${c.subject} is no longer wanted for this cluster`,
    }));

  const tags = candidate.state.tags;
  const ownedByCluster =
    isOwned(tags) && readTag(tags, OWNER_TAGS.cluster) === clusterTagValue(clusterId);
  const kept: ActionResult[] = [];
  if (ownedByCluster && readTag(tags, OWNER_TAGS.onRemove) === "delete") {
    const target = idOf(candidate.ref);
    if (steps.length < credentials.length) {
      const reason = "kept: it holds federated credentials this app did not create";
      kept.push({ kind: "deleteIdentity", target, reason, outcome: "unchanged" });
    } else {
      const reason = "the policy no longer wants this cluster-scope identity and says to delete it";
      steps.push({ kind: "deleteIdentity", target, identity: candidate.ref, reason });
    }
  }
  const roles = await pruneRolesBeforeDelete(args, candidate, steps);
  if (roles.error) return { results: [...roles.results, ...kept], error: roles.error };
  if (args.dryRun) {
    const planned = steps.map((s) => ({
      kind: s.kind,
      target: s.target,
      reason: s.reason,
      outcome: "planned" as const,
    }));
    return { results: [...roles.results, ...planned, ...kept], error: undefined };
  }
  const { gateway, writeRetry: retry, logger } = { gateway: deps.identities, ...deps };
  const applied = await applyIdentitySteps({ steps, gateway, retry, logger });
  return { ...applied, results: [...roles.results, ...applied.results, ...kept] };
}

/** Our role assignments of an identity about to be deleted go first (before its credentials). */
async function pruneRolesBeforeDelete(
  args: Parameters<typeof pruneCluster>[0],
  candidate: Candidate,
  steps: PlanStep[],
) {
  const { deps } = args;
  if (!deps.roles || !steps.some((s) => s.kind === "deleteIdentity")) return { results: [] };
  const scopes = listScopes(deps.policy, [`/subscriptions/${candidate.ref.subscriptionId}`]);
  return removeOwnRoleAssignments({
    gateway: deps.roles,
    scopes,
    principalId: candidate.state.principalId,
    dryRun: args.dryRun,
  });
}

interface Candidate {
  ref: IdentityRef;
  state: IdentityState;
}

async function findCandidates(
  deps: EngineDeps,
  scope: PruneScope,
  clusterId: string,
): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  for (const { subscriptionId, resourceGroup } of scope.resourceGroups) {
    for (const state of await deps.identities.listInResourceGroup(subscriptionId, resourceGroup)) {
      if (mayHoldCredentialsOf(state, clusterId)) add(found, state);
    }
  }
  for (const id of scope.identityIds) {
    const ref = tryParseIdentityId(id);
    if (!ref || found.has(id.toLowerCase())) continue;
    const state = await deps.identities.get(ref);
    if (state) add(found, state);
  }
  return [...found.values()].filter((c) => {
    const key = readTag(c.state.tags, OWNER_TAGS.identityKey);
    return !scope.keep.has(idOf(c.ref).toLowerCase()) && !(key && scope.keepKeys.has(key));
  });
}

/**
 * Ours, and shared or this cluster's own: another cluster's `cluster`-scope identity only ever
 * holds that cluster's credentials, so a scan need not list them (the identity service allows
 * 0.25 lists/s per identity).
 */
function mayHoldCredentialsOf(state: IdentityState, clusterId: string): boolean {
  if (!isOwned(state.tags)) return false;
  const owner = readTag(state.tags, OWNER_TAGS.cluster);
  return owner === undefined || owner === clusterTagValue(clusterId);
}

function add(found: Map<string, Candidate>, state: IdentityState): void {
  const ref = tryParseIdentityId(state.id);
  if (ref) found.set(state.id.toLowerCase(), { ref, state });
}

function familyOf(candidate: Candidate): string {
  const shard = Number(readTag(candidate.state.tags, OWNER_TAGS.shard) ?? "0");
  const suffix = `-${shard}`;
  const name = candidate.state.name;
  const base = shard > 0 && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
  return idOf({ ...candidate.ref, name: base });
}
