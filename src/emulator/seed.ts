/**
 * Loading a seed: seeded clusters are connected, provisioned and converged unless the seed says
 * otherwise, with OIDC issuers ready at once; seeded identities are visible at once. Every
 * problem in a seed is listed before anything is applied.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { clusterId, readClusterPut } from "./clusterModel.js";
import { defaultReported } from "./clusters.js";
import type { EmulatorContext } from "./context.js";
import { readCredentialBody, TOKEN_EXCHANGE_AUDIENCE } from "./credentials.js";
import { ArmError } from "./errors.js";
import { identityId } from "./identities.js";
import { seedSchema, type EmulatorSeed, type SeedCluster, type SeedIdentity } from "./seedTypes.js";
import { resourceKey, type ClusterRecord, type IdentityRecord } from "./state.js";

export const DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
const DEFAULT_LOCATION = "eastus";
const DAY_MS = 24 * 3600 * 1000;

/** A stable uuid derived from `input` (so a seeded fleet has the same ids on every start). */
export function stableUuid(input: string): string {
  const hex = createHash("sha256").update(input.toLowerCase()).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Reads and validates a seed file; throws one error listing every problem. */
export function readSeedFile(path: string): EmulatorSeed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the seed file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseSeed(parsed, path);
}

/** Validates a seed object; throws one error listing every problem, each with its path. */
export function parseSeed(value: unknown, source = "seed"): EmulatorSeed {
  const result = seedSchema.safeParse(value);
  if (!result.success)
    throw new Error(
      `The ${source} is not a valid emulator seed:\n${z.prettifyError(result.error)}`,
    );
  return value as EmulatorSeed;
}

