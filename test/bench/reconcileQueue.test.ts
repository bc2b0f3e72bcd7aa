/**
 * The bench's stand-in for the queue worker: requeues what asks for it, and gives up at the
 * deadline without waiting for reconciles that never end, leaving those clusters unsettled.
 */
import { describe, expect, it } from "vitest";

import { missingFigures, toResults } from "../../bench/benchReport.js";
import type { FleetBenchResult } from "../../bench/fleetBench.js";
import { runQueue } from "../../bench/reconcileQueue.js";
import { reportFor, scriptedReconciler, testClusterId } from "../support/scriptedReconciler.js";

const settles = testClusterId("settles");
const waits = testClusterId("waits-forever");
const hangs = testClusterId("hangs");

describe("runQueue", () => {
  it("requeues after the delay asked, settles the rest, and stops at the deadline", async () => {
    const reconciler = scriptedReconciler((request) => {
      if (request.clusterId === hangs) return new Promise(() => undefined);
      if (request.clusterId === waits)
        return { report: reportFor(request, "WaitingForIssuer"), requeueAfterMs: 5 };
      return { report: reportFor(request, "Converged") };
    });

    const runs = await runQueue({
      reconciler,
      requests: [settles, waits, hangs].map((clusterId) => ({ clusterId, reason: "event" })),
      concurrency: 3,
      deadlineMs: 200,
    });

    expect(runs.get(settles)).toMatchObject({ status: "Converged", attempts: 1 });
    expect(runs.get(settles)!.settledAt).toBeGreaterThan(0);
    expect(runs.get(waits)).toMatchObject({ status: "WaitingForIssuer", settledAt: 0 });
    expect(runs.get(waits)!.attempts).toBeGreaterThan(1);
    expect(reconciler.requests.filter((r) => r.clusterId === waits).slice(1)).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: "requeue" })]),
    );
    expect(runs.get(hangs)).toMatchObject({ attempts: 1, settledAt: 0 });
  });
});

describe("missingFigures", () => {
  it("names the figures a run could not produce, such as the no-op re-sync of no cluster", () => {
    const fleet = {
      fleet: {
        clusters: 1,
        writesPerSecond: 0,
        budgetSeconds: 185,
        seconds: 4000,
        budgetRatio: 0.046,
        throttledShare: 0,
        failedClusters: 1,
        peakRssMb: 90,
      },
      amplification: 0.1,
      noop: { reads: Number.NaN, writes: Number.NaN },
      detail: { timeScale: 50 },
    } as unknown as FleetBenchResult;
    const coldStart = { bundledMs: 200, plainMs: 500, ratio: 0.4, rssMb: 80 };
    const latency = { issuerDelayMs: 120_000, overheadMs: Number.POSITIVE_INFINITY };

    const results = toResults(fleet, coldStart, latency, true);

    expect(missingFigures(results)).toEqual(["noop.reads", "noop.writes", "latency.overheadMs"]);
    expect(missingFigures({ ...results, noop: { reads: 4, writes: 0 } })).toEqual([
      "latency.overheadMs",
    ]);
  });
});
