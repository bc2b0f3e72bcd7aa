import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { ClusterReport } from "../../src/lib/reconcile/contract.js";
import { credentialName } from "../../src/lib/reconcile/naming.js";
import { armCall } from "../support/emulatorFleet.js";
import {
  overlappingCredentialWrites,
  seedCluster,
  startEngineHarness,
  writesIn,
  type EngineHarness,
} from "./engineHarness.js";

let h: EngineHarness;

beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(async () => h.stop());
beforeEach(() => h.emulator.clearRequestLog());

describe("reconcile against the emulator", () => {
  it("converges a new cluster, then writes nothing on a second run", async () => {
    const id = seedCluster(h.emulator, { name: "plant-a", tags: { role: "plant" } });

    const first = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(first.report.status).toBe("Converged");
    expect(first.report.actions.map((a) => a.kind)).toEqual([
      "enableClusterFeatures",
      "createIdentity",
      "createCredential",
      "createCredential",
      "createCredential",
    ]);
    const identity = first.report.identities[0]!;
    expect(identity.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.report.manifests).toContain(
      `azure.workload.identity/client-id: ${identity.clientId}`,
    );
    expect(first.report.issuer).toMatch(/\/$/);
    expect(first.report.nextSteps[0]).toContain(`service-account-issuer=${first.report.issuer}`);

    h.emulator.clearRequestLog();
    const second = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(second.report.status).toBe("Converged");
    expect(second.report.actions.filter((a) => a.outcome !== "unchanged")).toEqual([]);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("reads at most 2 + identities on a converged cluster when the last report is known", async () => {
    const reports = new Map<string, ClusterReport>();
    const store = { getLastReport: (id: string) => Promise.resolve(reports.get(id.toLowerCase())) };
    const engine = h.engine({ reports: store });
    const id = seedCluster(h.emulator, { name: "plant-noop", tags: { role: "plant" } });
    const first = await engine.reconcile({ clusterId: id, reason: "event" });
    reports.set(id.toLowerCase(), first.report);

    h.emulator.clearRequestLog();
    const again = await engine.reconcile({ clusterId: id, reason: "event" });
    expect(again.report.status).toBe("Converged");
    expect(again.report.identities[0]?.clientId).toBe(first.report.identities[0]?.clientId);
    const armReads = h.emulator.requestLog.filter(
      (e) => e.kind === "read" && !e.path.includes("/oidc/"),
    );
    expect(armReads.length).toBeLessThanOrEqual(2 + first.report.identities.length);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("sends a PUT that keeps the cluster's writable properties", async () => {
    const id = seedCluster(h.emulator, {
      name: "plant-proxy",
      tags: { role: "plant" },
      arcAgentryConfigurations: [{ feature: "proxy", settings: { http_proxy: "http://p:3128" } }],
      aadProfile: { enableAzureRBAC: true, adminGroupObjectIDs: ["g1"] },
    });
    await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    const cluster = await readCluster(id);
    expect(cluster.properties.arcAgentryConfigurations).toEqual([
      { feature: "proxy", settings: { http_proxy: "http://p:3128" } },
    ]);
    expect(cluster.properties.aadProfile).toMatchObject({
      enableAzureRBAC: true,
      adminGroupObjectIDs: ["g1"],
    });
    expect(cluster.tags).toEqual({ role: "plant" });
  });

  it("waits for the issuer without sleeping, then converges", async () => {
    h.emulator.configure({ delays: { issuerMs: 60_000 } });
    try {
      const id = seedCluster(h.emulator, { name: "plant-slow", tags: { role: "plant" } });
      const waiting = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
      expect(waiting.report.status).toBe("WaitingForIssuer");
      expect(waiting.requeueAfterMs).toBe(2000);
      expect(
        writesIn(h.emulator.requestLog).filter((e) => e.resourceType.includes("ManagedIdentity")),
      ).toEqual([]);

      h.emulator.advanceClock(60_000);
      const done = await h.reconciler.reconcile({ clusterId: id, reason: "requeue" });
      expect(done.report.status).toBe("Converged");
    } finally {
      h.emulator.configure({ delays: { issuerMs: 0 } });
    }
  });

  it("never overlaps two credential writes on one identity, even with slow writes", async () => {
    h.emulator.configure({ delays: { ficWriteLatencyMs: 40 } });
    try {
      const id = seedCluster(h.emulator, { name: "plant-serial", tags: { role: "plant" } });
      const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
      expect(result.report.status).toBe("Converged");
      const credentialWrites = writesIn(h.emulator.requestLog).filter((e) =>
        e.path.includes("federatedIdentityCredentials"),
      );
      expect(credentialWrites).toHaveLength(3);
      expect(overlappingCredentialWrites(h.emulator.requestLog)).toEqual([]);
    } finally {
      h.emulator.configure({ delays: { ficWriteLatencyMs: 0 } });
    }
  });

  it("catches a planted overlap (the check above can fail)", () => {
    const entry = {
      method: "PUT",
      apiVersion: "2024-11-30",
      status: 200,
      kind: "write" as const,
      resourceType: "x",
      requestId: "r",
    };
    const path =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id/federatedIdentityCredentials/";
    const planted = [
      { ...entry, path: `${path}a`, start: 0, end: 40 },
      { ...entry, path: `${path}b`, start: 30, end: 70 },
    ];
    expect(overlappingCredentialWrites(planted)).toHaveLength(1);
  });

  it("updates credentials in place when the cluster is re-created with a new issuer", async () => {
    const id = seedCluster(h.emulator, { name: "plant-reimaged", tags: { role: "plant" } });
    const before = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    h.emulator.configure({ lro: { delete: "sync" } });
    await deleteCluster(id);
    const issuerId = "7d1e2c3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f";
    seedCluster(h.emulator, { name: "plant-reimaged", tags: { role: "plant" }, issuerId });

    h.emulator.clearRequestLog();
    const after = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(after.report.status, JSON.stringify(after.report.nextSteps)).toBe("Converged");
    expect(after.report.issuer).not.toBe(before.report.issuer);
    expect(after.report.actions.filter((a) => a.kind === "updateCredential")).toHaveLength(3);
    expect(
      after.report.actions.some(
        (a) => a.kind === "createIdentity" || a.kind === "createCredential",
      ),
    ).toBe(false);
  });

  it("writes nothing in a dry run", async () => {
    const id = seedCluster(h.emulator, { name: "plant-dry", tags: { role: "plant" } });
    const plan = await h.reconciler.reconcile({ clusterId: id, reason: "cli", dryRun: true });
    expect(plan.report.actions).toEqual([
      expect.objectContaining({ kind: "enableClusterFeatures", outcome: "planned" }),
    ]);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("works with api-version 2025-08-01-preview", async () => {
    const id = seedCluster(h.emulator, { name: "plant-preview", tags: { role: "plant" } });
    const result = await h
      .engine({ apiVersion: "2025-08-01-preview" })
      .reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Converged");
    expect(
      h.emulator.requestLog
        .filter((e) => e.resourceType.includes("Kubernetes"))
        .every((e) => e.apiVersion === "2025-08-01-preview"),
    ).toBe(true);
  });

  it("uses the credential name derived from the cluster id", async () => {
    const id = seedCluster(h.emulator, { name: "plant-names", tags: { role: "plant" } });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(
      result.report.actions
        .filter((a) => a.kind === "createCredential")
        .map((a) => a.target.split("/").pop()),
    ).toEqual(["collector", "uploader", "exporter"].map((sa) => credentialName(id, "mes", sa)));
  });
});

async function readCluster(
  id: string,
): Promise<{ tags: unknown; properties: Record<string, unknown> }> {
  return (await armCall(h.emulator, "GET", id)).body as never;
}

async function deleteCluster(id: string): Promise<void> {
  expect((await armCall(h.emulator, "DELETE", id)).status).toBeLessThan(300);
}
