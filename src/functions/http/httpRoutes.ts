/** The HTTP functions: name, route (under /api) and the one method each accepts. */
export const HTTP_ROUTES = {
  syncCluster: {
    route: "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/sync",
    method: "POST",
  },
  syncFleet: { route: "sync", method: "POST" },
  getOperation: { route: "operations/{operationId}", method: "GET" },
  getClusterStatus: {
    route: "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/status",
    method: "GET",
  },
  getClusterManifests: {
    route: "clusters/{subscriptionId}/{resourceGroup}/{clusterName}/manifests",
    method: "GET",
  },
} as const;
