import { randomUUID } from "node:crypto";

import type { InvocationContext } from "@azure/functions";

import { isInvalidSyncMessage, parseSyncMessage } from "../../lib/queue/syncMessage.js";
import { toFailedReport } from "../../lib/status/failedReport.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { createContextLogger } from "../runtime/contextLogger.js";

/**
 * Reads the poison queue: a message the worker failed on `maxDequeueCount` times ends as a
 * `Failed` status carrying the last recorded cause — never silently. The drift sweep retries
 * the cluster later.
 */
export async function handleSyncPoison(
  input: unknown,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<void> {
  const logger = createContextLogger(context);
  const message = parseSyncMessage(input);
  if (isInvalidSyncMessage(message)) {
    logger.error("poison message dropped: malformed", { problems: message.problems.join("; ") });
    return;
  }

  const [failure, previous] = await Promise.all([
    runtime.status.getLastFailure(message.clusterId),
    runtime.status.getLastReport(message.clusterId),
  ]);
  const report = toFailedReport({
    clusterId: message.clusterId,
    code: failure?.code ?? "PoisonMessage",
    message: `The worker failed on this cluster until the queue gave up: ${failure?.message ?? "no cause was recorded"}`,
    policyVersion: runtime.reconciler.policyVersion,
    reconcileId: randomUUID(),
    ...(previous ? { previous } : {}),
  });

  await runtime.status.saveReport(report);
  if (message.operationId) {
    await runtime.operations.recordClusterStatus(message.operationId, report.clusterId, "Failed");
  }
  if (runtime.publisher) await runtime.publisher.publish(report);
  logger.error("cluster failed: message moved to the poison queue", {
    cluster: message.clusterId,
    eventId: message.eventId,
    code: report.error!.code,
  });
}
