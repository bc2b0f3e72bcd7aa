/**
 * A connectedCluster as ARM returns it (api-version 2026-05-01 / 2025-08-01-preview), kept as raw
 * JSON: only the fields this project reads are typed; everything else is carried through as is.
 */
/**
 * connectedClusters api-versions whose schema carries `oidcIssuerProfile` and
 * `securityProfile.workloadIdentity` (FACTS.md §1.1). An older one would drop them from the
 * engine's full PUT, so no other is accepted.
 */
export const CLUSTER_API_VERSIONS: readonly string[] = [
  "2026-05-01",
  "2026-03-01",
  "2025-08-01-preview",
  "2024-12-01-preview",
  "2024-07-15-preview",
  "2024-06-01-preview",
];

export interface ConnectedClusterJson {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  kind?: string;
  tags?: Record<string, string>;
  identity?: { type?: string; principalId?: string; tenantId?: string };
  properties?: {
    agentPublicKeyCertificate?: string;
    provisioningState?: string;
    connectivityStatus?: string;
    distribution?: string;
    oidcIssuerProfile?: { enabled?: boolean; issuerUrl?: string; selfHostedIssuerUrl?: string };
    securityProfile?: { workloadIdentity?: { enabled?: boolean } };
    arcAgentProfile?: {
      agentState?: string;
      agentErrors?: { message?: string; severity?: string; component?: string }[];
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Read-only paths of a connectedCluster (2026-05-01 spec). `[]` stands for every array item.
 * The PUT body leaves them out; everything else is sent back unchanged.
 */
const READ_ONLY_PATHS = [
  "id",
  "name",
  "type",
  "systemData",
  "etag",
  "identity.principalId",
  "identity.tenantId",
  "properties.kubernetesVersion",
  "properties.totalNodeCount",
  "properties.totalCoreCount",
  "properties.agentVersion",
  "properties.offering",
  "properties.managedIdentityCertificateExpirationTime",
  "properties.lastConnectivityTime",
  "properties.connectivityStatus",
  "properties.miscellaneousProperties",
  "properties.oidcIssuerProfile.issuerUrl",
  "properties.arcAgentProfile.agentState",
  "properties.arcAgentProfile.agentErrors",
  "properties.arcAgentProfile.systemComponents.[].currentVersion",
];

/**
 * The body of the full PUT that turns on the OIDC issuer and workload identity: the GET body
 * minus read-only fields and nulls, every other property unchanged and nothing defaulted, and
 * only `oidcIssuerProfile.enabled` and `securityProfile.workloadIdentity.enabled` set to true.
 *
 * NOTE: PATCH cannot carry these two flags in any api-version (FACTS.md §1.3); a PUT that left a
 * writable property out would reset it (gateway, aadProfile, arcAgentryConfigurations...).
 * @see https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity
 */
export function buildEnableFeaturesBody(current: ConnectedClusterJson): ConnectedClusterJson {
  const body = withoutNulls(structuredClone(current)) as ConnectedClusterJson;
  for (const path of READ_ONLY_PATHS) deletePath(body, path.split("."));

  const properties = body.properties ?? {};
  properties.oidcIssuerProfile = { ...(properties.oidcIssuerProfile ?? {}), enabled: true };
  properties.securityProfile = {
    ...(properties.securityProfile ?? {}),
    workloadIdentity: { ...(properties.securityProfile?.workloadIdentity ?? {}), enabled: true },
  };
  body.properties = properties;
  return body;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;

  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  }
  return out;
}

function deletePath(target: unknown, path: string[]): void {
  if (target === null || typeof target !== "object") return;
  const [head, ...rest] = path;
  if (head === undefined) return;

  if (head === "[]") {
    if (Array.isArray(target)) for (const item of target) deletePath(item, rest);
    return;
  }
  const record = target as Record<string, unknown>;
  if (rest.length === 0) delete record[head];
  else deletePath(record[head], rest);
}
