import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { credentialName, subjectOf } from "../../src/lib/reconcile/naming.js";
import { MemoryShardStore } from "../../src/lib/reconcile/memoryShardStore.js";
import { armCall } from "../support/emulatorFleet.js";
import {
  SUB,
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

describe("shared identities", () => {
  it("moves the 21st cluster to a second shard", async () => {
    const shards = new MemoryShardStore();
    const engine = h.engine({ shards });
    const ids = Array.from({ length: 21 }, (_, i) =>
      seedCluster(h.emulator, {
        name: `store-${i}`,
        resourceGroup: "rg-stores",
        tags: { role: "store" },
      }),
    );

    const results = [];
    for (const id of ids) results.push(await engine.reconcile({ clusterId: id, reason: "event" }));

    expect(results.every((r) => r.report.status === "Converged")).toBe(true);
    const names = results.map((r) => r.report.identities[0]?.name);
    expect(names.slice(0, 20).every((n) => n === "id-payments")).toBe(true);
    expect(names[20]).toBe("id-payments-1");
    expect(results[20]!.report.identities[0]?.shard).toBe(1);
    expect(await shards.getShard(ids[20]!, "store/payments")).toBe(1);
  });

  it("keeps a cluster on its shard on later runs, with no write", async () => {
    const engine = h.engine();
    const id = `/subscriptions/${SUB}/resourceGroups/rg-stores/providers/Microsoft.Kubernetes/connectedClusters/store-20`;
    h.emulator.clearRequestLog();
    const again = await engine.reconcile({ clusterId: id, reason: "sweep" });
    expect(again.report.identities[0]?.name).toBe("id-payments-1");
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });
});

describe("pruning", () => {
  it("deletes only our credentials when the tags no longer select the profile", async () => {
    const id = seedCluster(h.emulator, { name: "plant-leaving", tags: { role: "plant" } });
    const first = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    const identityName = first.report.identities[0]!.name;
    await seedForeignCredential(identityName);

    seedCluster(h.emulator, {
      name: "plant-leaving",
      tags: { role: "plant", "arc-wi": "disabled" },
    });
    h.emulator.clearRequestLog();
    const after = await h.reconciler.reconcile({ clusterId: id, reason: "event" });

    expect(after.report.status).toBe("Skipped");
    const deleted = writesIn(h.emulator.requestLog).map((e) => e.path.split("/").pop());
    expect(deleted.sort()).toEqual(
      ["collector", "uploader", "exporter"].map((sa) => credentialName(id, "mes", sa)).sort(),
    );
    // onRemove: delete is not honoured while a credential we did not create remains? No: the
    // identity is ours and the policy says delete; the foreign credential was on it, so the
    // identity is deleted only through the explicit deleteIdentity step below.
    expect(after.report.actions.filter((a) => a.kind === "deleteCredential")).toHaveLength(3);
  });

  it("leaves an identity alone when a bad tag stops the policy from rendering it", async () => {
    const policy = `
profiles:
  p:
    identities:
      - { id: x, scope: cluster, name: "id-{tag:site}", resourceGroup: rg-typo, serviceAccounts: [a/b], onRemove: delete }
rules:
  - { name: all, match: { tags: { site: "?*" } }, profiles: [p] }
`;
    const engine = h.engine({ policy });
    const id = seedCluster(h.emulator, { name: "site-typo", tags: { site: "typo-ok" } });
    expect((await engine.reconcile({ clusterId: id, reason: "event" })).report.status).toBe(
      "Converged",
    );

    seedCluster(h.emulator, { name: "site-typo", tags: { site: "Typo OK!" } });
    h.emulator.clearRequestLog();
    const after = await engine.reconcile({ clusterId: id, reason: "cli" });
    expect(after.report.status).toBe("ActionRequired");
    // (Re-seeding turned OIDC off, so the cluster PUT is expected; identities are untouched.)
    expect(
      writesIn(h.emulator.requestLog).filter((e) => e.resourceType.includes("ManagedIdentity")),
    ).toEqual([]);
  });

  it("prunes a deleted cluster found through our names and tags", async () => {
    const id = seedCluster(h.emulator, { name: "plant-gone", tags: { role: "plant" } });
    await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect((await armCall(h.emulator, "DELETE", id)).status).toBeLessThan(300);
    h.emulator.clearRequestLog();

    const result = await h.reconciler.reconcile({
      clusterId: id,
      reason: "delete-event",
      deleted: true,
    });
    expect(result.report.status).toBe("Pruned");
    // Other clusters' own identities cannot hold its credentials: their lists are not read.
    const listed = h.emulator.requestLog
      .filter((e) => e.method === "GET" && e.path.endsWith("/federatedIdentityCredentials"))
      .map((e) => e.path.split("/")[8]);
    expect(listed.length).toBeGreaterThan(0);
    expect(
      listed.every((name) => name === "id-plant-gone-mes" || name?.startsWith("id-payments")),
    ).toBe(true);
    expect(result.report.actions.map((a) => a.kind).sort()).toEqual([
      "deleteCredential",
      "deleteCredential",
      "deleteCredential",
      "deleteIdentity",
    ]);
  });

  it("reconciles, never prunes, a cluster a stale delete event names while it still exists", async () => {
    const id = seedCluster(h.emulator, { name: "plant-alive", tags: { role: "plant" } });
    const first = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    const clientId = first.report.identities[0]?.clientId;
    h.emulator.clearRequestLog();

    const stale = await h.reconciler.reconcile({
      clusterId: id,
      reason: "delete-event",
      deleted: true,
    });

    expect(stale.report.status).toBe("Converged");
    expect(stale.report.identities[0]?.clientId).toBe(clientId);
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("treats one 404 as proof of nothing, and two as gone", async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/never-there`;
    const first = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(first).toMatchObject({
      report: { status: "WaitingForCluster" },
      notFoundCount: 1,
      requeueAfterMs: 3000,
    });
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
    const second = await h.reconciler.reconcile({
      clusterId: id,
      reason: "requeue",
      notFoundCount: 1,
    });
    expect(second.report.status).toBe("Pruned");
  });
});

describe("distributions", () => {
  it("never re-PUTs an AKS Arc cluster without an issuer, and names the aksarc step", async () => {
    const id = seedCluster(h.emulator, {
      name: "aksarc-1",
      kind: "ProvisionedCluster",
      distribution: "aks_management",
      tags: { role: "plant" },
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report).toMatchObject({
      status: "ActionRequired",
      error: { code: "AksArcIssuerNotEnabled" },
    });
    expect(result.report.nextSteps[0]).toContain("az aksarc update");
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("federates an AKS Arc cluster that already has an issuer, without touching the cluster", async () => {
    const id = seedCluster(h.emulator, {
      name: "aksarc-2",
      kind: "ProvisionedCluster",
      distribution: "aks_management",
      tags: { role: "plant" },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Converged");
    expect(
      writesIn(h.emulator.requestLog).filter((e) => e.resourceType.includes("Kubernetes")),
    ).toEqual([]);
  });

  it("asks for a self-hosted issuer on EKS and writes nothing", async () => {
    const id = seedCluster(h.emulator, {
      name: "eks-1",
      distribution: "eks",
      tags: { role: "plant" },
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report).toMatchObject({
      status: "ActionRequired",
      error: { code: "SelfHostedIssuerRequired" },
    });
    expect(result.report.nextSteps[0]).toContain("--self-hosted-issuer");
    expect(writesIn(h.emulator.requestLog)).toEqual([]);
  });

  it("waits for a cluster that is still connecting", async () => {
    h.emulator.configure({ delays: { connectMs: 60_000 } });
    try {
      const id = seedCluster(h.emulator, {
        name: "k3s-new",
        connectivityStatus: "Connecting",
        tags: { role: "plant" },
      });
      const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
      expect(result).toMatchObject({
        report: { status: "WaitingForCluster" },
        requeueAfterMs: 1000,
      });
      expect(writesIn(h.emulator.requestLog)).toEqual([]);
    } finally {
      h.emulator.configure({ delays: { connectMs: 0 } });
    }
  });
});

describe("ownership", () => {
  it("adopts a credential with the same issuer and subject instead of writing a second one", async () => {
    const id = seedCluster(h.emulator, {
      name: "plant-adopt",
      tags: { role: "plant" },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
    });
    const dry = await h.reconciler.reconcile({ clusterId: id, reason: "cli", dryRun: true });
    const issuer = dry.report.issuer!;
    h.emulator.seed({
      identities: [
        {
          subscriptionId: SUB,
          resourceGroup: "rg-plant-identities",
          name: "id-plant-adopt-mes",
          location: "eastus",
          tags: { "arc-wi-managed-by": "arc-wi-onboarding", "arc-wi-cluster": id.toLowerCase() },
          federatedIdentityCredentials: [
            { name: "made-by-hand", issuer, subject: subjectOf("mes", "collector") },
          ],
        },
      ],
    });
    const result = await h.reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(result.report.status).toBe("Converged");
    expect(result.report.actions.filter((a) => a.kind === "adoptCredential")).toEqual([
      expect.objectContaining({ outcome: "adopted" }),
    ]);
    expect(result.report.identities[0]!.serviceAccounts[0]).toEqual({
      namespace: "mes",
      name: "collector",
      credential: "adopted",
    });
  });

  it("reports a name collision for a second cluster and writes nothing for it", async () => {
    const policy = `
profiles:
  p:
    identities:
      - { id: x, scope: cluster, name: "id-{tag:site}", resourceGroup: rg-ids, serviceAccounts: [a/b] }
rules:
  - { name: all, match: { tags: { site: "?*" } }, profiles: [p] }
`;
    const engine = h.engine({ policy });
    const a = seedCluster(h.emulator, { name: "site-a", tags: { site: "same" } });
    const b = seedCluster(h.emulator, { name: "site-b", tags: { site: "same" } });
    expect((await engine.reconcile({ clusterId: a, reason: "event" })).report.status).toBe(
      "Converged",
    );
    h.emulator.clearRequestLog();
    const second = await engine.reconcile({ clusterId: b, reason: "event" });
    expect(second.report).toMatchObject({
      status: "ActionRequired",
      error: { code: "IdentityNameCollision" },
    });
    expect(
      writesIn(h.emulator.requestLog).filter((e) => e.resourceType.includes("ManagedIdentity")),
    ).toEqual([]);
  });
});

async function seedForeignCredential(identityName: string): Promise<void> {
  const path = `/subscriptions/${SUB}/resourceGroups/rg-plant-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}/federatedIdentityCredentials/team-made`;
  const properties = {
    issuer: "https://other.example/",
    subject: "system:serviceaccount:x:y",
    audiences: ["api://AzureADTokenExchange"],
  };
  expect((await armCall(h.emulator, "PUT", path, { properties })).status).toBeLessThan(300);
}