/** Adds the seed's clusters and identities to the store (replacing any with the same names). */
export function applySeed(ctx: EmulatorContext, seed: EmulatorSeed): void {
  parseSeed(seed);
  const problems: string[] = [];
  const clusters = (seed.clusters ?? []).flatMap((c, i) =>
    tryBuild(problems, `clusters[${i}]`, () => seedClusterRecord(ctx, seed, c)),
  );
  const identities = (seed.identities ?? []).flatMap((s, i) =>
    tryBuild(problems, `identities[${i}]`, () => seedIdentityRecord(ctx, seed, s)),
  );
  if (problems.length > 0)
    throw new Error(`The seed is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);

  for (const c of clusters)
    ctx.store.clusters.set(resourceKey(c.subscriptionId, c.resourceGroup, c.name), c);
  for (const i of identities)
    ctx.store.identities.set(resourceKey(i.subscriptionId, i.resourceGroup, i.name), i);
  ctx.store.roleAssignments.push(...(seed.roleAssignments ?? []));
  ctx.markDirty();
}

function tryBuild<T>(problems: string[], path: string, build: () => T): T[] {
  try {
    return [build()];
  } catch (error) {
    const message =
      error instanceof ArmError ? `${error.code}: ${error.message}` : (error as Error).message;
    problems.push(`${path}: ${message}`);
    return [];
  }
}

function seedClusterRecord(
  ctx: EmulatorContext,
  seed: EmulatorSeed,
  s: SeedCluster,
): ClusterRecord {
  const names = {
    subscriptionId: s.subscriptionId ?? seed.subscriptionId ?? DEFAULT_SUBSCRIPTION,
    resourceGroup: s.resourceGroup,
    name: s.name,
  };
  const id = clusterId(names);
  const { location, tags, kind, identity, ...rest } = s as Record<string, unknown>;
  const props = Object.fromEntries(
    Object.entries(rest).filter(
      ([key]) => !["subscriptionId", "resourceGroup", "name"].includes(key),
    ),
  );
  const write = readClusterPut(
    {
      location: location ?? DEFAULT_LOCATION,
      tags: tags ?? {},
      ...(kind === undefined ? {} : { kind }),
      identity: identity ?? { type: "SystemAssigned" },
      properties: {
        agentPublicKeyCertificate: kind === "ProvisionedCluster" ? "" : SAMPLE_AGENT_CERT,
        ...props,
      },
    },
    "2025-08-01-preview",
  );
  const now = ctx.clock.now();
  const connectivity = s.connectivityStatus ?? "Connected";
  const provisioning = s.provisioningState ?? "Succeeded";
  const oidc = s.oidcIssuerProfile;
  const agentState =
    s.agentState ?? (s.arcAgentProfile as { agentState?: string } | undefined)?.agentState;
  return {
    id,
    ...names,
    location: write.location,
    tags: write.tags,
    ...(write.kind === undefined ? {} : { kind: write.kind }),
    identity:
      write.identityType === "SystemAssigned"
        ? {
            type: "SystemAssigned",
            principalId: stableUuid(`principal:${id}`),
            tenantId: ctx.tenantId,
          }
        : { type: "None" },
    properties: write.properties,
    reported: {
      ...defaultReported(now),
      ...pickDefined({
        kubernetesVersion: s.kubernetesVersion,
        totalNodeCount: s.totalNodeCount,
        totalCoreCount: s.totalCoreCount,
        agentVersion: s.agentVersion,
      }),
    },
    connectivity:
      connectivity === "Connecting"
        ? { pending: "Connecting", final: "Connected", until: now + ctx.config.delays.connectMs }
        : { pending: connectivity, final: connectivity, until: 0 },
    provisioning: { pending: provisioning, final: provisioning, until: 0 },
    agentConvergeAt: 0,
    ...(agentState === undefined ? {} : { agentState }),
    issuerId: s.issuerId ?? stableUuid(`issuer:${id}`),
    ...(oidc?.enabled === true ? { issuerReadyAt: 0 } : {}),
    ...(oidc?.issuerUrl ? { issuerUrlOverride: oidc.issuerUrl } : {}),
    createdAt: now - 30 * DAY_MS,
    lastModifiedAt: now - 30 * DAY_MS,
  };
}

const ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

function seedIdentityRecord(
  ctx: EmulatorContext,
  seed: EmulatorSeed,
  s: SeedIdentity,
): IdentityRecord {
  const fromId = s.id === undefined ? undefined : ID_PATTERN.exec(s.id);
  if (s.id !== undefined && fromId === null)
    throw new Error(`'id' ${s.id} is not a user-assigned identity id`);
  const subscriptionId =
    fromId?.[1] ?? s.subscriptionId ?? seed.subscriptionId ?? DEFAULT_SUBSCRIPTION;
  const resourceGroup = fromId?.[2] ?? s.resourceGroup;
  const name = fromId?.[3] ?? s.name;
  if (resourceGroup === undefined || name === undefined)
    throw new Error("give 'id', or 'resourceGroup' and 'name'");

  const id = identityId(subscriptionId, resourceGroup, name);
  const credentials = (s.federatedIdentityCredentials ?? []).map((c) => ({
    name: c.name,
    ...readCredentialBody({
      properties: {
        issuer: c.issuer,
        subject: c.subject,
        audiences: c.audiences ?? [TOKEN_EXCHANGE_AUDIENCE],
      },
    }),
  }));
  if (credentials.length > ctx.config.ficLimitPerIdentity)
    throw new Error(`more than ${ctx.config.ficLimitPerIdentity} federated identity credentials`);
  const now = ctx.clock.now();
  return {
    id,
    subscriptionId,
    resourceGroup,
    name,
    location: s.location ?? DEFAULT_LOCATION,
    tags: s.tags ?? {},
    clientId: s.clientId ?? stableUuid(`client:${id}`),
    principalId: s.principalId ?? stableUuid(`principal:${id}`),
    tenantId: ctx.tenantId,
    ...(s.isolationScope === undefined ? {} : { isolationScope: s.isolationScope }),
    createdAt: now - 30 * DAY_MS,
    visibleAt: 0,
    credentials,
  };
}

function pickDefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** A realistic base64 DER public key, as `az connectedk8s connect` uploads for the agents. */
const SAMPLE_AGENT_CERT =
  "MIICCgKCAgEAu1Xx0nVG9w0BAQEFAAOCAg8AMIICCgKCAgEAyJ4r1o5M0H1uY9QmQnLr0y8k8nJc3Zr2l0xk6Qm3v7n4s9p1t2q8w6e5r4y3u2i1o0p9a8s7d6f5g4h3j2k1l0zXcVbNm1Q2w3E4r5T6y7U8i9O0p1A2s3D4f5G6h7J8k9L0z1X2c3V4b5N6m7Q8w9E0r1T2y3U4i5O6p7A8s9D0f1G2h3J4k5L6z7X8c9V0b1N2m3Q4w5E6r7T8y9U0i1O2p3A4s5D6f7G8h9J0k1L2z3X4c5V6b7N8m9Q0w1E2r3T4y5U6i7O8p9A0s1D2f3G4h5J6k7L8z9X0c1V2b3N4m5Q6w7E8r9T0y1U2i3O4p5A6s7D8f9G0h1J2k3L4z5X6c7V8b9N0m1Q2w3E4r5T6y7U8i9O0p1A2s3D4f5G6h7J8k9L0CAwEAAQ==";
