import { readFileSync } from "node:fs";

import { clusterIdOf } from "../../lib/arm/resourceId.js";

/** A cluster of the demo fleet, and the status the demo expects it to reach. */
export interface DemoCluster {
  id: string;
  name: string;
  distribution: string;
  expected: "Converged" | "ActionRequired";
}

interface SeedFile {
  subscriptionId?: string;
  clusters: {
    subscriptionId?: string;
    resourceGroup: string;
    name: string;
    distribution?: string;
    oidcIssuerProfile?: { selfHostedIssuerUrl?: string };
  }[];
}

const NEEDS_SELF_HOSTED_ISSUER = ["aks", "eks", "gke"];

/**
 * Reads the demo fleet from a seed file. A public-cloud cluster without a self-hosted issuer is
 * expected to end `ActionRequired` (a human must give it one); every other cluster `Converged`.
 */
export function readDemoFleet(seedPath: string): DemoCluster[] {
  const seed = JSON.parse(readFileSync(seedPath, "utf8")) as SeedFile;
  return seed.clusters.map((c) => {
    const subscriptionId = c.subscriptionId ?? seed.subscriptionId ?? "";
    const distribution = c.distribution ?? "";
    const needsIssuer =
      NEEDS_SELF_HOSTED_ISSUER.includes(distribution.toLowerCase()) &&
      !c.oidcIssuerProfile?.selfHostedIssuerUrl;
    return {
      id: clusterIdOf(subscriptionId, c.resourceGroup, c.name),
      name: c.name,
      distribution,
      expected: needsIssuer ? "ActionRequired" : "Converged",
    };
  });
}
