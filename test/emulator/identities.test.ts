import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  RG,
  SUB,
  credentialBody,
  credentialUrl,
  expectArmError,
  msiClient,
  send,
  startTestEmulator,
} from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("userAssignedIdentities in the emulator", () => {
  it("creates with 201, updates with 200, and keeps clientId and principalId for the identity's life", async () => {
    emulator = await startTestEmulator();
    const client = msiClient(emulator);
    const created = await client.userAssignedIdentities.createOrUpdate(RG, "id-app", {
      location: "eastus",
      tags: { a: "1" },
    });
    expect(created).toMatchObject({
      name: "id-app",
      location: "eastus",
      tenantId: emulator.tenantId,
      isolationScope: "None",
    });
    expect(created.clientId).toMatch(GUID);
    expect(created.principalId).toMatch(GUID);
    expect(emulator.requestLog.at(-1)).toMatchObject({ method: "PUT", status: 201 });

    const updated = await client.userAssignedIdentities.createOrUpdate(RG, "id-app", {
      location: "East US",
      tags: { b: "2" },
    });
    expect(emulator.requestLog.at(-1)).toMatchObject({ method: "PUT", status: 200 });
    expect(updated).toMatchObject({
      clientId: created.clientId,
      principalId: created.principalId,
      tags: { b: "2" },
    });
    expect(created.id).toBe(
      `/subscriptions/${SUB}/resourcegroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`,
    );
  });

  it("gets, patches tags, and lists by resource group and subscription across pages", async () => {
    emulator = await startTestEmulator({ config: { pageSize: 2 } });
    const client = msiClient(emulator);
    for (const name of ["id-1", "id-2", "id-3"])
      await client.userAssignedIdentities.createOrUpdate(RG, name, { location: "eastus" });
    await client.userAssignedIdentities.createOrUpdate("rg-else", "id-4", {
      location: "westeurope",
    });

    const patched = await client.userAssignedIdentities.update(RG, "id-2", {
      tags: { owner: "arc-wi" },
    });
    expect(patched.tags).toEqual({ owner: "arc-wi" });
    expect((await client.userAssignedIdentities.get(RG, "id-2")).tags).toEqual({ owner: "arc-wi" });

    const inGroup: string[] = [];
    for await (const identity of client.userAssignedIdentities.listByResourceGroup(RG))
      inGroup.push(identity.name!);
    expect(inGroup).toEqual(["id-1", "id-2", "id-3"]);
    const inSubscription: string[] = [];
    for await (const identity of client.userAssignedIdentities.listBySubscription())
      inSubscription.push(identity.name!);
    expect(inSubscription.sort()).toEqual(["id-1", "id-2", "id-3", "id-4"]);
    expect(
      emulator.requestLog.filter((e) => e.path.endsWith("userAssignedIdentities")).length,
    ).toBeGreaterThan(2);
  });

  it("deletes an identity together with its credentials", async () => {
    emulator = await startTestEmulator();
    const client = msiClient(emulator);
    await client.userAssignedIdentities.createOrUpdate(RG, "id-gone", { location: "eastus" });
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-gone",
      "fic1",
      credentialBody("https://issuer.example/", "system:serviceaccount:a:b"),
    );
    await client.userAssignedIdentities.delete(RG, "id-gone");
    expect(emulator.requestLog.at(-1)).toMatchObject({ method: "DELETE", status: 200 });
    await client.userAssignedIdentities.delete(RG, "id-gone");
    expect(emulator.requestLog.at(-1)).toMatchObject({ method: "DELETE", status: 204 });

    await client.userAssignedIdentities.createOrUpdate(RG, "id-gone", { location: "eastus" });
    const left: unknown[] = [];
    for await (const fic of client.federatedIdentityCredentials.list(RG, "id-gone")) left.push(fic);
    expect(left).toEqual([]);
  });

  it("hides a new identity for consistencyMs: its GET 404s and its credential writes get ParentResourceNotFound", async () => {
    emulator = await startTestEmulator({ config: { delays: { consistencyMs: 10_000 } } });
    const client = msiClient(emulator);
    await client.userAssignedIdentities.createOrUpdate(RG, "id-new", { location: "eastus" });
    await expectArmError(client.userAssignedIdentities.get(RG, "id-new"), 404, "ResourceNotFound");
    const early = client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-new",
      "fic1",
      credentialBody("https://issuer.example/", "system:serviceaccount:a:b"),
    );
    const error = await expectArmError(early, 404, "ParentResourceNotFound");
    expect(error.message).toContain("The parent user-assigned identity doesn't exist.");

    emulator.advanceClock(10_000);
    expect((await client.userAssignedIdentities.get(RG, "id-new")).name).toBe("id-new");
    const fic = await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-new",
      "fic1",
      credentialBody("https://issuer.example/", "system:serviceaccount:a:b"),
    );
    expect(fic.name).toBe("fic1");
  });

  it("refuses an invalid identity name and a body without location with ARM's codes", async () => {
    emulator = await startTestEmulator();
    const client = msiClient(emulator);
    await expectArmError(
      client.userAssignedIdentities.createOrUpdate(RG, "x", { location: "eastus" }),
      400,
      "InvalidResourceName",
    );
    const noLocation = await send(
      client,
      "PUT",
      credentialUrl(emulator, "id-ok", "x").replace("/federatedIdentityCredentials/x", ""),
      { tags: {} },
    );
    expect(noLocation.body.error.code).toBe("LocationRequired");
  });
});
