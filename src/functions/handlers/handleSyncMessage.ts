import type { InvocationContext } from "@azure/functions";

import { isInAllowedScopes } from "../../lib/config/allowedScopes.js";
import { clusterIdKey } from "../../lib/arm/clusterResourceId.js";
import { LockTimeoutError } from "../../lib/locks/lockTimeoutError.js";
import type { Logger } from "../../lib/log/logger.js";
import {
  isInvalidSyncMessage,
  parseSyncMessage,
  type SyncMessage,
} from "../../lib/queue/syncMessage.js";
import { createContextLogger } from "../runtime/contextLogger.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { recordOutcome } from "./recordOutcome.js";
import { runReconcile } from "./runReconcile.js";

/**
 * The queue worker: one reconcile per message, under the cluster's lease, so two workers never
 * reconcile the same cluster at once. A message for a busy cluster is requeued, a malformed
 * one is dropped with one error line, and an engine crash is rethrown for the host's retries.
 */
export async function handleSyncMessage(
  input: unknown,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<void> {
  const logger = createContextLogger(context);
  const message = parseSyncMessage(input);
  if (isInvalidSyncMessage(message)) {
    logger.error("queue message dropped: malformed", { problems: message.problems.join("; ") });
    return;
  }

  const log = logger.child({
    cluster: message.clusterId,
    eventId: message.eventId,
    trigger: message.reason,
  });
  if (!isInAllowedScopes(message.clusterId, runtime.allowedScopes)) {
    log.warn("queue message dropped: cluster outside the allowed scopes");
    return;
  }

  const run = await reconcileUnderLease(message, runtime, log);
  if (run === "busy") {
    await runtime.queue.enqueue(message, runtime.busyDelayMs * (1 + 2 * runtime.random()));
    log.info("cluster busy in another worker: requeued");
  }
}

/**
 * Reconciles under the cluster's lease. "busy" when another worker holds the cluster, or when
 * the engine waited too long for an identity's lock (many clusters sharing one identity): both
 * are worth another look soon, not a failure.
 */
async function reconcileUnderLease(
  message: SyncMessage,
  runtime: AppRuntime,
  log: Logger,
): Promise<"done" | "busy"> {
  try {
    const run = await runtime.locks.tryWithLock(
      `cluster/${clusterIdKey(message.clusterId)}`,
      async () => recordOutcome(message, await runReconcile(message, runtime), runtime, log),
    );
    return run.acquired ? "done" : "busy";
  } catch (error) {
    if (error instanceof LockTimeoutError) return "busy";
    throw error;
  }
}
