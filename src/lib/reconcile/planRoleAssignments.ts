import { roleGuidOf, type RoleAssignmentState } from "../arm/roleAssignmentGateway.js";
import type { DesiredRoleAssignment } from "../policy/index.js";
import type { ActionResult, PlannedAction, ReportedRoleAssignment } from "./contract.js";
import { isOwnedRoleAssignment, roleAssignmentName } from "./roleAssignmentNaming.js";

/** One role assignment write, with what the applier needs. */
export interface RoleAssignmentStep extends PlannedAction {
  kind: "createRoleAssignment" | "deleteRoleAssignment";
  /** create: the role and scope (the name is derived once the principal is known). */
  desired?: DesiredRoleAssignment;
  /** delete: the assignment to remove (always one of ours). */
  existing?: RoleAssignmentState;
}

/** The plan for one identity's role assignments. */
export interface RoleAssignmentPlan {
  /** Deletes first, then creates. */
  steps: RoleAssignmentStep[];
  /** Equal assignments someone else made: counted `unchanged`, never written or removed. */
  unchanged: ActionResult[];
  /** One entry per desired role, in policy order. */
  reported: ReportedRoleAssignment[];
}

/** Where a role assignment lives (its ARM id), given its scope and name. */
export function roleAssignmentTarget(scope: string, name?: string): string {
  const base = `/${scope.replace(/^\/+|\/+$/g, "")}/providers/Microsoft.Authorization/roleAssignments`;
  return name === undefined ? base : `${base}/${name}`;
}

/**
 * Diffs the roles the policy wants for one identity against the principal's assignments. Pure.
 * An assignment equal in scope, principal and role counts as in place whoever made it; only our
 * own assignments (see `isOwnedRoleAssignment`) are ever deleted. With no principal yet (the
 * identity is still to be created) every desired role is a create.
 */
export function planRoleAssignments(input: {
  principalId: string | undefined;
  desired: readonly DesiredRoleAssignment[];
  observed: readonly RoleAssignmentState[];
}): RoleAssignmentPlan {
  const { principalId } = input;
  const mine = input.observed.filter(
    (a) => principalId !== undefined && a.principalId.toLowerCase() === principalId.toLowerCase(),
  );
  const plan: RoleAssignmentPlan = { steps: [], unchanged: [], reported: [] };
  const matched = new Set<RoleAssignmentState>();

  for (const desired of input.desired) {
    const found = mine.find((a) => isEqualAssignment(a, desired));
    const name =
      principalId === undefined
        ? undefined
        : roleAssignmentName(desired.scope, principalId, desired.roleDefinitionGuid);
    const report = { role: desired.role, roleDefinitionGuid: desired.roleDefinitionGuid };
    if (found === undefined) {
      plan.reported.push({ ...report, scope: desired.scope, name, state: "planned" });
      const target = roleAssignmentTarget(desired.scope, name);
      const reason = `the policy gives ${desired.role} at ${desired.scope}`;
      plan.steps.push({ kind: "createRoleAssignment", target, reason, desired });
      continue;
    }
    matched.add(found);
    const ours = isOwnedRoleAssignment(found);
    plan.reported.push({
      ...report,
      scope: desired.scope,
      name: found.name,
      state: ours ? "assigned" : "existing",
    });
    if (!ours) plan.unchanged.push(unchangedResult(found, desired));
  }

  const stale = mine.filter((a) => !matched.has(a) && isOwnedRoleAssignment(a));
  plan.steps.unshift(...stale.map(deleteStep));
  return plan;
}

function isEqualAssignment(a: RoleAssignmentState, desired: DesiredRoleAssignment): boolean {
  return (
    normalScope(a.scope) === normalScope(desired.scope) &&
    roleGuidOf(a.roleDefinitionId) === desired.roleDefinitionGuid
  );
}

function normalScope(scope: string): string {
  return `/${scope.replace(/^\/+|\/+$/g, "")}`.toLowerCase();
}

function deleteStep(existing: RoleAssignmentState): RoleAssignmentStep {
  return {
    kind: "deleteRoleAssignment",
    target: roleAssignmentTarget(existing.scope, existing.name),
    reason: `the policy no longer gives role ${roleGuidOf(existing.roleDefinitionId)} at ${existing.scope}`,
    existing,
  };
}

function unchangedResult(found: RoleAssignmentState, desired: DesiredRoleAssignment): ActionResult {
  return {
    kind: "createRoleAssignment",
    target: roleAssignmentTarget(found.scope, found.name),
    reason: `an equal assignment of ${desired.role} exists (not made by arc-wi); left as it is`,
    outcome: "unchanged",
  };
}
