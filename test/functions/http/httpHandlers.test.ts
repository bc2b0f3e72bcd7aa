import { HttpRequest, type HttpRequestInit, type HttpResponseInit } from "@azure/functions";
import { describe, expect, it } from "vitest";

import { handleGetClusterManifests } from "../../../src/functions/http/handleGetClusterManifests.js";
import { handleGetClusterStatus } from "../../../src/functions/http/handleGetClusterStatus.js";
import { handleGetOperation } from "../../../src/functions/http/handleGetOperation.js";
import { handleSyncCluster } from "../../../src/functions/http/handleSyncCluster.js";
import { handleSyncFleet } from "../../../src/functions/http/handleSyncFleet.js";
import { MAX_BODY_BYTES } from "../../../src/functions/http/readJsonBody.js";
import { useAzurite } from "../../support/azurite.js";
import { capturingContext, freshRuntime, readSyncQueue } from "../../support/functionsHarness.js";
import {
  reportFor,
  scriptedReconciler,
  SUB,
  testClusterId,
} from "../../support/scriptedReconciler.js";

const BASE = "https://app.example/api";
const params = (name: string, extra: Record<string, string> = {}) => ({
  subscriptionId: SUB,
  resourceGroup: "rg-edge",
  clusterName: name,
  ...extra,
});
const req = (init: HttpRequestInit) => new HttpRequest({ url: `${BASE}/x`, ...init });
const problemOf = (response: HttpResponseInit) =>
  response.jsonBody as { status: number; field?: string; detail: string };

