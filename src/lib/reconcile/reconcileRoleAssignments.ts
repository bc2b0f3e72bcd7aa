import type { ArmRequestError } from "../arm/armRequestError.js";
import type { RoleAssignmentGateway, RoleAssignmentState } from "../arm/roleAssignmentGateway.js";
import type { DesiredIdentity, DesiredRoleAssignment, LoadedPolicy } from "../policy/index.js";
import { applyRoleAssignments } from "./applyRoleAssignments.js";
import type { ActionResult, ReportedIdentity, ReportedRoleAssignment } from "./contract.js";
import type { EngineDeps } from "./engineDeps.js";
import { planRoleAssignments } from "./planRoleAssignments.js";

/** The note a sharded shared identity's report carries. */
export const SHARD_ROLES_NOTE =
  "Every shard of this shared identity gets the same role assignments: a new shard is granted them when it is created.";

/** What reconciling one identity's role assignments produced. */
export interface RoleAssignmentsOutcome {
  actions: ActionResult[];
  error?: ArmRequestError;
}

/**
 * Makes one identity's role assignments match the policy, after its identity steps succeeded:
 * observe (the principal's assignments in each subscription the policy may grant in) → plan →
 * apply, or plan only in a dry run. Does nothing, and reads nothing, when the policy has no role
 * assignments for the identity and no allow-list (so no assignment of ours can be stale). A
 * `fresh` identity (created this run) has no assignments yet: nothing is listed.
 * Fills `identity.roleAssignments` (and the shard note).
 */
export async function reconcileRoleAssignments(args: {
  deps: EngineDeps;
  desired: DesiredIdentity;
  identity: ReportedIdentity;
  fresh: boolean;
  dryRun: boolean;
  /** The identity as the last converged report showed it: lets the hot path skip the list. */
  known?: ReportedIdentity;
}): Promise<RoleAssignmentsOutcome> {
  const { deps, desired, identity } = args;
  const wanted = desired.roleAssignments ?? [];
  const scopes = listScopes(
    deps.policy,
    wanted.map((w) => w.scope),
  );
  if (!deps.roles || desired.scope === "existing" || (wanted.length === 0 && scopes.length === 0))
    return { actions: [] };

  const principalId = identity.principalId;
  const unchanged = knownInPlace(args.known, identity, wanted);
  if (unchanged) {
    identity.roleAssignments = unchanged;
    if (desired.scope === "shared") identity.roleAssignmentsNote = SHARD_ROLES_NOTE;
    return { actions: [] };
  }
  const observed =
    principalId === undefined || args.fresh
      ? []
      : await listAssignments(deps.roles, scopes, principalId);
  const plan = planRoleAssignments({ principalId, desired: wanted, observed });
  if (wanted.length > 0) identity.roleAssignments = plan.reported;
  if (wanted.length > 0 && desired.scope === "shared")
    identity.roleAssignmentsNote = SHARD_ROLES_NOTE;

  if (args.dryRun || plan.steps.length === 0 || principalId === undefined) {
    const planned = plan.steps.map((s) => ({
      kind: s.kind,
      target: s.target,
      reason: s.reason,
      outcome: "planned" as const,
    }));
    return { actions: [...plan.unchanged, ...planned] };
  }

  const applied = await applyRoleAssignments({
    steps: plan.steps,
    principalId,
    identityKey: desired.key,
    gateway: deps.roles,
    retry: deps.writeRetry,
    logger: deps.logger,
    reported: plan.reported,
  });
  return { actions: [...plan.unchanged, ...applied.results], error: applied.error };
}

/**
 * The hot path: the last converged report showed this identity (same principal) holding exactly
 * the roles the policy wants now, all in place. Then nothing is listed; the drift sweep (which
 * never passes a report) still reads them.
 */
function knownInPlace(
  known: ReportedIdentity | undefined,
  identity: ReportedIdentity,
  wanted: readonly DesiredRoleAssignment[],
): ReportedRoleAssignment[] | undefined {
  const reported = known?.roleAssignments;
  if (!reported || wanted.length === 0 || known.principalId !== identity.principalId)
    return undefined;
  const key = (r: { roleDefinitionGuid: string; scope: string }) =>
    `${r.roleDefinitionGuid}|${r.scope.toLowerCase()}`;
  const inPlace = reported.every((r) => r.state === "assigned" || r.state === "existing");
  const same =
    reported.length === wanted.length &&
    wanted.every((w) => reported.some((r) => key(r) === key(w)));
  return inPlace && same ? reported.map((r) => ({ ...r })) : undefined;
}

/**
 * The subscriptions to list a principal's assignments in: those of the wanted scopes and of the
 * policy's allowed scopes (a listing at a subscription with a principal filter returns the
 * assignments at, above and below it).
 */
export function listScopes(policy: LoadedPolicy, wanted: readonly string[]): string[] {
  const allowed = policy.document.defaults.roleAssignments?.allowedScopes ?? [];
  const subscriptions = new Set<string>();
  for (const scope of [...wanted, ...allowed]) {
    const sub = scope.replace(/^\/+/, "").split("/")[1];
    if (sub) subscriptions.add(sub.toLowerCase());
  }
  return [...subscriptions].sort().map((sub) => `/subscriptions/${sub}`);
}

/** Every assignment of `principalId` found in `scopes`, each once. */
export async function listAssignments(
  gateway: RoleAssignmentGateway,
  scopes: readonly string[],
  principalId: string,
): Promise<RoleAssignmentState[]> {
  const found = new Map<string, RoleAssignmentState>();
  for (const scope of scopes) {
    for (const a of await gateway.listForPrincipal(scope, principalId)) {
      found.set(a.id.toLowerCase(), a);
    }
  }
  return [...found.values()];
}
