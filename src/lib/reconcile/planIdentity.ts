import type { CredentialState, IdentityRef, IdentityState } from "../arm/identityGateway.js";
import type { DesiredIdentity } from "../policy/index.js";
import type { PlannedAction, ReportedServiceAccount } from "./contract.js";
import { desiredIdentityTags } from "./identityTags.js";
import {
  AUDIENCE,
  clusterCredentialPrefix,
  clusterTagValue,
  credentialName,
  isOwned,
  OWNER_TAGS,
  readTag,
  subjectOf,
} from "./naming.js";

/** Azure's cap on federated credentials per identity. @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations */
export const MAX_CREDENTIALS_PER_IDENTITY = 20;

/** One planned write, with what the applier needs to carry it out. */
export interface PlanStep extends PlannedAction {
  identity: IdentityRef;
  credential?: CredentialState;
  identityBody?: { location: string; tags: Record<string, string> };
}

/** What is on Azure for one desired identity (after shard selection). */
export interface ObservedIdentity {
  ref: IdentityRef;
  shard?: number;
  identity?: IdentityState;
  credentials: CredentialState[];
}

/** The plan for one identity: its steps, or the problem that stops all writes to it. */
export interface IdentityPlan {
  steps: PlanStep[];
  serviceAccounts: ReportedServiceAccount[];
  problem?: { code: string; message: string };
}

/**
 * Diffs one desired identity against what Azure holds: create or tag the identity, create,
 * update (issuer changed), adopt or delete credentials. Pure. Deletes come before creates so a
 * full identity makes room first; only credentials named for this cluster are ever deleted.
 */
export function planIdentity(input: {
  clusterId: string;
  desired: DesiredIdentity;
  observed: ObservedIdentity;
  issuer: string;
}): IdentityPlan {
  const { desired, observed } = input;
  const problem = checkIdentity(input.clusterId, desired, observed);
  if (problem) return { steps: [], serviceAccounts: missing(desired), problem };

  const steps = planIdentityWrite(input.clusterId, desired, observed);
  const credentialPlan = planCredentials(input);
  const capacity =
    desired.scope === "shared" ? desired.maxCredentialsPerShard : MAX_CREDENTIALS_PER_IDENTITY;
  const after = observed.credentials.length + credentialPlan.creates - credentialPlan.deletes;
  if (after > capacity) {
    const message = `identity ${observed.ref.name} would hold ${after} federated credentials; the limit is ${capacity}`;
    return {
      steps: [],
      serviceAccounts: missing(desired),
      problem: { code: "CredentialLimitReached", message },
    };
  }
  return {
    steps: [...steps, ...credentialPlan.steps],
    serviceAccounts: credentialPlan.serviceAccounts,
  };
}

function checkIdentity(clusterId: string, desired: DesiredIdentity, observed: ObservedIdentity) {
  const identity = observed.identity;
  const name = observed.ref.name;
  if (desired.scope === "existing") {
    if (identity) return undefined;
    return {
      code: "ExistingIdentityNotFound",
      message: `identity ${desired.existingResourceId ?? name} named by the policy does not exist`,
    };
  }
  if (!identity) return undefined;
  if (!isOwned(identity.tags)) {
    return {
      code: "IdentityNotOwned",
      message: `identity ${name} exists but was not created by arc-wi-onboarding; rename the identity in the policy or reference it with scope "existing"`,
    };
  }
  const owner = readTag(identity.tags, OWNER_TAGS.cluster);
  if (desired.scope === "cluster" && owner !== undefined && owner !== clusterTagValue(clusterId)) {
    return {
      code: "IdentityNameCollision",
      message: `identity ${name} already belongs to cluster ${owner}; make the policy's name template unique per cluster (e.g. include {cluster})`,
    };
  }
  return undefined;
}

