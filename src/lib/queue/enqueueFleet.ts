import { clusterIdKey } from "../arm/clusterResourceId.js";
import type { ReconcileReason, Reconciler } from "../reconcile/contract.js";
import type { SyncQueue } from "./syncQueue.js";

/** Options of {@link enqueueFleet}. */
export interface EnqueueFleetOptions {
  reconciler: Pick<Reconciler, "listClusterIds">;
  queue: SyncQueue;
  /** Scopes to enumerate (already narrowed to the allowed scopes). */
  scopes: readonly string[];
  /** Clusters named explicitly (already checked against the allowed scopes). */
  clusterIds?: readonly string[];
  reason: ReconcileReason;
  /** Id carried by every message (sweep id, operation id). */
  eventId: string;
  operationId?: string;
  /** Messages made visible per second. */
  perSecond: number;
}

/**
 * Enumerates the clusters of the scopes (ARM list calls only — no reconcile) and enqueues each
 * once, paced by visibility delays.
 * @returns how many clusters were enqueued.
 */
export async function enqueueFleet(options: EnqueueFleetOptions): Promise<number> {
  const clusters = new Map<string, string>();
  for (const id of options.clusterIds ?? []) clusters.set(clusterIdKey(id), id);
  for (const scope of options.scopes) {
    for (const id of await options.reconciler.listClusterIds(scope)) {
      clusters.set(clusterIdKey(id), id);
    }
  }

  const messages = [...clusters.values()].map((clusterId) => ({
    clusterId,
    reason: options.reason,
    eventId: options.eventId,
    ...(options.operationId ? { operationId: options.operationId } : {}),
  }));
  return options.queue.enqueueMany(messages, { perSecond: options.perSecond });
}
