import { describe, expect, it } from "vitest";

import { clusterIdKey } from "../../../src/lib/arm/clusterResourceId.js";
import { LockTimeoutError } from "../../../src/lib/locks/lockTimeoutError.js";
import { handleSyncMessage } from "../../../src/functions/handlers/handleSyncMessage.js";
import { handleSyncPoison } from "../../../src/functions/handlers/handleSyncPoison.js";
import { useAzurite } from "../../support/azurite.js";
import { capturingContext, freshRuntime, readSyncQueue } from "../../support/functionsHarness.js";
import { reportFor, scriptedReconciler, testClusterId } from "../../support/scriptedReconciler.js";

const CLUSTER = testClusterId("store-0042");

describe("handleSyncMessage (the queue worker)", () => {
  const azurite = useAzurite();

  it("reconciles, stores the report and the writes, and requeues nothing when converged", async () => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "Converged", {
        actions: [
          {
            kind: "createIdentity",
            target: "/id",
            reason: "missing",
            outcome: "created",
            armRequestId: "req-9",
          },
        ],
      }),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);
    const { context } = capturingContext();

    await handleSyncMessage(
      { clusterId: CLUSTER, reason: "event", eventId: "e1" },
      context,
      runtime,
    );

    expect(reconciler.requests).toEqual([{ clusterId: CLUSTER, reason: "event", dryRun: false }]);
    expect((await runtime.status.getLastReport(CLUSTER))?.status).toBe("Converged");
    expect(await runtime.history.list(CLUSTER)).toEqual([
      expect.objectContaining({ armRequestId: "req-9", trigger: "event" }),
    ]);
    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
  });

  it("requeues a waiting cluster with a visibility delay", async () => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "WaitingForIssuer"),
      requeueAfterMs: 30_000,
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    await handleSyncMessage(
      { clusterId: CLUSTER, reason: "event", eventId: "e2" },
      capturingContext().context,
      runtime,
    );

    expect((await runtime.status.getLastReport(CLUSTER))?.status).toBe("WaitingForIssuer");
    expect(await readSyncQueue(azurite.connectionString)).toEqual([
      expect.objectContaining({ visible: false }),
    ]);
  });

  it("ends a wait past the deadline as Failed, and stops requeueing", async () => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "WaitingForCluster", {
        nextSteps: ["Waiting for the cluster: Offline."],
      }),
      requeueAfterMs: 60_000,
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler, {
      waitDeadlineMs: 60 * 60_000,
    });
    const waitingSince = new Date(Date.now() - 2 * 60 * 60_000).toISOString();

    await handleSyncMessage(
      { clusterId: CLUSTER, reason: "requeue", eventId: "e3", attempt: 9, waitingSince },
      capturingContext().context,
      runtime,
    );

    const report = await runtime.status.getLastReport(CLUSTER);
    expect(report).toMatchObject({
      status: "Failed",
      error: { code: "WaitDeadlineExceeded" },
      nextSteps: ["Waiting for the cluster: Offline."],
    });
    expect(await readSyncQueue(azurite.connectionString)).toEqual([]);
  });

  it("requeues a throttled cluster after Retry-After, whatever its wait", async () => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "Throttled", {
        error: { code: "TooManyRequests", message: "429" },
      }),
      requeueAfterMs: 45_000,
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler, {
      waitDeadlineMs: 60_000,
    });
    const waitingSince = new Date(Date.now() - 2 * 60 * 60_000).toISOString();

    await handleSyncMessage(
      { clusterId: CLUSTER, reason: "requeue", eventId: "e4", waitingSince },
      capturingContext().context,
      runtime,
    );

    expect((await runtime.status.getLastReport(CLUSTER))?.status).toBe("Throttled");
    expect(await readSyncQueue(azurite.connectionString)).toHaveLength(1);
  });

  it("requeues without reconciling while another worker holds the cluster's lease", async () => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "Converged"),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    await runtime.locks.withLock(`cluster/${clusterIdKey(CLUSTER)}`, () =>
      handleSyncMessage(
        { clusterId: CLUSTER, reason: "event", eventId: "e5" },
        capturingContext().context,
        runtime,
      ),
    );

    expect(reconciler.requests).toEqual([]);
    expect(await readSyncQueue(azurite.connectionString)).toEqual([
      expect.objectContaining({ visible: false }),
    ]);
  });

  it("requeues, without a failure, when the engine waited too long for an identity's lock", async () => {
    const reconciler = scriptedReconciler(() => {
      throw new LockTimeoutError("identity:payments", 120_000);
    });
    const runtime = await freshRuntime(azurite.connectionString, reconciler);

    await handleSyncMessage(
      { clusterId: CLUSTER, reason: "event", eventId: "e-lock" },
      capturingContext().context,
      runtime,
    );

    expect(await runtime.status.getLastFailure(CLUSTER)).toBeUndefined();
    expect(await readSyncQueue(azurite.connectionString)).toEqual([
      expect.objectContaining({ visible: false }),
    ]);
  });

  it("records the cause and rethrows when the engine crashes; the poison function then marks the cluster Failed", async () => {
    const reconciler = scriptedReconciler(() => {
      throw Object.assign(new Error("table unreachable"), { code: "StorageDown" });
    });
    const runtime = await freshRuntime(azurite.connectionString, reconciler);
    const message = { clusterId: CLUSTER, reason: "event" as const, eventId: "e6" };

    await expect(handleSyncMessage(message, capturingContext().context, runtime)).rejects.toThrow(
      "table unreachable",
    );
    const { context, lines } = capturingContext("syncPoison");
    await handleSyncPoison(message, context, runtime);

    const report = await runtime.status.getLastReport(CLUSTER);
    expect(report).toMatchObject({
      status: "Failed",
      error: { code: "StorageDown", message: expect.stringContaining("table unreachable") },
    });
    expect(lines.filter((l) => l.startsWith("error"))).toHaveLength(1);
  });

  it.each([
    ["a malformed message", { clusterId: 3, reason: "event" }, /malformed/],
    [
      "a cluster outside the allowed scopes",
      { clusterId: CLUSTER.replace("11111111", "99999999"), reason: "event", eventId: "x" },
      /outside/,
    ],
  ])("drops %s with one log line and no reconcile", async (_name, message, line) => {
    const reconciler = scriptedReconciler((request) => ({
      report: reportFor(request, "Converged"),
    }));
    const runtime = await freshRuntime(azurite.connectionString, reconciler);
    const { context, lines } = capturingContext();

    await handleSyncMessage(message, context, runtime);

    expect(reconciler.requests).toEqual([]);
    expect(lines.filter((l) => line.test(l))).toHaveLength(1);
  });
});
