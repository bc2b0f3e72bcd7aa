import type { RestError } from "@azure/core-rest-pipeline";
import type { TableClient } from "@azure/data-tables";

import type {
  ClusterReport,
  ClusterStatus,
  ReportStore,
  ShardStore,
} from "../reconcile/contract.js";
import { encodeReport, tryDecodeReport } from "./reportCodec.js";
import { toCaseSensitiveTableKey, toTableKey } from "./tableKeys.js";

/** The last failure of a cluster's reconcile, kept so the poison function can name the cause. */
export interface RecordedFailure {
  code: string;
  message: string;
  at: string;
}

/** A line of the status table: one cluster's last status, without its full report. */
export interface StatusSummary {
  clusterId: string;
  status: ClusterStatus;
  at: string;
  policyVersion: string;
}

const REPORTS = "report";
const FAILURES = "failure";
const SHARDS = "shard";
const APP = "app";

/**
 * The status table: the last report per cluster, each cluster's shard of a shared identity,
 * the last failure (for the poison queue), and the policy version the app last applied.
 * Implements the engine's {@link ShardStore} and {@link ReportStore}.
 */
export class StatusStore implements ShardStore, ReportStore {
  constructor(private readonly table: TableClient) {}

  /** Creates the table when it does not exist. */
  async ensureExists(): Promise<void> {
    await this.table.createTable();
  }

  /** Replaces the cluster's last report. */
  async saveReport(report: ClusterReport): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: REPORTS,
        rowKey: toTableKey(report.clusterId),
        clusterId: report.clusterId,
        status: report.status,
        at: report.at,
        policyVersion: report.policyVersion,
        ...encodeReport(report),
      },
      "Replace",
    );
  }

  /** The cluster's last report, or undefined when it was never reconciled. */
  async getLastReport(clusterId: string): Promise<ClusterReport | undefined> {
    const entity = await this.tryGet(REPORTS, toTableKey(clusterId));
    return entity ? tryDecodeReport(entity) : undefined;
  }

  /** Every cluster's last status (no reports), for dashboards and the CLI. */
  async listStatuses(): Promise<StatusSummary[]> {
    const rows = this.table.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: `PartitionKey eq '${REPORTS}'`,
        select: ["clusterId", "status", "at", "policyVersion"],
      },
    });
    const summaries: StatusSummary[] = [];
    for await (const row of rows) summaries.push(row as unknown as StatusSummary);
    return summaries;
  }

  /** Remembers why the cluster's last reconcile threw. */
  async recordFailure(clusterId: string, failure: RecordedFailure): Promise<void> {
    const rowKey = toTableKey(clusterId);
    await this.table.upsertEntity(
      { partitionKey: FAILURES, rowKey, clusterId, ...failure },
      "Replace",
    );
  }

  /** The last recorded failure of the cluster, if any. */
  async getLastFailure(clusterId: string): Promise<RecordedFailure | undefined> {
    const entity = await this.tryGet(FAILURES, toTableKey(clusterId));
    if (!entity) return undefined;
    return { code: String(entity.code), message: String(entity.message), at: String(entity.at) };
  }

  /** The shard of a shared identity the cluster was given, or undefined. */
  async getShard(clusterId: string, identityKey: string): Promise<number | undefined> {
    const entity = await this.tryGet(SHARDS, shardRowKey(clusterId, identityKey));
    return typeof entity?.shard === "number" ? entity.shard : undefined;
  }

  /** Records the shard of a shared identity the cluster was given. */
  async setShard(clusterId: string, identityKey: string, shard: number): Promise<void> {
    const rowKey = shardRowKey(clusterId, identityKey);
    await this.table.upsertEntity({ partitionKey: SHARDS, rowKey, clusterId, identityKey, shard });
  }

  /**
   * Claims a policy version as applied: true for exactly one caller per new version, across
   * processes (ETag-conditional write); false when it was already applied or another won.
   */
  async claimPolicyVersion(version: string): Promise<boolean> {
    const current = await this.tryGet(APP, "policy");
    if (current?.version === version) return false;

    const entity = { partitionKey: APP, rowKey: "policy", version, at: new Date().toISOString() };
    try {
      if (!current) await this.table.createEntity(entity);
      else await this.table.updateEntity(entity, "Replace", { etag: String(current.etag) });
      return true;
    } catch (error) {
      if ([409, 412].includes((error as RestError).statusCode ?? 0)) return false;
      throw error;
    }
  }

  private async tryGet(pk: string, rk: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.table.getEntity<Record<string, unknown>>(pk, rk);
    } catch (error) {
      if ((error as RestError).statusCode === 404) return undefined;
      throw error;
    }
  }
}

function shardRowKey(clusterId: string, identityKey: string): string {
  return `${toTableKey(clusterId)}.${toCaseSensitiveTableKey(identityKey)}`;
}
