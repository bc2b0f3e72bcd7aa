import { stringify } from "yaml";

import type { ReportedIdentity } from "../reconcile/contract.js";

/**
 * The ServiceAccount manifests a cluster admin (or a GitOps pipeline) applies: one YAML
 * document per federated service account, annotated with its identity's client id and tenant.
 * Identities without a client id yet (dry run, or nothing written) are left out.
 * @see https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
 */
export function renderManifests(identities: ReportedIdentity[]): string {
  const documents: string[] = [];
  for (const identity of identities) {
    if (!identity.clientId || identity.problem) continue;
    for (const sa of identity.serviceAccounts) {
      if (sa.credential === "missing") continue;
      documents.push(stringify(serviceAccount(sa.namespace, sa.name, identity)));
    }
  }
  return documents.join("---\n");
}

function serviceAccount(namespace: string, name: string, identity: ReportedIdentity): object {
  const annotations: Record<string, string> = {
    "azure.workload.identity/client-id": identity.clientId ?? "",
  };
  if (identity.tenantId) annotations["azure.workload.identity/tenant-id"] = identity.tenantId;
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, annotations },
  };
}
