import { describe, expect, it } from "vitest";
import { parseConfigFile, readConfigFile } from "../../src/emulator/configFile.js";
import { parseSeed } from "../../src/emulator/seed.js";
import { clusterClient, msiClient, send, startTestEmulator } from "./support.js";

const FLEET = new URL("../../examples/fleet.json", import.meta.url).pathname;
const CONFIG = new URL("../../examples/emulator-config.json", import.meta.url).pathname;
const FLEET_SUB = "00000000-0000-0000-0000-000000000001";

describe("seed and config files", () => {
  it("loads examples/fleet.json: one cluster per distribution, connected and converged, and the seeded identity", async () => {
    const emulator = await startTestEmulator({ seed: FLEET });
    try {
      const client = clusterClient(emulator, "2025-08-01-preview", {}, FLEET_SUB);
      const list = await send(
        client,
        "GET",
        `${emulator.url}/subscriptions/${FLEET_SUB}/providers/Microsoft.Kubernetes/connectedClusters?api-version=2025-08-01-preview`,
      );
      const byName = Object.fromEntries(list.body.value.map((c: { name: string }) => [c.name, c]));
      expect(Object.keys(byName).sort()).toEqual([
        "aksarc-hq-01",
        "eks-services-01",
        "k3s-store-0042",
        "ocp-plant-p01-line1",
        "tkgm-plant-p02",
      ]);
      for (const cluster of list.body.value) {
        expect(cluster.properties).toMatchObject({
          connectivityStatus: "Connected",
          provisioningState: "Succeeded",
          arcAgentProfile: { agentState: "Succeeded" },
        });
        expect(cluster.identity.type).toBe("SystemAssigned");
      }
      expect(byName["aksarc-hq-01"]).toMatchObject({
        kind: "ProvisionedCluster",
        properties: {
          oidcIssuerProfile: { enabled: true, issuerUrl: expect.stringContaining("/oidc/") },
        },
      });
      expect(byName["ocp-plant-p01-line1"]).toMatchObject({
        id: expect.stringContaining("/resourceGroups/rg-plants/"),
        tags: { plant: "p01", line: "1" },
        properties: { distribution: "openshift" },
      });
      expect(byName["k3s-store-0042"].tags).toEqual({
        "site-type": "store",
        store: "0042",
        environment: "prod",
      });
      expect(byName["tkgm-plant-p02"].id).toContain("/resourceGroups/rg-plants/");
      expect(byName["eks-services-01"].properties).toMatchObject({ distribution: "eks" });
      expect(byName["eks-services-01"].properties.oidcIssuerProfile).toBeUndefined();

      const backup = await msiClient(
        emulator,
        {},
        "11111111-1111-1111-1111-111111111111",
      ).federatedIdentityCredentials.get("rg-backup", "id-backup", "github-backup-tooling");
      expect(backup.subject).toBe("repo:contoso/backup-tooling:ref:refs/heads/main");
    } finally {
      await emulator.stop();
    }
  });

  it("lists every problem of an invalid seed with its path", () => {
    expect(() =>
      parseSeed({
        clusters: [
          { name: "x" },
          { resourceGroup: "rg", name: "y", connectivityStatus: "Sleeping" },
        ],
      }),
    ).toThrow(/clusters\[0\]\.resourceGroup[\s\S]*clusters\[1\]\.connectivityStatus/);
  });

  it("reads examples/emulator-config.json and lists unknown settings and wrong types in one error", () => {
    expect(readConfigFile(CONFIG)).toMatchObject({
      profile: "demo",
      config: { issuerForm: "same", delays: { issuerMs: 4000 } },
    });
    expect(() =>
      parseConfigFile({ profile: "fast", delays: { issuerMS: 1 }, pageSize: "10" }),
    ).toThrow(/profile[\s\S]*delays\.issuerMS: unknown setting[\s\S]*pageSize: expected a number/);
  });
});
