/**
 * The connectedCluster resource: reading a PUT body as the resource provider does (required
 * fields, enums, read-only fields ignored, omitted writable fields reset to their defaults) and
 * rendering a stored cluster as GET returns it at a given moment.
 */
import { armErrors } from "./errors.js";
import type { ClusterRecord } from "./state.js";

export const CLUSTER_TYPE = "Microsoft.Kubernetes/connectedClusters";

export const clusterKinds: Record<string, readonly string[]> = {
  "2026-05-01": ["ProvisionedCluster"],
  "2025-08-01-preview": ["ProvisionedCluster", "AWS"],
  "2021-10-01": [],
};

/** What a PUT body asks for, after validation. */
export interface ClusterWrite {
  location: string;
  tags: Record<string, string>;
  kind?: string;
  identityType: string;
  properties: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const enums: Record<string, readonly string[]> = {
  privateLinkState: ["Enabled", "Disabled"],
  azureHybridBenefit: ["True", "False", "NotApplicable"],
  agentAutoUpgrade: ["Enabled", "Disabled"],
  identityType: ["None", "SystemAssigned"],
};

/** Validates a connectedCluster PUT body; throws the ArmError the resource provider would. */
export function readClusterPut(body: unknown, apiVersion: string): ClusterWrite {
  if (!isObject(body)) throw armErrors.invalidRequestContent("the body must be a JSON object.");
  const location = body.location;
  if (typeof location !== "string" || location.trim() === "") throw armErrors.locationRequired();

  const identity = body.identity;
  if (!isObject(identity))
    throw armErrors.invalidRequestContent("required property 'identity' is missing.");
  const identityType = identity.type ?? "SystemAssigned";
  checkEnum("identity.type", identityType, enums.identityType!);

  const kind = body.kind;
  if (kind !== undefined) checkEnum("kind", kind, clusterKinds[apiVersion] ?? []);

  const props = body.properties;
  if (!isObject(props))
    throw armErrors.invalidRequestContent("required property 'properties' is missing.");
  const cert = props.agentPublicKeyCertificate;
  if (typeof cert !== "string") {
    throw armErrors.invalidRequestContent(
      "required property 'properties.agentPublicKeyCertificate' is missing.",
    );
  }
  if (cert === "" && kind === undefined) {
    throw armErrors.invalidRequestContent(
      "'properties.agentPublicKeyCertificate' must not be empty for a connected cluster.",
    );
  }

  return {
    location,
    tags: readTags(body.tags),
    ...(typeof kind === "string" ? { kind } : {}),
    identityType: identityType as string,
    properties: readWritableProperties(props),
  };
}

/** The tags of a body, checked against ARM's limits (50 tags, names ≤ 512, values ≤ 256). */
export function readTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (!isObject(tags))
    throw armErrors.invalidRequestContent("'tags' must be an object of strings.");
  const entries = Object.entries(tags);
  if (entries.length > 50)
    throw armErrors.invalidRequestContent("at most 50 tags are allowed on a resource.");
  for (const [name, value] of entries) {
    if (typeof value !== "string")
      throw armErrors.invalidRequestContent(`tag '${name}' must have a string value.`);
    if (name.length > 512 || value.length > 256) {
      throw armErrors.invalidRequestContent(
        `tag '${name}' is too long: names hold 512 and values 256 characters at most.`,
      );
    }
  }
  return { ...(tags as Record<string, string>) };
}

