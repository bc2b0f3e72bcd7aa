import { explainIdentityName, explainResourceGroupName, isSubscriptionId } from "./azureNames.js";

/** The parts of a userAssignedIdentity resource id. */
export interface IdentityResourceIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

/**
 * Splits a userAssignedIdentity resource id (segments compared case-insensitively, as ARM does).
 *
 * @returns undefined when `id` is not such an id or one of its parts breaks Azure's naming rules.
 */
export function tryParseIdentityResourceId(id: string): IdentityResourceIdParts | undefined {
  const match = ID.exec(id);
  if (match === null) {
    return undefined;
  }

  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  const valid =
    isSubscriptionId(subscriptionId) &&
    explainResourceGroupName(resourceGroup) === undefined &&
    explainIdentityName(name) === undefined;
  return valid ? { subscriptionId, resourceGroup, name } : undefined;
}
