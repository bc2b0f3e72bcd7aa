import { describe, expect, it } from "vitest";

import { handleClusterEvent } from "../../../src/functions/handlers/handleClusterEvent.js";
import { buildArmEvent } from "../../../src/local/armEvents.js";
import { useAzurite } from "../../support/azurite.js";
import { capturingContext, freshRuntime, readSyncQueue } from "../../support/functionsHarness.js";
import { convergingReconciler, testClusterId } from "../../support/scriptedReconciler.js";

const CLUSTER = testClusterId("plant-7");
const SECRET = "planted-secret-7c1d2e9f";

describe("handleClusterEvent (the Event Grid trigger)", () => {
  const azurite = useAzurite();

  it("only enqueues {clusterId, reason, eventId}: no reconcile, no ARM call", async () => {
    const reconciler = convergingReconciler();
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    await handleClusterEvent(
      buildArmEvent({ resourceUri: CLUSTER, id: "ev-1" }),
      capturingContext().context,
      runtime,
    );

    expect(reconciler.requests).toEqual([]);
    expect(await readSyncQueue(azurite.connectionString)).toEqual([
      { message: { clusterId: CLUSTER, reason: "event", eventId: "ev-1" }, visible: true },
    ]);
  });

  it("enqueues a delete as deleted, and each event of a batch", async () => {
    const runtime = await freshRuntime(azurite.connectionString, convergingReconciler());
    const deleted = buildArmEvent({
      resourceUri: CLUSTER,
      id: "ev-del",
      eventType: "Microsoft.Resources.ResourceDeleteSuccess",
      operationName: "Microsoft.Kubernetes/connectedClusters/delete",
    });

    await handleClusterEvent(
      [deleted, buildArmEvent({ resourceUri: testClusterId("plant-8") })],
      capturingContext().context,
      runtime,
    );

    const queued = await readSyncQueue(azurite.connectionString);
    expect(queued).toHaveLength(2);
    expect(queued).toContainEqual({
      message: { clusterId: CLUSTER, reason: "delete-event", eventId: "ev-del", deleted: true },
      visible: true,
    });
  });

  it("enqueues one message per cluster for a batch of duplicates, keeping a delete", async () => {
    const runtime = await freshRuntime(azurite.connectionString, convergingReconciler());
    const writes = Array.from({ length: 50 }, () => buildArmEvent({ resourceUri: CLUSTER }));
    const deleted = buildArmEvent({
      resourceUri: CLUSTER.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"),
      id: "ev-del",
      eventType: "Microsoft.Resources.ResourceDeleteSuccess",
      operationName: "Microsoft.Kubernetes/connectedClusters/delete",
    });

    await handleClusterEvent([...writes, deleted, ...writes], capturingContext().context, runtime);

    const queued = await readSyncQueue(azurite.connectionString);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.message).toMatchObject({ reason: "delete-event", deleted: true });
  });

  it("refuses an event id longer than an Azure one, so the queue message stays small", async () => {
    const { context, lines } = capturingContext();
    const runtime = await freshRuntime(azurite.connectionString, convergingReconciler());

    await handleClusterEvent(
      buildArmEvent({ resourceUri: CLUSTER, id: "x".repeat(100_000) }),
      context,
      runtime,
    );

    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
    expect(lines.join("\n")).toMatch(/event id has 100000 characters/);
  });

  it("drops events the app caused itself when ARC_WI_APP_PRINCIPAL_ID is set", async () => {
    const principal = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const runtime = await freshRuntime(azurite.connectionString, convergingReconciler(), {
      appPrincipalId: principal,
    });

    await handleClusterEvent(
      buildArmEvent({ resourceUri: CLUSTER, callerObjectId: principal }),
      capturingContext().context,
      runtime,
    );

    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
  });

  it("logs a malformed event once, as a warning, and never the payload", async () => {
    const runtime = await freshRuntime(azurite.connectionString, convergingReconciler());
    const { context, lines } = capturingContext();
    const event = buildArmEvent({ resourceUri: `${CLUSTER}/../../x`, id: "ev-bad" });
    (event.data as Record<string, unknown>).claims = {
      secret: SECRET,
      "http://schemas.microsoft.com/identity/claims/objectidentifier": SECRET,
    };

    await handleClusterEvent(event, context, runtime);

    expect(lines.filter((l) => l.startsWith("warning"))).toEqual([
      expect.stringContaining("ev-bad"),
    ]);
    expect(lines.join("\n")).not.toContain(SECRET);
    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
  });
});
