import type { RestError } from "@azure/core-rest-pipeline";
import type { TableClient } from "@azure/data-tables";

import type { ClusterStatus } from "../reconcile/contract.js";
import { toCaseSensitiveTableKey, toTableKey } from "./tableKeys.js";

/** A sync operation started over HTTP (one cluster or a fleet), as its status URL shows it. */
export interface OperationProgress {
  id: string;
  kind: "cluster" | "fleet";
  createdAt: string;
  /** `Enumerating` while clusters are listed, `Enqueued` once all messages are sent. */
  state: "Enumerating" | "Enqueued" | "Failed";
  /** Clusters enqueued for this operation. */
  total: number;
  /** Clusters whose reconcile for this operation has ended, by status. */
  byStatus: Partial<Record<ClusterStatus, number>>;
  /** Clusters that reported at least once. */
  reported: number;
  /** Clusters whose latest status is not a wait (`Waiting*`, `Throttled`): settled for now. */
  settled: number;
  /** Enumeration ended and every cluster settled (a retried failure can still change). */
  done: boolean;
  /** Why enumeration failed, when `state` is `Failed`. */
  error?: { code: string; message: string };
}

const OPERATIONS = "operation";

/** Statuses a cluster is requeued from: not settled yet. */
const WAITING = new Set<ClusterStatus>(["WaitingForCluster", "WaitingForIssuer", "Throttled"]);

/**
 * Progress of HTTP-started operations in the status table. Each worker writes its own row
 * (`op-<id>` partition, one row per cluster), so counting needs no shared counter.
 */
export class OperationStore {
  constructor(private readonly table: TableClient) {}

  /** Records a new operation. */
  async create(id: string, kind: OperationProgress["kind"]): Promise<void> {
    const createdAt = new Date().toISOString();
    const rowKey = toCaseSensitiveTableKey(id);
    await this.table.createEntity({
      partitionKey: OPERATIONS,
      rowKey,
      kind,
      createdAt,
      state: "Enumerating",
      total: 0,
    });
  }

  /** Records that enumeration ended: `total` clusters enqueued, or the failure. */
  async finishEnumeration(
    id: string,
    total: number,
    error?: { code: string; message: string },
  ): Promise<void> {
    const rowKey = toCaseSensitiveTableKey(id);
    const state = error ? "Failed" : "Enqueued";
    const fields = error ? { errorCode: error.code, errorMessage: error.message } : {};
    await this.table.updateEntity(
      { partitionKey: OPERATIONS, rowKey, state, total, ...fields },
      "Merge",
    );
  }

  /** Records a cluster's latest status within the operation. */
  async recordClusterStatus(id: string, clusterId: string, status: ClusterStatus): Promise<void> {
    const partitionKey = `op-${toCaseSensitiveTableKey(id)}`;
    await this.table.upsertEntity(
      { partitionKey, rowKey: toTableKey(clusterId), clusterId, status },
      "Replace",
    );
  }

  /** The operation's progress, or undefined when there is no such operation. */
  async getProgress(id: string): Promise<OperationProgress | undefined> {
    const head = await this.tryGetHead(id);
    if (!head) return undefined;

    const byStatus: OperationProgress["byStatus"] = {};
    let reported = 0;
    const rows = this.table.listEntities<{ status: ClusterStatus }>({
      queryOptions: {
        filter: `PartitionKey eq 'op-${toCaseSensitiveTableKey(id)}'`,
        select: ["status"],
      },
    });
    for await (const row of rows) {
      byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
      reported++;
    }
    const settled = Object.entries(byStatus)
      .filter(([status]) => !WAITING.has(status as ClusterStatus))
      .reduce((n, [, count]) => n + count, 0);
    const done = head.state === "Failed" || (head.state === "Enqueued" && settled >= head.total);
    return { ...head, byStatus, reported, settled, done };
  }

  private async tryGetHead(id: string) {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(
        OPERATIONS,
        toCaseSensitiveTableKey(id),
      );
      const head = {
        id,
        kind: row.kind as OperationProgress["kind"],
        createdAt: String(row.createdAt),
        state: row.state as OperationProgress["state"],
        total: Number(row.total),
      };
      if (typeof row.errorCode !== "string") return head;
      return { ...head, error: { code: row.errorCode, message: String(row.errorMessage) } };
    } catch (error) {
      if ((error as RestError).statusCode === 404) return undefined;
      throw error;
    }
  }
}
