import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { buildArmEvent } from "../../src/local/armEvents.js";
import { startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";
import { armCall, E2E_SUB, emulatorReconciler, seedE2eCluster } from "../support/emulatorFleet.js";
import { seededRandom } from "../support/functionsHarness.js";

let emulator: RunningEmulator;
let azurite: RunningAzurite;
let host: LocalHost;

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([
    startEmulator({ profile: "test", log: () => undefined }),
    startAzurite(),
  ]);
  host = await startLocalHost({
    storageConnectionString: azurite.connectionString,
    reconciler: emulatorReconciler(emulator),
    allowedScopes: [`/subscriptions/${E2E_SUB}`],
    random: seededRandom(),
    minPollMs: 20,
  });
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([emulator?.stop(), azurite?.stop()]);
});

describe("end to end: Event Grid event → queue → worker → status → manifests", () => {
  it("converges a new cluster and serves the client ids of its identity", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-e2e", { role: "plant" });

    await host.deliverEvents([buildArmEvent({ resourceUri: clusterId })]);
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    const report = await host.runtime.status.getLastReport(clusterId);
    expect(report?.status).toBe("Converged");
    const identity = report!.identities[0]!;
    const actual = await armCall(emulator, "GET", identity.resourceId);
    const armClientId = (actual.body as { properties: { clientId: string } }).properties.clientId;
    expect(identity.clientId).toBe(armClientId);

    const params = { subscriptionId: E2E_SUB, resourceGroup: "rg-edge", clusterName: "plant-e2e" };
    const response = await host.invokeHttp("getClusterManifests", {
      method: "GET",
      url: "https://local/api/x",
      params,
    });
    const yaml = response.body as string;
    expect(response.status).toBe(200);
    expect(yaml).toContain(`azure.workload.identity/client-id: ${armClientId}`);
    expect(yaml).toContain("azure.workload.identity/tenant-id:");
    expect((await host.runtime.history.list(clusterId)).map((h) => h.kind)).toContain(
      "createIdentity",
    );
  });

  it("waits for the issuer through requeues, then converges", async () => {
    emulator.configure({ delays: { issuerMs: 1500 } });
    try {
      const clusterId = seedE2eCluster(emulator, "plant-slow-issuer", { role: "plant" });

      await host.deliverEvents(buildArmEvent({ resourceUri: clusterId }));
      await expect
        .poll(async () => (await host.runtime.status.getLastReport(clusterId))?.status)
        .toBe("WaitingForIssuer");
      await host.waitUntilIdle({ timeoutMs: 30_000 });

      expect((await host.runtime.status.getLastReport(clusterId))?.status).toBe("Converged");
    } finally {
      emulator.configure({ delays: { issuerMs: 0 } });
    }
  });

  it("re-syncs the fleet from the drift timer", async () => {
    const clusterId = seedE2eCluster(emulator, "store-sweep", { role: "store" });

    await host.runTimer("driftSweep");
    await host.waitUntilIdle({ timeoutMs: 30_000 });

    expect((await host.runtime.status.getLastReport(clusterId))?.status).toBe("Converged");
  });
});
