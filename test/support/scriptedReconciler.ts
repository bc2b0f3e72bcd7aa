import type {
  ClusterReport,
  ClusterStatus,
  ReconcileRequest,
  ReconcileResult,
  Reconciler,
} from "../../src/lib/reconcile/contract.js";

export const SUB = "11111111-2222-3333-4444-555555555555";
export const SCOPE = `/subscriptions/${SUB}`;

/** A cluster id in the test subscription. */
export function testClusterId(name: string, resourceGroup = "rg-edge"): string {
  return `/subscriptions/${SUB}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** A report with the given status (and everything else empty). */
export function reportFor(
  request: ReconcileRequest,
  status: ClusterStatus,
  extra: Partial<ClusterReport> = {},
): ClusterReport {
  return {
    clusterId: request.clusterId,
    clusterName: request.clusterId.split("/").pop()!,
    status,
    identities: [],
    actions: [],
    nextSteps: [],
    manifests: "",
    policyVersion: "test-policy",
    reconcileId: `r-${Math.random().toString(36).slice(2)}`,
    dryRun: request.dryRun === true,
    at: new Date().toISOString(),
    ...extra,
  };
}

/**
 * A hand-written Reconciler (an interface of ours, not an Azure SDK) for queue and HTTP
 * mechanics: `script` decides each result; every request is recorded.
 */
export function scriptedReconciler(
  script: (request: ReconcileRequest, call: number) => ReconcileResult | Promise<ReconcileResult>,
  clusters: string[] = [],
): Reconciler & { requests: ReconcileRequest[] } {
  const requests: ReconcileRequest[] = [];
  return {
    requests,
    policyVersion: "test-policy",
    reconcile: async (request) => {
      requests.push(request);
      return script(request, requests.length);
    },
    listClusterIds: (scope) =>
      Promise.resolve(clusters.filter((id) => id.toLowerCase().startsWith(scope.toLowerCase()))),
  };
}

/** Always converges. */
export function convergingReconciler(clusters: string[] = []) {
  return scriptedReconciler((request) => ({ report: reportFor(request, "Converged") }), clusters);
}
