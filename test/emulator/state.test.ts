import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  RG,
  clusterBody,
  clusterClient,
  clusterUrl,
  credentialBody,
  msiClient,
  send,
  startTestEmulator,
} from "./support.js";

describe("the emulator's state file", () => {
  it("keeps clusters, issuers, identities, credentials, the port and the certificate across a restart", async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), "arc-wi-state-")), "state.json");
    const first = await startTestEmulator({ statePath, tls: undefined as never });
    await send(
      clusterClient(first),
      "PUT",
      clusterUrl(first, "c"),
      clusterBody({}, { oidcIssuerProfile: { enabled: true } }),
    );
    const issuer = (await send(clusterClient(first), "GET", clusterUrl(first, "c"))).body.properties
      .oidcIssuerProfile.issuerUrl;
    const identity = await msiClient(first).userAssignedIdentities.createOrUpdate(RG, "id-kept", {
      location: "eastus",
    });
    await msiClient(first).federatedIdentityCredentials.createOrUpdate(
      RG,
      "id-kept",
      "fic",
      credentialBody(issuer, "system:serviceaccount:a:b"),
    );
    await first.stop();
    expect(existsSync(statePath)).toBe(true);

    const second = await startTestEmulator({
      statePath,
      tls: undefined as never,
      seed: { clusters: [{ resourceGroup: RG, name: "ignored" }] },
    });
    try {
      expect(second.url).toBe(first.url);
      expect(second.caPem).toBe(first.caPem);
      const again = await send(clusterClient(second), "GET", clusterUrl(second, "c"));
      expect(again.body.properties.oidcIssuerProfile.issuerUrl).toBe(issuer);
      expect((await msiClient(second).userAssignedIdentities.get(RG, "id-kept")).clientId).toBe(
        identity.clientId,
      );
      expect(
        (await msiClient(second).federatedIdentityCredentials.get(RG, "id-kept", "fic")).issuer,
      ).toBe(issuer);
      expect((await send(clusterClient(second), "GET", clusterUrl(second, "ignored"))).status).toBe(
        404,
      );
    } finally {
      await second.stop();
    }
  });
});
