import type { TableClient } from "@azure/data-tables";

import type { ActionOutcome, ClusterReport, ReconcileReason } from "../reconcile/contract.js";
import { toTableKey } from "./tableKeys.js";

/** One write, as the history table keeps it. */
export interface HistoryEntry {
  clusterId: string;
  reconcileId: string;
  /** Why the reconcile ran (event, sweep, http, ...). */
  trigger: string;
  /** What was written: the action kind and its target resource id. */
  kind: string;
  target: string;
  /** Why the action was planned. */
  reason: string;
  outcome: ActionOutcome;
  errorCode?: string;
  armRequestId?: string;
  policyVersion: string;
  at: string;
}

/** Outcomes that mean Azure was written to (or a write was tried). */
const WRITES: readonly ActionOutcome[] = ["created", "updated", "deleted", "adopted", "failed"];
const MAX_TICKS = 9_999_999_999_999;

/**
 * The append-only history of every write: one row per applied action, partitioned by cluster,
 * newest first. Dry runs and unchanged actions are not writes and are not recorded.
 */
export class HistoryStore {
  constructor(private readonly table: TableClient) {}

  /** Creates the table when it does not exist. */
  async ensureExists(): Promise<void> {
    await this.table.createTable();
  }

  /**
   * Appends one row per write in the report's actions.
   * @returns how many rows were appended.
   */
  async append(report: ClusterReport, trigger: ReconcileReason): Promise<number> {
    if (report.dryRun) return 0;
    const writes = report.actions.filter((a) => WRITES.includes(a.outcome));
    const newestFirst = String(MAX_TICKS - Date.parse(report.at)).padStart(13, "0");

    for (const [index, action] of writes.entries()) {
      await this.table.createEntity({
        partitionKey: toTableKey(report.clusterId),
        rowKey: `${newestFirst}-${report.reconcileId}-${String(index).padStart(4, "0")}`,
        ...toEntry(report, trigger, action),
      });
    }
    return writes.length;
  }

  /** The cluster's history, newest first (at most `limit` rows). */
  async list(clusterId: string, limit = 100): Promise<HistoryEntry[]> {
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${toTableKey(clusterId)}'` },
    });
    const entries: HistoryEntry[] = [];
    for await (const row of rows) {
      entries.push(row as unknown as HistoryEntry);
      if (entries.length >= limit) break;
    }
    return entries;
  }
}

function toEntry(
  report: ClusterReport,
  trigger: ReconcileReason,
  action: ClusterReport["actions"][number],
): HistoryEntry {
  const entry: HistoryEntry = {
    clusterId: report.clusterId,
    reconcileId: report.reconcileId,
    trigger,
    kind: action.kind,
    target: action.target,
    reason: action.reason,
    outcome: action.outcome,
    policyVersion: report.policyVersion,
    at: report.at,
  };
  if (action.errorCode) entry.errorCode = action.errorCode;
  if (action.armRequestId) entry.armRequestId = action.armRequestId;
  return entry;
}
