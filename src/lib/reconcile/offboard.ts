import type { TokenCredential } from "@azure/core-auth";

import type { ArmConnection } from "../arm/armClientOptions.js";
import { IdentityGateway, type IdentityState } from "../arm/identityGateway.js";
import { tryParseIdentityId } from "../arm/resourceId.js";
import type { ActionResult } from "./contract.js";
import { CREDENTIAL_PREFIX, isOwned } from "./naming.js";
import { idOf } from "./planIdentity.js";

/** Options of `offboard`. */
export interface OffboardOptions {
  arm: ArmConnection & { credential: TokenCredential };
  subscriptionId: string;
  /** Identities the policy references with scope `existing` (only our credentials on them go). */
  existingIdentityIds?: string[];
  /** Show what would go, write nothing. */
  dryRun: boolean;
}

/**
 * Removes everything this app created in a subscription: our credentials (named `arcwi-...`)
 * on any identity we own or the policy references, then the identities we own, each only when
 * no credential we did not create remains on it. Adopted credentials and anything not ours stay.
 */
export async function offboard(options: OffboardOptions): Promise<ActionResult[]> {
  const gateway = new IdentityGateway(options.arm);
  const owned = (await gateway.listInSubscription(options.subscriptionId)).filter((i) =>
    isOwned(i.tags),
  );
  const existing = await readExisting(gateway, options.existingIdentityIds ?? []);
  const results: ActionResult[] = [];

  for (const identity of [...owned, ...existing]) {
    results.push(
      ...(await offboardIdentity(gateway, identity, isOwned(identity.tags), options.dryRun)),
    );
  }
  return results;
}

async function offboardIdentity(
  gateway: IdentityGateway,
  identity: IdentityState,
  owned: boolean,
  dryRun: boolean,
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
