import { displayValue } from "./displayValue.js";
import type { DesiredIdentity, IdentityProblem } from "./policyTypes.js";

/** Identities that can be written, and problems for those that collide with an earlier one. */
export interface ConflictFree {
  identities: DesiredIdentity[];
  problems: IdentityProblem[];
}

/**
 * Keeps the first of several selected identities that render to the same Azure resource
 * (subscription, resource group and name compared case-insensitively, as ARM does) and reports
 * the others as `IdentityConflict`: two policy entries managing the credentials of one identity
 * would each remove what the other wrote.
 */
export function dropIdentityConflicts(identities: readonly DesiredIdentity[]): ConflictFree {
  const firstByResource = new Map<string, DesiredIdentity>();
  const result: ConflictFree = { identities: [], problems: [] };

  for (const identity of identities) {
    const resource = [identity.subscriptionId, identity.resourceGroup, identity.name]
      .join("/")
      .toLowerCase();
    const first = firstByResource.get(resource);
    if (first === undefined) {
      firstByResource.set(resource, identity);
      result.identities.push(identity);
      continue;
    }
    const message = `${identity.key} and ${first.key} are the same identity ${displayValue(identity.name)} in resource group ${displayValue(identity.resourceGroup)}; list all its service accounts under one of them, or give them different names`;
    result.problems.push({ identityKey: identity.key, code: "IdentityConflict", message });
  }
  return result;
}
