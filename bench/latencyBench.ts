/**
 * `latency`: one cluster at a time connects; the time from its event to `Converged`, minus
 * the issuer delay the emulator is configured with, is the engine's overhead (its requeue
 * cadence, LRO polling, writes and their pacing). Realistic delays and limits, scaled in time;
 * the agents are set to converge before the issuer appears, so the issuer is the wait.
 */
import { resolveConfig, type DeepPartial, type EmulatorConfig } from "../src/emulator/index.js";
import { createBenchReconciler, fleetClusterId, fleetSeed } from "./benchFleet.js";
import { forkEmulator } from "./emulatorClient.js";
import { MemoryReportStore, runQueue } from "./reconcileQueue.js";

export interface LatencyFigures {
  issuerDelayMs: number;
  overheadMs: number;
}

/** Median over `clusters` runs, one after the other; times in emulator (Azure-equivalent) ms. */
export async function runLatencyBench(args: {
  clusters: number;
  timeScale: number;
}): Promise<LatencyFigures> {
  const { timeScale } = args;
  const base = resolveConfig("realistic");
  const patch: DeepPartial<EmulatorConfig> = {
    timeScale,
    throttling: { enabled: true, retryAfterStyle: "ms" },
    delays: { agentMs: Math.min(base.delays.agentMs, base.delays.issuerMs / 2) },
  };
  const config = resolveConfig("realistic", patch);
  const emulator = await forkEmulator({ profile: "realistic", config: patch });
  try {
    await emulator.seed(fleetSeed(args.clusters));
    const reports = new MemoryReportStore();
    const reconciler = createBenchReconciler({ ...emulator, timeScale, reports });
    const totals: number[] = [];
    for (let i = 0; i < args.clusters; i++) {
      const clusterId = fleetClusterId(i);
      const runs = await runQueue({
        reconciler,
        requests: [{ clusterId, reason: "event" }],
        concurrency: 1,
        deadlineMs: (30 * 60_000) / timeScale,
        reports,
      });
      const run = runs.get(clusterId)!;
      if (run.status !== "Converged")
        throw new Error(`latency run: ${clusterId} ended ${run.status}`);
      totals.push((run.settledAt - run.enqueuedAt) * timeScale);
    }
    const median = [...totals].sort((a, b) => a - b)[Math.floor(totals.length / 2)]!;
    return {
      issuerDelayMs: config.delays.issuerMs,
      overheadMs: Math.round(median - config.delays.issuerMs),
    };
  } finally {
    await emulator.stop();
  }
}
