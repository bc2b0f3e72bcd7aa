import {
  explainIdentityName,
  explainResourceGroupName,
  IDENTITY_NAME_CHARS,
  IDENTITY_NAME_MAX,
  isLocationName,
  normalizeLocation,
  SHARED_BASE_NAME_MAX,
} from "./azureNames.js";
import { displayValue } from "./displayValue.js";
import type { PolicyDocument, PolicyIdentity } from "./policySchema.js";
import {
  renderTemplate,
  type RenderContext,
  type RenderRules,
  type UsedTag,
} from "./renderTemplate.js";
import { parseTemplate } from "./template.js";

/** Where a created identity goes: its rendered name, resource group and location. */
export interface IdentityPlacement {
  name: string;
  resourceGroup: string;
  location: string;
}

/** A placement, or the problem that keeps the identity from being written. */
export type PlacementResult =
  { ok: true; placement: IdentityPlacement } | { ok: false; code: string; message: string };

const NAME_RULES: RenderRules = {
  what: "identity name",
  explainTagValue: (value: string) =>
    IDENTITY_NAME_CHARS.test(value)
      ? undefined
      : 'holds characters other than letters, digits, "-" and "_"',
};
const LOCATION_RULES: RenderRules = {
  what: "identity location",
  explainTagValue: (value: string) =>
    isLocationName(value) ? undefined : 'is not a normalized Azure location such as "westeurope"',
};
const NO_TAGS: RenderRules = {
  what: "resource group",
  explainTagValue: () => "is not allowed here",
};

/**
 * Renders the name, resource group and location of a `cluster` or `shared` identity and checks
 * each against Azure's rules; a location in `defaults.unsupportedCredentialRegions` moves to
 * `defaults.fallbackRegion`, or is an `UnsupportedRegion` problem when the policy names none.
 */
export function placeIdentity(
  identity: PolicyIdentity,
  defaults: PolicyDocument["defaults"],
  context: RenderContext,
): PlacementResult {
  const name = renderName(identity, context);
  if (!name.ok) {
    return name;
  }
  const resourceGroup = renderResourceGroup(identity.resourceGroup ?? "", context);
  if (!resourceGroup.ok) {
    return resourceGroup;
  }
  const location = renderLocation(identity.location ?? "{location}", context);
  if (!location.ok) {
    return location;
  }
  const placed = placeInSupportedRegion(location.value, defaults);
  if (!placed.ok) {
    return placed;
  }
  return {
    ok: true,
    placement: { name: name.value, resourceGroup: resourceGroup.value, location: placed.value },
  };
}

type Rendered = { ok: true; value: string } | { ok: false; code: string; message: string };

function render(template: string, context: RenderContext, rules: RenderRules) {
  const parsed = parseTemplate(template);
  // The schema refused unparsable templates, so this only guards the types.
  return parsed.ok
    ? renderTemplate(parsed.parts, context, rules)
    : renderTemplate([], context, rules);
}

function renderName(identity: PolicyIdentity, context: RenderContext): Rendered {
  const template = identity.name ?? "";
  const rendered = render(template, context, NAME_RULES);
  if (!rendered.ok) {
    return rendered;
  }

  const max = identity.scope === "shared" ? SHARED_BASE_NAME_MAX : IDENTITY_NAME_MAX;
  const problem = explainIdentityName(rendered.value, max);
  if (problem === undefined) {
    return { ok: true, value: rendered.value };
  }
  const room =
    identity.scope === "shared"
      ? " (a shared identity keeps 4 characters for its shard suffix)"
      : "";
  const message = `the name ${displayValue(rendered.value)} rendered from ${displayValue(template)} ${problem}${room}; ${fixHint(rendered.usedTags)}`;
  return { ok: false, code: "InvalidIdentityName", message };
}

function fixHint(usedTags: UsedTag[]): string {
  if (usedTags.length === 0) {
    return "change the name template";
  }
  const tags = usedTags.map((t) => `${displayValue(t.key)}=${displayValue(t.value)}`).join(", ");
  return `it came from tag ${tags}: shorten or fix the tag on the cluster, or change the template`;
}

function renderResourceGroup(template: string, context: RenderContext): Rendered {
  const rendered = render(template, context, NO_TAGS);
  if (!rendered.ok) {
    return rendered;
  }
  const problem = explainResourceGroupName(rendered.value);
  if (problem === undefined) {
    return { ok: true, value: rendered.value };
  }
  const message = `the resource group ${displayValue(rendered.value)} rendered from ${displayValue(template)} ${problem}; change the identity's resourceGroup`;
  return { ok: false, code: "InvalidResourceGroup", message };
}

function renderLocation(template: string, context: RenderContext): Rendered {
  const rendered = render(template, context, LOCATION_RULES);
  if (!rendered.ok) {
    return rendered;
  }
  if (isLocationName(normalizeLocation(rendered.value))) {
    return { ok: true, value: rendered.value };
  }
  const message = `the location ${displayValue(rendered.value)} rendered from ${displayValue(template)} is not an Azure location; set the identity's location`;
  return { ok: false, code: "InvalidLocation", message };
}

/**
 * Some regions cannot hold federated identity credentials on user-assigned identities (a 405 on
 * the first credential write), so the identity is placed in the fallback region instead.
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations#unsupported-regions-user-assigned-managed-identities
 */
function placeInSupportedRegion(location: string, defaults: PolicyDocument["defaults"]): Rendered {
  const unsupported = defaults.unsupportedCredentialRegions.includes(normalizeLocation(location));
  if (!unsupported) {
    return { ok: true, value: location };
  }
  if (defaults.fallbackRegion !== undefined) {
    return { ok: true, value: defaults.fallbackRegion };
  }
  const message = `identities in ${displayValue(location)} cannot hold federated identity credentials; set defaults.fallbackRegion in the policy to a region that can (or give the identity another location)`;
  return { ok: false, code: "UnsupportedRegion", message };
}
