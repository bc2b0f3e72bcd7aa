import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningEmulator } from "../../src/emulator/index.js";
import { authorizationClient } from "./roleAssignmentsTraffic.js";
import { expectArmError, msiClient, RG, startTestEmulator, SUB } from "./support.js";

const ROLE =
  "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6";
const SCOPE = `subscriptions/${SUB}/resourceGroups/rg-kv`;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator.stop());

const assign = (principalId: string, name: string = randomUUID(), scope = SCOPE) =>
  authorizationClient(emulator).roleAssignments.create(scope, name, {
    roleDefinitionId: ROLE,
    principalId,
    principalType: "ServicePrincipal",
  });

describe("emulator roleAssignments", () => {
  it("creates, reads, lists by principal and deletes through the SDK", async () => {
    const client = authorizationClient(emulator);
    const principalId = randomUUID();
    const created = await assign(principalId);

    expect(created).toMatchObject({
      principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: ROLE,
    });
    expect((await client.roleAssignments.get(SCOPE, created.name!)).id).toBe(created.id);
    const listed = [];
    for await (const a of client.roleAssignments.listForScope(`subscriptions/${SUB}`, {
      filter: `principalId eq '${principalId}'`,
    }))
      listed.push(a.name);
    expect(listed).toEqual([created.name]);
    await client.roleAssignments.delete(SCOPE, created.name!);
    await expectArmError(
      client.roleAssignments.get(SCOPE, created.name!),
      404,
      "RoleAssignmentNotFound",
    );
  });

  it("refuses an equal assignment under another name and a name reused for another principal", async () => {
    const principalId = randomUUID();
    const first = await assign(principalId);

    const twin = await expectArmError(assign(principalId), 409, "RoleAssignmentExists");
    expect(twin.message).toContain(first.name!.replace(/-/g, ""));
    await expectArmError(assign(randomUUID(), first.name), 400, "RoleAssignmentUpdateNotPermitted");
  });

  it("answers PrincipalNotFound while a new identity's principal replicates", async () => {
    emulator.configure({ authorization: { principalNotFoundMs: 60_000 } });
    try {
      const identity = await msiClient(emulator).userAssignedIdentities.createOrUpdate(
        RG,
        "id-ra",
        {
          location: "eastus",
        },
      );
      await expectArmError(assign(identity.principalId!), 400, "PrincipalNotFound");
      emulator.advanceClock(60_000);
      await expect(assign(identity.principalId!)).resolves.toMatchObject({
        principalId: identity.principalId,
      });
    } finally {
      emulator.configure({ authorization: { principalNotFoundMs: 0 } });
    }
  });

  it("stops at the per-subscription limit", async () => {
    const sub = "00000000-0000-0000-0000-0000000000aa";
    emulator.configure({ authorization: { limitPerSubscription: 2 } });
    try {
      const scope = `subscriptions/${sub}`;
      await assign(randomUUID(), randomUUID(), scope);
      await assign(randomUUID(), randomUUID(), scope);
      await expectArmError(
        assign(randomUUID(), randomUUID(), scope),
        400,
        "RoleAssignmentLimitExceeded",
      );
    } finally {
      emulator.configure({ authorization: { limitPerSubscription: 4000 } });
    }
  });
});
