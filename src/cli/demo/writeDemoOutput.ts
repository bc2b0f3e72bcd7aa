import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { ClusterReport } from "../../lib/reconcile/contract.js";

/**
 * Writes `report.json` (`{clusters: [{id, distribution, status, identities, nextSteps}]}`) and
 * one ServiceAccount manifest file per cluster under `manifests/`, replacing earlier output.
 */
export async function writeDemoOutput(outDir: string, reports: ClusterReport[]): Promise<void> {
  const manifestsDir = join(outDir, "manifests");
  await rm(manifestsDir, { recursive: true, force: true });
  await mkdir(manifestsDir, { recursive: true });

  for (const r of reports) {
    if (r.manifests) await writeFile(join(manifestsDir, `${r.clusterName}.yaml`), r.manifests);
  }
  const clusters = reports.map((r) => ({
    id: r.clusterId,
    distribution: r.distribution ?? "",
    status: r.status,
    identities: r.identities
      .filter((i) => !i.problem)
      .map((i) => ({
        name: i.name,
        resourceId: i.resourceId,
        clientId: i.clientId,
        principalId: i.principalId,
        serviceAccounts: i.serviceAccounts,
      })),
    nextSteps: r.nextSteps,
    issuer: r.issuer,
    policyVersion: r.policyVersion,
  }));
  await writeFile(join(outDir, "report.json"), `${JSON.stringify({ clusters }, null, 2)}\n`);
}
