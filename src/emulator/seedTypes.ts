/**
 * The seed file (examples/fleet.json): clusters and, optionally, identities with their
 * credentials, to reproduce a fleet as it is. Role assignments are accepted and kept, not served.
 */
import { z } from "zod";

const tags = z.record(z.string(), z.string());

export const seedCredentialSchema = z.object({
  name: z.string(),
  issuer: z.string(),
  subject: z.string(),
  audiences: z.array(z.string()).optional(),
});

export const seedClusterSchema = z.looseObject({
  subscriptionId: z.string().optional(),
  resourceGroup: z.string().min(1),
  name: z.string().min(1),
  location: z.string().optional(),
  tags: tags.optional(),
  kind: z.string().optional(),
  distribution: z.string().optional(),
  distributionVersion: z.string().optional(),
  infrastructure: z.string().optional(),
  connectivityStatus: z
    .enum(["Connecting", "Connected", "Offline", "Expired", "AgentNotInstalled"])
    .optional(),
  provisioningState: z.string().optional(),
  agentState: z.string().optional(),
  agentPublicKeyCertificate: z.string().optional(),
  identity: z.object({ type: z.enum(["None", "SystemAssigned"]) }).optional(),
  oidcIssuerProfile: z
    .object({
      enabled: z.boolean().optional(),
      issuerUrl: z.string().optional(),
      selfHostedIssuerUrl: z.string().optional(),
    })
    .optional(),
  securityProfile: z
    .object({ workloadIdentity: z.object({ enabled: z.boolean().optional() }).optional() })
    .optional(),
  /** A fixed uuid for the cluster's issuer URL; default derived from the cluster id. */
  issuerId: z.uuid().optional(),
  kubernetesVersion: z.string().optional(),
  totalNodeCount: z.number().int().optional(),
  totalCoreCount: z.number().int().optional(),
  agentVersion: z.string().optional(),
});

export const seedIdentitySchema = z.object({
  id: z.string().optional(),
  subscriptionId: z.string().optional(),
  resourceGroup: z.string().optional(),
  name: z.string().optional(),
  location: z.string().optional(),
  tags: tags.optional(),
  clientId: z.uuid().optional(),
  principalId: z.uuid().optional(),
  isolationScope: z.enum(["None", "Regional"]).optional(),
  federatedIdentityCredentials: z.array(seedCredentialSchema).optional(),
});

export const seedSchema = z.object({
  $schema: z.string().optional(),
  description: z.string().optional(),
  subscriptionId: z.string().optional(),
  tenantId: z.string().optional(),
  clusters: z.array(seedClusterSchema).optional(),
  identities: z.array(seedIdentitySchema).optional(),
  roleAssignments: z.array(z.unknown()).optional(),
});

export type EmulatorSeed = z.input<typeof seedSchema>;
export type SeedCluster = z.input<typeof seedClusterSchema>;
export type SeedIdentity = z.input<typeof seedIdentitySchema>;
export type SeedCredential = z.input<typeof seedCredentialSchema>;
