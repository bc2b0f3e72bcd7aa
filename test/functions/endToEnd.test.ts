import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { buildArmEvent } from "../../src/local/armEvents.js";
import { startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";
import { armCall, E2E_SUB, emulatorReconciler, seedE2eCluster } from "../support/emulatorFleet.js";
import { seededRandom } from "../support/functionsHarness.js";
import { createConsoleLogger } from "../../src/functions/runtime/consoleLogger.js";

let emulator: RunningEmulator;
let azurite: RunningAzurite;
let host: LocalHost;
/** Every line logged by the functions and by the engine, to search for planted secrets. */
const captured: string[] = [];
const SECRET = "planted-secret-9f3a61c2";

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([
    startEmulator({ profile: "test", log: () => undefined }),
    startAzurite(),
  ]);
  host = await startLocalHost({
    storageConnectionString: azurite.connectionString,
    reconciler: emulatorReconciler(
      emulator,
      createConsoleLogger({}, (line) => captured.push(line), "debug"),
    ),
    log: (level, fn, args) => captured.push(`${level} ${fn} ${args.map(String).join(" ")}`),
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

  it("syncs a cluster over HTTP inline, and plans another in a dry run without writing", async () => {
    const synced = seedE2eCluster(emulator, "plant-http", { role: "plant" });
    const planned = seedE2eCluster(emulator, "plant-plan", { role: "plant" });
    const params = (clusterName: string) => ({
      subscriptionId: E2E_SUB,
      resourceGroup: "rg-edge",
      clusterName,
    });
    const url = "https://local/api/x";

    const sync = await host.invokeHttp("syncCluster", {
      method: "POST",
      url,
      params: params("plant-http"),
    });
    emulator.clearRequestLog();
    const plan = await host.invokeHttp("syncCluster", {
      method: "POST",
      url,
      params: params("plant-plan"),
      query: { dryRun: "true" },
    });

    expect(sync).toMatchObject({
      status: 200,
      jsonBody: { clusterId: synced, status: "Converged" },
    });
    expect(plan.status).toBe(200);
    const actions = (plan.jsonBody as { actions: { outcome: string }[] }).actions;
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.outcome === "planned")).toBe(true);
    expect(emulator.requestLog.filter((e) => e.kind !== "read")).toEqual([]);
    expect(await host.runtime.status.getLastReport(planned)).toBeUndefined();
  });

  it("follows a fleet sync to the end through its operation", async () => {
    seedE2eCluster(emulator, "store-fleet-1", { role: "store" });
    seedE2eCluster(emulator, "store-fleet-2", { role: "store" });
    const url = "https://local/api/sync";

    const accepted = await host.invokeHttp("syncFleet", {
      method: "POST",
      url,
      body: { string: "{}" },
    });
    const { operationId, enqueued } = accepted.jsonBody as {
      operationId: string;
      enqueued: number;
    };
    await host.waitUntilIdle({ timeoutMs: 30_000 });
    const progress = await host.invokeHttp("getOperation", {
      method: "GET",
      url,
      params: { operationId },
    });

    expect(accepted.status).toBe(202);
    expect(progress.jsonBody).toMatchObject({
      state: "Enqueued",
      total: enqueued,
      reported: enqueued,
    });
    expect((progress.jsonBody as { byStatus: Record<string, number> }).byStatus.Converged).toBe(
      enqueued,
    );
  });

  it("never logs a planted secret from an event, a header or a body", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-secret", { role: "plant" });
    const event = buildArmEvent({ resourceUri: clusterId });
    (event.data as Record<string, unknown>).claims = { appid: SECRET, name: SECRET };
    (event.data as Record<string, unknown>).httpRequest = { url: `https://x/?sig=${SECRET}` };
    const params = {
      subscriptionId: E2E_SUB,
      resourceGroup: "rg-edge",
      clusterName: "plant-secret",
    };

    await host.deliverEvents([event, { ...event, id: SECRET, topic: 7 }]);
    await host.waitUntilIdle({ timeoutMs: 30_000 });
    await host.invokeHttp("syncCluster", {
      method: "POST",
      url: "https://local/api/x",
      params,
      headers: { authorization: `Bearer ${SECRET}`, "x-functions-key": SECRET },
    });
    await host.invokeHttp("syncFleet", {
      method: "POST",
      url: "https://local/api/sync",
      headers: { authorization: `Bearer ${SECRET}` },
      body: { string: JSON.stringify({ clusterIds: [clusterId], [SECRET]: SECRET }) },
    });

    expect(captured.length).toBeGreaterThan(5);
    expect(captured.join("\n")).not.toContain(SECRET);
  });
});
