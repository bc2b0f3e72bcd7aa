import { setTimeout as sleep } from "node:timers/promises";

import { ArmRequestError, isConflict } from "../arm/armRequestError.js";
import type { RoleAssignmentGateway } from "../arm/roleAssignmentGateway.js";
import type { Logger } from "../log/logger.js";
import type { WriteRetryOptions } from "./applySteps.js";
import type { ActionResult, ReportedRoleAssignment } from "./contract.js";
import { roleAssignmentTarget, type RoleAssignmentStep } from "./planRoleAssignments.js";
import { roleAssignmentDescription, roleAssignmentName } from "./roleAssignmentNaming.js";

/**
 * A role assignment write that kept failing with `PrincipalNotFound`: the new identity's
 * principal has not replicated to where ARM checks it. Retryable: the cluster is requeued.
 */
export class PrincipalNotFoundError extends ArmRequestError {
  override readonly retryable = true;
}

/** What applying one identity's role assignment steps produced. */
export interface AppliedRoleAssignments {
  results: ActionResult[];
  /** The first error; later steps were not tried. */
  error?: ArmRequestError;
}

/**
 * Runs one identity's role assignment steps one after another, for the principal `principalId`:
 * a create sends the deterministic name and our description; `RoleAssignmentExists` (an equal
 * assignment under another name) counts as `unchanged`; `PrincipalNotFound` right after the
 * identity's creation is retried `retry.attempts` times, `retry.delayMs` apart, then ends in a
 * {@link PrincipalNotFoundError}. Updates `reported` in place as assignments land.
 */
export async function applyRoleAssignments(args: {
  steps: RoleAssignmentStep[];
  principalId: string;
  identityKey: string;
  gateway: RoleAssignmentGateway;
  retry: WriteRetryOptions;
  logger: Logger;
  reported: ReportedRoleAssignment[];
}): Promise<AppliedRoleAssignments> {
  const applied: AppliedRoleAssignments = { results: [] };
  for (const step of args.steps) {
    try {
      const result = await runStep(step, args);
      applied.results.push(result);
      args.logger.info("applied action", {
        action: step.kind,
        target: result.target,
        outcome: result.outcome,
      });
    } catch (e) {
      const error = toNotAllowed(toError(e));
      applied.results.push({
        kind: step.kind,
        target: step.target,
        reason: step.reason,
        outcome: "failed",
        errorCode: error.code,
        message: error.message,
        armRequestId: error.requestId,
      });
      markMissing(args.reported, step);
      applied.error = error;
      break;
    }
  }
  return applied;
}

async function runStep(
  step: RoleAssignmentStep,
  args: Parameters<typeof applyRoleAssignments>[0],
): Promise<ActionResult> {
  const base = { kind: step.kind, reason: step.reason };
  if (step.existing) {
    const { scope, name } = step.existing;
    await args.gateway.delete(scope, name);
    return { ...base, target: step.target, outcome: "deleted" };
  }

  const desired = step.desired!;
  const name = roleAssignmentName(desired.scope, args.principalId, desired.roleDefinitionGuid);
  const target = roleAssignmentTarget(desired.scope, name);
  const write = {
    scope: desired.scope,
    name,
    roleDefinitionGuid: desired.roleDefinitionGuid,
    principalId: args.principalId,
    description: roleAssignmentDescription(args.identityKey),
  };
  const entry = args.reported.find((r) => r.scope === desired.scope && r.role === desired.role);
  if (entry) entry.name = name;
  try {
    await withPrincipalRetry(() => args.gateway.create(write), args.retry);
  } catch (e) {
    if (!isRoleAssignmentExists(e)) throw e;
    if (entry) entry.state = "existing";
    const reason = "an equal assignment exists under another name (RoleAssignmentExists)";
    return { ...base, target, reason, outcome: "unchanged" };
  }
  if (entry) entry.state = "assigned";
  return { ...base, target, outcome: "created" };
}

async function withPrincipalRetry<T>(work: () => Promise<T>, retry: WriteRetryOptions) {
  const attempts = retry.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      // NOTE: a principal created moments ago may not have replicated to where ARM checks it;
      // it clears on its own (ROLE-ASSIGNMENTS.md §3.1).
      if (!isPrincipalNotFound(e)) throw e;
      if (attempt >= attempts) throw toPrincipalNotFound(e);
      await sleep(retry.delayMs ?? 5000);
    }
  }
}

/** ARM's answer when the principal has not replicated yet (HTTP 400). */
export function isPrincipalNotFound(e: unknown): boolean {
  return e instanceof ArmRequestError && e.code === "PrincipalNotFound";
}

/** ARM's answer when an equal assignment exists under another name (HTTP 409). */
export function isRoleAssignmentExists(e: unknown): boolean {
  return isConflict(e) && e instanceof ArmRequestError && e.code === "RoleAssignmentExists";
}

function toPrincipalNotFound(e: unknown): PrincipalNotFoundError {
  const error = toError(e);
  return new PrincipalNotFoundError({
    message: `${error.message} (still not found after retries; the cluster is looked at again later)`,
    code: error.code,
    statusCode: error.statusCode,
    requestId: error.requestId,
    cause: e,
  });
}

/**
 * ARM's 403 on a role assignment: the delegation's condition or scopes do not cover it (a policy
 * violation a human fixes, ROLE-ASSIGNMENTS.md §3.5), given its own code so the report says so.
 */
function toNotAllowed(error: ArmRequestError): ArmRequestError {
  if (error.statusCode !== 403) return error;
  return new ArmRequestError({
    message: error.message,
    code: "RoleAssignmentNotAllowed",
    statusCode: error.statusCode,
    requestId: error.requestId,
    cause: error,
  });
}

function toError(e: unknown): ArmRequestError {
  return e instanceof ArmRequestError
    ? e
    : new ArmRequestError({ message: String(e), code: "Unexpected", cause: e });
}

function markMissing(reported: ReportedRoleAssignment[], step: RoleAssignmentStep): void {
  const desired = step.desired;
  const entry =
    desired && reported.find((r) => r.scope === desired.scope && r.role === desired.role);
  if (entry) entry.state = "missing";
}
