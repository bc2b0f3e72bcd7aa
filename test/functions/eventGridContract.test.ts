import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { buildArmEvent } from "../../src/local/armEvents.js";
import { startAzurite, type RunningAzurite } from "../../src/local/azurite.js";
import { startLocalHost, type LocalHost } from "../../src/local/localHost.js";
import {
  armCall,
  E2E_POLICY,
  E2E_SUB,
  emulatorReconciler,
  FAST_ARM,
  FAST_ENGINE,
  seedE2eCluster,
  writesIn,
} from "../support/emulatorFleet.js";
import { seededRandom } from "../support/functionsHarness.js";
import { startWorkerProcess, type WorkerProcess } from "../support/workerProcess.js";

const SCOPE = `/subscriptions/${E2E_SUB}`;
let emulator: RunningEmulator;
let azurite: RunningAzurite;
/** This process only delivers events (the Event Grid trigger); two processes run the workers. */
let front: LocalHost;
let workers: WorkerProcess[] = [];
const frontLog: string[] = [];

beforeAll(async () => {
  [emulator, azurite] = await Promise.all([
    startEmulator({ profile: "test", log: () => undefined }),
    startAzurite(),
  ]);
  const env = {
    AzureWebJobsStorage: azurite.connectionString,
    ARC_WI_POLICY: E2E_POLICY,
    ARC_WI_ALLOWED_SCOPES: SCOPE,
    ARC_WI_ARM_ENDPOINT: emulator.url,
    ARC_WI_LOCAL_ARM_CA_PATH: emulator.caPath,
    ARC_WI_LOCAL_ENGINE_OPTIONS: JSON.stringify({ ...FAST_ENGINE, arm: FAST_ARM }),
    ARC_WI_LOCAL_BUSY_DELAY_MS: "500",
  };
  front = await startLocalHost({
    storageConnectionString: azurite.connectionString,
    reconciler: emulatorReconciler(emulator),
    allowedScopes: [SCOPE],
    random: seededRandom(),
    runQueues: false,
    runAppStart: false,
    log: (level, fn, args) => frontLog.push(`${level} ${fn} ${args.map(String).join(" ")}`),
  });
  workers = await Promise.all([startWorkerProcess(env), startWorkerProcess(env)]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await front?.stop();
  await Promise.all([emulator?.stop(), azurite?.stop()]);
});

beforeEach(() => {
  emulator.clearRequestLog();
  frontLog.length = 0;
});

/** Writes per target path; a target written twice means a duplicate write. */
function writeCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of writesIn(emulator.requestLog)) {
    const key = `${entry.method} ${entry.path.toLowerCase()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function settle(): Promise<void> {
  await front.waitUntilIdle({ timeoutMs: 60_000 });
}

describe("Event Grid's contract, with two worker processes", () => {
  it("writes one set of resources when the same event is delivered twice at once", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-dup", { role: "plant" });
    const event = buildArmEvent({ resourceUri: clusterId, id: "dup-1" });

    await Promise.all([front.deliverEvents(event), front.deliverEvents(event)]);
    await settle();

    expect((await front.runtime.status.getLastReport(clusterId))?.status).toBe("Converged");
    expect([...writeCounts().values()].every((n) => n === 1)).toBe(true);
    expect(writeCounts().size).toBeGreaterThanOrEqual(4);
  });

  it("writes nothing twice for a burst of five writes to one cluster", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-burst", { role: "plant" });
    const burst = Array.from({ length: 5 }, (_, i) =>
      buildArmEvent({ resourceUri: clusterId, id: `burst-${i}` }),
    );

    await Promise.all(burst.map((event) => front.deliverEvents(event)));
    await settle();

    expect((await front.runtime.status.getLastReport(clusterId))?.status).toBe("Converged");
    expect([...writeCounts().entries()].filter(([, n]) => n > 1)).toEqual([]);
  });

  it("writes nothing for the event our own PUT causes", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-own", { role: "plant" });
    await front.deliverEvents(buildArmEvent({ resourceUri: clusterId }));
    await settle();
    emulator.clearRequestLog();

    const own = buildArmEvent({
      resourceUri: clusterId,
      callerObjectId: "0000aaaa-0000-0000-0000-00000000a991",
    });
    await front.deliverEvents(own);
    await settle();

    expect(emulator.requestLog.length).toBeGreaterThan(0);
    expect(writesIn(emulator.requestLog)).toEqual([]);
  });

  it("reconciles a cluster whose tags changed through the Tags API", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-tagged", { role: "none" });
    await front.deliverEvents(buildArmEvent({ resourceUri: clusterId }));
    await settle();
    expect((await front.runtime.status.getLastReport(clusterId))?.status).toBe("Skipped");

    seedE2eCluster(emulator, "plant-tagged", { role: "plant" });
    await front.deliverEvents(
      buildArmEvent({
        resourceUri: `${clusterId}/providers/Microsoft.Resources/tags/default`,
        operationName: "Microsoft.Resources/tags/write",
      }),
    );
    await settle();

    expect((await front.runtime.status.getLastReport(clusterId))?.status).toBe("Converged");
  });

  it("prunes our credentials for a deleted cluster and touches nothing else", async () => {
    const gone = seedE2eCluster(emulator, "store-gone", { role: "store" });
    const kept = seedE2eCluster(emulator, "store-kept", { role: "store" });
    await front.deliverEvents([
      buildArmEvent({ resourceUri: gone }),
      buildArmEvent({ resourceUri: kept }),
    ]);
    await settle();
    const keptReport = await front.runtime.status.getLastReport(kept);
    expect(keptReport?.status).toBe("Converged");
    await armCall(emulator, "DELETE", gone);
    emulator.clearRequestLog();

    await front.deliverEvents(
      buildArmEvent({
        resourceUri: gone,
        eventType: "Microsoft.Resources.ResourceDeleteSuccess",
        operationName: "Microsoft.Kubernetes/connectedClusters/delete",
      }),
    );
    await settle();

    const writes = writesIn(emulator.requestLog);
    expect(writes.length).toBeGreaterThan(0);
    expect(
      writes.every(
        (w) =>
          w.method === "DELETE" && w.path.toLowerCase().includes("federatedidentitycredentials"),
      ),
    ).toBe(true);
    expect((await front.runtime.status.getLastReport(gone))?.status).toBe("Pruned");
    const keptIdentity = await armCall(
      emulator,
      "GET",
      `${keptReport!.identities[0]!.resourceId}/federatedIdentityCredentials`,
    );
    expect((keptIdentity.body as { value: unknown[] }).value).toHaveLength(1);
  });

  it("ignores deployment and child-resource events without a queue message or an ARM call", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-children", { role: "plant" });

    await front.deliverEvents([
      buildArmEvent({
        resourceUri: `/subscriptions/${E2E_SUB}/resourceGroups/rg-edge/providers/Microsoft.Resources/deployments/arc-1`,
        operationName: "Microsoft.Resources/deployments/write",
      }),
      buildArmEvent({
        resourceUri: `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/flux`,
        operationName: "Microsoft.KubernetesConfiguration/extensions/write",
      }),
    ]);
    await settle();

    expect(await front.runtime.queue.approximateCount()).toBe(0);
    expect(emulator.requestLog).toEqual([]);
    expect(await front.runtime.status.getLastReport(clusterId)).toBeUndefined();
  });

  it("logs each malformed event once and drops it, with no ARM call", async () => {
    const clusterId = seedE2eCluster(emulator, "plant-malformed", { role: "plant" });
    const malformed = [
      { ...buildArmEvent({ resourceUri: clusterId }), eventTime: 12 },
      { ...buildArmEvent({ resourceUri: clusterId }), data: "not an object" },
      buildArmEvent({ resourceUri: clusterId.replace("rg-edge", "rg-edge/../rg-other") }),
      buildArmEvent({ resourceUri: `${clusterId}/extra` }),
      "not an event",
    ];

    await front.deliverEvents(malformed);
    await settle();

    expect(
      frontLog.filter((l) => l.startsWith("warning") && l.includes("event ignored")),
    ).toHaveLength(5);
    expect(emulator.requestLog).toEqual([]);
    expect(await front.runtime.status.getLastReport(clusterId)).toBeUndefined();
  });
});
