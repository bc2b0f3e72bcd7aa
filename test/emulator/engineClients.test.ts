import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { ClusterGateway } from "../../src/lib/arm/clusterGateway.js";
import { RG, SUB, fixedCredential, startTestEmulator, type JsonBody } from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

describe("the engine's own clients against the emulator", () => {
  it.each(["2026-05-01", "2025-08-01-preview"])(
    "ClusterGateway reads, re-PUTs (following the operation) and lists at %s, changed only in endpoint, credential and CA",
    async (apiVersion) => {
      emulator = await startTestEmulator({
        seed: { clusters: [{ resourceGroup: RG, name: "gw" }] },
      });
      emulator.configure({ delays: { operationMs: 50, issuerMs: 20 }, timeScale: 1 });
      const gateway = new ClusterGateway({
        endpoint: emulator.url,
        caPem: emulator.caPem,
        credential: fixedCredential,
        apiVersion,
        pollIntervalMs: 5,
      });
      const id = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/gw`;

      const cluster = await gateway.get(id);
      expect(cluster?.properties?.oidcIssuerProfile).toBeUndefined();
      const body: JsonBody = structuredClone(cluster!);
      body.properties.oidcIssuerProfile = { enabled: true };
      body.properties.securityProfile = { workloadIdentity: { enabled: true } };
      expect((await gateway.put(id, body as never)).done).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 30));
      const after = await gateway.get(id);
      expect(after?.properties?.oidcIssuerProfile?.issuerUrl).toMatch(/\/oidc\/.+\/$/);
      expect(await gateway.get(id.replace("/gw", "/missing"))).toBeUndefined();
      expect(await gateway.listIds(`/subscriptions/${SUB}`)).toEqual([id]);
    },
  );
});
