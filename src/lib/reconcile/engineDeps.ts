import type { ClusterGateway } from "../arm/clusterGateway.js";
import type { IdentityGateway } from "../arm/identityGateway.js";
import type { RoleAssignmentGateway } from "../arm/roleAssignmentGateway.js";
import type { Logger } from "../log/logger.js";
import type { LoadedPolicy } from "../policy/index.js";
import type { WriteRetryOptions } from "./applySteps.js";
import type { LockProvider, ReportStore, ShardStore } from "./contract.js";

/** How long to wait before looking at a cluster again, per reason (ms). */
export interface RequeueDelays {
  /** Not Connected / not Succeeded yet, or agents converging. @default 60000 */
  waitForClusterMs: number;
  /** OIDC on, issuerUrl not there yet. @default 30000 */
  waitForIssuerMs: number;
  /** First 404 of a cluster: read again after this before calling it gone. @default 120000 */
  confirmGoneMs: number;
  /** A retryable failure (5xx, network, 409 that did not clear). @default 60000 */
  retryFailedMs: number;
  /** A 429 with no Retry-After. @default 30000 */
  throttledMs: number;
}

/** Everything one reconcile needs; built once by `createReconciler`. */
export interface EngineDeps {
  clusters: ClusterGateway;
  identities: IdentityGateway;
  /** Role assignments of the identities (absent: the engine writes none). */
  roles?: RoleAssignmentGateway;
  policy: LoadedPolicy;
  locks: LockProvider;
  shards: ShardStore;
  reports?: ReportStore;
  logger: Logger;
  /** CA to trust when reading the emulator's discovery documents. */
  caPem?: string;
  delays: RequeueDelays;
  writeRetry: WriteRetryOptions;
}

/** Defaults of `RequeueDelays`, for Azure's pace. */
export const DEFAULT_REQUEUE_DELAYS: RequeueDelays = {
  waitForClusterMs: 60_000,
  waitForIssuerMs: 30_000,
  confirmGoneMs: 120_000,
  retryFailedMs: 60_000,
  throttledMs: 30_000,
};
