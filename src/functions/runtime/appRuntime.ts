import type { QueueClient } from "@azure/storage-queue";

import type { ClusterEventPublisher } from "../../lib/events/clusterEventPublisher.js";
import type { BlobLeaseLockProvider } from "../../lib/locks/blobLeaseLockProvider.js";
import type { SyncQueue } from "../../lib/queue/syncQueue.js";
import type { Reconciler } from "../../lib/reconcile/contract.js";
import type { HistoryStore } from "../../lib/status/historyStore.js";
import type { OperationStore } from "../../lib/status/operationStore.js";
import type { StatusStore } from "../../lib/status/statusStore.js";

/** Everything the handlers need, built once per process from the app settings. */
export interface AppRuntime {
  reconciler: Reconciler;
  queue: SyncQueue;
  poisonQueue: QueueClient;
  status: StatusStore;
  history: HistoryStore;
  operations: OperationStore;
  locks: BlobLeaseLockProvider;
  publisher?: ClusterEventPublisher;
  allowedScopes: string[];
  appPrincipalId?: string;
  /** Waiting longer than this ends as `Failed` (the drift sweep retries later). */
  waitDeadlineMs: number;
  /** Pacing of fleet-wide enqueues (messages made visible per second). */
  enqueuePerSecond: number;
  /** An HTTP sync answers 202 when the reconcile has not ended by then (HTTP is cut at 230 s). */
  inlineBudgetMs: number;
  /** A message for a cluster busy in another worker comes back after 1-3 times this. */
  busyDelayMs: number;
  /** Jitter source; seeded in tests. */
  random: () => number;
}

type RuntimeFactory = () => Promise<AppRuntime>;

let factory: RuntimeFactory | undefined;
let pending: Promise<AppRuntime> | undefined;

/**
 * The process's runtime, built on first use. Without {@link setAppRuntimeFactory} it is built
 * from the app settings (the Functions host); the local host runner and tests set their own.
 */
export function getAppRuntime(): Promise<AppRuntime> {
  if (!pending) {
    pending = (factory ?? defaultFactory)();
    // A failed build (bad settings) is retried on the next invocation, not cached.
    pending.catch(() => (pending = undefined));
  }
  return pending;
}

/** Replaces how the runtime is built (and forgets the current one). */
export function setAppRuntimeFactory(next: RuntimeFactory | undefined): void {
  factory = next;
  pending = undefined;
}

async function defaultFactory(): Promise<AppRuntime> {
  const { createAppRuntimeFromSettings } = await import("./createAppRuntimeFromSettings.js");
  return createAppRuntimeFromSettings();
}
