import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  AUDIENCE,
  RG,
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

const ISSUER = "https://127.0.0.1:1/oidc/tenant/issuer/";
const subject = (n: number | string) => `system:serviceaccount:ns:sa-${n}`;

async function withIdentity(name = "id-wi", location = "eastus") {
  const client = msiClient(emulator, { maxRetries: 0 });
  await client.userAssignedIdentities.createOrUpdate(RG, name, { location });
  return client;
}

describe("federatedIdentityCredentials in the emulator", () => {
  it("creates (201), replaces (200), gets, lists and deletes a credential", async () => {
    emulator = await startTestEmulator();
    const client = await withIdentity();
    const created = await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-wi",
      "fic-a",
      credentialBody(ISSUER, subject(1)),
    );
    expect(created).toMatchObject({
      name: "fic-a",
      issuer: ISSUER,
      subject: subject(1),
      audiences: [AUDIENCE],
      type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    });
    expect(emulator.requestLog.at(-1)!.status).toBe(201);
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-wi",
      "fic-a",
      credentialBody(ISSUER, subject(2)),
    );
    expect(emulator.requestLog.at(-1)!.status).toBe(200);
    expect((await client.federatedIdentityCredentials.get(RG, "id-wi", "fic-a")).subject).toBe(
      subject(2),
    );
    await client.federatedIdentityCredentials.delete(RG, "id-wi", "fic-a");
    await expectArmError(
      client.federatedIdentityCredentials.get(RG, "id-wi", "fic-a"),
      404,
      "ResourceNotFound",
    );
  });

  it("lists credentials in pages with $top and $skiptoken", async () => {
    emulator = await startTestEmulator();
    const client = await withIdentity();
    for (let i = 0; i < 5; i++)
      await client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-wi",
        `fic-${i}`,
        credentialBody(ISSUER, subject(i)),
      );
    const first = await send(
      client,
      "GET",
      `${credentialUrl(emulator, "id-wi", "x").replace("/x?", "?")}&$top=2`,
    );
    expect(first.body.value).toHaveLength(2);
    expect(first.body.nextLink).toMatch(/\$top=2&\$skiptoken=/);
    const names: string[] = [];
    for await (const fic of client.federatedIdentityCredentials.list(RG, "id-wi", { top: 2 }))
      names.push(fic.name!);
    expect(names).toEqual(["fic-0", "fic-1", "fic-2", "fic-3", "fic-4"]);
  });

  it.each([
    [
      "an invalid name",
      "-bad",
      credentialBody(ISSUER, subject(1)),
      "Federated Identity Credential name '-bad' is invalid.",
    ],
    [
      "two audiences",
      "fic-x",
      { ...credentialBody(ISSUER, subject(1)), audiences: [AUDIENCE, "api://other"] },
      "must have exactly one audience",
    ],
    [
      "another audience",
      "fic-x",
      { ...credentialBody(ISSUER, subject(1)), audiences: ["api://other"] },
      "api://AzureADTokenExchange",
    ],
    [
      "an http issuer",
      "fic-x",
      credentialBody("http://issuer.example/", subject(1)),
      "must be an https URL",
    ],
    [
      "empty properties",
      "fic-x",
      {},
      "Federated Identity Credential from HTTP body has empty properties",
    ],
  ])("refuses %s with 400 BadRequest", async (_case, name, properties, message) => {
    emulator = await startTestEmulator();
    const client = await withIdentity();
    const error = await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(RG, "id-wi", name, properties),
      400,
      "BadRequest",
    );
    expect(error.message).toContain(message);
  });

  it("refuses a second credential with the same issuer and subject", async () => {
    emulator = await startTestEmulator();
    const client = await withIdentity();
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-wi",
      "fic-1",
      credentialBody(ISSUER, subject(1)),
    );
    const error = await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-wi",
        "fic-2",
        credentialBody(ISSUER, subject(1)),
      ),
      400,
      "BadRequest",
    );
    expect(error.message).toBe(
      "Issuer and subject combination already exists for this Managed Identity.",
    );
  });

  it("refuses the 21st credential on one identity", async () => {
    emulator = await startTestEmulator();
    const client = await withIdentity();
    for (let i = 0; i < 20; i++)
      await client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-wi",
        `fic-${i}`,
        credentialBody(ISSUER, subject(i)),
      );
    const error = await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-wi",
        "fic-20",
        credentialBody(ISSUER, subject(20)),
      ),
      400,
      "BadRequest",
    );
    expect(error.message).toContain("maximum number of federated identity credentials (20)");
    await client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-wi",
      "fic-3",
      credentialBody(ISSUER, "system:serviceaccount:ns:changed"),
    );
  });

  it("answers overlapping credential writes on one identity with 409, and the request log shows no overlap of accepted writes", async () => {
    emulator = await startTestEmulator({ config: { delays: { ficWriteLatencyMs: 300 } } });
    const client = await withIdentity();
    await client.userAssignedIdentities.createOrUpdate(RG, "id-other", { location: "eastus" });
    const writes = [0, 1, 2].map((i) =>
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-wi",
        `fic-${i}`,
        credentialBody(ISSUER, subject(i)),
      ),
    );
    const elsewhere = client.federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-other",
      "fic-0",
      credentialBody(ISSUER, subject(0)),
    );
    const results = await Promise.allSettled([...writes, elsewhere]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({
      statusCode: 409,
      code: "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
    });
    const concurrentDelete = Promise.allSettled([
      client.federatedIdentityCredentials.delete(RG, "id-other", "fic-0"),
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-other",
        "fic-1",
        credentialBody(ISSUER, subject(1)),
      ),
    ]);
    expect((await concurrentDelete).map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);

    const accepted = emulator.requestLog.filter(
      (e) => e.path.includes("/id-wi/federatedIdentityCredentials/") && e.status < 300,
    );
    const sorted = [...accepted].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  });

  it("answers 404 when the parent identity does not exist", async () => {
    emulator = await startTestEmulator();
    const client = msiClient(emulator);
    const error = await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-missing",
        "fic-1",
        credentialBody(ISSUER, subject(1)),
      ),
      404,
      "ParentResourceNotFound",
    );
    expect(error.message).toBe("The parent user-assigned identity doesn't exist.");
  });

  it("answers 405 for an identity in a region without federated credentials", async () => {
    emulator = await startTestEmulator();
    const client = await withIdentity("id-nz", "New Zealand North");
    const error = await expectArmError(
      client.federatedIdentityCredentials.createOrUpdate(
        RG,
        "id-nz",
        "fic-1",
        credentialBody(ISSUER, subject(1)),
      ),
      405,
      "MethodNotAllowed",
    );
    expect(error.message).toContain("Support for federated identity credentials not enabled");
  });
});
