/**
 * The contract between the reconcile engine and whoever drives it (the queue worker, the HTTP
 * trigger, the CLI). Kept in one file so triggers can be written against it while the engine
 * grows behind it.
 */

/** The outcome of one reconcile of one cluster, as the report and the status store name it. */
export type ClusterStatus =
  | "Converged"
  | "WaitingForCluster"
  | "WaitingForIssuer"
  | "ActionRequired"
  | "Failed"
  | "Skipped"
  | "Pruned"
  | "Throttled";

/** What one action did. */
export type ActionOutcome =
  "created" | "updated" | "deleted" | "unchanged" | "adopted" | "failed" | "planned";

/** One step of a plan, with the reason it is needed. */
export interface PlannedAction {
  kind:
    | "enableClusterFeatures"
    | "createIdentity"
    | "updateIdentity"
    | "deleteIdentity"
    | "createCredential"
    | "updateCredential"
    | "deleteCredential"
    | "adoptCredential"
    | "createRoleAssignment"
    | "deleteRoleAssignment";
  /** ARM resource id of what the action writes. */
  target: string;
  reason: string;
}

/** A planned action once applied (or, in a dry run, once planned). */
export interface ActionResult extends PlannedAction {
  outcome: ActionOutcome;
  /** Stable PascalCase error code when `outcome` is `failed`. */
  errorCode?: string;
  message?: string;
  armRequestId?: string;
}

/** A service account federated to an identity, with the manifest a cluster admin applies. */
export interface ReportedServiceAccount {
  namespace: string;
  name: string;
  /** `arc-wi` owns the credential, or it existed before with the same issuer+subject. */
  credential: "owned" | "adopted" | "missing";
}

/** A role an identity holds (or is planned to hold) at a scope. */
export interface ReportedRoleAssignment {
  /** The role as the policy names it, or the role definition GUID. */
  role: string;
  roleDefinitionGuid: string;
  scope: string;
  /** The assignment's name (a GUID), once known. */
  name?: string;
  /**
   * `assigned`: ours, in place; `existing`: an equal assignment made by someone else (left alone);
   * `planned`: dry run or not written yet; `missing`: the write failed.
   */
  state: "assigned" | "existing" | "planned" | "missing";
}

/** One identity as the report shows it. */
export interface ReportedIdentity {
  /** Key of the identity in the policy (profile/identity). */
  key: string;
  resourceId: string;
  name: string;
  clientId?: string;
  principalId?: string;
  tenantId?: string;
  /** Shard index for shared identities (0 = the base name). */
  shard?: number;
  serviceAccounts: ReportedServiceAccount[];
  /** The roles the policy gives this identity; absent when it gives none. */
  roleAssignments?: ReportedRoleAssignment[];
  /** For a sharded shared identity: every shard carries the same role assignments. */
  roleAssignmentsNote?: string;
  /** Why nothing was written for this identity, when that is the case. */
  problem?: { code: string; message: string };
}

/** The report for one cluster after one reconcile. */
export interface ClusterReport {
  clusterId: string;
  clusterName: string;
  distribution?: string;
  kind?: string;
  status: ClusterStatus;
  /** The issuer credentials are written with (as tokens carry it). */
  issuer?: string;
  identities: ReportedIdentity[];
  actions: ActionResult[];
  /** What a human must still do, most important first. */
  nextSteps: string[];
  /** ServiceAccount manifests (YAML), one document per service account. */
  manifests: string;
  /** Hash of the policy content this report was computed with. */
  policyVersion: string;
  reconcileId: string;
  dryRun: boolean;
  /** When the cluster was reconciled (ISO 8601). */
  at: string;
  /** Stable code and message when `status` is `Failed` or `ActionRequired`. */
  error?: { code: string; message: string };
}

/** Why a reconcile was asked for. */
export type ReconcileReason =
  "event" | "delete-event" | "http" | "sweep" | "requeue" | "cli" | "policy-change";

/** Input of one reconcile. */
export interface ReconcileRequest {
  clusterId: string;
  reason: ReconcileReason;
  /** Plan only: no ARM write. */
  dryRun?: boolean;
  /** A delete event asked: prune at the first 404 (a cluster that still exists is reconciled). */
  deleted?: boolean;
  /** Count of 404s already seen for this cluster by earlier runs (the "two 404s" rule). */
  notFoundCount?: number;
}

/** Result of one reconcile: the report, and when to look again (level-triggered). */
export interface ReconcileResult {
  report: ClusterReport;
  /** Set when the cluster must be looked at again later (waiting, throttled, 404 once). */
  requeueAfterMs?: number;
  /** Carried into the next request for this cluster when it is requeued. */
  notFoundCount?: number;
}

/**
 * A lock held across processes (a blob lease in production, Azurite locally). The engine takes
 * one per identity family while it picks a shard or writes credentials.
 */
export interface LockProvider {
  /**
   * Runs `work` while holding the named lock; waits for it when another holder has it.
   * @throws when the lock cannot be had within the provider's wait limit.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** Remembers which shard of a shared identity a cluster was given (the status store). */
export interface ShardStore {
  getShard(clusterId: string, identityKey: string): Promise<number | undefined>;
  setShard(clusterId: string, identityKey: string, shard: number): Promise<void>;
}

/** The engine as triggers and the CLI see it. */
export interface Reconciler {
  /** Reconciles one cluster (or plans it, with `dryRun`). Never sleeps for Azure. */
  reconcile(request: ReconcileRequest): Promise<ReconcileResult>;
  /**
   * Lists connectedCluster resource ids under a scope (`/subscriptions/<id>` or
   * `/subscriptions/<id>/resourceGroups/<rg>`), following `nextLink`.
   */
  listClusterIds(scope: string): Promise<string[]>;
  /** Hash of the policy content in force (reports carry it). */
  readonly policyVersion: string;
}

/** Reads the last report of a cluster (the status store); lets the engine skip prune scans. */
export interface ReportStore {
  getLastReport(clusterId: string): Promise<ClusterReport | undefined>;
}
