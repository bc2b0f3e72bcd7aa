import { createHash } from "node:crypto";

import type { RoleAssignmentState } from "../arm/roleAssignmentGateway.js";
import { roleGuidOf } from "../arm/roleAssignmentGateway.js";

/**
 * Namespace of ARM's `guid()` as widely re-implemented (ROLE-ASSIGNMENTS.md §5, unconfirmed by
 * Microsoft docs): using it lets Bicep's `guid(scope, principalId, roleId)` land on the same name.
 */
const ARM_GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

/** Start of the description of every role assignment this app creates. */
export const ROLE_ASSIGNMENT_MARK = "arc-wi-onboarding:";

/**
 * The deterministic name of a role assignment: a name-based UUID (RFC 4122 §4.3, SHA-1) of the
 * scope, principal and role GUID, each lower-cased and joined with `-`. A recreated identity
 * (new principalId) gets a new name, so ARM never sees an attempt to change an assignment.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/troubleshooting
 */
export function roleAssignmentName(scope: string, principalId: string, roleGuid: string): string {
  const normalScope = `/${scope.replace(/^\/+|\/+$/g, "")}`;
  const text = [normalScope, principalId, roleGuid].map((s) => s.toLowerCase()).join("-");
  return uuidV5(text, ARM_GUID_NAMESPACE);
}

/** The description written on an assignment: the mark, then the policy's identity key. */
export function roleAssignmentDescription(identityKey: string): string {
  return `${ROLE_ASSIGNMENT_MARK} policy identity ${identityKey}`;
}

/**
 * Whether this app created `assignment`: its description carries our mark and its name is the
 * one we derive from its own scope, principal and role. Anything else is never changed or deleted.
 */
export function isOwnedRoleAssignment(assignment: RoleAssignmentState): boolean {
  const expected = roleAssignmentName(
    assignment.scope,
    assignment.principalId,
    roleGuidOf(assignment.roleDefinitionId),
  );
  return (
    (assignment.description ?? "").startsWith(ROLE_ASSIGNMENT_MARK) &&
    assignment.name.toLowerCase() === expected
  );
}

function uuidV5(text: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(text, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
