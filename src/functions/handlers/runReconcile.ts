import { LockTimeoutError } from "../../lib/locks/lockTimeoutError.js";
import type { SyncMessage } from "../../lib/queue/syncMessage.js";
import type { ReconcileResult } from "../../lib/reconcile/contract.js";
import type { AppRuntime } from "../runtime/appRuntime.js";

/**
 * Runs one reconcile for a queue message. When the engine throws (a bug, storage down), the
 * cause is recorded for the poison function and the error is rethrown, so the host retries.
 * A lock that stayed taken (`LockTimeout`, retryable) is rethrown without being recorded.
 */
export async function runReconcile(
  message: SyncMessage,
  runtime: AppRuntime,
  dryRun = false,
): Promise<ReconcileResult> {
  try {
    return await runtime.reconciler.reconcile({
      clusterId: message.clusterId,
      reason: message.reason,
      dryRun,
      ...(message.deleted ? { deleted: true } : {}),
      ...(message.notFoundCount !== undefined ? { notFoundCount: message.notFoundCount } : {}),
    });
  } catch (error) {
    if (error instanceof LockTimeoutError) throw error;
    const code = (error as { code?: unknown }).code;
    await runtime.status.recordFailure(message.clusterId, {
      code:
        typeof code === "string" && /^[A-Z][A-Za-z0-9]+$/.test(code) ? code : "ReconcileCrashed",
      message: error instanceof Error ? error.message : "The reconcile failed without an error.",
      at: new Date().toISOString(),
    });
    throw error;
  }
}

/** Whether the engine found no such cluster (its first 404: it would look again). */
export function isClusterNotFound(result: ReconcileResult): boolean {
  return (
    result.notFoundCount !== undefined &&
    result.notFoundCount > 0 &&
    result.report.status === "WaitingForCluster"
  );
}
