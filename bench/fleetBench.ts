/**
 * `fleet`, `amplification` and `noop`: N clusters connect at once; the engine, driven like the
 * queue worker, reconciles them against the emulator enforcing ARM's and the identity
 * service's limits, scaled in time. Then every converged cluster is re-synced once.
 */
import {
  resolveConfig,
  type DeepPartial,
  type EmulatorConfig,
  type RequestLogEntry,
} from "../src/emulator/index.js";
import { isSelectedCluster, parseClusterEvents } from "../src/lib/events/parseClusterEvent.js";
import type { ReconcileRequest } from "../src/lib/reconcile/contract.js";
import { buildArmEvent } from "../src/local/armEvents.js";
import { computeBudget, type Budget } from "./budget.js";
import {
  createBenchReconciler,
  fleetClusterId,
  fleetSeed,
  minimalWritesPerCluster,
  type WriteLimit,
} from "./benchFleet.js";
import { forkEmulator } from "./emulatorClient.js";
import { MemoryReportStore, runQueue, type ClusterRun } from "./reconcileQueue.js";
import { startRssSampler } from "./rssSampler.js";

/** Queue messages one worker instance runs at once (host.json: batchSize 16 + newBatchThreshold 8). */
export const WORKER_CONCURRENCY = 24;

export interface FleetFigures {
  clusters: number;
  writesPerSecond: number;
  budgetSeconds: number;
  seconds: number;
  budgetRatio: number;
  throttledShare: number;
  failedClusters: number;
  peakRssMb: number;
}

/** What the fleet bench measured, with the detail the table and the docs show. */
export interface FleetBenchResult {
  fleet: FleetFigures;
  amplification: number;
  noop: { reads: number; writes: number };
  detail: {
    timeScale: number;
    budget: Budget;
    requests: number;
    writesIssued: number;
    writesAccepted: number;
    minimalWrites: number;
    statuses: Record<string, number>;
    noopSweep: { reads: number; writes: number };
  };
}

/** The emulator configuration of the bench: realistic limits and delays, scaled in time. */
export function benchEmulatorPatch(
  timeScale: number,
  chargeCredentialWritesToIdentity = true,
): DeepPartial<EmulatorConfig> {
  return {
    timeScale,
    throttling: {
      enabled: true,
      retryAfterStyle: "ms",
      // FACTS.md §4.2: whether a credential write counts against its identity's 0.25/s is
      // unconfirmed; the emulator assumes it does, and the bench can be run both ways.
      msi: { countCredentialWritesAgainstIdentity: chargeCredentialWritesToIdentity },
    },
  };
}

async function clusterEvents(count: number): Promise<ReconcileRequest[]> {
  const events = Array.from({ length: count }, (_, i) =>
    buildArmEvent({ resourceUri: fleetClusterId(i), id: `bench-${i}` }),
  );
  const outcomes = await parseClusterEvents(events);
  return outcomes
    .filter(isSelectedCluster)
    .map((o) => ({ clusterId: o.clusterId, reason: o.reason }));
}

const isWrite = (e: RequestLogEntry) => e.kind !== "read";
const isAccepted = (e: RequestLogEntry) => e.status >= 200 && e.status < 300;

function countStatuses(runs: Map<string, ClusterRun>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const run of runs.values()) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

