/** Names shared by the Function app, the local host runner and infra/ (a test compares them). */
export const NAMES = {
  /** Storage queue that carries `{clusterId, reason, eventId}` to the worker. */
  syncQueue: "cluster-sync",
  /** Where the host moves a message after `maxDequeueCount` failures (host convention). */
  poisonQueue: "cluster-sync-poison",
  /** Last report per cluster and operation progress. */
  statusTable: "arcwistatus",
  /** Append-only history of every write. */
  historyTable: "arcwihistory",
  /** Blob container holding the lease blobs (per cluster, per identity family). */
  leaseContainer: "arc-wi-leases",
  /** Blob container Event Grid dead-letters into. */
  deadLetterContainer: "arc-wi-deadletter",
  functions: {
    onClusterEvent: "onClusterEvent",
    syncWorker: "syncWorker",
    poisonWorker: "syncPoison",
    driftSweep: "driftSweep",
  },
} as const;