/** The writable properties of a body; everything else (read-only fields) is dropped. */
function readWritableProperties(p: Json): Json {
  const out: Json = {
    agentPublicKeyCertificate: p.agentPublicKeyCertificate,
    privateLinkState: p.privateLinkState ?? "Disabled",
    azureHybridBenefit: p.azureHybridBenefit ?? "NotApplicable",
  };
  checkEnum("properties.privateLinkState", out.privateLinkState, enums.privateLinkState!);
  checkEnum("properties.azureHybridBenefit", out.azureHybridBenefit, enums.azureHybridBenefit!);
  for (const key of [
    "distribution",
    "distributionVersion",
    "infrastructure",
    "privateLinkScopeResourceId",
  ]) {
    if (p[key] !== undefined) out[key] = checkString(`properties.${key}`, p[key]);
  }
  if (p.aadProfile !== undefined)
    out.aadProfile = pick(p.aadProfile, ["enableAzureRBAC", "adminGroupObjectIDs", "tenantID"]);
  out.arcAgentProfile = readAgentProfile(p.arcAgentProfile);
  if (p.securityProfile !== undefined) out.securityProfile = readSecurityProfile(p.securityProfile);
  if (p.oidcIssuerProfile !== undefined)
    out.oidcIssuerProfile = readOidcProfile(p.oidcIssuerProfile);
  if (p.gateway !== undefined && p.gateway !== null)
    out.gateway = pick(p.gateway, ["enabled", "resourceId"]);
  if (Array.isArray(p.arcAgentryConfigurations)) {
    out.arcAgentryConfigurations = p.arcAgentryConfigurations.map((c) =>
      pick(c, ["feature", "settings", "protectedSettings"]),
    );
  }
  return out;
}

function readAgentProfile(value: unknown): Json {
  const profile =
    value === undefined || value === null
      ? {}
      : pick(value, ["desiredAgentVersion", "agentAutoUpgrade", "systemComponents"]);
  profile.agentAutoUpgrade ??= "Enabled";
  checkEnum(
    "properties.arcAgentProfile.agentAutoUpgrade",
    profile.agentAutoUpgrade,
    enums.agentAutoUpgrade!,
  );
  if (Array.isArray(profile.systemComponents)) {
    profile.systemComponents = profile.systemComponents.map((c) =>
      pick(c, ["type", "userSpecifiedVersion", "majorVersion"]),
    );
  }
  return profile;
}

function readSecurityProfile(value: unknown): Json {
  const wi = isObject(value) ? value.workloadIdentity : undefined;
  if (wi === undefined) return {};
  const enabled = isObject(wi) ? wi.enabled : undefined;
  if (enabled !== undefined && typeof enabled !== "boolean") {
    throw armErrors.invalidRequestContent(
      "'properties.securityProfile.workloadIdentity.enabled' must be a boolean.",
    );
  }
  return { workloadIdentity: enabled === undefined ? {} : { enabled } };
}

function readOidcProfile(value: unknown): Json {
  const profile = pick(value, ["enabled", "selfHostedIssuerUrl"]);
  if (profile.enabled !== undefined && typeof profile.enabled !== "boolean") {
    throw armErrors.invalidRequestContent(
      "'properties.oidcIssuerProfile.enabled' must be a boolean.",
    );
  }
  if (profile.selfHostedIssuerUrl !== undefined)
    checkString("properties.oidcIssuerProfile.selfHostedIssuerUrl", profile.selfHostedIssuerUrl);
  return profile;
}

/** Whether stored properties have workload identity / OIDC switched on. */
export function isWorkloadIdentityOn(properties: Json): boolean {
  const security = properties.securityProfile as
    { workloadIdentity?: { enabled?: boolean } } | undefined;
  return security?.workloadIdentity?.enabled === true;
}

export function isOidcOn(properties: Json): boolean {
  return (properties.oidcIssuerProfile as { enabled?: boolean } | undefined)?.enabled === true;
}

/** ARM's normalised location name: "East US" → "eastus". */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function clusterId(
  c: Pick<ClusterRecord, "subscriptionId" | "resourceGroup" | "name">,
): string {
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/${CLUSTER_TYPE}/${c.name}`;
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pick(value: unknown, keys: readonly string[]): Json {
  if (!isObject(value))
    throw armErrors.invalidRequestContent(`expected an object, got ${JSON.stringify(value)}.`);
  const out: Json = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = structuredClone(value[key]);
  return out;
}

function checkString(path: string, value: unknown): string {
  if (typeof value !== "string")
    throw armErrors.invalidRequestContent(`'${path}' must be a string.`);
  return value;
}

function checkEnum(path: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    const list = allowed.length === 0 ? "none at this api-version" : allowed.join(", ");
    throw armErrors.invalidRequestContent(
      `'${path}' has the value ${JSON.stringify(value)}; allowed: ${list}.`,
    );
  }
}