/** Runs the fleet, then a re-sync of it; `timeScale` emulator ms pass per real ms. */
export async function runFleetBench(args: {
  clusters: number;
  timeScale: number;
  deadlineMs: number;
  writeLimit?: WriteLimit;
  chargeCredentialWritesToIdentity?: boolean;
}): Promise<FleetBenchResult> {
  const { clusters, timeScale, writeLimit } = args;
  const patch = benchEmulatorPatch(timeScale, args.chargeCredentialWritesToIdentity);
  const emulator = await forkEmulator({ profile: "realistic", config: patch });
  try {
    await emulator.seed(fleetSeed(clusters));
    const reports = new MemoryReportStore();
    const reconciler = createBenchReconciler({ ...emulator, timeScale, reports, writeLimit });
    const requests = await clusterEvents(clusters);

    const rss = startRssSampler();
    const start = performance.now();
    const runs = await runQueue({
      reconciler,
      requests,
      concurrency: WORKER_CONCURRENCY,
      deadlineMs: args.deadlineMs,
      reports,
    });
    // A fleet that did not settle by the deadline took (at least) until now.
    const settled = [...runs.values()].every((r) => r.settledAt > 0);
    const end = settled
      ? Math.max(...[...runs.values()].map((r) => r.settledAt))
      : performance.now();
    const peakRssMb = rss.stop();
    const log = await emulator.requestLog();
    const seconds = ((end - start) / 1000) * timeScale;

    const resync = { emulator, reconciler, requests, reports, deadlineMs: args.deadlineMs };
    const noop = await measureResync({ ...resync, reason: "event" });
    const noopSweep = await measureResync({ ...resync, reason: "sweep" });
    const config = resolveConfig("realistic", patch);
    return summarise({
      clusters,
      timeScale,
      log,
      runs,
      seconds,
      peakRssMb,
      config,
      noop,
      noopSweep,
    });
  } finally {
    await emulator.stop();
  }
}

/** The figures of a fleet run, from its request log and its clusters' statuses. */
function summarise(run: {
  clusters: number;
  timeScale: number;
  log: RequestLogEntry[];
  runs: Map<string, ClusterRun>;
  seconds: number;
  peakRssMb: number;
  config: EmulatorConfig;
  noop: FleetBenchResult["noop"];
  noopSweep: FleetBenchResult["noop"];
}): FleetBenchResult {
  const { clusters, log, seconds } = run;
  const budget = computeBudget(log, run.config);
  const writesAccepted = log.filter((e) => isWrite(e) && isAccepted(e)).length;
  const writesIssued = log.filter(isWrite).length;
  const minimalWrites = clusters * minimalWritesPerCluster();
  const statuses = countStatuses(run.runs);
  const fleet: FleetFigures = {
    clusters,
    writesPerSecond: round(writesAccepted / seconds, 2),
    budgetSeconds: round(budget.budgetSeconds, 1),
    seconds: round(seconds, 1),
    budgetRatio: round(budget.budgetSeconds / seconds, 3),
    throttledShare: round(log.filter((e) => e.status === 429).length / log.length, 4),
    failedClusters: clusters - (statuses.Converged ?? 0),
    peakRssMb: round(run.peakRssMb, 1),
  };
  return {
    fleet,
    amplification: round(writesIssued / minimalWrites, 3),
    noop: run.noop,
    detail: {
      timeScale: run.timeScale,
      budget,
      requests: log.length,
      writesIssued,
      writesAccepted,
      minimalWrites,
      statuses,
      noopSweep: run.noopSweep,
    },
  };
}

/** Reads and writes per converged cluster when every cluster is reconciled once more. */
async function measureResync(args: {
  emulator: Awaited<ReturnType<typeof forkEmulator>>;
  reconciler: ReturnType<typeof createBenchReconciler>;
  requests: ReconcileRequest[];
  reports: MemoryReportStore;
  deadlineMs: number;
  reason: "event" | "sweep";
}): Promise<{ reads: number; writes: number }> {
  const converged = args.requests.filter(
    (r) => args.reports.reports.get(r.clusterId.toLowerCase())?.status === "Converged",
  );
  if (converged.length === 0) return { reads: Number.NaN, writes: Number.NaN };
  await args.emulator.clearRequestLog();
  const requests = converged.map((r) => ({ clusterId: r.clusterId, reason: args.reason }));
  await runQueue({
    reconciler: args.reconciler,
    requests,
    concurrency: WORKER_CONCURRENCY,
    deadlineMs: args.deadlineMs,
    reports: args.reports,
    maxAttempts: 1,
  });

  // A request the limits refused (429) and the SDK sent again is one read, counted once.
  const log = (await args.emulator.requestLog()).filter((e) => e.status !== 429);
  return {
    reads: round(log.filter((e) => e.kind === "read").length / converged.length, 2),
    writes: round(log.filter(isWrite).length / converged.length, 2),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
