import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import {
  CLUSTERS,
  RG,
  SUB,
  clusterBody,
  clusterClient,
  clusterUrl,
  expectArmError,
  send,
  startTestEmulator,
} from "./support.js";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

describe("connectedClusters in the emulator", () => {
  it("serves a seeded cluster to the typed 2021-10-01 client and, as raw JSON, with oidcIssuerProfile", async () => {
    emulator = await startTestEmulator({
      seed: {
        clusters: [
          {
            resourceGroup: RG,
            name: "c1",
            distribution: "k3s",
            oidcIssuerProfile: { enabled: true },
          },
        ],
      },
    });
    const typed = clusterClient(emulator, "2021-10-01");
    const cluster = await typed.connectedClusterOperations.get(RG, "c1");
    expect(cluster).toMatchObject({
      name: "c1",
      distribution: "k3s",
      connectivityStatus: "Connected",
      provisioningState: "Succeeded",
    });

    const raw = await send(clusterClient(emulator), "GET", clusterUrl(emulator, "c1"));
    expect(raw.body.properties.oidcIssuerProfile.issuerUrl).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+\/oidc\/.+\/$/,
    );
  });

  it("lists clusters by resource group and subscription in pages linked by nextLink", async () => {
    emulator = await startTestEmulator({ config: { pageSize: 2 } });
    emulator.seed({
      subscriptionId: SUB,
      clusters: ["a", "b", "c"]
        .map((name) => ({ resourceGroup: RG, name }))
        .concat([{ resourceGroup: "rg-other", name: "d" }]),
    });
    const client = clusterClient(emulator);
    const first = await send(
      client,
      "GET",
      `${emulator.url}/subscriptions/${SUB}/resourceGroups/${RG}${CLUSTERS}?api-version=2026-05-01`,
    );
    expect(first.body.value.map((c: { name: string }) => c.name)).toEqual(["a", "b"]);
    expect(first.body.nextLink).toContain("$skiptoken=");
    const second = await send(client, "GET", first.body.nextLink);
    expect(second.body.value.map((c: { name: string }) => c.name)).toEqual(["c"]);
    expect(second.body.nextLink).toBeUndefined();

    const names: string[] = [];
    for await (const c of clusterClient(emulator).connectedClusterOperations.listBySubscription())
      names.push(c.name!);
    expect(names.sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("creates a cluster with PUT as a long-running operation that goes InProgress then Succeeded", async () => {
    emulator = await startTestEmulator({ config: { delays: { operationMs: 60_000 } } });
    const client = clusterClient(emulator);
    const created = await send(client, "PUT", clusterUrl(emulator, "new1"), clusterBody());
    expect(created.status).toBe(201);
    expect(created.body.properties.provisioningState).toBe("Accepted");
    const monitor = created.headers.get("azure-asyncoperation")!;
    expect(new URL(monitor).pathname).toMatch(
      /^\/providers\/Microsoft\.Kubernetes\/locations\/eastus\/operationStatuses\/[0-9a-f-]{36}$/,
    );

    // The test profile answers in the ms style, so a fast client waits ms, not whole seconds.
    expect(created.headers.get("retry-after-ms")).toBe("60000");
    const polled = await send(client, "GET", monitor);
    expect(polled.body.status).toBe("InProgress");
    expect(Number(polled.headers.get("retry-after-ms"))).toBeGreaterThan(59_000);
    emulator.advanceClock(60_000);
    expect((await send(client, "GET", monitor)).body).toMatchObject({
      status: "Succeeded",
      percentComplete: 100,
    });
    const replaced = await send(client, "PUT", clusterUrl(emulator, "new1"), clusterBody());
    expect(replaced.status).toBe(200);
  });

  it("runs the typed client's create poller to the end and reports Failed operations when configured", async () => {
    emulator = await startTestEmulator();
    const typed = clusterClient(emulator, "2026-05-01");
    const cluster = await typed.connectedClusterOperations.beginCreateAndWait(
      RG,
      "typed",
      {
        location: "eastus",
        identity: { type: "SystemAssigned" },
        agentPublicKeyCertificate: "MIICYzCCAcygAwIBAgIBADANBgkq",
      },
      { updateIntervalInMs: 1 },
    );
    expect(cluster.provisioningState).toBe("Succeeded");

    emulator.configure({ lro: { outcome: "Failed" } });
    const put = await send(typed, "PUT", clusterUrl(emulator, "typed"), clusterBody());
    const status = await send(typed, "GET", put.headers.get("azure-asyncoperation")!);
    expect(status.body).toMatchObject({
      status: "Failed",
      error: { code: "ClusterOperationFailed" },
    });
    expect(
      (await send(typed, "GET", clusterUrl(emulator, "typed"))).body.properties.provisioningState,
    ).toBe("Failed");
  });

  it("starts a new cluster Connecting and turns it Connected after connectMs", async () => {
    emulator = await startTestEmulator({ config: { delays: { connectMs: 30_000 } } });
    const client = clusterClient(emulator);
    await send(client, "PUT", clusterUrl(emulator, "fresh"), clusterBody());
    const before = await send(client, "GET", clusterUrl(emulator, "fresh"));
    expect(before.body.properties.connectivityStatus).toBe("Connecting");
    expect(before.body.properties.kubernetesVersion).toBeUndefined();
    emulator.advanceClock(30_000);
    const after = await send(client, "GET", clusterUrl(emulator, "fresh"));
    expect(after.body.properties).toMatchObject({
      connectivityStatus: "Connected",
      kubernetesVersion: expect.any(String),
    });
  });

  it("refuses a PUT without identity or agentPublicKeyCertificate, and ignores read-only fields", async () => {
    emulator = await startTestEmulator();
    const client = clusterClient(emulator);
    const noIdentity = await send(client, "PUT", clusterUrl(emulator, "bad"), {
      ...clusterBody(),
      identity: undefined,
    });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body.error).toMatchObject({
      code: "InvalidRequestContent",
      message: expect.stringContaining("identity"),
    });
    const noCert = await send(
      client,
      "PUT",
      clusterUrl(emulator, "bad"),
      clusterBody({}, { agentPublicKeyCertificate: undefined }),
    );
    expect(noCert.body.error.message).toContain("agentPublicKeyCertificate");

    const sneaky = clusterBody(
      {},
      {
        connectivityStatus: "Offline",
        kubernetesVersion: "0.0.1",
        provisioningState: "Failed",
        oidcIssuerProfile: { enabled: true, issuerUrl: "https://evil.example/" },
      },
    );
    const created = await send(client, "PUT", clusterUrl(emulator, "ro"), sneaky);
    expect(created.body.properties).toMatchObject({
      connectivityStatus: "Connected",
      provisioningState: "Succeeded",
      kubernetesVersion: "1.30.4",
    });
    expect(created.body.properties.oidcIssuerProfile.issuerUrl).not.toContain("evil");
  });

  it("resets the writable properties a PUT leaves out, and never returns protected settings", async () => {
    emulator = await startTestEmulator();
    const client = clusterClient(emulator);
    const full = clusterBody(
      {},
      {
        aadProfile: { enableAzureRBAC: true, adminGroupObjectIDs: ["g1"] },
        gateway: { enabled: true },
        privateLinkState: "Enabled",
        arcAgentProfile: { agentAutoUpgrade: "Disabled" },
        arcAgentryConfigurations: [
          { feature: "proxy", settings: { a: "b" }, protectedSettings: { secret: "s" } },
        ],
      },
    );
    const created = await send(client, "PUT", clusterUrl(emulator, "c"), full);
    expect(created.body.properties.arcAgentryConfigurations).toEqual([
      { feature: "proxy", settings: { a: "b" } },
    ]);

    const partial = await send(client, "PUT", clusterUrl(emulator, "c"), clusterBody());
    expect(partial.body.properties.aadProfile).toBeUndefined();
    expect(partial.body.properties.gateway).toBeUndefined();
    expect(partial.body.properties.arcAgentryConfigurations).toBeUndefined();
    expect(partial.body.properties).toMatchObject({
      privateLinkState: "Disabled",
      arcAgentProfile: { agentAutoUpgrade: "Enabled" },
    });
  });

  it("shows issuerUrl only issuerMs after OIDC is enabled, and keeps selfHostedIssuerUrl", async () => {
    emulator = await startTestEmulator({ config: { delays: { issuerMs: 120_000 } } });
    const client = clusterClient(emulator, "2025-08-01-preview");
    const url = clusterUrl(emulator, "oidc", "2025-08-01-preview");
    await send(client, "PUT", url, clusterBody());
    const enabled = await send(
      client,
      "PUT",
      url,
      clusterBody(
        {},
        {
          oidcIssuerProfile: { enabled: true, selfHostedIssuerUrl: "https://oidc.eks.example/abc" },
        },
      ),
    );
    expect(enabled.body.properties.oidcIssuerProfile).toEqual({
      enabled: true,
      selfHostedIssuerUrl: "https://oidc.eks.example/abc",
    });
    emulator.advanceClock(119_000);
    expect(
      (await send(client, "GET", url)).body.properties.oidcIssuerProfile.issuerUrl,
    ).toBeUndefined();
    emulator.advanceClock(1_000);
    const ready = await send(client, "GET", url);
    expect(ready.body.properties.oidcIssuerProfile).toMatchObject({
      issuerUrl: expect.stringMatching(/\/$/),
      selfHostedIssuerUrl: "https://oidc.eks.example/abc",
    });
  });

  it("reports agentState Updating until agentMs after workload identity is switched on", async () => {
    emulator = await startTestEmulator({ seed: { clusters: [{ resourceGroup: RG, name: "wi" }] } });
    emulator.configure({ delays: { agentMs: 300_000 } });
    const client = clusterClient(emulator);
    const url = clusterUrl(emulator, "wi");
    const current = (await send(client, "GET", url)).body;
    expect(current.properties.arcAgentProfile.agentState).toBe("Succeeded");
    current.properties.securityProfile = { workloadIdentity: { enabled: true } };
    await send(client, "PUT", url, current);
    expect((await send(client, "GET", url)).body.properties.arcAgentProfile.agentState).toBe(
      "Updating",
    );
    emulator.advanceClock(300_000);
    expect((await send(client, "GET", url)).body.properties.arcAgentProfile.agentState).toBe(
      "Succeeded",
    );
  });

  it("gives a cluster deleted and re-created under the same name a new issuer URL", async () => {
    emulator = await startTestEmulator();
    const client = clusterClient(emulator);
    const body = clusterBody({}, { oidcIssuerProfile: { enabled: true } });
    const first = await send(client, "PUT", clusterUrl(emulator, "again"), body);
    await send(client, "DELETE", clusterUrl(emulator, "again"));
    const second = await send(client, "PUT", clusterUrl(emulator, "again"), body);
    expect(second.status).toBe(201);
    expect(second.body.properties.oidcIssuerProfile.issuerUrl).not.toBe(
      first.body.properties.oidcIssuerProfile.issuerUrl,
    );
  });

  it("patches tags with 200 on 2025-08-01-preview and with 202 + Location on 2026-05-01, ignoring OIDC fields", async () => {
    emulator = await startTestEmulator({
      seed: { clusters: [{ resourceGroup: RG, name: "p", tags: { a: "1" } }] },
    });
    const preview = clusterClient(emulator, "2025-08-01-preview");
    const sync = await send(preview, "PATCH", clusterUrl(emulator, "p", "2025-08-01-preview"), {
      tags: { b: "2" },
      properties: { distribution: "openshift", oidcIssuerProfile: { enabled: true } },
    });
    expect(sync.status).toBe(200);
    expect(sync.body.tags).toEqual({ b: "2" });
    expect(sync.body.properties.distribution).toBe("openshift");
    expect(sync.body.properties.oidcIssuerProfile).toBeUndefined();

    const stable = clusterClient(emulator);
    const lro = await send(stable, "PATCH", clusterUrl(emulator, "p"), { tags: { c: "3" } });
    expect(lro.status).toBe(202);
    const result = await send(stable, "GET", lro.headers.get("location")!);
    expect(result.status).toBe(200);
    expect(result.body.tags).toEqual({ c: "3" });
  });

  it("deletes with 202 and an operation, 204 when the cluster is missing, 200 when deletes are synchronous", async () => {
    emulator = await startTestEmulator({
      seed: {
        clusters: [
          { resourceGroup: RG, name: "d1" },
          { resourceGroup: RG, name: "d2" },
        ],
      },
    });
    const typed = clusterClient(emulator);
    await typed.connectedClusterOperations.beginDeleteAndWait(RG, "d1", { updateIntervalInMs: 1 });
    expect(emulator.requestLog.some((e) => e.method === "DELETE" && e.status === 202)).toBe(true);
    expect((await send(typed, "GET", clusterUrl(emulator, "d1"))).status).toBe(404);
    expect((await send(typed, "DELETE", clusterUrl(emulator, "d1"))).status).toBe(204);
    emulator.configure({ lro: { delete: "sync" } });
    expect((await send(typed, "DELETE", clusterUrl(emulator, "d2"))).status).toBe(200);
  });

  it("answers an unknown api-version with ARM's InvalidApiVersionParameter error", async () => {
    emulator = await startTestEmulator();
    const client = clusterClient(emulator, "2099-01-01");
    await expectArmError(
      client.connectedClusterOperations.get(RG, "x"),
      400,
      "InvalidApiVersionParameter",
    );
  });
});
