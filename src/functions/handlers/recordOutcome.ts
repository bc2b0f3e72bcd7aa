import { randomUUID } from "node:crypto";

import type { Logger } from "../../lib/log/logger.js";
import { decideRequeue, type RequeueDecision } from "../../lib/queue/decideRequeue.js";
import type { SyncMessage } from "../../lib/queue/syncMessage.js";
import type { ClusterReport, ReconcileResult } from "../../lib/reconcile/contract.js";
import { toFailedReport } from "../../lib/status/failedReport.js";
import type { AppRuntime } from "../runtime/appRuntime.js";

/**
 * After a reconcile: decides whether to look again, stores the report (a deadline turns a
 * wait into `Failed`), appends the writes to the history, updates the operation, publishes a
 * status change, and requeues with a visibility delay when the cluster must wait.
 */
export async function recordOutcome(
  message: SyncMessage,
  result: ReconcileResult,
  runtime: AppRuntime,
  logger: Logger,
): Promise<{ report: ClusterReport; decision: RequeueDecision }> {
  const decision = decideRequeue(result, message, {
    now: new Date(),
    deadlineMs: runtime.waitDeadlineMs,
    random: runtime.random,
  });
  const report =
    decision.kind === "deadline" ? deadlineReport(result.report, decision.waitedMs) : result.report;

  const previous = runtime.publisher
    ? await runtime.status.getLastReport(report.clusterId)
    : undefined;
  await runtime.status.saveReport(report);
  const writes = await runtime.history.append(report, message.reason);
  if (message.operationId) {
    await runtime.operations.recordClusterStatus(
      message.operationId,
      report.clusterId,
      report.status,
    );
  }
  if (runtime.publisher && previous?.status !== report.status)
    await runtime.publisher.publish(report);
  if (decision.kind === "requeue") await runtime.queue.enqueue(decision.message, decision.delayMs);

  logger.info("reconcile recorded", {
    status: report.status,
    reconcileId: report.reconcileId,
    writes,
    requeueDelayMs: decision.kind === "requeue" ? decision.delayMs : undefined,
    throttled: report.status === "Throttled",
    // Time to converge for clusters that had to wait (from their first requeue).
    waitedMs: message.waitingSince ? Date.now() - Date.parse(message.waitingSince) : undefined,
  });
  return { report, decision };
}

function deadlineReport(report: ClusterReport, waitedMs: number): ClusterReport {
  const minutes = Math.round(waitedMs / 60_000);
  return toFailedReport({
    clusterId: report.clusterId,
    code: "WaitDeadlineExceeded",
    message: `Still ${report.status} after ${minutes} minute(s), past ARC_WI_WAIT_DEADLINE_MINUTES. The drift sweep tries again; see nextSteps for what the cluster is waiting on.`,
    policyVersion: report.policyVersion,
    reconcileId: report.reconcileId || randomUUID(),
    previous: report,
  });
}
