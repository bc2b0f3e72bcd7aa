import { setTimeout as sleep } from "node:timers/promises";

import { ArmRequestError, isConflict, isNotFound } from "../arm/armRequestError.js";
import type { IdentityGateway, IdentityState } from "../arm/identityGateway.js";
import type { Logger } from "../log/logger.js";
import type { ActionResult } from "./contract.js";
import type { PlanStep } from "./planIdentity.js";

/** Retries of one write for Azure's known transient answers (client options, tests use ms). */
export interface WriteRetryOptions {
  /** Attempts for a 404 right after the parent's creation or a 409 concurrent write. @default 6 */
  attempts?: number;
  /** Delay between those attempts. @default 5000 */
  delayMs?: number;
}

/** What applying one identity's steps produced. */
export interface AppliedIdentity {
  results: ActionResult[];
  /** The identity as the create/update returned it (clientId, principalId). */
  identity?: IdentityState;
  /** The first error, when a step failed; later steps of this identity were not tried. */
  error?: ArmRequestError;
}

/**
 * Runs one identity's steps strictly one after another (credential writes on one identity
 * must never overlap, FACTS.md §4.2). Stops at the first failure. A 404 on a child write right
 * after the identity's creation and a 409 for a concurrent write are retried.
 */
export async function applyIdentitySteps(args: {
  steps: PlanStep[];
  gateway: IdentityGateway;
  retry: WriteRetryOptions;
  logger: Logger;
}): Promise<AppliedIdentity> {
  const applied: AppliedIdentity = { results: [] };
  let justCreated = false;
  for (const step of args.steps) {
    if (step.kind === "adoptCredential") {
      applied.results.push(result(step, "adopted"));
      continue;
    }
    try {
      if (justCreated && step.kind.endsWith("Credential")) {
        await waitUntilVisible(step, args.gateway, args.retry);
        justCreated = false;
      }
      // Every attempt is paced in the SDK pipeline (RequestPacer), retries included.
      const identity = await withRetry(() => runStep(step, args.gateway), args.retry);
      if (identity) applied.identity = identity;
      if (step.kind === "createIdentity") justCreated = true;
      applied.results.push(result(step, outcomeOf(step)));
      args.logger.info("applied action", {
        action: step.kind,
        target: step.target,
        outcome: outcomeOf(step),
      });
    } catch (e) {
      const error =
        e instanceof ArmRequestError
          ? e
          : new ArmRequestError({ message: String(e), code: "Unexpected", cause: e });
      applied.results.push({
        ...result(step, "failed"),
        errorCode: error.code,
        message: error.message,
        armRequestId: error.requestId,
      });
      applied.error = error;
      break;
    }
  }
  return applied;
}

async function runStep(
  step: PlanStep,
  gateway: IdentityGateway,
): Promise<IdentityState | undefined> {
  switch (step.kind) {
    case "createIdentity":
    case "updateIdentity": {
      const body = step.identityBody ?? { location: "", tags: {} };
      return gateway.put(step.identity, body.location, body.tags);
    }
    case "createCredential":
    case "updateCredential":
      if (step.credential) await gateway.putCredential(step.identity, step.credential);
      return undefined;
    case "deleteCredential":
      if (step.credential) await gateway.deleteCredential(step.identity, step.credential.name);
      return undefined;
    case "deleteIdentity":
      await gateway.delete(step.identity);
      return undefined;
    case "adoptCredential":
    case "enableClusterFeatures":
    case "createRoleAssignment":
    case "deleteRoleAssignment":
      // Role assignments have their own applier (applyRoleAssignments.ts).
      return undefined;
  }
}

async function withRetry<T>(work: () => Promise<T>, options: WriteRetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      // NOTE: a child write right after its parent's creation can 404 for a while, and two
      // writers on one identity get 409; both clear up on their own (FACTS.md, traps 4 and 7).
      const transient = isNotFound(e) || isConflict(e);
      if (!transient || attempt >= attempts) throw e;
      await sleep(options.delayMs ?? 5000);
    }
  }
}

function outcomeOf(step: PlanStep): ActionResult["outcome"] {
  if (step.kind.startsWith("create")) return "created";
  if (step.kind.startsWith("update")) return "updated";
  if (step.kind.startsWith("delete")) return "deleted";
  return "unchanged";
}

function result(step: PlanStep, outcome: ActionResult["outcome"]): ActionResult {
  return { kind: step.kind, target: step.target, reason: step.reason, outcome };
}

/**
 * After an identity's creation, reads it until Azure shows it, so its credential writes do not
 * spend the write budget on 404s. Reads are cheaper than writes (FACTS.md §4.2).
 */
async function waitUntilVisible(
  step: PlanStep,
  gateway: IdentityGateway,
  options: WriteRetryOptions,
): Promise<void> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; attempt < attempts; attempt++) {
    if (await gateway.get(step.identity)) return;
    await sleep(options.delayMs ?? 5000);
  }
}
