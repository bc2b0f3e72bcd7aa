import { tryParseIdentityResourceId } from "./identityResourceId.js";
import { placeIdentity, type IdentityPlacement } from "./identityPlacement.js";
import {
  MAX_CREDENTIALS_PER_IDENTITY,
  type PolicyDocument,
  type PolicyIdentity,
  type PolicyProfile,
} from "./policySchema.js";
import type {
  DesiredIdentity,
  DesiredRoleAssignment,
  DesiredServiceAccount,
  IdentityProblem,
} from "./policyTypes.js";
import { resolveRole } from "./roleDefinitions.js";
import type { RenderContext } from "./renderTemplate.js";
import { readTagServiceAccounts } from "./tagServiceAccounts.js";

/** Input of {@link buildDesiredIdentity}. */
export interface BuildIdentityOptions {
  profileName: string;
  profile: PolicyProfile;
  identity: PolicyIdentity;
  defaults: PolicyDocument["defaults"];
  context: RenderContext;
}

/** The identity to write (absent when it cannot be, or has no service account), and problems. */
export interface BuiltIdentity {
  identity?: DesiredIdentity;
  problems: IdentityProblem[];
}

/**
 * Renders one identity of a selected profile for one cluster. A problem with its name, resource
 * group or location leaves it out entirely; a refused service-account tag only drops what the tag
 * supplied. An identity left with no service account is not wanted on this cluster.
 */
export function buildDesiredIdentity(options: BuildIdentityOptions): BuiltIdentity {
  const { profileName, identity } = options;
  const key = `${profileName}/${identity.id}`;

  const placement = placeOrReference(options);
  if (!placement.ok) {
    return { problems: [{ identityKey: key, code: placement.code, message: placement.message }] };
  }

  const fromTag = readServiceAccountsFromTag(options, key);
  const serviceAccounts = mergeServiceAccounts(identity.serviceAccounts, fromTag.accounts);
  if (serviceAccounts.length === 0) {
    return { problems: fromTag.problems };
  }

  const desired: DesiredIdentity = {
    key,
    scope: identity.scope,
    ...placement.value,
    serviceAccounts,
    onRemove: identity.scope === "cluster" ? (identity.onRemove ?? "keep") : "keep",
    maxCredentialsPerShard: identity.maxCredentialsPerShard ?? MAX_CREDENTIALS_PER_IDENTITY,
    tags: { ...identity.tags },
  };
  const roles = toDesiredRoles(identity.roleAssignments ?? []);
  if (roles.length > 0) desired.roleAssignments = roles;
  return { identity: desired, problems: fromTag.problems };
}

type Located = IdentityPlacement & { subscriptionId: string; existingResourceId?: string };
type PlaceResult = { ok: true; value: Located } | { ok: false; code: string; message: string };

function placeOrReference(options: BuildIdentityOptions): PlaceResult {
  const { identity, defaults, context } = options;

  if (identity.scope === "existing") {
    const resourceId = identity.resourceId ?? "";
    const parts = tryParseIdentityResourceId(resourceId);
    if (parts === undefined) {
      return {
        ok: false,
        code: "InvalidIdentityName",
        message: "resourceId is not an identity id; fix the policy",
      };
    }
    const location = identity.location ?? "";
    return { ok: true, value: { ...parts, location, existingResourceId: resourceId } };
  }

  const placed = placeIdentity(identity, defaults, context);
  if (!placed.ok) {
    return placed;
  }
  const subscriptionId = identity.subscription ?? context.cluster.subscriptionId;
  return { ok: true, value: { ...placed.placement, subscriptionId } };
}

function readServiceAccountsFromTag(options: BuildIdentityOptions, key: string) {
  const setting = options.profile.serviceAccountsFromTag;
  if (setting === undefined || setting.identity !== options.identity.id) {
    return { accounts: [], problems: [] };
  }
  return readTagServiceAccounts(setting, options.context.tags, key);
}

function mergeServiceAccounts(
  fromPolicy: readonly string[],
  fromTag: readonly DesiredServiceAccount[],
): DesiredServiceAccount[] {
  const merged: DesiredServiceAccount[] = fromPolicy.map((entry) => {
    const [namespace = "", name = ""] = entry.split("/");
    return { namespace, name, source: "policy" };
  });
  for (const account of fromTag) {
    if (!merged.some((m) => m.namespace === account.namespace && m.name === account.name)) {
      merged.push(account);
    }
  }
  return merged;
}

/** The policy's role assignments with their GUIDs (parsePolicy already refused bad ones). */
function toDesiredRoles(
  entries: readonly { role: string; scope: string }[],
): DesiredRoleAssignment[] {
  return entries.flatMap(({ role, scope }) => {
    const resolved = resolveRole(role);
    return resolved.ok ? [{ role, roleDefinitionGuid: resolved.guid, scope }] : [];
  });
}
