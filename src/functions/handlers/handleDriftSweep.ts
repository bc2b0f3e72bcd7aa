import type { InvocationContext } from "@azure/functions";

import { enqueueFleet } from "../../lib/queue/enqueueFleet.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { createContextLogger } from "../runtime/contextLogger.js";

/**
 * The drift timer: enumerates the clusters of the allowed scopes and enqueues each, paced —
 * it catches what events missed and retries clusters that ended `Failed`. Also reports the
 * poison queue's depth (a metric alerts can watch).
 */
export async function handleDriftSweep(
  _timer: unknown,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<void> {
  const logger = createContextLogger(context);
  const sweepId = `sweep-${new Date().toISOString()}`;

  const enqueued = await enqueueFleet({
    reconciler: runtime.reconciler,
    queue: runtime.queue,
    scopes: runtime.allowedScopes,
    reason: "sweep",
    eventId: sweepId,
    perSecond: runtime.enqueuePerSecond,
  });
  const poison = await runtime.poisonQueue.getProperties();

  logger.info("drift sweep enqueued", {
    eventId: sweepId,
    enqueued,
    poisonQueueDepth: poison.approximateMessagesCount ?? 0,
  });
}
