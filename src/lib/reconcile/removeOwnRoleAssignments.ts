import { ArmRequestError, toArmRequestError } from "../arm/armRequestError.js";
import type { RoleAssignmentGateway } from "../arm/roleAssignmentGateway.js";
import type { ActionResult } from "./contract.js";
import { roleAssignmentTarget } from "./planRoleAssignments.js";
import { listAssignments } from "./reconcileRoleAssignments.js";
import { isOwnedRoleAssignment } from "./roleAssignmentNaming.js";

/**
 * Removes the role assignments this app made for a principal whose identity is about to be
 * deleted (an assignment outliving its principal stays as "Identity not found" and still counts
 * against the subscription's quota, ROLE-ASSIGNMENTS.md §3.7). Only our own assignments go;
 * in a dry run they are listed as `planned`. Stops at the first failure.
 *
 * @param args.scopes - where to list the principal's assignments (e.g. `/subscriptions/<id>`).
 */
export async function removeOwnRoleAssignments(args: {
  gateway: RoleAssignmentGateway;
  scopes: readonly string[];
  principalId: string | undefined;
  dryRun: boolean;
}): Promise<{ results: ActionResult[]; error?: ArmRequestError }> {
  if (args.principalId === undefined || args.scopes.length === 0) return { results: [] };
  const found = await listAssignments(args.gateway, args.scopes, args.principalId);
  const ours = found.filter(isOwnedRoleAssignment);
  const results: ActionResult[] = [];

  for (const assignment of ours) {
    const action = {
      kind: "deleteRoleAssignment" as const,
      target: roleAssignmentTarget(assignment.scope, assignment.name),
      reason: "its identity is being deleted; role assignments go first",
    };
    if (args.dryRun) {
      results.push({ ...action, outcome: "planned" });
      continue;
    }
    try {
      await args.gateway.delete(assignment.scope, assignment.name);
      results.push({ ...action, outcome: "deleted" });
    } catch (e) {
      const error = toArmRequestError(e, `delete role assignment ${assignment.name}`);
      results.push({ ...action, outcome: "failed", errorCode: error.code, message: error.message });
      return { results, error };
    }
  }
  return { results };
}
