import type { RunningEmulator } from "../../src/emulator/index.js";
import { armCall } from "../support/emulatorFleet.js";
import { SUB } from "./engineHarness.js";

export const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
export const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
export const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const SECRETS_RG = `/subscriptions/${SUB}/resourceGroups/rg-secrets`;
export const VAULT = `${SECRETS_RG}/providers/Microsoft.KeyVault/vaults/kv-plants`;

/** Plants: a per-cluster identity with two roles; stores: a shared identity, one credential a shard. */
export function rolesPolicy(plantRoles = ["Key Vault Secrets User", "Storage Blob Data Reader"]) {
  const plant = plantRoles.map((role) => `          - { role: ${role}, scope: "${VAULT}" }`);
  return `
defaults:
  roleAssignments:
    allowedRoles: [Key Vault Secrets User, Storage Blob Data Reader]
    allowedScopes: ["${SECRETS_RG}"]
profiles:
  plant:
    identities:
      - id: mes
        scope: cluster
        name: id-{cluster}-mes
        resourceGroup: rg-plant-identities
        serviceAccounts: [mes/collector]
        onRemove: delete
        roleAssignments:
${plant.length > 0 ? plant.join("\n") : "          []"}
  store:
    identities:
      - id: payments
        scope: shared
        name: id-payments-ra
        resourceGroup: rg-shared-identities
        maxCredentialsPerShard: 1
        serviceAccounts: [payments/api]
        roleAssignments:
          - { role: Key Vault Secrets User, scope: "${VAULT}" }
rules:
  - match: { tags: { role: plant } }
    profiles: [plant]
  - match: { tags: { role: store } }
    profiles: [store]
`;
}

/** One role assignment as the emulator returns it. */
export interface WireAssignment {
  name: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    principalType: string;
    description?: string;
  };
}

/** Lists a principal's role assignments in the test subscription, over the wire. */
export async function assignmentsOf(emulator: RunningEmulator, principalId: string) {
  const path = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;
  const { body } = await authorizationCall(emulator, "GET", path);
  return (body as { value: WireAssignment[] }).value;
}

/** Calls the emulator's roleAssignments API as another tool (the portal, the CLI) would. */
export function authorizationCall(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return armCall(emulator, method, path, body);
}

/** Role assignment writes and deletes in the request log. */
export function roleWrites(emulator: RunningEmulator) {
  return emulator.requestLog.filter(
    (e) => e.kind !== "read" && e.resourceType === "Microsoft.Authorization/roleAssignments",
  );
}
