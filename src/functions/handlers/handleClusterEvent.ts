import type { InvocationContext } from "@azure/functions";

import {
  isSelectedCluster,
  oneRequestPerCluster,
  parseClusterEvents,
} from "../../lib/events/parseClusterEvent.js";
import type { AppRuntime } from "../runtime/appRuntime.js";
import { createContextLogger } from "../runtime/contextLogger.js";

/**
 * The Event Grid trigger: parses the delivery (one event or a batch, either schema), and only
 * enqueues `{clusterId, reason, eventId}` once per cluster it selects. Never calls ARM, never
 * trusts the payload beyond the cluster id; ignored events are logged once, with the reason.
 */
export async function handleClusterEvent(
  event: unknown,
  context: InvocationContext,
  runtime: AppRuntime,
): Promise<void> {
  const logger = createContextLogger(context);
  const outcomes = await parseClusterEvents(event, {
    allowedScopes: runtime.allowedScopes,
    ...(runtime.appPrincipalId ? { appPrincipalId: runtime.appPrincipalId } : {}),
  });

  for (const outcome of outcomes) {
    if (isSelectedCluster(outcome)) continue;
    const fields = {
      eventId: outcome.eventId,
      ignored: outcome.ignored,
      malformed: outcome.malformed,
    };
    if (outcome.malformed) logger.warn("event ignored", fields);
    else logger.debug("event ignored", fields);
  }
  const selected = outcomes.filter(isSelectedCluster);
  for (const { clusterId, reason, eventId, deleted } of oneRequestPerCluster(selected)) {
    await runtime.queue.enqueue({ clusterId, reason, eventId, ...(deleted ? { deleted } : {}) });
    logger.info("cluster enqueued", { cluster: clusterId, eventId, reason });
  }
}
