import { explainIdentityName, explainResourceGroupName, isSubscriptionId } from "./azureNames.js";

/** The parts of a userAssignedIdentity resource id. */
export interface IdentityResourceIdParts {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

const SHAPE =
  "must be a userAssignedIdentity resource id: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>";

/** Why `id` is not a usable userAssignedIdentity resource id, or undefined when it is. */
export function explainIdentityResourceId(id: string): string | undefined {
  const match = ID.exec(id);
  if (match === null) {
    return SHAPE;
  }

  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  if (!isSubscriptionId(subscriptionId)) {
    return "its subscription must be a subscription id (a GUID)";
  }
  const groupProblem = explainResourceGroupName(resourceGroup);
  if (groupProblem !== undefined) {
    return `its resource group ${groupProblem}`;
  }
  const nameProblem = explainIdentityName(name);
  return nameProblem === undefined ? undefined : `its identity name ${nameProblem}`;
}

/**
 * Splits a userAssignedIdentity resource id (segments compared case-insensitively, as ARM does).
 *
 * @returns undefined when `id` is not such an id or one of its parts breaks Azure's naming rules.
 */
export function tryParseIdentityResourceId(id: string): IdentityResourceIdParts | undefined {
  const match = ID.exec(id);
  if (match === null || explainIdentityResourceId(id) !== undefined) {
    return undefined;
  }
  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  return { subscriptionId, resourceGroup, name };
}
