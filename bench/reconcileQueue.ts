/**
 * A stand-in for the sync queue and its workers, in one process: clusters are enqueued, at most
 * `concurrency` reconciles run at once, and a result with `requeueAfterMs` puts the cluster back
 * with that visibility delay (as the queue worker does). Runs until the queue is empty.
 */
import type {
  ClusterReport,
  ClusterStatus,
  Reconciler,
  ReconcileRequest,
  ReportStore,
} from "../src/lib/reconcile/contract.js";

interface Item {
  request: ReconcileRequest;
  dueAt: number;
}

/** What happened to one cluster during the run. */
export interface ClusterRun {
  status: ClusterStatus | "Crashed";
  attempts: number;
  enqueuedAt: number;
  /** When the cluster settled, i.e. was not requeued (real ms, `performance.now()` base); 0 until then. */
  settledAt: number;
}

/** Options of {@link runQueue}. */
export interface RunQueueOptions {
  reconciler: Reconciler;
  requests: ReconcileRequest[];
  concurrency: number;
  /** Stop requeueing a cluster after this many attempts. */
  maxAttempts?: number;
  /**
   * Give up after this many real ms: clusters still queued or running are left unsettled
   * (`settledAt` 0), and reconciles still running are not waited for.
   */
  deadlineMs: number;
  /** Last reports, as the status store keeps them. */
  reports?: MemoryReportStore;
}

/** The status store's last-report table, in memory. */
export class MemoryReportStore implements ReportStore {
  readonly reports = new Map<string, ClusterReport>();

  getLastReport(clusterId: string): Promise<ClusterReport | undefined> {
    return Promise.resolve(this.reports.get(clusterId.toLowerCase()));
  }

  set(report: ClusterReport): void {
    if (!report.dryRun) this.reports.set(report.clusterId.toLowerCase(), report);
  }
}

/** Runs every request to a final status (or the deadline) and returns one record per cluster. */
export async function runQueue(options: RunQueueOptions): Promise<Map<string, ClusterRun>> {
  const start = performance.now();
  const runs = new Map<string, ClusterRun>();
  const queue: Item[] = options.requests.map((request) => ({ request, dueAt: start }));
  for (const { request } of queue)
    runs.set(request.clusterId, {
      status: "WaitingForCluster",
      attempts: 0,
      enqueuedAt: start,
      settledAt: 0,
    });

  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const pump = () => {
      clearTimeout(timer);
      const now = performance.now();
      if ((queue.length === 0 && running === 0) || now - start > options.deadlineMs)
        return resolve();
      queue.sort((a, b) => a.dueAt - b.dueAt);
      while (running < options.concurrency && queue[0] !== undefined && queue[0].dueAt <= now) {
        const item = queue.shift()!;
        running++;
        void runOne(item, options, runs).then((next) => {
          running--;
          if (next) queue.push(next);
          pump();
        });
      }
      const wait = queue[0] === undefined ? 50 : Math.max(1, Math.min(50, queue[0].dueAt - now));
      timer = setTimeout(pump, wait);
    };
    pump();
  });
  clearTimeout(timer);
  return runs;
}

async function runOne(
  item: Item,
  options: RunQueueOptions,
  runs: Map<string, ClusterRun>,
): Promise<Item | undefined> {
  const run = runs.get(item.request.clusterId)!;
  run.attempts++;
  try {
    const result = await options.reconciler.reconcile(item.request);
    options.reports?.set(result.report);
    run.status = result.report.status;
    if (result.requeueAfterMs === undefined || run.attempts >= (options.maxAttempts ?? 50)) {
      run.settledAt = performance.now();
      return undefined;
    }
    const request = {
      ...item.request,
      reason: "requeue" as const,
      notFoundCount: result.notFoundCount,
    };
    return { request, dueAt: performance.now() + result.requeueAfterMs };
  } catch {
    run.status = "Crashed";
    run.settledAt = performance.now();
    return undefined;
  }
}
