import {
  createContainerClient,
  createQueueClient,
  createTableClient,
  type StorageConnection,
} from "../../lib/config/storageConnection.js";
import { NAMES } from "../../lib/config/names.js";
import type { ClusterEventPublisher } from "../../lib/events/clusterEventPublisher.js";
import {
  BlobLeaseLockProvider,
  type BlobLeaseLockOptions,
} from "../../lib/locks/blobLeaseLockProvider.js";
import {
  readHostQueueSettings,
  type HostQueueSettings,
} from "../../lib/queue/hostQueueSettings.js";
import { SyncQueue } from "../../lib/queue/syncQueue.js";
import type {
  LockProvider,
  Reconciler,
  ReportStore,
  ShardStore,
} from "../../lib/reconcile/contract.js";
import { HistoryStore } from "../../lib/status/historyStore.js";
import { OperationStore } from "../../lib/status/operationStore.js";
import { StatusStore } from "../../lib/status/statusStore.js";
import type { AppRuntime } from "./appRuntime.js";

/** What the engine may be built over: the app's locks and stores. */
export interface EngineStores {
  locks: LockProvider;
  shards: ShardStore;
  reports: ReportStore;
}

/** Options of {@link buildAppRuntime}. */
export interface BuildAppRuntimeOptions {
  storage: StorageConnection;
  /** The engine, or how to build it over the app's locks and stores. */
  reconciler: Reconciler | ((stores: EngineStores) => Reconciler);
  allowedScopes: string[];
  appPrincipalId?: string;
  /** @default 120 minutes */
  waitDeadlineMs?: number;
  publisher?: ClusterEventPublisher;
  /** @default read from host.json in the current directory */
  hostQueueSettings?: HostQueueSettings;
  /** @default 10 */
  enqueuePerSecond?: number;
  /** @default 200000 */
  inlineBudgetMs?: number;
  /** @default 5000 */
  busyDelayMs?: number;
  lockOptions?: BlobLeaseLockOptions;
  /** @default Math.random */
  random?: () => number;
}

/**
 * Builds the handlers' runtime over a storage account (Azure, or Azurite locally): the queue
 * and its poison queue, the status and history tables, the lease container — each created
 * when missing — and the engine.
 */
export async function buildAppRuntime(options: BuildAppRuntimeOptions): Promise<AppRuntime> {
  const settings = options.hostQueueSettings ?? (await readHostQueueSettings());
  const queue = new SyncQueue(createQueueClient(options.storage, NAMES.syncQueue), settings);
  const poisonQueue = createQueueClient(options.storage, NAMES.poisonQueue);
  const statusTable = createTableClient(options.storage, NAMES.statusTable);
  const status = new StatusStore(statusTable);
  const history = new HistoryStore(createTableClient(options.storage, NAMES.historyTable));
  const container = createContainerClient(options.storage, NAMES.leaseContainer);
  const locks = new BlobLeaseLockProvider(container, options.lockOptions);

  await Promise.all([
    queue.ensureExists(),
    poisonQueue.createIfNotExists(),
    status.ensureExists(),
    history.ensureExists(),
    container.createIfNotExists(),
  ]);

  const reconciler =
    typeof options.reconciler === "function"
      ? options.reconciler({ locks, shards: status, reports: status })
      : options.reconciler;
  return {
    reconciler,
    queue,
    poisonQueue,
    status,
    history,
    operations: new OperationStore(statusTable),
    locks,
    ...(options.publisher ? { publisher: options.publisher } : {}),
    allowedScopes: options.allowedScopes,
    ...(options.appPrincipalId ? { appPrincipalId: options.appPrincipalId } : {}),
    waitDeadlineMs: options.waitDeadlineMs ?? 120 * 60_000,
    enqueuePerSecond: options.enqueuePerSecond ?? 10,
    inlineBudgetMs: options.inlineBudgetMs ?? 200_000,
    busyDelayMs: options.busyDelayMs ?? 5_000,
    random: options.random ?? Math.random,
  };
}