function planIdentityWrite(
  clusterId: string,
  desired: DesiredIdentity,
  observed: ObservedIdentity,
): PlanStep[] {
  if (desired.scope === "existing") return [];
  const tags = desiredIdentityTags(clusterId, desired, observed.shard);
  const target = idOf(observed.ref);
  if (!observed.identity) {
    const identityBody = { location: desired.location, tags };
    return [
      {
        kind: "createIdentity",
        target,
        identity: observed.ref,
        identityBody,
        reason: `profile ${desired.key} wants identity ${observed.ref.name}`,
      },
    ];
  }
  const current = observed.identity.tags;
  const stale = Object.entries(tags).filter(([k, v]) => readTag(current, k) !== v);
  if (stale.length === 0) return [];
  const identityBody = { location: observed.identity.location, tags: { ...current, ...tags } };
  const reason = `tags ${stale.map(([k]) => k).join(", ")} differ from the policy`;
  return [{ kind: "updateIdentity", target, identity: observed.ref, identityBody, reason }];
}

function planCredentials(input: {
  clusterId: string;
  desired: DesiredIdentity;
  observed: ObservedIdentity;
  issuer: string;
}) {
  const { clusterId, desired, observed, issuer } = input;
  const steps: PlanStep[] = [];
  const serviceAccounts: ReportedServiceAccount[] = [];
  const wanted = new Set<string>();
  let creates = 0;
  let deletes = 0;

  for (const sa of desired.serviceAccounts) {
    const name = credentialName(clusterId, sa.namespace, sa.name);
    const subject = subjectOf(sa.namespace, sa.name);
    const credential: CredentialState = { name, issuer, subject, audiences: [AUDIENCE] };
    const target = `${idOf(observed.ref)}/federatedIdentityCredentials/${name}`;
    const ours = observed.credentials.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const twin = observed.credentials.find(
      (c) => c !== ours && c.issuer === issuer && c.subject === subject,
    );

    if (twin) {
      serviceAccounts.push({ namespace: sa.namespace, name: sa.name, credential: "adopted" });
      steps.push({
        kind: "adoptCredential",
        target: `${idOf(observed.ref)}/federatedIdentityCredentials/${twin.name}`,
        identity: observed.ref,
        reason: `credential ${twin.name} already federates ${subject} from this issuer`,
      });
      continue;
    }
    wanted.add(name.toLowerCase());
    serviceAccounts.push({ namespace: sa.namespace, name: sa.name, credential: "owned" });
    if (!ours) {
      creates++;
      steps.push({
        kind: "createCredential",
        target,
        identity: observed.ref,
        credential,
        reason: `federate ${subject}`,
      });
    } else if (!sameCredential(ours, credential)) {
      const reason =
        ours.issuer !== issuer
          ? `issuer changed from ${ours.issuer} to ${issuer}`
          : `subject or audience drifted`;
      steps.push({ kind: "updateCredential", target, identity: observed.ref, credential, reason });
    }
  }

  const prefix = clusterCredentialPrefix(clusterId);
  for (const c of observed.credentials) {
    if (!c.name.toLowerCase().startsWith(prefix) || wanted.has(c.name.toLowerCase())) continue;
    deletes++;
    const target = `${idOf(observed.ref)}/federatedIdentityCredentials/${c.name}`;
    steps.unshift({
      kind: "deleteCredential",
      target,
      identity: observed.ref,
      credential: c,
      reason: `${c.subject} is no longer wanted for this cluster`,
    });
  }
  return { steps: sortSteps(steps), serviceAccounts, creates, deletes };
}

const ORDER: Record<PlannedAction["kind"], number> = {
  enableClusterFeatures: 0,
  createIdentity: 1,
  updateIdentity: 2,
  deleteCredential: 3,
  adoptCredential: 4,
  updateCredential: 5,
  createCredential: 6,
  deleteRoleAssignment: 7,
  createRoleAssignment: 8,
  deleteIdentity: 9,
};

function sortSteps(steps: PlanStep[]): PlanStep[] {
  return [...steps].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
}

function sameCredential(a: CredentialState, b: CredentialState): boolean {
  return (
    a.issuer === b.issuer &&
    a.subject === b.subject &&
    a.audiences.length === 1 &&
    a.audiences[0] === AUDIENCE
  );
}

function missing(desired: DesiredIdentity): ReportedServiceAccount[] {
  return desired.serviceAccounts.map((sa) => ({
    namespace: sa.namespace,
    name: sa.name,
    credential: "missing",
  }));
}

/** The ARM id of an identity reference. */
export function idOf(ref: IdentityRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${ref.name}`;
}