describe("HTTP functions", () => {
  const azurite = useAzurite();

  it("syncs one cluster inline and answers with the report", async () => {
    const reconciler = scriptedReconciler((r) => ({
      report: reportFor(r, "Converged", { manifests: "kind: ServiceAccount\n" }),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    const response = await handleSyncCluster(
      req({ method: "POST", params: params("c1") }),
      capturingContext().context,
      runtime,
    );
    const manifests = await handleGetClusterManifests(
      req({ method: "GET", params: params("c1") }),
      capturingContext().context,
      runtime,
    );
    const status = await handleGetClusterStatus(
      req({ method: "GET", params: params("c1") }),
      capturingContext().context,
      runtime,
    );

    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({
      clusterId: testClusterId("c1"),
      status: "Converged",
    });
    expect(manifests).toMatchObject({
      status: 200,
      body: "kind: ServiceAccount\n",
      headers: { "content-type": "application/yaml" },
    });
    expect(status.jsonBody).toMatchObject({ status: "Converged" });
  });

  it("says in the manifests why there are none yet, and takes dryRun in any case", async () => {
    const reconciler = scriptedReconciler((r) => ({
      report: reportFor(r, "ActionRequired", { nextSteps: ["Fix the policy or\nthe tags: x"] }),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);
    await handleSyncCluster(
      req({ method: "POST", params: params("c2") }),
      capturingContext().context,
      runtime,
    );

    const manifests = await handleGetClusterManifests(
      req({ method: "GET", params: params("c2") }),
      capturingContext().context,
      runtime,
    );
    expect(manifests.body).toBe(
      "# No ServiceAccount manifests yet; the cluster is ActionRequired: Fix the policy or the tags: x\n",
    );

    const plan = await handleSyncCluster(
      req({ method: "POST", params: params("c2"), query: { dryRun: "TRUE" } }),
      capturingContext().context,
      runtime,
    );
    expect(plan.status).toBe(200);
    expect(reconciler.requests.at(-1)).toMatchObject({ dryRun: true });
  });

  it("answers 202 with the operation's Location when the cluster must wait, and the operation shows it", async () => {
    const reconciler = scriptedReconciler((r) => ({
      report: reportFor(r, "WaitingForIssuer"),
      requeueAfterMs: 30_000,
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    const response = await handleSyncCluster(
      req({ method: "POST", params: params("c2") }),
      capturingContext().context,
      runtime,
    );
    const { operationId } = response.jsonBody as { operationId: string };
    const operation = await handleGetOperation(
      req({ method: "GET", params: { operationId } }),
      capturingContext().context,
      runtime,
    );

    expect(response.status).toBe(202);
    expect((response.headers as Record<string, string>).location).toBe(
      `https://app.example/api/operations/${operationId}`,
    );
    expect(operation.jsonBody).toMatchObject({
      kind: "cluster",
      total: 1,
      byStatus: { WaitingForIssuer: 1 },
    });
    expect(await readSyncQueue(azurite.connectionString)).toHaveLength(1);
  });

  it("answers 202 when the reconcile passes the inline budget, and finishes it after", async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const reconciler = scriptedReconciler(async (r) => {
      await gate;
      return { report: reportFor(r, "Converged") };
    });
    const runtime = await freshRuntime(azurite.connectionString, reconciler, {
      inlineBudgetMs: 20,
    });

    const response = await handleSyncCluster(
      req({ method: "POST", params: params("c3") }),
      capturingContext().context,
      runtime,
    );
    finish();

    expect(response.status).toBe(202);
    await expect
      .poll(async () => (await runtime.status.getLastReport(testClusterId("c3")))?.status)
      .toBe("Converged");
  });

  it("plans without writing on a dry run", async () => {
    const reconciler = scriptedReconciler((r) => ({
      report: reportFor(r, "Converged", {
        actions: [{ kind: "createIdentity", target: "/id", reason: "missing", outcome: "planned" }],
      }),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    const response = await handleSyncCluster(
      req({ method: "POST", params: params("c4"), query: { dryRun: "true" } }),
      capturingContext().context,
      runtime,
    );

    expect(response.status).toBe(200);
    expect(reconciler.requests).toEqual([expect.objectContaining({ dryRun: true })]);
    expect(await runtime.status.getLastReport(testClusterId("c4"))).toBeUndefined();
    expect(await runtime.history.list(testClusterId("c4"))).toEqual([]);
  });

  it.each([
    ["subscriptionId", params("c1", { subscriptionId: "not-a-guid" })],
    ["resourceGroup", params("c1", { resourceGroup: "rg." })],
    ["clusterName", params("-bad/..")],
  ])("answers 400 problem+json naming %s for a bad id", async (field, badParams) => {
    const runtime = await freshRuntime(
      azurite.connectionString,
      scriptedReconciler((r) => ({ report: reportFor(r, "Converged") })),
    );

    const response = await handleSyncCluster(
      req({ method: "POST", params: badParams }),
      capturingContext().context,
      runtime,
    );

    expect(response.status).toBe(400);
    expect((response.headers as Record<string, string>)["content-type"]).toBe(
      "application/problem+json",
    );
    expect(problemOf(response)).toMatchObject({ status: 400, field });
  });

  it("answers 403 for a cluster outside the allowed scopes, and 404 for an unknown one", async () => {
    const reconciler = scriptedReconciler((r) => ({
      report: reportFor(r, "WaitingForCluster"),
      requeueAfterMs: 1000,
      notFoundCount: 1,
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);
    const outside = params("c1", { subscriptionId: "99999999-2222-3333-4444-555555555555" });

    const forbidden = await handleSyncCluster(
      req({ method: "POST", params: outside }),
      capturingContext().context,
      runtime,
    );
    const unknown = await handleSyncCluster(
      req({ method: "POST", params: params("nope") }),
      capturingContext().context,
      runtime,
    );
    const noStatus = await handleGetClusterStatus(
      req({ method: "GET", params: params("nope") }),
      capturingContext().context,
      runtime,
    );

    expect([forbidden.status, unknown.status, noStatus.status]).toEqual([403, 404, 404]);
    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
  });

  it("answers 405 to a wrong method", async () => {
    const runtime = await freshRuntime(
      azurite.connectionString,
      scriptedReconciler((r) => ({ report: reportFor(r, "Converged") })),
    );

    const response = await handleSyncFleet(
      req({ method: "GET" }),
      capturingContext().context,
      runtime,
    );

    expect(response.status).toBe(405);
    expect((response.headers as Record<string, string>).allow).toBe("POST");
  });

  it("answers 413 to an oversized body and 400 naming the bad field", async () => {
    const runtime = await freshRuntime(
      azurite.connectionString,
      scriptedReconciler((r) => ({ report: reportFor(r, "Converged") })),
    );
    const big = JSON.stringify({ clusterIds: ["x".repeat(MAX_BODY_BYTES)] });

    const tooLarge = await handleSyncFleet(
      req({ method: "POST", body: { string: big } }),
      capturingContext().context,
      runtime,
    );
    const badItem = await handleSyncFleet(
      req({
        method: "POST",
        body: {
          string: JSON.stringify({ clusterIds: [testClusterId("a"), "/subscriptions/x/../y"] }),
        },
      }),
      capturingContext().context,
      runtime,
    );
    const unknownField = await handleSyncFleet(
      req({ method: "POST", body: { string: '{"clusters":[]}' } }),
      capturingContext().context,
      runtime,
    );
    const notJson = await handleSyncFleet(
      req({ method: "POST", body: { string: "{" } }),
      capturingContext().context,
      runtime,
    );

    expect(tooLarge.status).toBe(413);
    expect(problemOf(badItem)).toMatchObject({ status: 400, field: "clusterIds[1]" });
    expect(problemOf(unknownField)).toMatchObject({ status: 400, field: "clusters" });
    expect(problemOf(notJson)).toMatchObject({ status: 400, field: "body" });
  });

  it("answers a fleet sync of 500 clusters with 202 after enqueueing only", async () => {
    const fleet = Array.from({ length: 500 }, (_, i) => testClusterId(`store-${i}`));
    const reconciler = scriptedReconciler((r) => ({ report: reportFor(r, "Converged") }), fleet);
    const runtime = await freshRuntime(azurite.connectionString, reconciler, {
      enqueuePerSecond: 50,
    });

    const response = await handleSyncFleet(
      req({ method: "POST", body: { string: JSON.stringify({ subscriptionIds: [SUB] }) } }),
      capturingContext().context,
      runtime,
    );
    const { operationId } = response.jsonBody as { operationId: string };

    expect(response.status).toBe(202);
    expect(response.jsonBody).toMatchObject({ enqueued: 500 });
    expect(reconciler.requests).toEqual([]);
    expect(await runtime.queue.approximateCount()).toBe(500);
    expect(await runtime.operations.getProgress(operationId)).toMatchObject({
      state: "Enqueued",
      total: 500,
      reported: 0,
    });
  });

  it("answers 403 to a fleet sync of a subscription outside the allowed scopes", async () => {
    const runtime = await freshRuntime(
      azurite.connectionString,
      scriptedReconciler((r) => ({ report: reportFor(r, "Converged") })),
    );
    const body = JSON.stringify({ subscriptionIds: ["99999999-2222-3333-4444-555555555555"] });

    const response = await handleSyncFleet(
      req({ method: "POST", body: { string: body } }),
      capturingContext().context,
      runtime,
    );

    expect(problemOf(response)).toMatchObject({ status: 403, field: "subscriptionIds[0]" });
  });
});
