/**
 * The routes the emulator serves: path templates (matched case-insensitively, as ARM does),
 * their resource types, api-versions and handlers per method.
 */
import { deleteCluster, getCluster, listClusters, patchCluster, putCluster } from "./clusters.js";
import type { Handler } from "./context.js";
import {
  CREDENTIAL_TYPE,
  deleteCredential,
  getCredential,
  listCredentials,
  putCredential,
} from "./credentials.js";
import { getJwks, getOpenIdConfiguration } from "./discovery.js";
import {
  IDENTITY_TYPE,
  deleteIdentity,
  getIdentity,
  listIdentities,
  patchIdentity,
  putIdentity,
} from "./identities.js";
import { listMsiOperations } from "./msiOperations.js";
import { getOperationResult, getOperationStatus } from "./operations.js";
import {
  AUTHORIZATION_API_VERSIONS,
  ROLE_ASSIGNMENT_TYPE,
  matchRoleAssignmentPath,
  roleAssignmentHandlers,
} from "./roleAssignments.js";

/** connectedClusters api-versions: the two with OIDC fields, and the typed SDK's 2021-10-01. */
export const KUBERNETES_API_VERSIONS = ["2026-05-01", "2025-08-01-preview", "2021-10-01"] as const;
export const MSI_API_VERSIONS = ["2024-11-30", "2023-01-31"] as const;

/** How an identity-service request is charged against the MSI limits. */
export type MsiTarget = "identity" | "identities" | "credential" | "credentials" | "operations";

export interface Route {
  template: string;
  resourceType: string;
  /** Undefined for the public OIDC endpoints (no api-version, no token, no faults, no throttling). */
  apiVersions?: readonly string[];
  msi?: MsiTarget;
  methods: Partial<Record<string, Handler>>;
}

const K8S = "/providers/Microsoft.Kubernetes";
const MSI = "/providers/Microsoft.ManagedIdentity";
const SUB = "/subscriptions/{subscriptionId}";
const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
const CLUSTERS_TYPE = "Microsoft.Kubernetes/connectedClusters";

export const routes: readonly Route[] = [
  {
    template: "/oidc/{tenant}/{issuerId}/.well-known/openid-configuration",
    resourceType: "oidc/openid-configuration",
    methods: { GET: getOpenIdConfiguration },
  },
  {
    template: "/oidc/{tenant}/{issuerId}/openid/v1/jwks",
    resourceType: "oidc/jwks",
    methods: { GET: getJwks },
  },
  {
    template: `${K8S}/locations/{location}/operationStatuses/{operationId}`,
    resourceType: "Microsoft.Kubernetes/locations/operationStatuses",
    apiVersions: KUBERNETES_API_VERSIONS,
    methods: { GET: getOperationStatus },
  },
  {
    template: `${K8S}/locations/{location}/operationResults/{operationId}`,
    resourceType: "Microsoft.Kubernetes/locations/operationResults",
    apiVersions: KUBERNETES_API_VERSIONS,
    methods: { GET: getOperationResult },
  },
  {
    template: `${SUB}${K8S}/connectedClusters`,
    resourceType: CLUSTERS_TYPE,
    apiVersions: KUBERNETES_API_VERSIONS,
    methods: { GET: listClusters },
  },
  {
    template: `${RG}${K8S}/connectedClusters`,
    resourceType: CLUSTERS_TYPE,
    apiVersions: KUBERNETES_API_VERSIONS,
    methods: { GET: listClusters },
  },
  {
    template: `${RG}${K8S}/connectedClusters/{clusterName}`,
    resourceType: CLUSTERS_TYPE,
    apiVersions: KUBERNETES_API_VERSIONS,
    methods: { GET: getCluster, PUT: putCluster, PATCH: patchCluster, DELETE: deleteCluster },
  },
  {
    template: `${MSI}/operations`,
    resourceType: "Microsoft.ManagedIdentity/operations",
    apiVersions: MSI_API_VERSIONS,
    msi: "operations",
    methods: { GET: listMsiOperations },
  },
  {
    template: `${SUB}${MSI}/userAssignedIdentities`,
    resourceType: IDENTITY_TYPE,
    apiVersions: MSI_API_VERSIONS,
    msi: "identities",
    methods: { GET: listIdentities },
  },
  {
    template: `${RG}${MSI}/userAssignedIdentities`,
    resourceType: IDENTITY_TYPE,
    apiVersions: MSI_API_VERSIONS,
    msi: "identities",
    methods: { GET: listIdentities },
  },
  {
    template: `${RG}${MSI}/userAssignedIdentities/{resourceName}`,
    resourceType: IDENTITY_TYPE,
    apiVersions: MSI_API_VERSIONS,
    msi: "identity",
    methods: { GET: getIdentity, PUT: putIdentity, PATCH: patchIdentity, DELETE: deleteIdentity },
  },
  {
    template: `${RG}${MSI}/userAssignedIdentities/{resourceName}/federatedIdentityCredentials`,
    resourceType: CREDENTIAL_TYPE,
    apiVersions: MSI_API_VERSIONS,
    msi: "credentials",
    methods: { GET: listCredentials },
  },
  {
    template: `${RG}${MSI}/userAssignedIdentities/{resourceName}/federatedIdentityCredentials/{federatedIdentityCredentialResourceName}`,
    resourceType: CREDENTIAL_TYPE,
    apiVersions: MSI_API_VERSIONS,
    msi: "credential",
    methods: { GET: getCredential, PUT: putCredential, DELETE: deleteCredential },
  },
];

const compiled = routes.map((route) => ({
  route,
  parts: route.template.split("/").filter((p) => p !== ""),
}));

/** The route a path belongs to and its parameters (decoded, case kept), if any. */
export function matchRoute(
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.split("/").filter((s) => s !== "");
  for (const { route, parts } of compiled) {
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const segment = decodeURIComponent(segments[i]!);
      if (part.startsWith("{")) {
        params[part.slice(1, -1)] = segment;
        return true;
      }
      return part.toLowerCase() === segment.toLowerCase();
    });
    if (ok) return { route, params };
  }
  return matchRoleAssignmentRoute(pathname);
}

/** Role assignments live under any scope, so their paths have no fixed number of segments. */
const roleAssignmentRoutes = {
  item: {
    template: "/{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
    resourceType: ROLE_ASSIGNMENT_TYPE,
    apiVersions: AUTHORIZATION_API_VERSIONS,
    methods: roleAssignmentHandlers.item,
  },
  list: {
    template: "/{scope}/providers/Microsoft.Authorization/roleAssignments",
    resourceType: ROLE_ASSIGNMENT_TYPE,
    apiVersions: AUTHORIZATION_API_VERSIONS,
    methods: roleAssignmentHandlers.list,
  },
} satisfies Record<string, Route>;

function matchRoleAssignmentRoute(pathname: string) {
  const match = matchRoleAssignmentPath(pathname);
  if (match === undefined) return undefined;
  const route = match.item ? roleAssignmentRoutes.item : roleAssignmentRoutes.list;
  return { route, params: match.params };
}
