import type { TokenCredential } from "@azure/core-auth";

import type { ArmConnection } from "../arm/armClientOptions.js";
import { IdentityGateway, type IdentityState } from "../arm/identityGateway.js";
import { tryParseIdentityId } from "../arm/resourceId.js";
import { RoleAssignmentGateway } from "../arm/roleAssignmentGateway.js";
import type { ActionResult } from "./contract.js";
import { CREDENTIAL_PREFIX, isOwned } from "./naming.js";
import { idOf } from "./planIdentity.js";
import { removeOwnRoleAssignments } from "./removeOwnRoleAssignments.js";

/** Options of `offboard`. */
export interface OffboardOptions {
  arm: ArmConnection & { credential: TokenCredential };
  subscriptionId: string;
  /** Identities the policy references with scope `existing` (only our credentials on them go). */
  existingIdentityIds?: string[];
  /** Where else to look for our role assignments (the policy's allowedScopes). */
  roleScopes?: string[];
  /** Show what would go, write nothing. */
  dryRun: boolean;
}

/**
 * Removes everything this app created in a subscription: our credentials (named `arcwi-...`)
 * on any identity we own or the policy references, then the identities we own, each only when
 * no credential we did not create remains on it (our role assignments of it go just before it).
 * Adopted credentials, role assignments made by hand and anything else not ours stay.
 */
export async function offboard(options: OffboardOptions): Promise<ActionResult[]> {
  const gateway = new IdentityGateway(options.arm);
  const owned = (await gateway.listInSubscription(options.subscriptionId)).filter((i) =>
    isOwned(i.tags),
  );
  const existing = await readExisting(gateway, options.existingIdentityIds ?? []);
  const results: ActionResult[] = [];

  const roles = new RoleAssignmentGateway(options.arm);
  const roleScopes = [`/subscriptions/${options.subscriptionId}`, ...(options.roleScopes ?? [])];
  const removeRoles = async (principalId: string | undefined) => {
    const removed = await removeOwnRoleAssignments({
      gateway: roles,
      scopes: roleScopes,
      principalId,
      dryRun: options.dryRun,
    });
    if (removed.error) throw removed.error;
    return removed.results;
  };
  for (const identity of [...owned, ...existing]) {
    const owns = isOwned(identity.tags);
    results.push(...(await offboardIdentity(gateway, identity, owns, options.dryRun, removeRoles)));
  }
  return results;
}

async function offboardIdentity(
  gateway: IdentityGateway,
  identity: IdentityState,
  owned: boolean,
  dryRun: boolean,
  removeRoles: (principalId: string | undefined) => Promise<ActionResult[]>,
) {
  const ref = tryParseIdentityId(identity.id);
  if (!ref) return [];
  const credentials = await gateway.listCredentials(ref);
  const ours = credentials.filter((c) => c.name.startsWith(CREDENTIAL_PREFIX));
  const results: ActionResult[] = [];
  const outcome = dryRun ? "planned" : "deleted";

  for (const c of ours) {
    if (!dryRun) await gateway.deleteCredential(ref, c.name);
    results.push({
      kind: "deleteCredential",
      target: `${idOf(ref)}/federatedIdentityCredentials/${c.name}`,
      reason: "offboarding",
      outcome,
    });
  }
  if (!owned) return results;
  if (credentials.length > ours.length) {
    results.push({
      kind: "deleteIdentity",
      target: idOf(ref),
      reason: "kept: it holds credentials this app did not create",
      outcome: "unchanged",
    });
    return results;
  }
  results.push(...(await removeRoles(identity.principalId)));
  if (!dryRun) await gateway.delete(ref);
  results.push({ kind: "deleteIdentity", target: idOf(ref), reason: "offboarding", outcome });
  return results;
}

async function readExisting(gateway: IdentityGateway, ids: string[]): Promise<IdentityState[]> {
  const found: IdentityState[] = [];
  for (const id of ids) {
    const ref = tryParseIdentityId(id);
    const state = ref ? await gateway.get(ref) : undefined;
    if (state && !isOwned(state.tags)) found.push(state);
  }
  return found;
}
