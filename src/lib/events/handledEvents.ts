/** The Event Grid event types `onClusterEvent` acts on; infra/ subscribes to exactly these. */
export const HANDLED_EVENT_TYPES = [
  "Microsoft.Resources.ResourceWriteSuccess",
  "Microsoft.Resources.ResourceDeleteSuccess",
] as const;

/** The ARM operations (`data.operationName`, compared case-insensitively) that select a cluster. */
export const HANDLED_OPERATIONS = [
  "Microsoft.Kubernetes/connectedClusters/write",
  "Microsoft.Kubernetes/connectedClusters/delete",
  "Microsoft.Resources/tags/write",
] as const;
