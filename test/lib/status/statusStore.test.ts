import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createTableClient } from "../../../src/lib/config/storageConnection.js";
import type { ClusterReport } from "../../../src/lib/reconcile/contract.js";
import { HistoryStore } from "../../../src/lib/status/historyStore.js";
import { OperationStore } from "../../../src/lib/status/operationStore.js";
import { StatusStore } from "../../../src/lib/status/statusStore.js";
import { useAzurite } from "../../support/azurite.js";

const CLUSTER =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c1";

function report(overrides: Partial<ClusterReport> = {}): ClusterReport {
  return {
    clusterId: CLUSTER,
    clusterName: "c1",
    status: "Converged",
    identities: [],
    actions: [],
    nextSteps: [],
    manifests: "",
    policyVersion: "v1",
    reconcileId: "r1",
    dryRun: false,
    at: "2026-12-03T10:00:00.000Z",
    ...overrides,
  };
}

describe("status store", () => {
  const azurite = useAzurite();
  const table = (name: string) =>
    createTableClient({ connectionString: azurite.connectionString }, name);

  it("keeps the last report per cluster, looked up case-insensitively", async () => {
    const store = new StatusStore(table("statusone"));
    await store.ensureExists();

    await store.saveReport(report({ status: "WaitingForIssuer" }));
    await store.saveReport(report({ status: "Converged", reconcileId: "r2" }));

    const last = await store.getLastReport(
      CLUSTER.toUpperCase().replace("/SUBSCRIPTIONS", "/subscriptions"),
    );
    expect(last).toMatchObject({ status: "Converged", reconcileId: "r2" });
    expect(await store.getLastReport(`${CLUSTER}x`)).toBeUndefined();
    expect(await store.listStatuses()).toEqual([
      expect.objectContaining({ clusterId: CLUSTER, status: "Converged" }),
    ]);
  });

  it("stores a report past Table Storage's 64 KiB property limit", async () => {
    const store = new StatusStore(table("statusbig"));
    await store.ensureExists();
    // Random text does not compress: 200 KB of it needs several properties.
    const manifests = randomBytes(150_000).toString("base64");

    await store.saveReport(report({ manifests }));

    expect((await store.getLastReport(CLUSTER))?.manifests).toBe(manifests);
  });

  it("remembers shards and failures", async () => {
    const store = new StatusStore(table("statusshard"));
    await store.ensureExists();

    await store.setShard(CLUSTER, "payments/api", 3);
    await store.recordFailure(CLUSTER, { code: "Boom", message: "it broke", at: "t" });

    expect(await store.getShard(CLUSTER, "payments/api")).toBe(3);
    expect(await store.getShard(CLUSTER, "payments/other")).toBeUndefined();
    expect(await store.getLastFailure(CLUSTER)).toEqual({
      code: "Boom",
      message: "it broke",
      at: "t",
    });
  });

  it("lets exactly one caller claim a new policy version", async () => {
    const store = new StatusStore(table("statuspolicy"));
    await store.ensureExists();

    const first = await Promise.all([
      store.claimPolicyVersion("v1"),
      store.claimPolicyVersion("v1"),
    ]);
    const again = await store.claimPolicyVersion("v1");
    const next = await store.claimPolicyVersion("v2");

    expect(first.filter(Boolean)).toHaveLength(1);
    expect(again).toBe(false);
    expect(next).toBe(true);
  });

  it("appends one history row per write, with why and the ARM request id", async () => {
    const history = new HistoryStore(table("history"));
    await history.ensureExists();
    const actions: ClusterReport["actions"] = [
      {
        kind: "createIdentity",
        target: "/id/a",
        reason: "missing",
        outcome: "created",
        armRequestId: "req-1",
      },
      { kind: "createCredential", target: "/id/a/fic", reason: "missing", outcome: "unchanged" },
      {
        kind: "createCredential",
        target: "/id/b/fic",
        reason: "missing",
        outcome: "failed",
        errorCode: "Conflict",
      },
    ];

    const appended = await history.append(report({ actions }), "event");
    const dryRun = await history.append(report({ actions, dryRun: true }), "http");

    expect([appended, dryRun]).toEqual([2, 0]);
    expect(await history.list(CLUSTER)).toEqual([
      expect.objectContaining({
        kind: "createIdentity",
        outcome: "created",
        armRequestId: "req-1",
        trigger: "event",
        reason: "missing",
      }),
      expect.objectContaining({ target: "/id/b/fic", outcome: "failed", errorCode: "Conflict" }),
    ]);
  });

  it("counts an operation's clusters by status", async () => {
    const tableClient = table("operations");
    await tableClient.createTable();
    const operations = new OperationStore(tableClient);

    await operations.create("op-1", "fleet");
    await operations.finishEnumeration("op-1", 3);
    await operations.recordClusterStatus("op-1", `${CLUSTER}a`, "WaitingForIssuer");
    await operations.recordClusterStatus("op-1", `${CLUSTER}a`, "Converged");
    await operations.recordClusterStatus("op-1", `${CLUSTER}b`, "Converged");

    expect(await operations.getProgress("op-1")).toMatchObject({
      id: "op-1",
      kind: "fleet",
      state: "Enqueued",
      total: 3,
      reported: 2,
      byStatus: { Converged: 2 },
      settled: 2,
      done: false,
    });
    await operations.recordClusterStatus("op-1", `${CLUSTER}c`, "WaitingForCluster");
    expect(await operations.getProgress("op-1")).toMatchObject({ settled: 2, done: false });
    await operations.recordClusterStatus("op-1", `${CLUSTER}c`, "ActionRequired");
    expect(await operations.getProgress("op-1")).toMatchObject({ settled: 3, done: true });
    expect(await operations.getProgress("op-2")).toBeUndefined();
  });
});
