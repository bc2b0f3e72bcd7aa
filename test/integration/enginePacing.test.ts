import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createEmulatorCredential } from "../../src/lib/arm/emulatorCredential.js";
import {
  AZURE_PACING,
  type Pacing,
  type RequestPacerOptions,
} from "../../src/lib/arm/requestPacer.js";
import { parsePolicy } from "../../src/lib/policy/index.js";
import { createReconciler } from "../../src/lib/reconcile/createReconciler.js";
import { FAST_ARM, FAST_ENGINE } from "../support/emulatorFleet.js";
import {
  seedCluster,
  startEngineHarness,
  TEST_POLICY,
  type EngineHarness,
} from "./engineHarness.js";

let h: EngineHarness;

beforeEach(async () => {
  h = await startEngineHarness();
});
afterEach(async () => h.stop());

/** The real engine on the harness's emulator, with its own pacing and operation budget. */
function engine(options: { pacing?: RequestPacerOptions; maxFollowMs?: number }) {
  return createReconciler({
    ...FAST_ENGINE,
    policy: parsePolicy(TEST_POLICY, "inline"),
    arm: {
      endpoint: h.emulator.url,
      caPem: h.emulator.caPem,
      credential: createEmulatorCredential(),
      ...FAST_ARM,
      maxFollowMs: options.maxFollowMs,
    },
    pacing: options.pacing ?? FAST_ENGINE.pacing,
  });
}

/** Budgets that never bind, except the one `change` sets; a wait past 100 ms requeues. */
function starved(change: (limits: Pacing) => void): RequestPacerOptions {
  const roomy = { burst: 1000, perSecond: 1000 };
  const msi = { reads: roomy, lists: roomy, writes: roomy, deletes: roomy };
  const limits: Pacing = {
    arm: { reads: roomy, writes: roomy, deletes: roomy },
    identityService: {
      tenant: structuredClone(msi),
      subscription: structuredClone(msi),
      perResource: structuredClone(msi),
      chargeCredentialWritesToIdentity: true,
    },
  };
  change(limits);
  return { limits, maxWaitMs: 100 };
}

describe("pacing in the SDK pipeline", () => {
  it("paces the SDK's own retries: a retried read spends a token like the first attempt", async () => {
    const id = seedCluster(h.emulator, { name: "plant-retry", tags: { role: "plant" } });
    // Every request fails with 503, which the SDK retries up to 3 times by itself.
    h.emulator.configure({ faults: { rate: 1, kinds: ["503"] } });
    const pacing = starved((l) => (l.arm.reads = { burst: 3, perSecond: 0.001 }));

    const result = await engine({ pacing }).reconcile({ clusterId: id, reason: "event" });

    // A bucket of 3 sends 2 (one stays in reserve): two attempts reached ARM; the third waited
    // on the pacer and became a requeue.
    expect(h.emulator.requestLog.filter((e) => e.method === "GET")).toHaveLength(2);
    expect(result.report.status).toBe("Throttled");
    expect(result.report.error?.message).toMatch(/request budget .* is spent/);
    expect(result.requeueAfterMs).toBeGreaterThan(100_000);
  });

  it("holds an identity's credential writes to its 0.25 writes/s before Azure refuses", async () => {
    const id = seedCluster(h.emulator, { name: "plant-budget", tags: { role: "plant" } });
    const perIdentity = AZURE_PACING.identityService.perResource.writes;
    const pacing = starved((l) => (l.identityService.perResource.writes = perIdentity));

    const result = await engine({ pacing }).reconcile({ clusterId: id, reason: "event" });

    // The identity's PUT spent its token; its first credential would need another 4 s: unsent.
    const msiWrites = h.emulator.requestLog.filter(
      (e) => e.kind !== "read" && e.resourceType.includes("ManagedIdentity"),
    );
    expect(msiWrites.map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 201"]);
    expect(result.report.status).toBe("Throttled");
    expect(result.requeueAfterMs).toBeGreaterThan(3000);
    expect(h.emulator.requestLog.filter((e) => e.status === 429)).toEqual([]);
  });

  it("paces one identity's GETs under 0.5/s, while the cluster's own reads go on", async () => {
    const id = seedCluster(h.emulator, { name: "plant-reads", tags: { role: "plant" } });
    const pacing = starved(
      (l) => (l.identityService.perResource.reads = { burst: 3, perSecond: 0.001 }),
    );
    const reconciler = engine({ pacing });
    const first = await reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(first.report.status).toBe("Converged");
    h.emulator.clearRequestLog();

    // Two GETs of the identity (absent, then created) spent what a bucket of 3 lets go: a sweep
    // reading it again requeues before sending.
    const again = await reconciler.reconcile({ clusterId: id, reason: "sweep" });
    expect(again.report.status).toBe("Throttled");
    const reads = h.emulator.requestLog.map((e) => e.resourceType);
    expect(reads).toContain("Microsoft.Kubernetes/connectedClusters");
    expect(reads.filter((t) => t === "Microsoft.ManagedIdentity/userAssignedIdentities")).toEqual(
      [],
    );
  });
});

describe("long-running operations", () => {
  it("leaves a cluster PUT's long operation running and reads the cluster again later", async () => {
    h.emulator.configure({ delays: { operationMs: 60_000 } });
    const id = seedCluster(h.emulator, { name: "plant-slow-put", tags: { role: "plant" } });
    const reconciler = engine({ maxFollowMs: 1000 });

    const first = await reconciler.reconcile({ clusterId: id, reason: "event" });
    expect(first.report.status).toBe("WaitingForCluster");
    expect(first.requeueAfterMs).toBe(FAST_ENGINE.delays.waitForClusterMs);
    expect(first.report.actions).toMatchObject([
      { kind: "enableClusterFeatures", outcome: "planned" },
    ]);
    // The engine did not poll an operation it knew would outlast its budget.
    expect(h.emulator.requestLog.filter((e) => e.path.includes("operationStatuses"))).toEqual([]);

    h.emulator.advanceClock(60_000);
    const second = await reconciler.reconcile({ clusterId: id, reason: "requeue" });
    expect(second.report.status).toBe("Converged");
    expect(second.report.actions.filter((a) => a.kind === "enableClusterFeatures")).toEqual([]);
  });

  it("follows an operation that ends within its budget in the same run", async () => {
    h.emulator.configure({ delays: { operationMs: 200 } });
    const id = seedCluster(h.emulator, { name: "plant-quick-put", tags: { role: "plant" } });

    const result = await engine({ maxFollowMs: 10_000 }).reconcile({
      clusterId: id,
      reason: "event",
    });

    expect(result.report.status).toBe("Converged");
    expect(result.report.actions[0]).toMatchObject({
      kind: "enableClusterFeatures",
      outcome: "updated",
    });
  });
});
